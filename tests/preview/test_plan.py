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

from components.kubernetes.flow_platform import url_safe_base64
from components.testing.mocks import random_bytes, random_password
from preview.cli import PROJECT_DIR, main, preview_plan
from preview.plan import SAFE_DUMPER, STACK_TYPE, kubernetes_objects, render_tree, write_outputs
from tests.plans import Plan, plan_for, stack_config

RESOURCE_KEYS = {"urn", "type", "name", "parent", "custom", "protect", "provider", "dependencies", "inputs"}
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")
RDS = "aws:rds/instance:Instance"
REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"
EKS = "aws:eks/cluster:Cluster"
PASSWORD = "random:index/randomPassword:RandomPassword"
AWS_PROVIDER = "pulumi:providers:aws"
KUBERNETES_PROVIDER = "pulumi:providers:kubernetes"
RELEASE = "kubernetes:helm.sh/v3:Release"


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
    return {r["name"]: random_password(r["name"], {"length": r["inputs"]["length"]})["result"] for r in plan.of_type(PASSWORD)}


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
    assert set(plan.document) == {"project", "stack", "cloud", "resources", "outputs", "warnings", "charts"}
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
    stack = plan.document["stack"]
    # Database, cache, the app's cache signing key and its superuser (both modes need one).
    expected = {"postgres-password", "redis-auth-token", "flow-platform-cache-signing-key", "flow-platform-superuser-password"}
    assert set(passwords) == {f"centaurops-{stack}-{name}" for name in expected}
    text = json.dumps(plan.document)
    for name, password in passwords.items():
        assert len(password) == plan.one(PASSWORD, name)["inputs"]["length"] >= 32
        assert password not in text, name
    (key,) = plan.of_type("random:index/randomBytes:RandomBytes")
    mocked = random_bytes(key["name"], key["inputs"])["base64"]
    for form in (mocked, url_safe_base64(mocked)):
        assert form not in text


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


def test_each_cloud_resource_uses_the_explicit_provider_of_its_package(plan: Plan) -> None:
    aws, kubernetes = plan.one(AWS_PROVIDER), plan.one(KUBERNETES_PROVIDER)
    assert aws["inputs"]["region"] == "us-east-1"
    # the kubeconfig is a credential
    assert kubernetes["inputs"]["kubeconfig"] == "[secret]"
    by_package = {"aws": aws["urn"], "kubernetes": kubernetes["urn"]}
    used = {resource["provider"] for resource in plan.resources if resource["provider"]}
    assert used == set(by_package.values())
    for resource in plan.resources:
        package = resource["type"].split(":", 1)[0]
        if package in by_package:
            assert resource["custom"], resource["urn"]
            assert resource["provider"] == by_package[package], resource["urn"]
        else:
            # components, providers, the stack and random's passwords: no explicit provider
            assert resource["provider"] == "", resource["urn"]
    assert plan.of_type("kubernetes:core/v1:Namespace")
    assert plan.of_type("aws:eks/cluster:Cluster")


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


def manifest_name(obj: dict[str, Any]) -> str:
    """kind-namespace-name.yaml, lowercase, as write_outputs names a manifest."""
    meta = obj["metadata"]
    parts = [obj["kind"], meta.get("namespace", ""), meta["name"]]
    return re.sub(r"[^a-zA-Z0-9_.-]+", "-", "-".join(p for p in parts if p)).lower() + ".yaml"


def registered_kubernetes(plan: Plan) -> list[dict[str, Any]]:
    """The Kubernetes resources the program registers itself (not through a Helm release)."""
    return [r for r in plan.resources if r["type"].startswith("kubernetes:") and r["type"] != RELEASE]


def test_write_outputs_writes_the_plan_and_a_manifest_per_registered_object(plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "out" / "stack"
    write_outputs(plan.document, out)
    assert json.loads((out / "plan.json").read_text()) == plan.document
    manifests = {path.name: yaml.safe_load(path.read_text()) for path in (out / "manifests").iterdir()}
    objects = [r["inputs"] for r in registered_kubernetes(plan)]
    # one file each: no two objects share a file name
    assert len(manifests) == len(objects) == len({manifest_name(o) for o in objects})
    assert manifests == {manifest_name(o): o for o in objects}
    stack = plan.document["stack"]
    issuer = "letsencrypt-staging" if stack == "dev" else "letsencrypt-production"
    assert {
        "namespace-centaurops.yaml",
        "namespace-ingress-nginx.yaml",
        "namespace-cert-manager.yaml",
        "secret-centaurops-flow-platform-env.yaml",
        "ingress-centaurops-flow-platform.yaml",
        "networkpolicy-centaurops-default-deny.yaml",
        f"clusterissuer-{issuer}.yaml",
    } <= set(manifests)
    # the Secret's keys are written, none of its values
    secret = manifests["secret-centaurops-flow-platform-env.yaml"]
    assert set(secret["stringData"].values()) == {"[secret]"}
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set(secret["stringData"])
    assert "data" not in secret


def test_manifests_are_written_by_libyaml_as_the_same_documents_as_pure_python(prod: Plan) -> None:
    # PyYAML's wheels carry libyaml; the fast emitter is the one in use
    assert yaml.__with_libyaml__ and SAFE_DUMPER is yaml.CSafeDumper
    objects = [r["inputs"] for r in registered_kubernetes(prod)]
    # the flows ConfigMap holds long JSON strings: the case where the two emitters differ most
    assert any(o["kind"] == "ConfigMap" and "flows" in o["metadata"]["name"] for o in objects)
    for obj in objects:
        fast = yaml.dump(obj, Dumper=SAFE_DUMPER, sort_keys=False)
        assert yaml.safe_load(fast) == yaml.safe_load(yaml.safe_dump(obj, sort_keys=False)) == obj


def test_write_outputs_replaces_stale_manifests(dev: Plan, tmp_path: Path) -> None:
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "configmap-old.yaml").write_text("kind: ConfigMap\n")
    write_outputs(dev.document, tmp_path)
    written = {path.name for path in (tmp_path / "manifests").iterdir()}
    assert "configmap-old.yaml" not in written
    assert written == {manifest_name(r["inputs"]) for r in registered_kubernetes(dev)}


def test_kubernetes_objects_are_the_directly_registered_kubernetes_resources(dev: Plan) -> None:
    registered = [r["inputs"] for r in registered_kubernetes(dev)]
    assert registered
    assert kubernetes_objects(dev.document) == registered
    assert {o["kind"] for o in registered} >= {"Namespace", "Secret", "Ingress", "NetworkPolicy", "ClusterIssuer"}
    for obj in registered:
        assert {"apiVersion", "kind", "metadata"} <= set(obj), obj
        assert obj["metadata"]["name"], obj
    # Helm releases are not objects: their charts are listed in plan.json's charts
    document, settings = with_kubernetes(dev)
    assert kubernetes_objects(document) == [*registered, settings]


def test_kubernetes_objects_are_written_as_yaml_named_by_kind_namespace_and_name(dev: Plan, tmp_path: Path) -> None:
    document, settings = with_kubernetes(dev)
    rendered = [config_map(None, "Cluster Wide")]
    write_outputs(document, tmp_path, rendered)
    manifests = {path.name: yaml.safe_load(path.read_text()) for path in (tmp_path / "manifests").iterdir()}
    assert manifests["configmap-flows-flow-settings.yaml"] == settings
    assert manifests["configmap-cluster-wide.yaml"] == rendered[0]
    assert manifests == {manifest_name(o): o for o in [*kubernetes_objects(document), *rendered]}
    assert len(manifests) == len(registered_kubernetes(dev)) + 2
    assert json.loads((tmp_path / "plan.json").read_text()) == document


# --- charts -----------------------------------------------------------------------------

CHART_KEYS = {"release", "chart", "repository", "version", "namespace", "values", "rendered"}


def test_charts_list_every_helm_release_with_its_values(plan: Plan) -> None:
    charts = plan.document["charts"]
    releases = plan.of_type(RELEASE)
    assert [c["release"] for c in charts] == sorted(r["inputs"]["name"] for r in releases)
    assert [c["release"] for c in charts] == [
        "cert-manager",
        "cluster-autoscaler",
        "flow-platform",
        "ingress-nginx",
        "metrics-server",
    ]
    by_name = {r["inputs"]["name"]: r["inputs"] for r in releases}
    for chart in charts:
        assert set(chart) == CHART_KEYS, chart["release"]
        inputs = by_name[chart["release"]]
        assert chart["chart"] == inputs["chart"]
        assert chart["namespace"] == inputs["namespace"]
        assert chart["values"] == inputs["values"]
        assert chart["values"], chart["release"]


def test_third_party_charts_come_pinned_from_their_project_repositories(plan: Plan) -> None:
    charts = {c["release"]: c for c in plan.document["charts"]}
    pinned = {
        name: (c["chart"], c["repository"], c["version"], c["namespace"], c["rendered"])
        for name, c in charts.items()
        if name != "flow-platform"
    }
    assert pinned == {
        "ingress-nginx": ("ingress-nginx", "https://kubernetes.github.io/ingress-nginx", "4.13.3", "ingress-nginx", False),
        "cert-manager": ("cert-manager", "https://charts.jetstack.io", "v1.19.1", "cert-manager", False),
        # the cloud's cluster charts (AWS: components/aws/cluster_charts.py)
        "metrics-server": ("metrics-server", "https://kubernetes-sigs.github.io/metrics-server/", "3.13.1", "kube-system", False),
        "cluster-autoscaler": ("cluster-autoscaler", "https://kubernetes.github.io/autoscaler", "9.59.0", "kube-system", False),
    }


def test_the_flow_platform_chart_is_local_and_rendered_when_present(plan: Plan) -> None:
    (chart,) = [c for c in plan.document["charts"] if c["release"] == "flow-platform"]
    assert (chart["chart"], chart["repository"], chart["version"], chart["namespace"]) == (
        "charts/flow-platform",
        "",
        "",
        "centaurops",
    )
    assert chart["rendered"] is (PROJECT_DIR / "charts" / "flow-platform" / "Chart.yaml").is_file()
    assert chart["values"]["mode"] == ("ide" if plan.document["stack"] == "dev" else "runtime")


def test_chart_versions_and_sources_follow_the_config() -> None:
    chart = {"repository": "https://charts.example.com/flows", "name": "flows", "version": "2.0.1"}
    changed = plan_for("dev", addons={"ingressNginxChart": "4.12.0", "certManagerChart": "v1.18.2"}, workload={"chart": chart})
    charts = {c["release"]: c for c in changed.document["charts"]}
    assert (charts["ingress-nginx"]["version"], charts["cert-manager"]["version"]) == ("4.12.0", "v1.18.2")
    published = charts["flow-platform"]
    assert (published["chart"], published["repository"], published["version"], published["rendered"]) == (
        "flows",
        "https://charts.example.com/flows",
        "2.0.1",
        False,
    )
