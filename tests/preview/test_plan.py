"""plan.json as the offline preview writes it: its shape, its secrets, its dependency
graph, and the tree and manifests made from it."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from components.testing.mocks import CloudMocks
from preview.cli import main, preview_plan
from preview.plan import STACK_TYPE, kubernetes_objects, render_tree, write_outputs
from tests.plans import Plan, stack_config

RESOURCE_KEYS = {"urn", "type", "name", "parent", "custom", "protect", "provider", "dependencies", "inputs"}
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")
RDS = "aws:rds/instance:Instance"
REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"
EKS = "aws:eks/cluster:Cluster"
PASSWORD = "random:index/randomPassword:RandomPassword"
AWS_PROVIDER = "pulumi:providers:aws"


def keys_of(value: Any) -> Iterator[str]:
    """Every mapping key anywhere inside `value`."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_of(item)


def mocked_passwords(plan: Plan) -> dict[str, str]:
    """The value CloudMocks gives each RandomPassword of the plan, by resource name."""
    mocks = CloudMocks()
    return {r["name"]: mocks._password(r["name"], {"length": r["inputs"]["length"]})["result"] for r in plan.of_type(PASSWORD)}


def tree_rows(tree: str) -> list[tuple[bool, int, str, str]]:
    """(locked, depth, type, name) of each resource row of `render_tree`."""
    rows = []
    for line in tree.splitlines():
        if not line.startswith(" +  "):
            continue
        locked = line[4] == "🔒"
        label_and_name = line[5:]
        *_, type_, name = label_and_name.split()
        depth = label_and_name.index(type_) // 3
        rows.append((locked, depth, type_, name))
    return rows


def depth(plan: Plan, resource: dict[str, Any]) -> int:
    return 0 if not resource["parent"] else 1 + depth(plan, plan.by_urn(resource["parent"]))


# --- shape ----------------------------------------------------------------------------


def test_document_has_exactly_the_documented_keys(plan: Plan) -> None:
    assert set(plan.document) == {"project", "stack", "cloud", "resources", "outputs"}
    assert plan.document["project"] == "centaurops"
    assert plan.document["cloud"] == "aws"
    assert plan.outputs["cloud"] == "aws"


def test_every_resource_has_exactly_the_documented_keys(plan: Plan) -> None:
    for resource in plan.resources:
        assert set(resource) == RESOURCE_KEYS, resource["urn"]
        assert isinstance(resource["inputs"], dict)
        assert resource["dependencies"] == sorted(set(resource["dependencies"]))


def test_urns_are_unique_and_name_the_stack(plan: Plan) -> None:
    urns = [r["urn"] for r in plan.resources]
    assert len(urns) == len(set(urns))
    assert urns == sorted(urns)
    prefix = f"urn:pulumi:{plan.document['stack']}::centaurops::"
    for resource in plan.resources:
        assert resource["urn"].startswith(prefix)
        assert resource["urn"].endswith(f"{resource['type']}::{resource['name']}")


def test_parents_and_dependencies_are_resources_of_the_plan(plan: Plan) -> None:
    urns = {r["urn"] for r in plan.resources}
    for resource in plan.resources:
        assert resource["parent"] == "" or resource["parent"] in urns, resource["urn"]
        assert set(resource["dependencies"]) <= urns, resource["urn"]
        assert resource["urn"] not in resource["dependencies"]


def test_one_stack_resource_is_the_only_root(plan: Plan) -> None:
    roots = [r for r in plan.resources if r["parent"] == ""]
    assert [r["type"] for r in roots] == [STACK_TYPE]
    assert len(plan.of_type(STACK_TYPE)) == 1
    assert roots[0]["name"] == f"centaurops-{plan.document['stack']}"
    assert not roots[0]["custom"]


# --- inputs ---------------------------------------------------------------------------


def test_inputs_carry_the_engine_camel_case_names(plan: Plan) -> None:
    database = plan.one(RDS)["inputs"]
    assert database["publiclyAccessible"] is False
    assert database["storageEncrypted"] is True
    assert isinstance(database["allocatedStorage"], int)
    assert plan.one(EKS)["inputs"]["vpcConfig"]["endpointPrivateAccess"] is True
    assert plan.one(REDIS)["inputs"]["transitEncryptionEnabled"] is True


def test_no_input_key_is_a_python_snake_case_name(plan: Plan) -> None:
    snake = {(r["name"], key) for r in plan.resources for key in keys_of(r["inputs"]) if SNAKE_CASE.fullmatch(key)}
    assert snake == set()
    assert "publicly_accessible" not in plan.text()
    assert "storage_encrypted" not in plan.text()


# --- secrets --------------------------------------------------------------------------


def test_credential_outputs_are_secret(plan: Plan) -> None:
    for name in ("kubeconfig", "databaseUrl", "cacheUrl"):
        assert plan.outputs[name] == "[secret]", name
    assert plan.outputs["databaseHost"].endswith(".rds.amazonaws.com")
    assert plan.outputs["clusterName"] == f"centaurops-{plan.document['stack']}"


def test_credential_inputs_are_secret(plan: Plan) -> None:
    assert plan.one(RDS)["inputs"]["password"] == "[secret]"
    assert plan.one(REDIS)["inputs"]["authToken"] == "[secret]"


def test_mocked_passwords_appear_nowhere_in_the_plan(plan: Plan) -> None:
    passwords = mocked_passwords(plan)
    assert len(passwords) == 2, passwords
    text = json.dumps(plan.document)
    for name, password in passwords.items():
        assert len(password) == plan.one(PASSWORD, name)["inputs"]["length"] >= 32
        assert password not in text, name


def test_cli_writes_no_password_and_the_same_plan(plan: Plan, tmp_path: Path) -> None:
    stack = plan.document["stack"]
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert main([stack, "--out", str(tmp_path)]) == 0
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert tmp_path / "plan.json" in written
    assert json.loads((tmp_path / "plan.json").read_text()) == plan.document
    passwords = mocked_passwords(plan).values()
    for text in [stdout.getvalue(), *(path.read_text() for path in written)]:
        for password in passwords:
            assert password not in text


# --- dependencies and providers -------------------------------------------------------


def test_eks_cluster_waits_for_its_role_logs_and_private_subnets(plan: Plan) -> None:
    cluster = plan.one(EKS)
    deps = {(plan.by_urn(u)["type"], plan.by_urn(u)["name"]) for u in cluster["dependencies"]}
    stack = plan.document["stack"]
    # explicit depends_on
    assert ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"centaurops-{stack}-cluster") in deps
    assert ("aws:cloudwatch/logGroup:LogGroup", f"centaurops-{stack}-logs") in deps
    # property dependencies: roleArn, vpcConfig.subnetIds, the KMS key of encryptionConfig
    assert ("aws:iam/role:Role", f"centaurops-{stack}-cluster") in deps
    assert ("aws:kms/key:Key", f"centaurops-{stack}-cluster") in deps
    subnets = {name for type_, name in deps if type_ == "aws:ec2/subnet:Subnet"}
    private = {r["name"] for r in plan.of_type("aws:ec2/subnet:Subnet") if "-private-" in r["name"]}
    assert subnets == private
    assert len(private) == len(cluster["inputs"]["vpcConfig"]["subnetIds"]) >= 2


def test_database_waits_for_its_password_and_key(plan: Plan) -> None:
    deps = {plan.by_urn(u)["type"] for u in plan.one(RDS)["dependencies"]}
    assert {PASSWORD, "aws:kms/key:Key", "aws:ec2/securityGroup:SecurityGroup"} <= deps


def test_aws_resources_use_the_explicit_provider(plan: Plan) -> None:
    provider = plan.one(AWS_PROVIDER)
    assert provider["inputs"]["region"] == "us-east-1"
    with_provider = [r for r in plan.resources if r["provider"]]
    assert with_provider
    for resource in with_provider:
        assert resource["custom"], resource["urn"]
        assert resource["provider"] == provider["urn"], resource["urn"]
    for resource in plan.resources:
        if resource["type"].startswith("aws:"):
            assert resource["provider"] == provider["urn"], resource["urn"]
        if not resource["custom"]:
            assert resource["provider"] == ""


def test_protected_resources_are_the_stateful_ones_in_prod_only(dev: Plan, prod: Plan) -> None:
    assert [r["name"] for r in dev.resources if r["protect"]] == []
    protected = {r["type"] for r in prod.resources if r["protect"]}
    assert {RDS, REDIS, "aws:s3/bucket:Bucket", "aws:kms/key:Key"} <= protected


# --- determinism ----------------------------------------------------------------------


def test_two_runs_give_identical_documents(dev: Plan) -> None:
    config = stack_config("dev")
    first = preview_plan("dev", config)
    second = preview_plan("dev", config)
    assert json.dumps(first) == json.dumps(second)
    assert first == dev.document


# --- the resource tree ----------------------------------------------------------------


def test_tree_names_every_resource_once_at_its_depth(plan: Plan) -> None:
    tree = render_tree(plan.document)
    rows = tree_rows(tree)
    assert Counter((depth_, type_, name) for _, depth_, type_, name in rows) == Counter(
        (depth(plan, r), r["type"], r["name"]) for r in plan.resources
    )
    assert rows[0][1:] == (0, STACK_TYPE, f"centaurops-{plan.document['stack']}")


def test_tree_counts_resources_and_protected_ones(plan: Plan) -> None:
    lines = render_tree(plan.document).splitlines()
    protected = sum(1 for r in plan.resources if r["protect"])
    assert lines[-2] == "Resources:"
    assert lines[-1] == f"    + {len(plan.resources)} to create ({protected} protected: 🔒)"


def test_tree_locks_exactly_the_protected_resources(plan: Plan) -> None:
    rows = tree_rows(render_tree(plan.document))
    locked = Counter((type_, name) for is_locked, _, type_, name in rows if is_locked)
    assert locked == Counter((r["type"], r["name"]) for r in plan.resources if r["protect"])
    if plan.document["stack"] == "prod":
        assert locked
    else:
        assert not locked


# --- files ----------------------------------------------------------------------------


def config_map(namespace: str | None, name: str) -> dict[str, Any]:
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {"LOG_LEVEL": "info"}}


def with_kubernetes(plan: Plan) -> tuple[dict[str, Any], dict[str, Any]]:
    """A copy of the plan with a ConfigMap, a Helm release and a ConfigGroup added; and the ConfigMap."""
    document = copy.deepcopy(plan.document)
    stack_urn = plan.one(STACK_TYPE)["urn"]
    settings = config_map("flows", "flow-settings")

    def resource(type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        urn = f"urn:pulumi:{plan.document['stack']}::centaurops::{type_}::{name}"
        return {
            "urn": urn,
            "type": type_,
            "name": name,
            "parent": stack_urn,
            "custom": True,
            "protect": False,
            "provider": "",
            "dependencies": [],
            "inputs": inputs,
        }

    document["resources"] += [
        resource("kubernetes:core/v1:ConfigMap", "flow-settings", settings),
        resource("kubernetes:helm.sh/v3:Release", "ingress", {"chart": "ingress-nginx", "kind": "Release"}),
        resource("kubernetes:yaml/v2:ConfigGroup", "crds", {"files": ["crds.yaml"], "kind": "ConfigGroup"}),
    ]
    return document, settings


def test_write_outputs_writes_the_plan_and_an_empty_manifests_dir(plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "out" / "stack"
    write_outputs(plan.document, out)
    assert json.loads((out / "plan.json").read_text()) == plan.document
    assert (out / "manifests").is_dir()
    assert list((out / "manifests").iterdir()) == []


def test_write_outputs_replaces_stale_manifests(dev: Plan, tmp_path: Path) -> None:
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "configmap-old.yaml").write_text("kind: ConfigMap\n")
    write_outputs(dev.document, tmp_path)
    assert list((tmp_path / "manifests").iterdir()) == []


def test_kubernetes_objects_are_the_directly_registered_kubernetes_resources(dev: Plan) -> None:
    assert kubernetes_objects(dev.document) == []
    document, settings = with_kubernetes(dev)
    assert kubernetes_objects(document) == [settings]


def test_kubernetes_objects_are_written_as_yaml_named_by_kind_namespace_and_name(dev: Plan, tmp_path: Path) -> None:
    document, settings = with_kubernetes(dev)
    rendered = [config_map(None, "Cluster Wide")]
    write_outputs(document, tmp_path, rendered)
    manifests = {path.name: yaml.safe_load(path.read_text()) for path in (tmp_path / "manifests").iterdir()}
    assert manifests == {"configmap-flows-flow-settings.yaml": settings, "configmap-cluster-wide.yaml": rendered[0]}
    assert json.loads((tmp_path / "plan.json").read_text()) == document
