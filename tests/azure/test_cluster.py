"""components/azure/cluster.py: AKS hardened as the AKS baseline has it."""

import pytest

from components.azure.cluster import AUTO_UPGRADE_SCHEDULE, NODE_OS_UPGRADE_SCHEDULE
from components.config import ConfigError
from tests.azure.stacks import Built, azure, cluster

CLUSTER = "azure-native:containerservice:ManagedCluster"


def test_tier_identity_and_entra_id(built: Built):
    inputs = built.plan.one(CLUSTER)["inputs"]
    assert inputs["sku"] == {"name": "Base", "tier": "Standard"}
    assert inputs["identity"]["type"] == "UserAssigned" and len(inputs["identity"]["userAssignedIdentities"]) == 1
    assert "-control-plane" in inputs["identity"]["userAssignedIdentities"][0]
    kubelet = inputs["identityProfile"]["kubeletidentity"]
    assert "-kubelet" in kubelet["resourceId"] and kubelet["clientId"] and kubelet["objectId"]
    assert inputs["aadProfile"]["managed"] is True and inputs["aadProfile"]["enableAzureRBAC"] is True
    assert inputs["disableLocalAccounts"] is True and inputs["enableRBAC"] is True


def test_cilium_overlay_network(built: Built):
    network = built.plan.one(CLUSTER)["inputs"]["networkProfile"]
    assert (network["networkPlugin"], network["networkPluginMode"]) == ("azure", "overlay")
    assert (network["networkDataplane"], network["networkPolicy"]) == ("cilium", "cilium")
    assert (network["podCidr"], network["serviceCidr"], network["dnsServiceIP"]) == (
        "10.244.0.0/16",
        "10.245.0.0/16",
        "10.245.0.10",
    )


def test_workload_identity_image_cleaner_policy_and_upgrades(built: Built):
    inputs = built.plan.one(CLUSTER)["inputs"]
    assert inputs["oidcIssuerProfile"] == {"enabled": True}
    assert inputs["securityProfile"]["workloadIdentity"] == {"enabled": True}
    assert inputs["securityProfile"]["imageCleaner"] == {"enabled": True, "intervalHours": 168}
    assert inputs["addonProfiles"] == {"azurepolicy": {"enabled": True}}
    assert inputs["autoUpgradeProfile"] == {"upgradeChannel": "patch", "nodeOSUpgradeChannel": "NodeImage"}
    windows = {
        m["inputs"]["configName"]: m["inputs"]
        for m in built.plan.of_type("azure-native:containerservice:MaintenanceConfiguration")
    }
    assert set(windows) == {AUTO_UPGRADE_SCHEDULE, NODE_OS_UPGRADE_SCHEDULE}
    for window in windows.values():
        assert window["maintenanceWindow"]["durationHours"] >= 4
        assert window["maintenanceWindow"]["schedule"]["weekly"]["intervalWeeks"] == 1


def test_public_api_admits_only_the_deployers_and_lives_in_the_vnet(built: Built):
    access = built.plan.one(CLUSTER)["inputs"]["apiServerAccessProfile"]
    stack = built.plan.document["stack"]
    expected = {"dev": ["203.0.113.0/24"], "prod": ["198.51.100.0/24"]}[stack]
    assert access["authorizedIPRanges"] == expected
    assert access["enablePrivateCluster"] is False
    assert access["enableVnetIntegration"] is True and access["subnetId"].endswith("/subnets/api-server")
    assert access["disableRunCommand"] is True


def test_private_api_has_no_public_address_but_a_resolvable_name():
    built = azure(
        "dev", cluster=cluster("dev", endpointPublicAccess=False, publicAccessCidrs=[], privateAccessCidrs=["10.8.0.0/16"])
    )
    access = built.plan.one(CLUSTER)["inputs"]["apiServerAccessProfile"]
    assert access["enablePrivateCluster"] is True and access["enablePrivateClusterPublicFQDN"] is True
    assert "authorizedIPRanges" not in access
    assert access["enableVnetIntegration"] is True


def test_pods_reach_the_api_server_in_its_subnet(built: Built):
    assert built.result.api_server.cidrs == ("10.0.160.0/20",) and built.result.api_server.port == 443


def test_slow_operations_have_long_timeouts_and_the_autoscaler_owns_the_count(built: Built):
    # custom timeouts and ignore_changes are not in the plan's inputs; the component says so
    from components.azure import cluster as module
    from components.azure.node_pools import INLINE_IGNORED

    assert module.TIMEOUTS.create == "90m"
    assert INLINE_IGNORED == ["agentPoolProfiles[0].count", "agentPoolProfiles[0].orchestratorVersion"]


def test_azure_specific_config_errors_name_their_key():
    with pytest.raises(ConfigError) as caught:
        azure("dev", azure={"availabilityZones": ["1", "1", "2"], "redisSku": "Enterprise_E10"})
    assert caught.value.problems == [
        "centaurops:azure.redisSku: must look like Balanced_B1, got 'Enterprise_E10'",
    ]
    with pytest.raises(ConfigError) as caught:
        azure("dev", azure={"availabilityZones": ["1", "1"]}, network={"cidr": "10.244.0.0/16"})
    assert caught.value.problems == [
        "centaurops:azure.availabilityZones: must list each zone once, got ['1', '1']",
        "centaurops:network.cidr: must not overlap 10.244.0.0/16 (the cluster's pod and Service ranges), got 10.244.0.0/16",
    ]
