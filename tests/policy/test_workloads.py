import copy
from typing import Any

import pytest

from policy.charts import CHARTS
from policy.workloads import RELEASE, container_problems
from preview.cli import PROJECT_DIR
from tests.policy.plans import CLOUDS, document, named, one, violations

POLICY = "workloads-hardened"

# No chart is left with a gap: the one check a chart cannot meet is waived in policy/charts.py, with its reason.
CHART_GAPS: set[tuple[str, str]] = set()

HARDENED = {
    "name": "app",
    "image": "example/app:1",
    "securityContext": {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False},
    "resources": {"limits": {"memory": "256Mi"}},
}


def release_values(doc: dict[str, Any], suffix: str) -> dict[str, Any]:
    return one(doc, RELEASE, suffix)["inputs"]["values"]


def deployment(doc: dict[str, Any], containers: list[dict[str, Any]], pod: dict[str, Any] | None = None) -> dict[str, Any]:
    stack = doc["stack"]
    resource = {
        "urn": f"urn:pulumi:{stack}::centaurops::centaurops:kubernetes:Layer$kubernetes:apps/v1:Deployment::extra",
        "type": "kubernetes:apps/v1:Deployment",
        "name": "extra",
        "protect": False,
        "dependencies": [],
        "inputs": {"spec": {"template": {"spec": {"securityContext": pod or {"runAsNonRoot": True}, "containers": containers}}}},
    }
    doc["resources"].append(resource)
    return resource


def gaps(stack: str, cloud: str) -> set[tuple[str, str]]:
    # The same on every cloud: the charts a cloud adds (metrics-server, Cluster Autoscaler on AWS) have none.
    return {(name.format(stack=stack), m) for name, m in CHART_GAPS}


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_shipped_stacks_report_exactly_the_third_party_charts_gaps(stack: str, cloud: str) -> None:
    assert named(violations(document(stack, cloud), POLICY)) == gaps(stack, cloud)


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_flow_platform_without_a_memory_limit_is_reported(cloud: str) -> None:
    doc = document("prod", cloud)
    del release_values(doc, "-flow-platform")["resources"]["limits"]
    assert named(violations(doc, POLICY)) - gaps("prod", cloud) == {
        ("centaurops-prod-flow-platform", "langflow: no memory limit")
    }


@pytest.mark.parametrize("cloud", CLOUDS)
def test_cert_manager_with_a_writable_root_is_reported(cloud: str) -> None:
    doc = document("prod", cloud)
    release_values(doc, "-cert-manager")["webhook"]["containerSecurityContext"] = {"readOnlyRootFilesystem": False}
    assert named(violations(doc, POLICY)) - gaps("prod", cloud) == {
        ("centaurops-prod-cert-manager", "webhook: readOnlyRootFilesystem is not true")
    }


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_null_value_deletes_the_charts_hardened_default(cloud: str) -> None:
    # Helm drops a default set to null: cert-manager's pods then have no runAsNonRoot.
    doc = document("prod", cloud)
    release_values(doc, "-cert-manager")["securityContext"] = None
    assert named(violations(doc, POLICY)) - gaps("prod", cloud) == {
        ("centaurops-prod-cert-manager", "controller: runAsNonRoot is not true")
    }


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize(
    ("suffix", "path", "label"),
    [
        ("-cert-manager", ("resources",), "controller"),
        ("-cert-manager", ("webhook", "resources"), "webhook"),
        ("-cert-manager", ("cainjector", "resources"), "cainjector"),
        ("-cert-manager", ("startupapicheck", "resources"), "startupapicheck"),
        ("-ingress-nginx", ("controller", "admissionWebhooks", "createSecretJob", "resources"), "admission webhook secret job"),
        ("-ingress-nginx", ("controller", "admissionWebhooks", "patchWebhookJob", "resources"), "admission webhook patch job"),
    ],
)
def test_each_add_on_limit_the_program_sets_is_what_clears_its_gap(
    cloud: str, suffix: str, path: tuple[str, ...], label: str
) -> None:
    doc = document("prod", cloud)
    values = release_values(doc, suffix)
    for step in path:
        values = values[step]
    del values["limits"]
    assert named(violations(doc, POLICY)) - gaps("prod", cloud) == {(f"centaurops-prod{suffix}", f"{label}: no memory limit")}


@pytest.mark.parametrize("name", ["metrics-server", "cluster-autoscaler"])
def test_each_aws_chart_limit_the_program_sets_is_what_clears_its_gap(name: str) -> None:
    doc = document("prod", "aws")
    del release_values(doc, f"-{name}")["resources"]["limits"]
    assert named(violations(doc, POLICY)) - gaps("prod", "aws") == {(f"centaurops-prod-{name}", f"{name}: no memory limit")}


def test_the_cluster_autoscaler_running_as_root_is_reported() -> None:
    doc = document("prod", "aws")
    release_values(doc, "-cluster-autoscaler")["containerSecurityContext"]["runAsNonRoot"] = False
    assert named(violations(doc, POLICY)) - gaps("prod", "aws") == {
        ("centaurops-prod-cluster-autoscaler", "cluster-autoscaler: runAsNonRoot is not true")
    }


def test_the_ingress_nginx_waiver_is_its_controllers_root_filesystem_only() -> None:
    (controller,) = [c for c in CHARTS["ingress-nginx"].components if c.label == "controller"]
    assert set(controller.waived) == {"readOnlyRootFilesystem"}
    assert [c.label for chart in CHARTS.values() for c in chart.components if c.waived] == ["controller"]
    # everything else about the controller is still checked
    doc = document("prod", "aws")
    values = release_values(doc, "-ingress-nginx")["controller"]
    values["image"] = {"runAsNonRoot": False}
    del values["resources"]["limits"]
    assert named(violations(doc, POLICY)) == {
        ("centaurops-prod-ingress-nginx", "controller: runAsNonRoot is not true"),
        ("centaurops-prod-ingress-nginx", "controller: no memory limit"),
    }


def test_every_waiver_is_written_down_in_the_policy_docs() -> None:
    docs = (PROJECT_DIR / "docs" / "policy.md").read_text()
    for name, chart in CHARTS.items():
        for component in chart.components:
            for check in component.waived:
                assert f"`{name}` {component.label}: `{check}`" in docs, (name, component.label, check)


def test_a_chart_version_not_reviewed_is_reported() -> None:
    doc = document("prod", "gcp")
    one(doc, RELEASE, "-cert-manager")["inputs"]["version"] = "v1.20.0"
    found = named(violations(doc, POLICY))
    assert {m for n, m in found if n == "centaurops-prod-cert-manager"} == {
        "chart cert-manager v1.20.0 is not in policy/charts.py (known: v1.19.1): add its defaults"
    }


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_directly_registered_workload_is_checked_from_its_pod_spec(cloud: str) -> None:
    doc = document("prod", cloud)
    deployment(doc, [HARDENED])
    assert named(violations(doc, POLICY)) == gaps("prod", cloud)
    root = {**copy.deepcopy(HARDENED), "name": "root"}
    root["securityContext"]["runAsNonRoot"] = False
    writable = {**copy.deepcopy(HARDENED), "name": "writable"}
    writable["securityContext"]["readOnlyRootFilesystem"] = False
    unlimited = {**copy.deepcopy(HARDENED), "name": "unlimited", "resources": {"requests": {"memory": "1Gi"}}}
    doc["resources"].pop()
    deployment(doc, [root, writable, unlimited])
    assert named(violations(doc, POLICY)) - gaps("prod", cloud) == {
        ("extra", "container root: runAsNonRoot is not true"),
        ("extra", "container writable: readOnlyRootFilesystem is not true"),
        ("extra", "container unlimited: no memory limit"),
    }


def test_a_pod_without_run_as_non_root_needs_it_on_every_container() -> None:
    assert container_problems("c", {}, {"readOnlyRootFilesystem": True}, {"limits": {"memory": "1Gi"}}) == [
        "c: runAsNonRoot is not true"
    ]
    assert (
        container_problems("c", {}, {"runAsNonRoot": True, "readOnlyRootFilesystem": True}, {"limits": {"memory": "1Gi"}}) == []
    )
