"""components/azure/node_pools.py: system inline, workload its own pool; placement, Azure
Linux, autoscaling, zones, spot in dev only."""

from components.azure.node_pools import POOL_IGNORED
from components.foundation import SYSTEM, WORKLOAD
from tests.azure.stacks import Built, azure

CLUSTER = "azure-native:containerservice:ManagedCluster"
POOL = "azure-native:containerservice:AgentPool"
SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"


def test_system_pool_is_inline_tainted_for_critical_addons(built: Built):
    (system,) = built.plan.one(CLUSTER)["inputs"]["agentPoolProfiles"]
    assert (system["name"], system["mode"]) == ("system", "System")
    assert system["nodeTaints"] == ["CriticalAddonsOnly=true:NoSchedule"]
    assert system["nodeLabels"] == {"centaurops.io/pool": "system"} == SYSTEM.node_selector
    assert system.get("scaleSetPriority", "Regular") == "Regular"


def test_workload_pool_is_its_own_resource_tainted_for_the_flow_platform(built: Built):
    pool = built.plan.one(POOL)
    inputs = pool["inputs"]
    assert (inputs["agentPoolName"], inputs["mode"]) == ("workload", "User")
    assert inputs["nodeLabels"] == {"centaurops.io/pool": "workload"} == WORKLOAD.node_selector
    assert inputs["nodeTaints"][0] == "centaurops.io/workload=true:NoSchedule"
    assert built.plan.one(CLUSTER)["urn"] in pool["dependencies"]
    assert POOL_IGNORED == ["count", "orchestratorVersion"]


def test_both_pools_autoscale_on_azure_linux_across_the_zones(dev: Built, prod: Built):
    for built, zones in ((dev, ["1", "2"]), (prod, ["1", "2", "3"])):
        (system,) = built.plan.one(CLUSTER)["inputs"]["agentPoolProfiles"]
        workload = built.plan.one(POOL)["inputs"]
        for pool in (system, workload):
            assert pool["osSKU"] == "AzureLinux" and pool["osType"] == "Linux"
            assert pool["enableAutoScaling"] is True and pool["minCount"] <= pool["count"] <= pool["maxCount"]
            assert pool["availabilityZones"] == zones
            assert pool["vnetSubnetID"].endswith("/subnets/nodes")
            assert pool["enableNodePublicIP"] is False
    assert prod.plan.one(POOL)["inputs"]["minCount"] == 2 and prod.plan.one(POOL)["inputs"]["maxCount"] == 10
    assert prod.plan.one(POOL)["inputs"]["vmSize"] == "Standard_D8ds_v5"
    assert dev.plan.one(POOL)["inputs"]["vmSize"] == "Standard_D4ds_v5"


def test_spot_in_dev_tolerated_by_the_workload_on_demand_in_prod(dev: Built, prod: Built):
    spot = dev.plan.one(POOL)["inputs"]
    assert (spot["scaleSetPriority"], spot["scaleSetEvictionPolicy"], spot["spotMaxPrice"]) == ("Spot", "Delete", -1)
    assert spot["nodeTaints"] == ["centaurops.io/workload=true:NoSchedule", SPOT_TAINT]
    keys = [t.key for t in dev.result.workload_nodes.tolerations]
    assert keys == ["centaurops.io/workload", "kubernetes.azure.com/scalesetpriority"]
    assert dev.result.workload_nodes.node_selector == WORKLOAD.node_selector
    regular = prod.plan.one(POOL)["inputs"]
    assert regular["scaleSetPriority"] == "Regular" and "scaleSetEvictionPolicy" not in regular
    assert regular["nodeTaints"] == ["centaurops.io/workload=true:NoSchedule"]
    assert prod.result.workload_nodes == WORKLOAD and prod.result.system_nodes == SYSTEM


def test_listed_zones_and_vm_sizes_are_used():
    built = azure("dev", azure={"availabilityZones": ["3", "1"], "nodePools": {"system": {"vmSize": "Standard_D4as_v5"}}})
    (system,) = built.plan.one(CLUSTER)["inputs"]["agentPoolProfiles"]
    assert system["availabilityZones"] == ["3", "1"] and system["vmSize"] == "Standard_D4as_v5"


def test_no_cluster_charts_aks_scales_its_own_nodes(built: Built):
    assert built.result.cluster_charts == ()


def test_both_pools_encrypt_at_the_vm_host(built: Built):
    (system,) = built.plan.one(CLUSTER)["inputs"]["agentPoolProfiles"]
    workload = built.plan.one(POOL)["inputs"]
    assert system["enableEncryptionAtHost"] is True
    assert workload["enableEncryptionAtHost"] is True
