"""components/gcp/cluster.py: safer-cluster's hardening plus customer-managed secrets encryption;
an API the deployer can reach; deletion protection in prod only."""

import pytest

from components.config import settings_from_config
from components.config.rules import reachability
from tests.gcp.plans import FoundationPlan, foundation_plan, gcp_config, gcp_overrides

CLUSTER = "gcp:container/cluster:Cluster"


def test_regional_private_nodes_vpc_native_dataplane_v2(gplan: FoundationPlan):
    inputs = gplan.one(CLUSTER)["inputs"]
    assert inputs["location"] == "europe-west1"
    assert inputs["privateClusterConfig"]["enablePrivateNodes"] is True
    assert inputs["networkingMode"] == "VPC_NATIVE"
    assert inputs["ipAllocationPolicy"] == {"clusterSecondaryRangeName": "pods", "servicesSecondaryRangeName": "services"}
    assert inputs["datapathProvider"] == "ADVANCED_DATAPATH"
    # Dataplane V2 enforces network policies itself: the Calico add-on stays off.
    assert inputs["addonsConfig"]["networkPolicyConfig"] == {"disabled": True}


def test_identity_and_secrets(gplan: FoundationPlan):
    inputs = gplan.one(CLUSTER)["inputs"]
    assert inputs["workloadIdentityConfig"] == {"workloadPool": "example-flows-{}.svc.id.goog".format(gplan.document["stack"])}
    assert inputs["databaseEncryption"]["state"] == "ENCRYPTED"
    assert inputs["masterAuth"]["clientCertificateConfig"] == {"issueClientCertificate": False}
    assert inputs["enableLegacyAbac"] is False
    assert inputs["enableShieldedNodes"] is True
    assert inputs["nodePoolDefaults"]["nodeConfigDefaults"]["insecureKubeletReadonlyPortEnabled"] == "FALSE"


def test_no_default_node_pool_and_never_the_compute_default_account(gplan: FoundationPlan):
    inputs = gplan.one(CLUSTER)["inputs"]
    assert inputs["removeDefaultNodePool"] is True
    node = inputs["nodeConfig"]
    assert (
        node["serviceAccount"]
        == f"centaurops-{gplan.document['stack']}-nodes@example-flows-{gplan.document['stack']}.iam.gserviceaccount.com"
    )
    assert node["workloadMetadataConfig"] == {"mode": "GKE_METADATA"}
    assert node["shieldedInstanceConfig"]["enableSecureBoot"] is True


def test_logging_monitoring_release_channel_and_version(gdev: FoundationPlan, gprod: FoundationPlan):
    for plan in (gdev, gprod):
        inputs = plan.one(CLUSTER)["inputs"]
        assert inputs["releaseChannel"] == {"channel": "REGULAR"}
        assert inputs["minMasterVersion"] == "1.35"
        assert inputs["monitoringConfig"]["managedPrometheus"] == {"enabled": True}
        assert "SYSTEM_COMPONENTS" in inputs["monitoringConfig"]["enableComponents"]
    assert gdev.one(CLUSTER)["inputs"]["loggingConfig"]["enableComponents"] == ["SYSTEM_COMPONENTS", "WORKLOADS"]
    assert set(gprod.one(CLUSTER)["inputs"]["loggingConfig"]["enableComponents"]) >= {"APISERVER", "WORKLOADS"}


def test_cloud_storage_fuse_driver_and_node_local_dns_cache(gplan: FoundationPlan):
    addons = gplan.one(CLUSTER)["inputs"]["addonsConfig"]
    assert addons["gcsFuseCsiDriverConfig"] == {"enabled": True}
    assert addons["dnsCacheConfig"] == {"enabled": True}
    # Pods then resolve through the node's cache on its link-local address, which the
    # layer's DNS policy must admit by address (no pod selector matches a host-network pod).
    assert gplan.result is not None and gplan.result.dns.cidrs == ("169.254.20.10/32",)


def test_http_load_balancing_stays_on_for_the_ingress_controllers_l4_load_balancer(gplan: FoundationPlan):
    # A backend service-based L4 load balancer (the l4-rbs annotation) needs the add-on.
    assert gplan.result is not None and gplan.result.ingress_service_annotations == {"cloud.google.com/l4-rbs": "enabled"}
    assert gplan.one(CLUSTER)["inputs"]["addonsConfig"]["httpLoadBalancing"] == {"disabled": False}


def test_deletion_protection_in_prod_only(gdev: FoundationPlan, gprod: FoundationPlan):
    assert gdev.one(CLUSTER)["inputs"]["deletionProtection"] is False
    assert gprod.one(CLUSTER)["inputs"]["deletionProtection"] is True


# --- reaching the API ----------------------------------------------------------------------


def test_the_shipped_stacks_reach_the_public_endpoint_from_their_cidrs_only(gplan: FoundationPlan):
    inputs = gplan.one(CLUSTER)["inputs"]
    assert inputs["privateClusterConfig"]["enablePrivateEndpoint"] is False
    networks = inputs["masterAuthorizedNetworksConfig"]
    stack_cidr = {"dev": "203.0.113.0/24", "prod": "198.51.100.0/24"}[gplan.document["stack"]]
    assert [b["cidrBlock"] for b in networks["cidrBlocks"]] == [stack_cidr]
    assert networks["gcpPublicCidrsAccessEnabled"] is False
    assert networks["privateEndpointEnforcementEnabled"] is True
    assert inputs["controlPlaneEndpointsConfig"]["dnsEndpointConfig"] == {"allowExternalTraffic": False}


def test_a_private_endpoint_admits_the_private_networks():
    cluster = {"endpointPublicAccess": False, "privateAccessCidrs": ["10.99.0.0/16"]}
    inputs = foundation_plan("prod", cluster=cluster).one(CLUSTER)["inputs"]
    assert inputs["privateClusterConfig"]["enablePrivateEndpoint"] is True
    assert [b["cidrBlock"] for b in inputs["masterAuthorizedNetworksConfig"]["cidrBlocks"]] == ["10.99.0.0/16"]


def test_the_dns_endpoint_alone_makes_a_stack_reachable():
    cluster = {"endpointPublicAccess": False}
    config = gcp_config("prod", cluster=cluster, gcp=gcp_overrides("prod", dnsEndpoint=True))
    assert reachability(settings_from_config(config, "prod")) == []
    unreachable = gcp_config("prod", cluster=cluster)
    [(path, _)] = reachability(settings_from_config(unreachable, "prod"))
    assert path == ("cluster", "privateAccessCidrs")
    inputs = foundation_plan("prod", cluster=cluster, gcp=gcp_overrides("prod", dnsEndpoint=True)).one(CLUSTER)["inputs"]
    assert inputs["controlPlaneEndpointsConfig"]["dnsEndpointConfig"] == {"allowExternalTraffic": True}
    assert inputs["privateClusterConfig"]["enablePrivateEndpoint"] is True


@pytest.mark.parametrize("version", ["1.34"])
def test_version_from_config(version: str):
    cluster = {"endpointPublicAccess": True, "publicAccessCidrs": ["198.51.100.0/24"], "kubernetesVersion": version}
    assert foundation_plan("dev", cluster=cluster).one(CLUSTER)["inputs"]["minMasterVersion"] == version


def test_admin_members_administer_the_kubernetes_api():
    members = ["group:platform@acme.com"]
    plan = foundation_plan("prod", gcp=gcp_overrides("prod", adminMembers=members))
    admins = [m for m in plan.of_type("gcp:projects/iAMMember:IAMMember") if m["inputs"]["role"] == "roles/container.admin"]
    assert [a["inputs"]["member"] for a in admins] == members
