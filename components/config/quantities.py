"""Kubernetes resource quantities: just enough arithmetic to check requests against limits and size a quota."""

from __future__ import annotations

import re

_UNITS = {"": 1, "m": 0.001, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}


def parse(quantity: str) -> float:
    """`"500m"` -> 0.5, `"2"` -> 2, `"1Gi"` -> 1073741824."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|K|M|G|T)?", quantity)
    if not match:
        raise ValueError(f"not a quantity: {quantity!r}")
    return float(match.group(1)) * _UNITS[match.group(2) or ""]


def cpu(cores: float) -> str:
    return f"{round(cores * 1000)}m"


def memory(size: float) -> str:
    return f"{-(-int(size) // 2**20)}Mi"
