"""components/kubernetes/network_policies.py, as a graph: what can reach the app, what
the app can reach, and nothing else."""

from __future__ import annotations

from dataclasses import replace

import pytest

from components.foundation import ClusterDns, EgressRule, FoundationResult
from components.kubernetes.network_policies import workload_policies
from tests.kubernetes.policy_graph import (
    APP,
    INGRESS_CONTROLLER,
    KUBE_DNS,
    OTHER_POD,
    SAME_NAMESPACE_POD,
    SOLVER,
    address,
    allowed,
    as_plan,
    pod,
    policies,
)
from tests.plans import Plan, foundation_for, plan_for


def test_only_the_ingress_controller_reaches_the_app_and_only_on_its_port(plan: Plan):
    assert allowed(plan, "centaurops", APP, "Ingress", INGRESS_CONTROLLER, 7860)
    assert not allowed(plan, "centaurops", APP, "Ingress", INGRESS_CONTROLLER, 22)
    for peer in (OTHER_POD, SAME_NAMESPACE_POD, address("203.0.113.7"), address("10.0.1.5")):
        assert not allowed(plan, "centaurops", APP, "Ingress", peer, 7860), peer


def test_acme_solver_is_reachable_from_the_ingress_controller_only(plan: Plan):
    assert allowed(plan, "centaurops", SOLVER, "Ingress", INGRESS_CONTROLLER, 8089)
    assert not allowed(plan, "centaurops", SOLVER, "Ingress", OTHER_POD, 8089)
    assert not allowed(plan, "centaurops", APP, "Ingress", INGRESS_CONTROLLER, 8089)


def test_the_app_reaches_dns_the_data_services_and_the_identity_agent(plan: Plan):
    assert allowed(plan, "centaurops", APP, "Egress", KUBE_DNS, 53, "UDP")
    assert allowed(plan, "centaurops", APP, "Egress", KUBE_DNS, 53, "TCP")
    database_ip, cache_ip = "10.0.224.10", "10.0.232.20"  # inside the data subnets
    assert allowed(plan, "centaurops", APP, "Egress", address(database_ip), 5432)
    assert allowed(plan, "centaurops", APP, "Egress", address(cache_ip), 6379)
    assert allowed(plan, "centaurops", APP, "Egress", address("169.254.170.23"), 80)


def test_the_app_reaches_nothing_else_inside(plan: Plan):
    for peer, port in (
        (address("10.0.0.10"), 5432),  # a node subnet, not the data subnets
        (address("10.0.224.10"), 22),  # the data subnets, another port
        (address("169.254.169.254"), 80),  # the node's instance metadata
        (address("10.0.1.1"), 443),  # the VPC's private range on 443
        (SAME_NAMESPACE_POD, 8080),
        (OTHER_POD, 443),
        (pod("kube-system", {"k8s-app": "metrics-server"}), 53),
    ):
        assert not allowed(plan, "centaurops", APP, "Egress", peer, port), (peer, port)


def test_internet_on_443_only_and_by_switch(dev: Plan):
    assert allowed(dev, "centaurops", APP, "Egress", address("104.18.6.192"), 443)
    assert not allowed(dev, "centaurops", APP, "Egress", address("104.18.6.192"), 80)
    closed = plan_for("dev", workload={"internetEgress": False})
    assert not allowed(closed, "centaurops", APP, "Egress", address("104.18.6.192"), 443)
    assert allowed(closed, "centaurops", APP, "Egress", address("10.0.224.10"), 5432)


def test_every_other_pod_of_the_namespace_is_denied_both_ways(plan: Plan):
    assert not allowed(plan, "centaurops", {"app": "neighbour"}, "Ingress", INGRESS_CONTROLLER, 7860)
    assert not allowed(plan, "centaurops", {"app": "neighbour"}, "Egress", address("104.18.6.192"), 443)
    assert allowed(plan, "centaurops", {"app": "neighbour"}, "Egress", KUBE_DNS, 53, "UDP")


def test_addon_namespaces_admit_only_their_serving_ports(plan: Plan):
    controller = {"app.kubernetes.io/name": "ingress-nginx"}
    for port in (80, 443):
        assert allowed(plan, "ingress-nginx", controller, "Ingress", address("203.0.113.7"), port)
    assert not allowed(plan, "ingress-nginx", controller, "Ingress", address("203.0.113.7"), 22)
    webhook = {"app.kubernetes.io/name": "webhook"}
    assert allowed(plan, "cert-manager", webhook, "Ingress", address("10.0.0.5"), 10250)
    assert not allowed(plan, "cert-manager", webhook, "Ingress", address("10.0.0.5"), 8080)


# Add-on pods, labeled as the pinned charts label them (ingress-nginx helm-chart-4.13.3,
# cert-manager v1.19.1).
NGINX_CONTROLLER = {
    "app.kubernetes.io/name": "ingress-nginx",
    "app.kubernetes.io/instance": "ingress-nginx",
    "app.kubernetes.io/component": "controller",
}
NGINX_ADMISSION_JOB = {**NGINX_CONTROLLER, "app.kubernetes.io/component": "admission-webhook"}
CERT_MANAGER_CONTROLLER = {
    "app.kubernetes.io/name": "cert-manager",
    "app.kubernetes.io/instance": "cert-manager",
    "app.kubernetes.io/component": "controller",
}
CERT_MANAGER_OTHERS = [
    {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": "cert-manager", "app.kubernetes.io/component": name}
    for name in ("webhook", "cainjector", "startupapicheck")
]
ADDON_PODS = [
    ("ingress-nginx", NGINX_CONTROLLER),
    ("ingress-nginx", NGINX_ADMISSION_JOB),
    ("cert-manager", CERT_MANAGER_CONTROLLER),
    *(("cert-manager", labels) for labels in CERT_MANAGER_OTHERS),
]
PUBLIC = address("104.18.6.192")
# The API server as pods address it: its network interfaces in the cluster's private
# subnets (after DNAT), and the `kubernetes` Service of `default` (before DNAT; the AWS
# network policy controller resolves a `default` namespace peer to that ClusterIP).
API_SERVER_INTERFACE = address("10.0.0.10")
KUBERNETES_SERVICE = pod("default", {})


def connects(plan: Plan, source: tuple[str, dict[str, str]], target: tuple[str, dict[str, str]], port: int) -> bool:
    """Egress allowed at the source and ingress allowed at the target."""
    (source_ns, source_labels), (target_ns, target_labels) = source, target
    return allowed(plan, source_ns, source_labels, "Egress", pod(target_ns, target_labels), port) and allowed(
        plan, target_ns, target_labels, "Ingress", pod(source_ns, source_labels), port
    )


def test_addon_egress_is_denied_by_default(plan: Plan):
    for namespace, labels in ADDON_PODS:
        for peer, port in (
            (address("10.0.224.10"), 5432),  # the database
            (address("169.254.169.254"), 80),  # the node's instance metadata
            (address("192.168.1.1"), 443),
            (OTHER_POD, 8080),
            (pod("centaurops", APP), 7860) if labels is not NGINX_CONTROLLER else (pod("centaurops", APP), 5432),
        ):
            assert not allowed(plan, namespace, labels, "Egress", peer, port), (namespace, labels, peer, port)


def test_every_addon_pod_reaches_dns_and_the_api_server_both_ways_it_is_addressed(plan: Plan):
    for namespace, labels in ADDON_PODS:
        assert allowed(plan, namespace, labels, "Egress", KUBE_DNS, 53, "UDP")
        assert allowed(plan, namespace, labels, "Egress", KUBE_DNS, 53, "TCP")
        assert allowed(plan, namespace, labels, "Egress", API_SERVER_INTERFACE, 443)
        assert allowed(plan, namespace, labels, "Egress", KUBERNETES_SERVICE, 443)
        assert not allowed(plan, namespace, labels, "Egress", API_SERVER_INTERFACE, 22)
        assert not allowed(plan, namespace, labels, "Egress", KUBERNETES_SERVICE, 80)


def test_api_server_rule_names_the_foundation_addresses_and_the_service_namespace(plan: Plan):
    private = {r["inputs"]["cidrBlock"] for r in plan.of_type("aws:ec2/subnet:Subnet") if "-private-" in r["name"]}
    for namespace in ("ingress-nginx", "cert-manager"):
        (spec,) = [p["spec"] for p in policies(plan, namespace) if p["metadata"]["name"] == "allow-api-server"]
        by_ip, by_service = spec["egress"]
        assert {peer["ipBlock"]["cidr"] for peer in by_ip["to"]} == private
        # No pod selector: the AWS controller then adds the ClusterIPs of the namespace's Services.
        assert by_service["to"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "default"}}}]
        assert by_ip["ports"] == by_service["ports"] == [{"protocol": "TCP", "port": 443}]


def test_only_cert_managers_controller_reaches_acme_and_its_self_check_on_the_internet(plan: Plan):
    # ACME on 443; the HTTP-01 self-check GETs http://<domain>/.well-known/acme-challenge/<token>.
    for port in (443, 80):
        assert allowed(plan, "cert-manager", CERT_MANAGER_CONTROLLER, "Egress", PUBLIC, port)
        for labels in CERT_MANAGER_OTHERS:
            assert not allowed(plan, "cert-manager", labels, "Egress", PUBLIC, port), labels
        assert not allowed(plan, "ingress-nginx", NGINX_CONTROLLER, "Egress", PUBLIC, port)
    assert not allowed(plan, "cert-manager", CERT_MANAGER_CONTROLLER, "Egress", PUBLIC, 8080)
    for private in ("10.0.224.10", "172.16.0.1", "192.168.1.1", "100.64.0.1"):
        assert not allowed(plan, "cert-manager", CERT_MANAGER_CONTROLLER, "Egress", address(private), 80), private


def test_ingress_controller_reaches_the_app_and_the_acme_solver_and_they_admit_it(plan: Plan):
    nginx = ("ingress-nginx", NGINX_CONTROLLER)
    assert connects(plan, nginx, ("centaurops", APP), 7860)
    assert connects(plan, nginx, ("centaurops", SOLVER), 8089)
    assert not connects(plan, nginx, ("centaurops", APP), 8089)
    assert not connects(plan, nginx, ("centaurops", {"app": "neighbour"}), 7860)
    assert not connects(plan, ("ingress-nginx", NGINX_ADMISSION_JOB), ("centaurops", APP), 7860)


def test_ingress_controller_follows_the_workload_namespace():
    plan = plan_for("dev", workload={"namespace": "flows"})
    assert allowed(plan, "ingress-nginx", NGINX_CONTROLLER, "Egress", pod("flows", APP), 7860)
    assert not allowed(plan, "ingress-nginx", NGINX_CONTROLLER, "Egress", pod("centaurops", APP), 7860)


# --- what the policies take from the contract, whatever the cloud -------------------------------


@pytest.fixture(scope="module")
def aws_result() -> FoundationResult:
    return foundation_for("dev")


def test_the_data_ports_are_the_contracts(aws_result: FoundationResult):
    result = replace(aws_result, cache=replace(aws_result.cache, port=6378), database=replace(aws_result.database, port=5433))
    graph = as_plan(workload_policies(result, ingress_namespace="ingress-nginx", internet_egress=False))
    database_ip = "10.0.224.10"
    assert allowed(graph, "centaurops", APP, "Egress", address(database_ip), 6378)
    assert allowed(graph, "centaurops", APP, "Egress", address(database_ip), 5433)
    assert not allowed(graph, "centaurops", APP, "Egress", address(database_ip), 6379)
    assert not allowed(graph, "centaurops", APP, "Egress", address(database_ip), 5432)


def test_node_local_dns_and_the_clouds_extra_egress(aws_result: FoundationResult):
    result = replace(
        aws_result,
        dns=ClusterDns(cidrs=("169.254.20.10/32",)),
        app_egress=(
            EgressRule("google-apis", ("199.36.153.8/30",), (443,)),
            EgressRule("entra-id", ("0.0.0.0/0",), (443,), excepts=("10.0.0.0/8",)),
        ),
    )
    graph = as_plan(workload_policies(result, ingress_namespace="ingress-nginx", internet_egress=False))
    for labels in (APP, {"app": "neighbour"}):
        assert allowed(graph, "centaurops", labels, "Egress", address("169.254.20.10"), 53, "UDP")
        assert allowed(graph, "centaurops", labels, "Egress", KUBE_DNS, 53, "UDP")
        assert not allowed(graph, "centaurops", labels, "Egress", address("169.254.20.11"), 53, "UDP")
    assert allowed(graph, "centaurops", APP, "Egress", address("199.36.153.9"), 443)
    assert not allowed(graph, "centaurops", APP, "Egress", address("199.36.153.9"), 80)
    assert allowed(graph, "centaurops", APP, "Egress", address("20.190.160.1"), 443)
    assert not allowed(graph, "centaurops", APP, "Egress", address("10.1.2.3"), 443)
    # only the app: another pod of the namespace gets none of it
    assert not allowed(graph, "centaurops", {"app": "neighbour"}, "Egress", address("199.36.153.9"), 443)
    names = set(workload_policies(result, ingress_namespace="ingress-nginx", internet_egress=False))
    assert {"allow-google-apis", "allow-entra-id"} <= names


def test_the_database_and_cache_each_in_their_own_ranges_when_the_cloud_says_them_apart(aws_result: FoundationResult):
    result = replace(
        aws_result,
        database=replace(aws_result.database, cidrs=("10.0.224.0/24",)),
        cache=replace(aws_result.cache, cidrs=("10.0.232.0/24",)),
    )
    graph = as_plan(workload_policies(result, ingress_namespace="ingress-nginx", internet_egress=False))
    assert allowed(graph, "centaurops", APP, "Egress", address("10.0.224.10"), 5432)
    assert allowed(graph, "centaurops", APP, "Egress", address("10.0.232.20"), 6379)
    assert not allowed(graph, "centaurops", APP, "Egress", address("10.0.224.10"), 6379)
    assert not allowed(graph, "centaurops", APP, "Egress", address("10.0.232.20"), 5432)
