"""NetworkPolicies as a graph, for tests: would a pod's policies let this traffic through?"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from tests.plans import Plan

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


def as_plan(policies: dict[str, dict], namespace: str = "centaurops") -> Plan:
    """Policies (name -> spec) as a plan of NetworkPolicy resources in `namespace`, for `allowed`."""
    return Plan(
        {
            "resources": [
                {"type": POLICY, "inputs": {"metadata": {"name": name, "namespace": namespace}, "spec": spec}}
                for name, spec in policies.items()
            ]
        }
    )


INGRESS_CONTROLLER = pod("ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"})
OTHER_POD = pod("default", {"app": "curious"})
SAME_NAMESPACE_POD = pod("centaurops", {"app": "neighbour"})
KUBE_DNS = pod("kube-system", {"k8s-app": "kube-dns"})
