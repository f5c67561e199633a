"""Running the program under mocks for tests, and reading what it would create."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi

from preview.cli import PROJECT_DIR, preview_plan
from preview.stackfile import read_stack_config

if TYPE_CHECKING:
    from components.foundation import FoundationResult


@dataclass(frozen=True)
class Plan:
    document: dict[str, Any]

    @property
    def resources(self) -> list[dict[str, Any]]:
        return self.document["resources"]

    @property
    def outputs(self) -> dict[str, Any]:
        return self.document["outputs"]

    def of_type(self, type_: str) -> list[dict[str, Any]]:
        return [r for r in self.resources if r["type"] == type_]

    def one(self, type_: str, name_suffix: str = "") -> dict[str, Any]:
        found = [r for r in self.of_type(type_) if r["name"].endswith(name_suffix)]
        assert len(found) == 1, f"expected one {type_} named *{name_suffix}, found {[r['name'] for r in found]}"
        return found[0]

    def by_urn(self, urn: str) -> dict[str, Any]:
        return next(r for r in self.resources if r["urn"] == urn)

    def depends_on(self, resource: dict[str, Any]) -> set[str]:
        """Types of everything `resource` waits for, transitively (dependencies and parents' dependencies)."""
        seen: set[str] = set()
        todo = list(resource["dependencies"])
        while todo:
            urn = todo.pop()
            if urn in seen:
                continue
            seen.add(urn)
            todo.extend(self.by_urn(urn)["dependencies"])
        return {self.by_urn(u)["type"] for u in seen}

    def longest_chain(self, type_prefix: str = "") -> list[str]:
        """The longest dependency chain of custom resources (of types starting with
        `type_prefix`): a lower bound of deploy time."""

        def counted(urn: str) -> bool:
            resource = self.by_urn(urn)
            return resource["custom"] and resource["type"].startswith(type_prefix)

        @functools.cache
        def chain(urn: str) -> tuple[str, ...]:
            deps = [d for d in self.by_urn(urn)["dependencies"] if counted(d)]
            best = max((chain(d) for d in deps), key=len, default=())
            return (*best, urn)

        return list(max((chain(r["urn"]) for r in self.resources if counted(r["urn"])), key=len))

    def text(self) -> str:
        return json.dumps(self.document)


# A cluster block for overrides: `cluster=` replaces the stack file's, which says how the API is reached.
PUBLIC_API = {"endpointPublicAccess": True, "publicAccessCidrs": ["198.51.100.0/24"]}


def config_map(values: dict[str, Any]) -> dict[str, str]:
    """`{"database": {...}}` as Pulumi passes it: `centaurops:` keys, structured values as JSON text."""
    return {f"centaurops:{key}": value if isinstance(value, str) else json.dumps(value) for key, value in values.items()}


def stack_config(stack: str, **overrides: Any) -> dict[str, str]:
    """The stack file's config, with `centaurops:<key>` entries replaced by overrides."""
    return {**read_stack_config(PROJECT_DIR / f"Pulumi.{stack}.yaml"), **config_map(overrides)}


@functools.cache
def _cached(stack: str, config_json: str) -> Plan:
    return Plan(preview_plan(stack, json.loads(config_json)))


def foundation_for(stack: str, **overrides: Any) -> FoundationResult:
    """What the stack's foundation hands the Kubernetes layer (its Python objects: the
    cache's CA, hostname check and databases, the file storage's kind), from a mocked run
    of the whole program."""
    from components.config import settings_from_config
    from components.platform import Platform
    from components.testing.mocks import CloudMocks
    from preview.cli import project_name
    from preview.runner import run_program

    config = stack_config(stack, **overrides)
    built: list[FoundationResult] = []

    def program() -> None:
        built.append(Platform(f"centaurops-{stack}", settings_from_config(config, stack)).foundation)

    run_program(PROJECT_DIR, project=project_name(), stack=stack, config=config, mocks=CloudMocks(), program=program)
    return built[0]


@dataclass(frozen=True)
class Evaluated:
    values: dict[str, Any]
    secret: dict[str, bool]


def evaluated(make: Callable[[], dict[str, pulumi.Output[Any]]]) -> Evaluated:
    """The values of the outputs `make` builds, and whether each is secret, computed inside
    a mocked Pulumi run: an output made outside one would be awaited by the next run's
    stack, on another event loop, forever."""
    from components.testing.mocks import CloudMocks
    from preview.runner import SECRET, run_program

    def program() -> None:
        for key, output in make().items():
            pulumi.export(key, pulumi.Output.unsecret(output))
            pulumi.export(f"{key}:as-is", output)

    run = run_program(PROJECT_DIR, project="centaurops", stack="dev", config={}, mocks=CloudMocks(), program=program)
    keys = [key for key in run.outputs if not key.endswith(":as-is")]
    return Evaluated(
        values={key: run.outputs[key] for key in keys},
        secret={key: run.outputs[f"{key}:as-is"] == SECRET for key in keys},
    )


def plan_for(stack: str, **overrides: Any) -> Plan:
    """The plan of `stack` (its stack file plus overrides), computed once per process."""
    return _cached(stack, json.dumps(stack_config(stack, **overrides), sort_keys=True))
