"""components/kubernetes/network_policies.py, as a graph: what can reach the app, what
the app can reach, and nothing else."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from tests.plans import Plan, plan_for

POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
APP = {"app.kubernetes.io/name": "flow-platform", "app.kubernetes.io/instance": "flow-platform"}
SOLVER = {"acme.cert-manager.io/http01-solver": "true"}


@dataclass(frozen=True)
class Peer:
    """One end of a connection: a pod (namespace + labels) or an outside address."""

    namespace: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    ip: str = ""


def pod(namespace: str, labels: dict[str, str]) -> Peer:
    return Peer(namespace=namespace, labels=tuple(sorted(labels.items())))


def address(ip: str) -> Peer:
    return Peer(ip=ip)


def policies(plan: Plan, namespace: str) -> list[dict[str, Any]]:
    return [p["inputs"] for p in plan.of_type(POLICY) if p["inputs"]["metadata"]["namespace"] == namespace]


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def _peer_matches(rule_peer: dict[str, Any], peer: Peer, own_namespace: str) -> bool:
    if "ipBlock" in rule_peer:
        if not peer.ip:
            return False
        block = rule_peer["ipBlock"]
        ip = ipaddress.ip_address(peer.ip)
        return ip in ipaddress.ip_network(block["cidr"]) and not any(
            ip in ipaddress.ip_network(e) for e in block.get("except", [])
        )
    if peer.ip:
        return False
    namespace_selector = rule_peer.get("namespaceSelector")
    in_namespace = (
        _selects(namespace_selector, {"kubernetes.io/metadata.name": peer.namespace})
        if namespace_selector is not None
        else peer.namespace == own_namespace
    )
    return in_namespace and _selects(rule_peer.get("podSelector", {}), dict(peer.labels))


def _port_matches(rule: dict[str, Any], port: int, protocol: str) -> bool:
    ports = rule.get("ports")
    return not ports or any(p["port"] == port and p.get("protocol", "TCP") == protocol for p in ports)


def allowed(
    plan: Plan, namespace: str, labels: dict[str, str], direction: str, peer: Peer, port: int, protocol: str = "TCP"
) -> bool:
    """Would the namespace's policies let this pod send (Egress) or receive (Ingress) this traffic?"""
    key, peers_key = ("egress", "to") if direction == "Egress" else ("ingress", "from")
    selecting = [
        p["spec"]
        for p in policies(plan, namespace)
        if direction in p["spec"]["policyTypes"] and _selects(p["spec"]["podSelector"], labels)
    ]
    if not selecting:
        return True  # no policy isolates this pod in this direction
    for spec in selecting:
        for rule in spec.get(key, []):
            peers = rule.get(peers_key)
            peer_ok = not peers or any(_peer_matches(p, peer, namespace) for p in peers)
            if peer_ok and _port_matches(rule, port, protocol):
                return True
    return False


INGRESS_CONTROLLER = pod("ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"})
OTHER_POD = pod("default", {"app": "curious"})
SAME_NAMESPACE_POD = pod("centaurops", {"app": "neighbour"})
KUBE_DNS = pod("kube-system", {"k8s-app": "kube-dns"})


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
