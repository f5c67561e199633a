"""components/gcp/node_pools.py: the contract's placement, GKE's autoscaler, surge upgrades,
auto-repair and auto-upgrade, shielded nodes behind the GKE metadata server, spot in dev only."""

import pytest

from components.config import ConfigError, settings_from_config
from components.foundation import POOL_LABEL, SYSTEM, WORKLOAD
from components.gcp.identity import NODE_ROLES
from components.gcp.node_pools import nodes_per_zone
from tests.gcp.plans import FoundationPlan, gcp_config

POOL = "gcp:container/nodePool:NodePool"


def pool(plan: FoundationPlan, name: str) -> dict:
    return plan.one(POOL, f"-{name}")


@pytest.mark.parametrize(("name", "placement"), [("system", SYSTEM), ("workload", WORKLOAD)])
def test_pools_carry_exactly_the_contract_placement(gplan: FoundationPlan, name: str, placement):
    node = pool(gplan, name)["inputs"]["nodeConfig"]
    assert node["labels"] == {POOL_LABEL: name} == placement.node_selector
    assert node["taints"] == [{"key": t.key, "value": t.value, "effect": "NO_SCHEDULE"} for t in placement.tolerations]


def test_system_pool_is_tainted_critical_addons_only_which_gke_system_pods_tolerate(gplan: FoundationPlan):
    assert pool(gplan, "system")["inputs"]["nodeConfig"]["taints"] == [
        {"key": "CriticalAddonsOnly", "value": "true", "effect": "NO_SCHEDULE"}
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
