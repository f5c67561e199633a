"""Reading resource inputs the way both runners hand them over: Mappings and Sequences (the SDK wraps
them in proxies that are neither dict nor list), with camelCase engine names."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any

# Config every policy that only applies to some stacks accepts: which stacks are production.
PROD_STACKS_SCHEMA: dict[str, dict[str, Any]] = {
    "prodStacks": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Stacks held to prod's rules (a stack named otherwise that sets centaurops:environment: prod).",
    }
}


def at(value: Any, *path: str) -> Any:
    """The value at `path` inside nested inputs, or None where any step is missing."""
    for step in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(step)
    return value


def items(value: Any) -> list[Any]:
    """A list input as a list (an absent one as empty)."""
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str | bytes) else []


def stack_of(urn: str) -> str:
    """The stack a URN belongs to: `urn:pulumi:STACK::PROJECT::TYPE::NAME`."""
    return urn.split("::", 1)[0].rsplit(":", 1)[-1]


def is_prod(urn: str, config: Mapping[str, Any]) -> bool:
    return stack_of(urn) in (config.get("prodStacks") or ["prod"])


def admits_everyone(cidr: Any) -> bool:
    """Whether an address range is the whole internet (0.0.0.0/0, ::/0, or any /0 spelled otherwise)."""
    if not isinstance(cidr, str):
        return False
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False
