"""The policies over a plan.json, with no engine: each resource's type, inputs (the plan's `inputs`, which
carry the engine's camelCase names), URN, name, `protect` and parent, in objects of the shapes the policy
SDK passes (`model.py`); then the same validate functions the pack registers.

Config has the shape of `pulumi preview --policy-pack-config FILE`: per policy name (or `all`), an
enforcement level or an object with `enforcementLevel` and the policy's own properties."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from .model import Enforcement, Policy, ReportViolation, ResourcePolicy
from .registry import POLICIES

LEVELS: tuple[Enforcement, ...] = ("advisory", "mandatory", "disabled")


class PolicyInputError(Exception):
    """A plan or config that cannot be read: one line saying what is wrong."""


@dataclass(frozen=True)
class Options:
    protect: bool
    parent: str | None


@dataclass
class Resource:
    resource_type: str
    props: Mapping[str, Any]
    urn: str
    name: str
    opts: Options
    dependencies: list[Resource] = field(default_factory=list)
    config: Mapping[str, Any] = field(default_factory=dict)

    def get_config(self) -> Mapping[str, Any]:
        return self.config


@dataclass(frozen=True)
class Stack:
    resources: Sequence[Resource]
    config: Mapping[str, Any]

    def get_config(self) -> Mapping[str, Any]:
        return self.config


@dataclass(frozen=True)
class Violation:
    policy: str
    enforcement: Enforcement
    urn: str
    message: str


@dataclass(frozen=True)
class PolicyConfig:
    enforcement: Enforcement
    properties: Mapping[str, Any]


def read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text())
    except OSError as error:
        raise PolicyInputError(f"{path}: cannot read the {what}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise PolicyInputError(f"{path}: the {what} is not JSON: {error.msg} at line {error.lineno}") from None


def resources_of(plan: Any, source: str) -> list[Resource]:
    if not isinstance(plan, dict) or not isinstance(plan.get("resources"), list):
        raise PolicyInputError(f"{source}: not a plan.json of `python -m preview` (no resources list)")
    built: dict[str, Resource] = {}
    entries = cast("list[Any]", plan["resources"])
    for index, entry in enumerate(entries):
        try:
            built[entry["urn"]] = Resource(
                resource_type=entry["type"],
                props=entry.get("inputs") or {},
                urn=entry["urn"],
                name=entry["name"],
                opts=Options(protect=bool(entry.get("protect")), parent=entry.get("parent") or None),
            )
        except (KeyError, TypeError):
            raise PolicyInputError(f"{source}: resource {index} lacks a urn, type or name") from None
    for entry in entries:
        # The engine resolves dependencies to the stack's resources and drops any it does not know.
        built[entry["urn"]].dependencies = [built[urn] for urn in entry.get("dependencies") or [] if urn in built]
    return list(built.values())


def policy_configs(raw: Any, source: str) -> dict[str, PolicyConfig]:
    """Each policy's enforcement level and properties: its own default, then `all`, then its own entry."""
    if not isinstance(raw, dict):
        raise PolicyInputError(f"{source}: policy config must be an object keyed by policy name")
    names = {policy.name for policy in POLICIES}
    unknown = sorted(set(raw) - names - {"all"})
    if unknown:
        raise PolicyInputError(f"{source}: unknown policy {', '.join(unknown)} (known: {', '.join(sorted(names))})")

    def entry(key: str) -> tuple[Enforcement | None, dict[str, Any]]:
        value = raw.get(key)
        if value is None:
            return None, {}
        if isinstance(value, str):
            value = {"enforcementLevel": value}
        if not isinstance(value, dict):
            raise PolicyInputError(f"{source}: {key}: expected an enforcement level or an object, got {value!r}")
        properties = dict(value)
        level = properties.pop("enforcementLevel", None)
        if level is not None and level not in LEVELS:
            raise PolicyInputError(f"{source}: {key}.enforcementLevel: expected one of {', '.join(LEVELS)}, got {level!r}")
        return level, properties

    everyone, _ = entry("all")
    configs = {}
    for policy in POLICIES:
        level, properties = entry(policy.name)
        configs[policy.name] = PolicyConfig(level or everyone or policy.enforcement, properties)
    return configs


def evaluate(plan: Any, config: Any = None, source: str = "plan", config_source: str = "policy config") -> list[Violation]:
    """Every violation of every enabled policy in `plan` (a parsed plan.json); `source` and `config_source`
    name them in errors."""
    configs = policy_configs(config or {}, config_source)
    resources = resources_of(plan, source)
    found: list[Violation] = []
    for policy in POLICIES:
        settings = configs[policy.name]
        if settings.enforcement != "disabled":
            found.extend(_run(policy, settings, resources))
    return found


def _run(policy: Policy, settings: PolicyConfig, resources: list[Resource]) -> list[Violation]:
    found: list[Violation] = []

    def reporter(validated: str | None) -> ReportViolation:
        # Under the engine a resource policy's violation is the validated resource's; a stack policy names its own.
        def report(message: str, urn: str | None = None) -> None:
            found.append(Violation(policy.name, settings.enforcement, validated or urn or "", message))

        return report

    if isinstance(policy, ResourcePolicy):
        for resource in resources:
            resource.config = settings.properties
            policy.validate(resource, reporter(resource.urn))
    else:
        policy.validate(Stack(resources, settings.properties), reporter(None))
    return found
