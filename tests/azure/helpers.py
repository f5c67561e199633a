"""Reading an Azure foundation's plan."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from tests.plans import Plan


def named(plan: Plan, type_: str, name: str) -> dict[str, Any]:
    found = [r for r in plan.of_type(type_) if r["name"] == name]
    assert len(found) == 1, f"expected one {type_} named {name}, found {[r['name'] for r in plan.of_type(type_)]}"
    return found[0]


def waits_for(plan: Plan, resource: dict[str, Any]) -> set[str]:
    """URNs of everything `resource` waits for, transitively."""
    seen: set[str] = set()
    todo = list(resource["dependencies"])
    while todo:
        urn = todo.pop()
        if urn not in seen:
            seen.add(urn)
            todo.extend(plan.by_urn(urn)["dependencies"])
    return seen


def takes_tags(type_: str) -> bool:
    """Whether the SDK class of an azure-native resource type has a `tags` argument."""
    _, module, name = type_.split(":")
    cls = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), name)
    return "tags" in inspect.signature(cls._internal_init).parameters
