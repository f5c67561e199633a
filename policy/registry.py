"""Every policy of the pack, in the order they are reported. Both runners read this list only."""

from __future__ import annotations

from .cluster_api import CLUSTER_API_RESTRICTED
from .encryption import CUSTOMER_KEYS
from .exposure import DATA_PRIVATE
from .model import Policy
from .namespaces import NAMESPACES_DEFAULT_DENY
from .stateful import LOCKED, PROTECTED
from .workloads import WORKLOADS_HARDENED

POLICIES: tuple[Policy, ...] = (
    PROTECTED,
    LOCKED,
    DATA_PRIVATE,
    CUSTOMER_KEYS,
    CLUSTER_API_RESTRICTED,
    WORKLOADS_HARDENED,
    NAMESPACES_DEFAULT_DENY,
)
