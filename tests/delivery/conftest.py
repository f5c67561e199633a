import copy
from typing import Any

import pytest

from tests.plans import plan_for

ADDED = 400


def mutated(plan: dict[str, Any]) -> dict[str, Any]:
    """`plan` after a large change: every resource's inputs changed, a tenth removed and
    hundreds of resources with long names added."""
    changed = copy.deepcopy(plan)
    resources = changed["resources"]
    for index, resource in enumerate(resources):
        resource["inputs"] = {**resource.get("inputs", {}), "description": f"changed {index}", "tags": {"rev": str(index)}}
    del resources[:: len(resources) // 10 or 1]
    template = resources[0]
    for index in range(ADDED):
        name = f"centaurops-prod-an-additional-resource-with-a-long-descriptive-name-{index:04}"
        resources.append({**template, "name": name, "urn": f"{template['urn']}-{name}", "protect": index % 2 == 0})
    return changed


@pytest.fixture(scope="session")
def prod_plan() -> dict[str, Any]:
    return plan_for("prod").document


@pytest.fixture(scope="session")
def dev_plan() -> dict[str, Any]:
    return plan_for("dev").document


@pytest.fixture(scope="session")
def large_change(prod_plan: dict[str, Any]) -> dict[str, Any]:
    return mutated(prod_plan)
