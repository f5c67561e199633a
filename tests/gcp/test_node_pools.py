"""components/gcp/node_pools.py: the placement handed to the layer (GKE's system taint on the
system pool, so GKE's own pods have a node), GKE's autoscaler, surge upgrades, auto-repair and
auto-upgrade, shielded nodes behind the GKE metadata server, spot in dev only."""

import pytest

from components.config import ConfigError, settings_from_config
from components.foundation import POOL_LABEL, SYSTEM, WORKLOAD
from components.gcp.identity import NODE_ROLES
from components.gcp.node_pools import nodes_per_zone
from tests.gcp.plans import FoundationPlan, foundation_plan, gcp_config
from tests.plans import plan_for

POOL = "gcp:container/nodePool:NodePool"


def pool(plan: FoundationPlan, name: str) -> dict:
    return plan.one(POOL, f"-{name}")


def taints(plan: FoundationPlan, name: str) -> list[dict[str, str]]:
    return pool(plan, name)["inputs"]["nodeConfig"]["taints"]


def tolerates(tolerations: list[dict[str, str]], taint: dict[str, str]) -> bool:
    """Kubernetes' rule: a toleration matches a taint by key (all keys when empty), by value
    unless its operator is Exists, and by effect unless it names none."""
    effect = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}[taint["effect"]]
    return any(
        t.get("key", "") in ("", taint["key"])
        and (t.get("operator", "Equal") == "Exists" or t.get("value", "") == taint["value"])
        and t.get("effect", "") in ("", effect)
        for t in tolerations
    )


def schedulable(tolerations: list[dict[str, str]], node_taints: list[dict[str, str]]) -> bool:
    """A pod fits a tainted node only if it tolerates every NoSchedule/NoExecute taint."""
    return all(tolerates(tolerations, t) for t in node_taints if t["effect"] != "PREFER_NO_SCHEDULE")


# Tolerations of GKE-managed Deployments, as a GKE cluster's kube-system shows them (kubectl get
# deployments -n kube-system -o yaml): some tolerate CriticalAddonsOnly and GKE's taint, some only GKE's.
GKE = {"key": "components.gke.io/gke-managed-components", "operator": "Exists"}
CRITICAL = {"key": "CriticalAddonsOnly", "operator": "Exists"}
GKE_MANAGED_DEPLOYMENTS = {
    "kube-dns": [CRITICAL, GKE],
    "kube-dns-autoscaler": [CRITICAL, GKE],
    "konnectivity-agent": [CRITICAL, GKE],
    "metrics-server": [CRITICAL, GKE],
    "event-exporter-gke": [GKE],
    "l7-default-backend": [GKE],
}


def test_pools_carry_the_labels_and_the_taints_of_what_the_layer_is_handed(gplan: FoundationPlan):
    result = gplan.result
    assert result is not None
    for name, placement in (("system", result.system_nodes), ("workload", result.workload_nodes)):
        assert pool(gplan, name)["inputs"]["nodeConfig"]["labels"] == {POOL_LABEL: name} == placement.node_selector
        assert schedulable(placement.values()["tolerations"], taints(gplan, name)), name
    assert result.workload_nodes == WORKLOAD
    # The contract's system placement, plus GKE's taint.
    assert result.system_nodes.node_selector == SYSTEM.node_selector
    assert set(SYSTEM.tolerations) < set(result.system_nodes.tolerations)


def test_the_pools_keep_each_others_pods_off(gplan: FoundationPlan):
    result = gplan.result
    assert result is not None
    assert not schedulable(result.system_nodes.values()["tolerations"], taints(gplan, "workload"))
    assert not schedulable(result.workload_nodes.values()["tolerations"], taints(gplan, "system"))
    assert not schedulable([], taints(gplan, "system")) and not schedulable([], taints(gplan, "workload"))


def test_system_pool_carries_gkes_taint_so_every_gke_managed_deployment_has_a_node(gplan: FoundationPlan):
    assert taints(gplan, "system") == [
        {"key": "components.gke.io/gke-managed-components", "value": "true", "effect": "NO_SCHEDULE"}
    ]
    assert taints(gplan, "workload") == [{"key": "centaurops.io/workload", "value": "true", "effect": "NO_SCHEDULE"}]
    for deployment, tolerations in GKE_MANAGED_DEPLOYMENTS.items():
        assert schedulable(tolerations, taints(gplan, "system")), deployment
        assert not schedulable(tolerations, taints(gplan, "workload")), deployment
    # With the contract's CriticalAddonsOnly taint instead, two of them would have no node.
    critical = [{"key": "CriticalAddonsOnly", "value": "true", "effect": "NO_SCHEDULE"}]
    assert sorted(d for d, t in GKE_MANAGED_DEPLOYMENTS.items() if not schedulable(t, critical)) == [
        "event-exporter-gke",
        "l7-default-backend",
    ]


def test_autoscaling_upgrades_and_repair(gdev: FoundationPlan, gprod: FoundationPlan):
    for plan, sizes in ((gdev, {"system": (1, 3), "workload": (1, 4)}), (gprod, {"system": (2, 4), "workload": (2, 10)})):
        for name, (low, high) in sizes.items():
            inputs = pool(plan, name)["inputs"]
            assert inputs["autoscaling"] == {"totalMinNodeCount": low, "totalMaxNodeCount": high, "locationPolicy": "BALANCED"}
            assert inputs["management"] == {"autoRepair": True, "autoUpgrade": True}
            assert inputs["upgradeSettings"] == {"strategy": "SURGE", "maxSurge": 1, "maxUnavailable": 0}
    assert gdev.result is not None and gdev.result.cluster_charts == (), "GKE scales the pools itself"


def test_nodes_are_shielded_and_behind_the_gke_metadata_server(gplan: FoundationPlan):
    for name in ("system", "workload"):
        node = pool(gplan, name)["inputs"]["nodeConfig"]
        assert node["shieldedInstanceConfig"] == {"enableSecureBoot": True, "enableIntegrityMonitoring": True}
        assert node["workloadMetadataConfig"] == {"mode": "GKE_METADATA"}
        assert node["kubeletConfig"]["insecureKubeletReadonlyPortEnabled"] == "FALSE"
        assert node["metadata"] == {"disable-legacy-endpoints": "true"}
        assert node["serviceAccount"].startswith(f"centaurops-{gplan.document['stack']}-nodes@")


def test_spot_workload_nodes_in_dev_only(gdev: FoundationPlan, gprod: FoundationPlan):
    assert pool(gdev, "workload")["inputs"]["nodeConfig"]["spot"] is True
    assert pool(gdev, "system")["inputs"]["nodeConfig"]["spot"] is False
    for name in ("system", "workload"):
        assert pool(gprod, name)["inputs"]["nodeConfig"]["spot"] is False
    with pytest.raises(ConfigError) as refused:
        settings_from_config(gcp_config("prod", nodePools={"workload": {"capacityType": "spot"}}), "prod")
    assert refused.value.problems == [
        "centaurops:nodePools.workload.capacityType: must be onDemand in prod (spot is for dev), got 'spot'"
    ]


def test_machine_types_per_pool_and_environment(gdev: FoundationPlan, gprod: FoundationPlan):
    assert pool(gdev, "workload")["inputs"]["nodeConfig"]["machineType"] == "e2-standard-4"
    assert pool(gprod, "workload")["inputs"]["nodeConfig"]["machineType"] == "n2-standard-4"
    assert pool(gprod, "system")["inputs"]["nodeConfig"]["machineType"] == "n2-standard-2"


def test_pools_come_after_the_cluster_and_the_node_roles(gplan: FoundationPlan):
    cluster = gplan.one("gcp:container/cluster:Cluster")
    prefix = f"centaurops-{gplan.document['stack']}-nodes-"
    grants = [m for m in gplan.of_type("gcp:projects/iAMMember:IAMMember") if m["name"].startswith(prefix)]
    assert sorted(g["inputs"]["role"] for g in grants) == sorted(NODE_ROLES)
    for name in ("system", "workload"):
        deps = pool(gplan, name)["dependencies"]
        assert cluster["urn"] in deps
        assert {g["urn"] for g in grants} <= set(deps)
    assert gplan.result is not None
    ready = gplan.result.workloads_ready
    assert [type(r).__name__ for r in ready] == ["NodePool", "NodePool", "BucketIAMMember"], (
        "the layer waits for nodes and access"
    )


def test_initial_nodes_are_counted_per_zone():
    assert nodes_per_zone(1, 2) == 1
    assert nodes_per_zone(3, 3) == 1
    assert nodes_per_zone(4, 3) == 2
    assert nodes_per_zone(0, 3) == 0


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_layers_core_components_land_on_the_system_pool_of_a_gke_stack(stack: str):
    plan = plan_for(stack, cloud="gcp")
    system = taints(foundation_plan(stack), "system")
    releases = {r["inputs"]["chart"]: r["inputs"]["values"] for r in plan.of_type("kubernetes:helm.sh/v3:Release")}
    nginx, cert_manager = releases["ingress-nginx"]["controller"], releases["cert-manager"]
    pods = {
        "ingress-nginx": nginx,
        "ingress-nginx admission": nginx["admissionWebhooks"]["patch"],
        "cert-manager": cert_manager,
        **{f"cert-manager {part}": cert_manager[part] for part in ("webhook", "cainjector", "startupapicheck")},
    }
    for name, values in pods.items():
        assert values["nodeSelector"] == {POOL_LABEL: "system"}, name
        assert schedulable(values["tolerations"], system), name
