"""preview.diff: the Markdown diff of two plans that a pull request shows."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from preview.cli import PROJECT_DIR, preview_plan
from preview.diff import changed_paths, flatten, markdown_diff
from tests.plans import Plan, stack_config

RDS = "aws:rds/instance:Instance"
NAT = "aws:ec2/natGateway:NatGateway"
ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer"
RELEASE = "kubernetes:helm.sh/v3:Release"
PASSWORD = "random:index/randomPassword:RandomPassword"
SUMMARY = re.compile(r"^\*\*(\d+) to add, (\d+) to change, (\d+) to remove\*\*$", re.MULTILINE)


def summary(diff: str) -> tuple[int, int, int]:
    found = SUMMARY.findall(diff)
    assert len(found) == 1, diff
    add, change, remove = found[0]
    return int(add), int(change), int(remove)


def section(diff: str, heading: str) -> list[str]:
    """The lines of one `#### heading` section."""
    lines = diff.splitlines()
    if f"#### {heading}" not in lines:
        return []
    start = lines.index(f"#### {heading}") + 1
    body = []
    for line in lines[start:]:
        if line.startswith("#"):
            break
        if line:
            body.append(line)
    return body


def entries(diff: str, heading: str) -> dict[tuple[str, str], str]:
    """`(type, name) -> rest of the line` of the Added, Removed or Changed section."""
    found = {}
    for line in section(diff, heading):
        match = re.fullmatch(r"- `[-+~]` `([^`]+)` \*\*([^*]+)\*\*(.*)", line)
        assert match, line
        found[match[1], match[2]] = match[3]
    return found


def paths_of(rest: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", rest))


@pytest.fixture(scope="module")
def promoted() -> Plan:
    """The dev stack switched to the prod environment: same URNs, prod settings."""
    return Plan(preview_plan("dev", stack_config("prod", environment="prod")))


# --- flatten --------------------------------------------------------------------------


def test_flatten_names_every_leaf_by_its_path() -> None:
    assert flatten({"a": {"b": [1, {"c": "x"}]}, "d": True}) == {"a.b[0]": 1, "a.b[1].c": "x", "d": True}
    assert flatten([{"a": 1}, 2]) == {"[0].a": 1, "[1]": 2}
    assert flatten("scalar") == {"": "scalar"}


def test_flatten_keeps_empty_containers_as_leaves() -> None:
    assert flatten({"tags": {}, "ids": [], "nested": {"x": []}}) == {"tags": {}, "ids": [], "nested.x": []}


def test_flatten_of_an_empty_document_has_no_paths() -> None:
    assert flatten({}) == {}
    assert flatten([]) == {}


def test_changed_paths_compare_inputs_protect_provider_and_parent() -> None:
    old = {"inputs": {"a": 1, "b": [1, 2]}, "protect": False, "provider": "p", "parent": "x", "dependencies": ["d"]}
    new = {"inputs": {"a": 2, "b": [1]}, "protect": True, "provider": "q", "parent": "x", "dependencies": []}
    assert changed_paths(old, new) == ["inputs.a", "inputs.b[1]", "protect", "provider"]
    assert changed_paths(old, copy.deepcopy(old)) == []


# --- markdown_diff --------------------------------------------------------------------


def test_a_subtree_on_one_side_only_is_named_once_by_its_root() -> None:
    old = {"inputs": {"name": "a", "tags": {"x": "1"}}}
    new = {"inputs": {"name": "a", "tags": {"x": "1", "y": "2"}, "rules": [{"port": 1, "cidr": "10.0.0.0/8"}]}}
    assert changed_paths(old, new) == ["inputs.rules", "inputs.tags.y"]
    assert changed_paths(new, old) == ["inputs.rules", "inputs.tags.y"]


def test_a_plan_against_itself_has_no_changes(plan: Plan) -> None:
    diff = markdown_diff(plan.document, copy.deepcopy(plan.document))
    stack = plan.document["stack"]
    assert diff.splitlines()[0] == f"### Offline plan diff: `centaurops` / `{stack}` (aws)"
    assert summary(diff) == (0, 0, 0)
    assert "No changes." in diff.splitlines()
    assert "####" not in diff
    assert diff.endswith("\n")


def test_switching_dev_to_prod_adds_zones_and_changes_the_stateful_resources(dev: Plan, promoted: Plan) -> None:
    diff = markdown_diff(dev.document, promoted.document)
    added, changed, removed = entries(diff, "Added"), entries(diff, "Changed"), entries(diff, "Removed")
    assert summary(diff) == (len(added), len(changed), len(removed))
    assert "No changes." not in diff

    dev_urns = {r["urn"] for r in dev.resources}
    assert set(added) == {(r["type"], r["name"]) for r in promoted.resources if r["urn"] not in dev_urns}
    new_nats = {name for type_, name in added if type_ == NAT}
    assert len(new_nats) == len(promoted.of_type(NAT)) - len(dev.of_type(NAT)) > 0
    # prod's issuer replaces the staging one; runtime mode loads the flows, and has no editor to log in to
    assert {(ISSUER, "letsencrypt-production"), ("kubernetes:core/v1:ConfigMap", "flow-platform-flows")} <= set(added)
    assert {type_ for type_, _ in added} == {
        "aws:ec2/eip:Eip",
        NAT,
        "aws:ec2/routeTable:RouteTable",
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        "aws:ec2/subnet:Subnet",
        ISSUER,
        "kubernetes:core/v1:ConfigMap",
        # RDS Enhanced Monitoring, prod only: its role and the managed policy
        "aws:iam/role:Role",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    }
    assert removed == {(ISSUER, "letsencrypt-staging"): ""}

    rds = paths_of(changed[RDS, "centaurops-dev-postgres"])
    assert {"inputs.multiAz", "inputs.deletionProtection", "inputs.backupRetentionPeriod", "protect"} <= rds
    assert rds == set(changed_paths(dev.one(RDS), promoted.one(RDS)))
    protect_changed = {key for key, rest in changed.items() if "protect" in paths_of(rest)}
    assert protect_changed == {(r["type"], r["name"]) for r in promoted.resources if r["protect"]}
    assert ("pulumi:pulumi:Stack", "centaurops-dev") not in changed

    # the flow platform runs as the API only, autoscaled; the ingress asks the production issuer, for prod's host
    app = paths_of(changed[RELEASE, "centaurops-dev-flow-platform"])
    assert {"inputs.values.mode", "inputs.values.autoscaling.enabled", "inputs.values.flows.configMap"} <= app
    assert paths_of(changed[RELEASE, "centaurops-dev-ingress-nginx"]) == {"inputs.values.controller.replicaCount"}
    ingress = paths_of(changed["kubernetes:networking.k8s.io/v1:Ingress", "flow-platform"])
    assert ingress == {
        "inputs.metadata.annotations.cert-manager.io/cluster-issuer",
        "inputs.spec.rules[0].host",
        "inputs.spec.tls[0].hosts[0]",
    }
    # the Secret keeps the same keys in both modes, and its values are never shown
    assert ("kubernetes:core/v1:Secret", "flow-platform-env") not in changed
    assert (RELEASE, "centaurops-dev-cert-manager") not in changed


def test_every_changed_resource_lists_exactly_its_changed_paths(dev: Plan, promoted: Plan) -> None:
    changed = entries(markdown_diff(dev.document, promoted.document), "Changed")
    before = {r["urn"]: r for r in dev.resources}
    expected = {
        (r["type"], r["name"]): set(changed_paths(before[r["urn"]], r))
        for r in promoted.resources
        if r["urn"] in before and changed_paths(before[r["urn"]], r)
    }
    assert {key: paths_of(rest) for key, rest in changed.items()} == expected


def test_dev_against_prod_replaces_everything_because_urns_name_the_stack(dev: Plan, prod: Plan) -> None:
    diff = markdown_diff(dev.document, prod.document)
    assert summary(diff) == (len(prod.resources), 0, len(dev.resources))
    added = entries(diff, "Added")
    assert len([key for key in added if key[0] == NAT]) == len(prod.of_type(NAT)) > len(dev.of_type(NAT))
    protected = {key for key, rest in added.items() if rest == " (protected)"}
    assert protected == {(r["type"], r["name"]) for r in prod.resources if r["protect"]}
    assert diff.splitlines()[0] == "### Offline plan diff: `centaurops` / `prod` (aws)"


def test_removed_resources_are_listed_with_their_protection(prod: Plan) -> None:
    new = copy.deepcopy(prod.document)
    rds = prod.one(RDS)
    new["resources"] = [r for r in new["resources"] if r["urn"] != rds["urn"]]
    diff = markdown_diff(prod.document, new)
    assert summary(diff) == (0, 0, 1)
    assert section(diff, "Removed") == [f"- `-` `{RDS}` **{rds['name']}** (protected)"]


def test_output_changes_are_listed_and_are_changes(dev: Plan) -> None:
    new = copy.deepcopy(dev.document)
    new["outputs"]["clusterName"] = "renamed"
    del new["outputs"]["cacheHost"]
    new["outputs"]["extra"] = {"a": [1]}
    diff = markdown_diff(dev.document, new)
    assert summary(diff) == (0, 0, 0)
    assert "No changes." not in diff
    assert section(diff, "Outputs changed") == ["`cacheHost`, `clusterName`, `extra.a[0]`"]


def test_outputs_of_a_plan_that_had_none_are_listed_by_name(dev: Plan) -> None:
    old = {**copy.deepcopy(dev.document), "outputs": {}}
    listed = section(markdown_diff(old, dev.document), "Outputs changed")
    assert listed == [", ".join(f"`{key}`" for key in sorted(dev.outputs))]


# --- the command line -----------------------------------------------------------------


def edited(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """An older plan: the RDS instance differs, one resource did not exist, one was since removed."""
    old = copy.deepcopy(document)
    by_type = {r["type"]: r for r in old["resources"]}
    by_type[RDS]["inputs"]["multiAz"] = not by_type[RDS]["inputs"]["multiAz"]
    gone = by_type["aws:s3/bucketVersioning:BucketVersioning"]
    old["resources"].remove(gone)
    legacy = {**copy.deepcopy(by_type["aws:kms/alias:Alias"]), "name": "legacy-alias"}
    legacy["urn"] = legacy["urn"].rsplit("::", 1)[0] + "::legacy-alias"
    old["resources"].append(legacy)
    return old, {"added": gone, "removed": legacy}


def test_cli_prints_the_markdown_diff_against_an_older_plan(dev: Plan, tmp_path: Path) -> None:
    old, expected = edited(dev.document)
    old_file = tmp_path / "old.json"
    old_file.write_text(json.dumps(old))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "preview", "dev", "--diff-against", str(old_file), "--out", str(out)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == markdown_diff(old, dev.document)
    assert summary(result.stdout) == (1, 1, 1)
    assert section(result.stdout, "Added") == [f"- `+` `{expected['added']['type']}` **{expected['added']['name']}**"]
    assert section(result.stdout, "Removed") == ["- `-` `aws:kms/alias:Alias` **legacy-alias**"]
    assert section(result.stdout, "Changed") == [f"- `~` `{RDS}` **centaurops-dev-postgres**: `inputs.multiAz`"]
    assert "Resources:" not in result.stdout
    assert json.loads((out / "plan.json").read_text()) == dev.document
