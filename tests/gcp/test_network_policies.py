"""The network-policy graph of a whole GKE stack (foundation + Kubernetes layer, under
mocks): what the app and the add-ons may reach, with the addresses the foundation's
resources would really take (the mocked Cloud SQL and Memorystore hosts, the ranges of the
plan's subnets and reserved range, the private.googleapis.com records of its DNS zone)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pytest

from tests.kubernetes.policy_graph import APP, KUBE_DNS, OTHER_POD, Peer, address, allowed, pod
from tests.kubernetes.test_network_policies import ADDON_PODS, CERT_MANAGER_CONTROLLER
from tests.plans import Plan, plan_for

NAMESPACE = "centaurops"
NEIGHBOUR = {"app": "neighbour"}  # another pod of the workload namespace


@dataclass(frozen=True)
class Stack:
    """A GKE stack's plan and the addresses its resources take."""

    plan: Plan
    database: str
    cache: str
    private_services: ipaddress.IPv4Network
    nodes: ipaddress.IPv4Network
    pods: ipaddress.IPv4Network
    services: ipaddress.IPv4Network
    control_plane: ipaddress.IPv4Network
    google_apis: list[str]

    def app_reaches(self, peer: Peer, port: int, protocol: str = "TCP") -> bool:
        return allowed(self.plan, NAMESPACE, APP, "Egress", peer, port, protocol)


def stack_of(plan: Plan) -> Stack:
    (reserved,) = plan.of_type("gcp:compute/globalAddress:GlobalAddress")
    subnets = {r["name"].rsplit("-", 1)[-1]: r["inputs"] for r in plan.of_type("gcp:compute/subnetwork:Subnetwork")}
    secondary = {r["rangeName"]: r["ipCidrRange"] for r in subnets["nodes"]["secondaryIpRanges"]}
    private_apis = plan.one("gcp:dns/recordSet:RecordSet", "-private-googleapis")["inputs"]
    assert private_apis["name"] == "private.googleapis.com."
    return Stack(
        plan=plan,
        database=plan.outputs["databaseHost"],
        cache=plan.outputs["cacheHost"],
        private_services=ipaddress.IPv4Network(f"{reserved['inputs']['address']}/{reserved['inputs']['prefixLength']}"),
        nodes=ipaddress.IPv4Network(subnets["nodes"]["ipCidrRange"]),
        pods=ipaddress.IPv4Network(secondary["pods"]),
        services=ipaddress.IPv4Network(secondary["services"]),
        control_plane=ipaddress.IPv4Network(subnets["plane"]["ipCidrRange"]),
        google_apis=private_apis["rrdatas"],
    )


@pytest.fixture(scope="module", params=["dev", "prod"])
def stack(request: pytest.FixtureRequest) -> Stack:
    return stack_of(plan_for(request.param, cloud="gcp"))


def some(network: ipaddress.IPv4Network, index: int = 10) -> str:
    return str(network[index])


# --- the app -------------------------------------------------------------------------------------


def test_the_data_services_take_their_addresses_in_the_private_services_range(stack: Stack):
    # What makes the next tests mean something: the hosts the app is given are where the policy looks.
    assert ipaddress.ip_address(stack.database) in stack.private_services
    assert ipaddress.ip_address(stack.cache) in stack.private_services
    assert stack.database != stack.cache


def test_the_app_reaches_cloud_sql_on_5432_and_memorystore_on_6378_only(stack: Stack):
    assert stack.app_reaches(address(stack.database), 5432)
    # Memorystore with in-transit encryption serves on 6378 only
    # (https://cloud.google.com/memorystore/docs/redis/about-in-transit-encryption).
    assert stack.app_reaches(address(stack.cache), 6378)
    for host in (stack.database, stack.cache):
        for port in (6379, 22, 80, 443, 3306, 5433, 3307):  # 3307: the Cloud SQL Auth Proxy's server port
            assert not stack.app_reaches(address(host), port), (host, port)
        assert not stack.app_reaches(address(host), 5432, "UDP")


def test_the_data_ports_are_open_inside_the_private_services_range_and_nowhere_else(stack: Stack):
    assert stack.app_reaches(address(some(stack.private_services, 1)), 5432)
    assert stack.app_reaches(address(str(stack.private_services[-2])), 6378)
    beyond = stack.private_services.broadcast_address + 1
    assert not stack.app_reaches(address(str(beyond)), 5432)
    for elsewhere in (
        some(stack.nodes),
        some(stack.pods),
        some(stack.services),
        some(stack.control_plane, 2),
        "10.255.0.10",
        "172.16.0.10",
        "192.168.0.10",
        "100.64.0.10",
    ):
        for port in (5432, 6378):
            assert not stack.app_reaches(address(elsewhere), port), (elsewhere, port)


def test_the_app_reaches_the_gke_metadata_server_and_no_other_link_local_address(stack: Stack):
    # Dataplane V2: 169.254.169.254:80; without it: 169.254.169.252:988 (docs/gcp.md).
    assert stack.app_reaches(address("169.254.169.254"), 80)
    assert stack.app_reaches(address("169.254.169.252"), 988)
    for ip, port in (
        ("169.254.169.254", 443),
        ("169.254.169.254", 8080),
        ("169.254.169.253", 80),
        ("169.254.169.251", 988),
        ("169.254.20.10", 80),  # NodeLocal DNSCache's address, on another port than DNS
        ("169.254.1.1", 80),
    ):
        assert not stack.app_reaches(address(ip), port), (ip, port)


def test_the_app_and_its_fuse_sidecar_reach_private_google_apis_on_443_whatever_the_internet_switch():
    # The Cloud Storage FUSE sidecar shares the app pod, so the app pod's policy is the sidecar's.
    for stack_name in ("dev", "prod"):
        closed = stack_of(plan_for(stack_name, cloud="gcp", workload={"internetEgress": False}))
        assert closed.google_apis == ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"]
        for ip in closed.google_apis:
            assert closed.app_reaches(address(ip), 443), ip
            assert not closed.app_reaches(address(ip), 80), ip
        # Not restricted.googleapis.com, not the next addresses, not the internet: only what the zone resolves to.
        for ip in ("199.36.153.4", "199.36.153.7", "199.36.153.12", "142.250.1.1"):
            assert not closed.app_reaches(address(ip), 443), ip
        # Only the app's pods: another pod of the namespace gets none of it.
        assert not allowed(closed.plan, NAMESPACE, NEIGHBOUR, "Egress", address(closed.google_apis[0]), 443)
        # The data services stay open with the internet closed.
        assert closed.app_reaches(address(closed.database), 5432)
        assert closed.app_reaches(address(closed.cache), 6378)


def test_every_pod_of_the_namespace_resolves_names_through_the_node_cache_or_kube_dns_only(stack: Stack):
    for labels in (APP, NEIGHBOUR):
        for protocol in ("UDP", "TCP"):
            assert allowed(stack.plan, NAMESPACE, labels, "Egress", KUBE_DNS, 53, protocol)
            # NodeLocal DNSCache, on GKE by default: a host-network pod on a link-local address.
            assert allowed(stack.plan, NAMESPACE, labels, "Egress", address("169.254.20.10"), 53, protocol)
        assert not allowed(stack.plan, NAMESPACE, labels, "Egress", address("169.254.20.11"), 53, "UDP")
        assert not allowed(stack.plan, NAMESPACE, labels, "Egress", KUBE_DNS, 80)
        assert not allowed(stack.plan, NAMESPACE, labels, "Egress", pod("kube-system", {"k8s-app": "metrics-server"}), 53, "UDP")
        for ip in ("169.254.169.254", some(stack.services), some(stack.nodes)):
            assert not allowed(stack.plan, NAMESPACE, labels, "Egress", address(ip), 53, "UDP"), (labels, ip)


def test_the_app_reaches_nothing_else_inside(stack: Stack):
    for network in (stack.nodes, stack.pods, stack.services, stack.control_plane, stack.private_services):
        for port in (443, 80, 10250, 22, 8080):
            assert not stack.app_reaches(address(some(network, 2)), port), (network, port)
    assert not stack.app_reaches(OTHER_POD, 443)
    assert not stack.app_reaches(pod(NAMESPACE, NEIGHBOUR), 7860)
    assert not stack.app_reaches(pod("default", {}), 443)  # the kubernetes Service: the app never calls the API


# --- the add-ons ----------------------------------------------------------------------------------


def test_the_addons_reach_the_api_server_at_the_control_plane_endpoint_on_443(stack: Stack):
    # The control plane's private endpoint takes an address in its own subnet
    # (`private_endpoint_subnetwork`); the mocks give it the first one after the gateway.
    endpoint = address(some(stack.control_plane, 2))
    for namespace, labels in ADDON_PODS:
        assert allowed(stack.plan, namespace, labels, "Egress", endpoint, 443), (namespace, labels)
        for port in (80, 22, 10250, 8443):
            assert not allowed(stack.plan, namespace, labels, "Egress", endpoint, port), (namespace, labels, port)


def test_the_addons_reach_nothing_else_inside(stack: Stack):
    for namespace, labels in ADDON_PODS:
        for ip, port in (
            (some(stack.nodes), 443),
            (some(stack.nodes), 10250),  # a kubelet
            (some(stack.pods), 443),
            (some(stack.services), 443),
            (stack.database, 5432),
            (stack.cache, 6378),
            ("169.254.169.254", 80),
            ("169.254.169.252", 988),
            (str(stack.control_plane.broadcast_address + 1), 443),
        ):
            assert not allowed(stack.plan, namespace, labels, "Egress", address(ip), port), (namespace, labels, ip, port)
        # Google's APIs are public addresses: only cert-manager's controller (ACME on the internet) reaches them.
        reaches_google = allowed(stack.plan, namespace, labels, "Egress", address(stack.google_apis[0]), 443)
        assert reaches_google == (labels == CERT_MANAGER_CONTROLLER), (namespace, labels)
