"""The bootstrap program's plans for tests: its shipped stack files, with overrides."""

from __future__ import annotations

import functools
import json
from typing import Any

from bootstrap.config import NAMESPACE
from preview.cli import PROJECT_DIR, preview_plan
from preview.stackfile import read_stack_config
from tests.plans import Plan

BOOTSTRAP_DIR = PROJECT_DIR / "bootstrap"
REPOSITORY = "octo-org/octo-repo"


def bootstrap_config(cloud: str, **overrides: Any) -> dict[str, str]:
    """The cloud's shipped stack file, `centaurops-bootstrap:<key>` entries replaced by overrides."""
    values = {f"{NAMESPACE}:{key}": value if isinstance(value, str) else json.dumps(value) for key, value in overrides.items()}
    return {**read_stack_config(BOOTSTRAP_DIR / f"Pulumi.{cloud}.yaml"), **values}


@functools.cache
def _cached(cloud: str, config_json: str) -> Plan:
    return Plan(preview_plan(cloud, json.loads(config_json), BOOTSTRAP_DIR))


def bootstrap_plan(cloud: str, **overrides: Any) -> Plan:
    """The plan of the bootstrap stack of `cloud`, computed once per process."""
    return _cached(cloud, json.dumps(bootstrap_config(cloud, **overrides), sort_keys=True))


def policy(resource: dict[str, Any], key: str = "policy") -> dict[str, Any]:
    return json.loads(resource["inputs"][key])


def statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    found = [s for s in document["Statement"] if s.get("Sid") == sid]
    assert len(found) == 1, f"expected one statement {sid}, found {[s.get('Sid') for s in document['Statement']]}"
    return found[0]
