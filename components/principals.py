"""Resource names for the principals a stack file lists.

Named by the principal, not by its place in the list: removing or reordering one must not
move another's access to a new resource. That would replace it, and a replacement creates
the new resource before deleting the old: a second EKS access entry or Azure role assignment
for the same principal fails, and deleting a Google IAM member removes the binding the new
one had just declared."""

from __future__ import annotations

import hashlib


def principal_suffix(principal: str) -> str:
    """A short, stable name part for an ARN or an IAM member (both hold characters URNs do not)."""
    return hashlib.sha256(principal.encode()).hexdigest()[:10]
