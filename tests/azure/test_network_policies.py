"""The network-policy graph of a whole Azure stack (foundation and Kubernetes layer), dev and
prod: what the app and the add-ons can reach on AKS, with the addresses the plan gives the
subnets; and the files volume's objects, created before the app."""

from __future__ import annotations

import ipaddress

import pytest

from components.config.azure import DNS_SERVICE_IP, POD_CIDR, SERVICE_CIDR
from components.kubernetes.cert_manager import CONTROLLER_LABELS as CERT_MANAGER
from components.kubernetes.ingress_controller import CONTROLLER_LABELS as INGRESS_NGINX
from tests.azure.helpers import waits_for
from tests.kubernetes.policy_graph import APP, KUBE_DNS, address, allowed, pod
from tests.plans import Plan, plan_for

NAMESPACE = "centaurops"
SUBNET = "azure-native:network:Subnet"
# Microsoft Entra ID's sign-in endpoint (login.microsoftonline.com resolves into 20.190.128.0/18,
# part of the AzureActiveDirectory service tag), a public address.
ENTRA_ID = "20.190.160.1"


@pytest.fixture(scope="module", params=["dev", "prod"])
def stack(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def plan(stack: str) -> Plan:
    return plan_for(stack, cloud="azure")


def host_in(plan: Plan, subnet: str, offset: int = 4) -> str:
    """An address in the plan's `subnet` (Azure keeps a subnet's first four addresses)."""
    found = [s for s in plan.of_type(SUBNET) if s["inputs"]["subnetName"] == subnet]
    assert len(found) == 1, [s["inputs"]["subnetName"] for s in plan.of_type(SUBNET)]
    return str(ipaddress.ip_network(found[0]["inputs"]["addressPrefix"])[offset])


def app_reaches(plan: Plan, ip: str, port: int) -> bool:
    return allowed(plan, NAMESPACE, APP, "Egress", address(ip), port)


def test_the_app_reaches_postgresql_in_its_delegated_subnet_on_5432_only(plan: Plan):
    server = host_in(plan, "postgres")
    assert app_reaches(plan, server, 5432)
    # 10000 too: the cache's port is admitted among the private endpoints only.
    for port in (22, 443, 5433, 6379, 2049, 10000):
        assert not app_reaches(plan, server, port), port


def test_the_app_reaches_redis_and_blob_through_the_private_endpoints_only_on_their_ports(plan: Plan):
    endpoint = host_in(plan, "endpoints", offset=10)
    assert app_reaches(plan, endpoint, 10000)  # Azure Managed Redis, TLS
    assert app_reaches(plan, endpoint, 443)  # Blob
    # NFS is mounted by the node's kubelet, never by the pod; Redis's non-TLS and OSS ports are closed.
    # 5432 too: the database's port is admitted in its delegated subnet only.
    for port in (2049, 6379, 6380, 8443, 22, 5432):
        assert not app_reaches(plan, endpoint, port), port


def test_the_app_reaches_nothing_else_private(plan: Plan):
    node = host_in(plan, "nodes", offset=20)
    api_server = host_in(plan, "api-server")
    pod_ip = str(ipaddress.ip_network(POD_CIDR)[300])
    service_ip = str(ipaddress.ip_network(SERVICE_CIDR)[1])
    for ip in (node, api_server, pod_ip, service_ip, DNS_SERVICE_IP, "172.16.0.4", "192.168.1.4", "169.254.169.254"):
        for port in (443, 5432, 10000, 80, 10250):
            assert not app_reaches(plan, ip, port), (ip, port)


def test_the_app_reaches_entra_id_on_443_over_the_internet_even_without_internet_egress(stack: str, plan: Plan):
    assert app_reaches(plan, ENTRA_ID, 443)
    assert not app_reaches(plan, ENTRA_ID, 80)
    closed = plan_for(stack, cloud="azure", workload={"internetEgress": False})
    assert allowed(closed, NAMESPACE, APP, "Egress", address(ENTRA_ID), 443)
    # ... but nothing else on the internet, and still no private address on 443 but the endpoints'.
    assert not allowed(closed, NAMESPACE, APP, "Egress", address("104.18.6.192"), 80)
    assert not allowed(closed, NAMESPACE, APP, "Egress", address(host_in(closed, "nodes", offset=20)), 443)
    assert not allowed(closed, NAMESPACE, APP, "Egress", address(host_in(closed, "api-server")), 443)


def test_the_app_resolves_names_through_kube_dns_only(plan: Plan):
    assert allowed(plan, NAMESPACE, APP, "Egress", KUBE_DNS, 53, "UDP")
    assert allowed(plan, NAMESPACE, APP, "Egress", KUBE_DNS, 53, "TCP")
    assert not allowed(plan, NAMESPACE, APP, "Egress", pod("kube-system", {"k8s-app": "konnectivity-agent"}), 53, "UDP")
    assert not allowed(plan, NAMESPACE, APP, "Egress", KUBE_DNS, 9153)  # CoreDNS's metrics
    # Azure's resolver (168.63.129.16) is the nodes' business, not the pods'.
    assert not allowed(plan, NAMESPACE, APP, "Egress", address("168.63.129.16"), 53, "UDP")


@pytest.mark.parametrize(
    ("namespace", "labels"),
    [("ingress-nginx", INGRESS_NGINX), ("cert-manager", CERT_MANAGER), ("cert-manager", {"app": "webhook"})],
)
def test_the_add_ons_reach_the_api_server_subnet_on_443_only(plan: Plan, namespace: str, labels: dict[str, str]):
    api_server = host_in(plan, "api-server")
    assert allowed(plan, namespace, labels, "Egress", address(api_server), 443)
    assert not allowed(plan, namespace, labels, "Egress", address(api_server), 10250)
    # Not the nodes (kubelets) nor the data subnets, on the API port or any other.
    for ip in (host_in(plan, "nodes", offset=20), host_in(plan, "postgres"), host_in(plan, "endpoints")):
        for port in (443, 10250, 5432):
            assert not allowed(plan, namespace, labels, "Egress", address(ip), port), (ip, port)


def test_the_files_volume_and_its_claim_exist_before_the_app(plan: Plan):
    volume = plan.one("kubernetes:core/v1:PersistentVolume")
    claim = plan.one("kubernetes:core/v1:PersistentVolumeClaim")
    release = plan.one("kubernetes:helm.sh/v3:Release", "flow-platform")
    assert {volume["urn"], claim["urn"]} <= waits_for(plan, release)
    assert volume["urn"] in waits_for(plan, claim)
    # The claim lives with the app, binds this volume by name, and no provisioner gets a say.
    assert claim["inputs"]["metadata"]["namespace"] == NAMESPACE == release["inputs"]["namespace"]
    assert claim["inputs"]["spec"]["volumeName"] == volume["inputs"]["metadata"]["name"]
    assert claim["inputs"]["spec"]["storageClassName"] == "" == volume["inputs"]["spec"]["storageClassName"]
    assert claim["inputs"]["spec"]["accessModes"] == ["ReadWriteMany"] == volume["inputs"]["spec"]["accessModes"]
    assert "namespace" not in volume["inputs"]["metadata"]  # a PersistentVolume is cluster-wide
    # The chart mounts that claim.
    storage = release["inputs"]["values"]["storage"]
    assert storage["type"] == "local"
    assert storage["volume"] == {"persistentVolumeClaim": {"claimName": claim["inputs"]["metadata"]["name"]}}
    # The volume points at the share Pulumi owns, which exists first.
    share = plan.one("azure-native:storage:FileShare")
    assert share["urn"] in waits_for(plan, volume)
    assert volume["inputs"]["spec"]["csi"]["volumeAttributes"]["shareName"] == share["inputs"]["shareName"]
