"""Config overrides that keep the rest of a stack file's value: `plan_for` replaces a whole
`centaurops:<key>`, and the stack files' cluster settings must survive (a reachable API)."""

from __future__ import annotations

import json
from typing import Any

from tests.plans import stack_config


def cluster(stack: str, **changes: Any) -> dict[str, Any]:
    """The stack file's `centaurops:cluster` with `changes` applied."""
    return {**json.loads(stack_config(stack).get("centaurops:cluster", "{}")), **changes}
