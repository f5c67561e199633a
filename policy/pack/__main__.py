"""The policy pack: every policy of `policy/registry.py`, handed to the Python policy SDK unchanged.

`pulumi preview --policy-pack policy/pack` starts it as pulumi's pulumi-analyzer-policy-python does:
`python -u -m pulumi.policy ENGINE .` in this directory, which runs this file with runpy.run_path
(pulumi/policy/__main__.py). PolicyPack then serves the engine over gRPC until it is stopped."""

from __future__ import annotations

import sys
from pathlib import Path

# The `policy` package sits at the repository's root, two levels up; it imports nothing but the standard library.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

from policy.model import Policy as Invariant
from policy.model import ResourcePolicy
from policy.registry import POLICIES


def sdk_policy(invariant: Invariant) -> Policy:
    """The SDK's policy object for one invariant: same name, description, level, config schema and function."""
    properties = {key: dict(value) for key, value in invariant.config_schema.items()}
    schema = PolicyConfigSchema(properties) if properties else None
    level = EnforcementLevel(invariant.enforcement)
    if isinstance(invariant, ResourcePolicy):
        return ResourceValidationPolicy(
            name=invariant.name,
            description=invariant.description,
            validate=invariant.validate,
            enforcement_level=level,
            config_schema=schema,
        )
    return StackValidationPolicy(
        name=invariant.name,
        description=invariant.description,
        validate=invariant.validate,
        enforcement_level=level,
        config_schema=schema,
    )


if __name__ == "__main__":
    PolicyPack("centaurops", policies=[sdk_policy(invariant) for invariant in POLICIES])
