"""What a policy is, and the parts of the policy SDK's arguments it reads.

The shapes follow pulumi-policy 1.21.0 (`pulumi_policy/policy.py`): `ResourceValidationArgs` has
`resource_type`, `props` (the resource's inputs, engine names in camelCase, as Mappings and Sequences),
`urn`, `name`, `opts` (`PolicyResourceOptions`: `protect`, `parent`) and `get_config()`;
`StackValidationArgs` has `resources` (`PolicyResource`: the same plus `dependencies` and
`property_dependencies` as resource objects) and `get_config()`; a violation is reported by calling
`report_violation(message, urn)`. The offline runner (`offline.py`) builds objects of these shapes from a
plan.json, and the pack (`pack/__main__.py`) hands these functions to the SDK's policy classes unchanged.

Under the engine a stack policy's resources carry their outputs, not their inputs (pulumi's
pkg/resource/deploy/step_generator.go builds them from the new states' Outputs); offline they carry the
plan's inputs. Stack policies here read only properties that providers echo under the same name."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

ReportViolation = Callable[[str, "str | None"], None]
Enforcement = Literal["advisory", "mandatory", "disabled"]
# A check of one resource type's properties: what is wrong with them, one message each.
Rule = Callable[[Mapping[str, Any]], list[str]]


class Options(Protocol):
    @property
    def protect(self) -> bool: ...
    @property
    def parent(self) -> str | None: ...


class Resource(Protocol):
    """What both kinds of policy see of a resource."""

    @property
    def resource_type(self) -> str: ...
    @property
    def props(self) -> Mapping[str, Any]: ...
    @property
    def urn(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def opts(self) -> Options: ...


class ResourceArgs(Resource, Protocol):
    def get_config(self) -> Mapping[str, Any]: ...


class StackResource(Resource, Protocol):
    @property
    def dependencies(self) -> Sequence[StackResource]: ...


class StackArgs(Protocol):
    @property
    def resources(self) -> Sequence[StackResource]: ...
    def get_config(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class ResourcePolicy:
    """Validates one resource at a time, as the engine registers it."""

    name: str
    description: str
    validate: Callable[[ResourceArgs, ReportViolation], None]
    enforcement: Enforcement = "mandatory"
    # JSON schema of the policy's config properties (pulumi_policy.PolicyConfigSchema.properties).
    config_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class StackPolicy:
    """Validates the whole stack once every resource is known (relations between resources)."""

    name: str
    description: str
    validate: Callable[[StackArgs, ReportViolation], None]
    enforcement: Enforcement = "mandatory"
    config_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


Policy = ResourcePolicy | StackPolicy


def by_type(rules: Mapping[str, Rule]) -> Callable[[ResourceArgs, ReportViolation], None]:
    """A resource validation running the rule of the resource's type, if it has one, over its properties."""

    def validate(args: ResourceArgs, report: ReportViolation) -> None:
        rule = rules.get(args.resource_type)
        for problem in rule(args.props) if rule else []:
            report(problem, args.urn)

    return validate
