"""Plans of the shipped stacks on every cloud, and copies of them mutated to break one invariant."""

from __future__ import annotations

import copy
from typing import Any

from policy.offline import Violation, evaluate
from tests.plans import plan_for

CLOUDS = ("aws", "gcp", "azure")


def document(stack: str, cloud: str) -> dict[str, Any]:
    """A private copy of the stack's plan on `cloud`: tests mutate it freely."""
    return copy.deepcopy(plan_for(stack, cloud=cloud).document)


def one(doc: dict[str, Any], type_: str, name_suffix: str = "") -> dict[str, Any]:
    found = [r for r in doc["resources"] if r["type"] == type_ and r["name"].endswith(name_suffix)]
    assert len(found) == 1, f"expected one {type_} named *{name_suffix}, found {[r['name'] for r in found]}"
    return found[0]


def without(doc: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    doc["resources"] = [r for r in doc["resources"] if r is not resource]
    return doc


def violations(doc: dict[str, Any], policy: str, config: dict[str, Any] | None = None) -> list[Violation]:
    return [v for v in evaluate(doc, config) if v.policy == policy]


def named(found: list[Violation]) -> set[tuple[str, str]]:
    """(resource name, message) of each violation: the URN's last part is the resource's name."""
    return {(v.urn.rsplit("::", 1)[-1], v.message) for v in found}
