"""docs/configuration.md is the generator's output, and what it says is what the code does."""

from __future__ import annotations

import json
import re
from typing import Any

import pydantic
import pytest
import yaml
from pydantic import BaseModel

from components.config import ConfigError, Settings, settings_from_config
from components.config.reference import PROD_RULES, REGENERATE, RULES, markdown
from preview.cli import PROJECT_DIR

DOC = PROJECT_DIR / "docs" / "configuration.md"
ROW = re.compile(r"^\| `(?P<key>[\w.]+)` \| (?P<allowed>.*?) \| (?P<dev>.*?) \| (?P<prod>.*?) \| (?P<description>.*) \|$")


def rows() -> list[dict[str, str]]:
    return [match.groupdict() for line in markdown().splitlines() if (match := ROW.match(line))]


def leaf_rows() -> list[dict[str, str]]:
    return [row for row in rows() if row["allowed"] != "mapping of the keys below"]


def nested(key: str, value: Any) -> dict[str, str]:
    """`network.zoneCount`, 3 -> the config map entry `centaurops:network` = `{"zoneCount": 3}`."""
    top, *rest = key.split(".")
    for part in reversed(rest):
        value = {part: value}
    return {f"centaurops:{top}": value if isinstance(value, str) else json.dumps(value)}


def cell_value(cell: str) -> Any:
    """ "**`[m7i.large]`**" -> ["m7i.large"]: the YAML a user would write."""
    return yaml.safe_load(cell.strip("*").strip("`"))


def at(values: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        values = values[part]
    return values


def leaves(value: Any, prefix: str = "") -> list[str]:
    """The dotted key of every leaf of a model_dump."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, f"{prefix}.{key}" if prefix else key)]
    return [prefix]


def test_the_docs_are_the_generated_reference() -> None:
    assert DOC.is_file(), f"docs/configuration.md is missing; generate it with: {REGENERATE}"
    assert DOC.read_text() == markdown(), f"docs/configuration.md is out of date; regenerate it with: {REGENERATE}"


def test_every_section_is_a_top_level_key() -> None:
    sections = re.findall(r"^## `centaurops:(\w+)`$", markdown(), flags=re.MULTILINE)
    assert sections == [
        "environment",
        "cloud",
        "network",
        "cluster",
        "nodePools",
        "database",
        "cache",
        "objectStore",
        "workload",
        "ingress",
        "addons",
        "aws",
        "gcp",
        "azure",
    ]


def test_every_key_is_documented_once_with_a_description() -> None:
    keys = [row["key"] for row in rows()]
    assert len(keys) == len(set(keys))
    for expected in ("network.zoneCount", "database.backupRetentionDays", "aws.nodePools.workload.instanceTypes"):
        assert expected in keys
    assert all(row["description"] for row in rows())
    # every leaf of the settings an empty stack gets is in the table
    assert {row["key"] for row in leaf_rows()} == set(leaves(settings_from_config({}, "dev").model_dump(by_alias=True)))


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_each_documented_default_is_the_default_and_can_be_written_as_shown(stack: str) -> None:
    expected = settings_from_config({}, stack).model_dump(by_alias=True)
    for row in leaf_rows():
        value = cell_value(row[stack])
        assert value == at(expected, row["key"]), row["key"]
        # writing the documented default in a stack file changes nothing
        assert settings_from_config(nested(row["key"], value), stack).model_dump(by_alias=True) == expected, row["key"]


def test_bold_marks_exactly_the_prod_defaults_that_differ() -> None:
    for row in leaf_rows():
        differs = cell_value(row["dev"]) != cell_value(row["prod"])
        assert row["prod"].startswith("**") == differs, row["key"]
    bold = {row["key"] for row in leaf_rows() if row["prod"].startswith("**")}
    assert {"network.zoneCount", "database.multiAz", "cache.automaticFailover", "nodePools.workload.capacityType"} <= bold


def test_documented_ranges_are_the_ranges_enforced() -> None:
    ranged = [(row["key"], re.fullmatch(r"whole number, (\d+) to (\d+)", row["allowed"])) for row in leaf_rows()]
    ranged = [(key, int(match[1]), int(match[2])) for key, match in ranged if match]
    assert ("database.backupRetentionDays", 1, 35) in ranged
    for key, low, high in ranged:
        for bad in (low - 1, high + 1):
            with pytest.raises(ConfigError) as caught:
                settings_from_config(nested(key, bad), "dev")
            assert caught.value.problems == [f"centaurops:{key}: must be between {low} and {high}, got {bad}"]


# A stack that breaks each documented rule; each must be refused, naming the rule's key.
_ROLE = "arn:aws:iam::123456789012:role/platform-admin"
_MEMBER = "group:platform@acme.com"
_GROUP = "11111111-1111-1111-1111-111111111111"
BREAKS_RULE: dict[str, tuple[str, dict[str, Any]]] = {
    "nodePools.<pool>.minSize": ("dev", {"nodePools": {"system": {"minSize": 4, "maxSize": 3}}}),
    "nodePools.<pool>.desiredSize": ("dev", {"nodePools": {"system": {"desiredSize": 4}}}),
    "network.cidr": ("dev", {"network": {"cidr": "10.0.0.0/22"}}),
    "cluster.publicAccessCidrs": ("dev", {"cluster": {"endpointPublicAccess": True}}),
    "database.maxStorageGb": ("dev", {"database": {"storageGb": 200}}),
    "cache.replicas": ("dev", {"cache": {"automaticFailover": True}}),
    "workload.autoscaling.minReplicas": ("dev", {"workload": {"autoscaling": {"enabled": True, "minReplicas": 7}}}),
    "workload.resources.cpuRequest": ("dev", {"workload": {"resources": {"cpuRequest": "3"}}}),
    "workload.resources.memoryRequest": ("dev", {"workload": {"resources": {"memoryLimit": "1Gi"}}}),
    "workload.chart.version": ("dev", {"workload": {"chart": {"repository": "https://charts.example.com", "name": "flows"}}}),
    "aws.availabilityZones": ("dev", {"aws": {"availabilityZones": ["us-east-1a"]}}),
    "azure.availabilityZones": ("dev", {"cloud": "azure", "azure": {"availabilityZones": ["1"]}}),
    "azure.postgresSku": ("dev", {"cloud": "azure", "database": {"multiAz": True}}),
    "azure.geoBackupLocation": ("dev", {"cloud": "azure", "azure": {"geoBackupLocation": "westeurope"}}),
    "nodePools.system.capacityType": ("dev", {"cloud": "azure", "nodePools": {"system": {"capacityType": "spot"}}}),
    "gcp.project": ("dev", {"cloud": "gcp"}),
    "gcp.zones": ("dev", {"cloud": "gcp", "gcp": {"project": "acme-flows-dev", "zones": ["us-central1-a"]}}),
    "gcp.podsCidr": ("dev", {"cloud": "gcp", "gcp": {"project": "acme-flows-dev", "podsCidr": "10.0.0.0/14"}}),
    "gcp.servicesCidr": ("dev", {"cloud": "gcp", "gcp": {"project": "acme-flows-dev", "servicesCidr": "10.32.0.0/12"}}),
    "gcp.privateServicesCidr": (
        "dev",
        {"cloud": "gcp", "gcp": {"project": "acme-flows-dev", "privateServicesCidr": "10.21.0.0/25"}},
    ),
    "gcp.controlPlaneCidr": ("dev", {"cloud": "gcp", "gcp": {"project": "acme-flows-dev", "controlPlaneCidr": "10.21.16.0/24"}}),
    "gcp.databaseTier": ("dev", {"cloud": "gcp", "gcp": {"project": "acme-flows-dev", "databaseEdition": "ENTERPRISE_PLUS"}}),
    "gcp.cacheMemorySizeGb": ("dev", {"cloud": "gcp", "gcp": {"project": "acme-flows-dev"}, "cache": {"replicas": 2}}),
    "aws.adminPrincipalArns": ("dev", {"aws": {"adminPrincipalArns": [_ROLE, _ROLE]}}),
    "aws.developerPrincipalArns": ("dev", {"aws": {"adminPrincipalArns": [_ROLE], "developerPrincipalArns": [_ROLE]}}),
    "gcp.adminMembers": ("dev", {"cloud": "gcp", "gcp": {"project": "acme-flows-dev", "adminMembers": [_MEMBER, _MEMBER]}}),
    "gcp.developerMembers": (
        "dev",
        {"cloud": "gcp", "gcp": {"project": "acme-flows-dev", "adminMembers": [_MEMBER], "developerMembers": [_MEMBER]}},
    ),
    "azure.adminGroupObjectIds": ("dev", {"cloud": "azure", "azure": {"adminGroupObjectIds": [_GROUP, _GROUP]}}),
    "azure.developerGroupObjectIds": (
        "dev",
        {"cloud": "azure", "azure": {"adminGroupObjectIds": [_GROUP], "developerGroupObjectIds": [_GROUP]}},
    ),
    "aws.previewPrincipalArns": ("prod", {"aws": {"developerPrincipalArns": [_ROLE], "previewPrincipalArns": [_ROLE]}}),
    "gcp.previewMembers": (
        "prod",
        {"cloud": "gcp", "gcp": {"project": "acme-flows-prod", "adminMembers": [_MEMBER], "previewMembers": [_MEMBER]}},
    ),
    "azure.previewPrincipalObjectIds": (
        "prod",
        {"cloud": "azure", "azure": {"previewPrincipalObjectIds": [_GROUP, _GROUP]}},
    ),
}
BREAKS_PROD_RULE: dict[str, dict[str, Any]] = {
    "nodePools.<pool>.capacityType": {"nodePools": {"workload": {"capacityType": "spot"}}},
    "nodePools.<pool>.minSize": {"nodePools": {"workload": {"minSize": 1}}},
    "cluster.publicAccessCidrs": {"cluster": {"endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]}},
    "database.multiAz": {"database": {"multiAz": False}},
    "database.deletionProtection": {"database": {"deletionProtection": False}},
    "database.backupRetentionDays": {"database": {"backupRetentionDays": 7}},
    "cache.automaticFailover": {"cache": {"automaticFailover": False}},
    "cache.snapshotRetentionDays": {"cache": {"snapshotRetentionDays": 0}},
    "workload.mode": {"workload": {"mode": "ide"}},
    "workload.replicas": {"workload": {"autoscaling": {"enabled": False}, "replicas": 1}},
    "workload.autoscaling.minReplicas": {"workload": {"autoscaling": {"minReplicas": 1}}},
    "ingress.acmeServer": {"ingress": {"acmeServer": "staging"}},
    "ingress.controllerReplicas": {"ingress": {"controllerReplicas": 1}},
}


def _refused_naming(key: str, values: dict[str, Any], stack: str) -> None:
    config = {f"centaurops:{k}": v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
    with pytest.raises(ConfigError) as caught:
        settings_from_config(config, stack)
    pattern = re.escape(f"centaurops:{key}").replace(re.escape("<pool>"), r"(system|workload)")
    assert any(re.match(rf"{pattern}(\[\d+\])?: ", line) for line in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(("key", "rule"), RULES)
def test_each_documented_rule_is_enforced(key: str, rule: str) -> None:
    stack, values = BREAKS_RULE[key]
    _refused_naming(key, values, stack)


@pytest.mark.parametrize(("key", "rule"), PROD_RULES)
def test_each_documented_prod_rule_is_enforced_in_prod_only(key: str, rule: str) -> None:
    values = BREAKS_PROD_RULE[key]
    _refused_naming(key, values, "prod")
    config = {f"centaurops:{k}": json.dumps(v) for k, v in values.items()}
    settings_from_config(config, "dev")


def test_the_rule_lists_cover_every_rule_tested_here() -> None:
    assert {key for key, _ in RULES} == set(BREAKS_RULE)
    assert {key for key, _ in PROD_RULES} == set(BREAKS_PROD_RULE)
    text = markdown()
    for key, rule in (*RULES, *PROD_RULES):
        assert f"- `{key}`: {rule}" in text


def owner(key: str) -> tuple[type[BaseModel], str]:
    """`workload.image.tag` -> (Image, "tag"): the model holding a key, and its alias there."""
    model: type[BaseModel] = Settings
    *parents, leaf = key.split(".")
    for part in parents:
        field = next(f for name, f in model.model_fields.items() if (f.alias or name) == part)
        assert isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel), key
        model = field.annotation
    return model, leaf


def test_every_documented_example_is_accepted_and_empty_only_where_documented() -> None:
    shaped = [(row, re.fullmatch(r"(list[^:]* of: )?text like (.*)", row["allowed"])) for row in leaf_rows()]
    shaped = [(row["key"], bool(match[1]), match[2]) for row, match in shaped if match]
    assert {"workload.resources.cpuRequest", "workload.image.tag", "ingress.host", "addons.certManagerChart"} <= {
        key for key, _, _ in shaped
    }
    for key, is_list, allowed in shaped:
        model, alias = owner(key)
        examples = [code for code in re.findall(r"`([^`]+)`", allowed) if "<" not in code]  # <...>: a placeholder
        assert examples or "<" in allowed, key
        for example in examples:
            model.model_validate({alias: [example] if is_list else example})
        if allowed.endswith(", or empty"):
            model.model_validate({alias: ""})
        elif not is_list:
            with pytest.raises(pydantic.ValidationError):
                model.model_validate({alias: ""})


def test_a_list_of_examples_and_a_parenthesis_read_as_words() -> None:
    allowed = {row["key"]: row["allowed"] for row in leaf_rows()}
    assert allowed["workload.resources.memoryLimit"] == "text like `512Mi`, `2Gi` or `1G`"
    assert allowed["workload.resources.cpuLimit"] == "text like `500m`, `2` or `1.5`"
    assert allowed["workload.image.tag"] == "text like `1.13.0` (never latest)"
    assert allowed["workload.image.digest"] == "text like `sha256:<64 hex digits>`, or empty"
    assert allowed["workload.image.repository"] == "text like `ghcr.io/acme/flows`, or empty"
    assert allowed["database.name"] == "text like `centaurops` (lowercase, digits, _)"
    assert allowed["ingress.acmeServer"] == "one of `staging`, `production`"
