"""NetworkPolicies: deny by default, then allow exactly what each namespace needs.

Workload namespace: DNS; from the ingress controller to the app port (and to
cert-manager's HTTP-01 solver); to the database and cache on their ports in the data
subnets; to the cloud identity agent; and, by switch, to the internet on 443 (model
providers) but never to private ranges. The ingress-nginx and cert-manager namespaces
deny ingress except their serving ports; their egress stays open because they must reach
the API server, whose addresses the cluster does not publish to policies."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from ..foundation import FoundationResult
from .flow_platform import APP_LABELS, APP_PORT

PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"]
# cert-manager v1.19.1's HTTP-01 solver pod: labeled acme.cert-manager.io/http01-solver=true
# (pkg/issuer/acme/http/pod.go:36-48, pkg/apis/acme/v1/types.go:51), listening on 8089
# (pkg/issuer/acme/http/http.go:49, passed as --listen-port and containerPort in pod.go:212,230);
# ingress-nginx proxies to the pod's endpoint on that port.
SOLVER_LABELS = {"acme.cert-manager.io/http01-solver": "true"}
SOLVER_PORT = 8089
DATABASE_PORT, CACHE_PORT = 5432, 6379


def _namespace(name: str) -> dict[str, Any]:
    return {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": name}}}


def _ports(*ports: int, protocol: str = "TCP") -> list[dict[str, Any]]:
    return [{"protocol": protocol, "port": port} for port in ports]


DENY_ALL = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
DNS = {
    "podSelector": {},
    "policyTypes": ["Egress"],
    "egress": [
        {
            "to": [{**_namespace("kube-system"), "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
            "ports": _ports(53, protocol="UDP") + _ports(53),
        }
    ],
}


def workload_policies(foundation: FoundationResult, *, ingress_namespace: str, internet_egress: bool) -> dict[str, dict]:
    """Policy specs of the workload namespace, by name."""
    identity = foundation.workload_identity
    app = {"matchLabels": APP_LABELS}
    policies: dict[str, dict] = {
        "default-deny": DENY_ALL,
        "allow-dns": DNS,
        "allow-from-ingress": {
            "podSelector": app,
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [_namespace(ingress_namespace)], "ports": _ports(APP_PORT)}],
        },
        "allow-acme-solver": {
            "podSelector": {"matchLabels": SOLVER_LABELS},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [_namespace(ingress_namespace)], "ports": _ports(SOLVER_PORT)}],
        },
        "allow-data-services": {
            "podSelector": app,
            "policyTypes": ["Egress"],
            "egress": [
                {
                    "to": [{"ipBlock": {"cidr": cidr}} for cidr in foundation.data_cidrs],
                    "ports": _ports(DATABASE_PORT, CACHE_PORT),
                }
            ],
        },
    }
    if identity.agent_cidrs:
        policies["allow-identity-agent"] = {
            "podSelector": app,
            "policyTypes": ["Egress"],
            "egress": [
                {"to": [{"ipBlock": {"cidr": cidr}} for cidr in identity.agent_cidrs], "ports": _ports(*identity.agent_ports)}
            ],
        }
    if internet_egress:
        policies["allow-internet-https"] = {
            "podSelector": app,
            "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": PRIVATE_RANGES}}], "ports": _ports(443)}],
        }
    return policies


def serving_policies(ports: list[int]) -> dict[str, dict]:
    """For an add-on namespace: ingress only on its serving ports, egress open."""
    return {
        "default-deny-ingress": {"podSelector": {}, "policyTypes": ["Ingress"]},
        "allow-serving-ports": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{"ports": _ports(*ports)}]},
    }


class NetworkPolicies(pulumi.ComponentResource):
    def __init__(
        self, name: str, *, policies: dict[str, Any], namespace: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("centaurops:kubernetes:NetworkPolicies", name, None, opts)
        for policy, spec in policies.items():
            k8s.networking.v1.NetworkPolicy(
                f"{name}-{policy}",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=policy, namespace=namespace),
                spec=spec,
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs({})
