"""NetworkPolicies: deny by default, both ways, then allow exactly what each namespace needs.

Workload namespace: DNS (the cluster DNS pods, and node-local DNS addresses where the
cloud has them); from the ingress controller to the app port (and to cert-manager's
HTTP-01 solver); to the database and cache on their ports (from the contract) in the
data subnets; to the cloud identity agent; to what else the cloud says the app must
reach (a storage endpoint, the identity provider); and, by switch, to the internet on
443 (model providers) but never to private ranges.

Add-on namespaces (ingress-nginx, cert-manager): ingress on their serving ports only;
egress to DNS and the Kubernetes API server for every pod (controllers, webhooks,
cainjector, startupapicheck, the admission hook jobs all watch or write the API); then
per component: ingress-nginx's controller to the app and solver ports of the workload
namespace; cert-manager's controller to ACME servers and its HTTP-01 self-check, on the
internet only. Webhooks are called by the API server: ingress, on the serving ports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from ..foundation import ApiServerEndpoint, ClusterDns, EgressRule, FoundationResult
from .cert_manager import CONTROLLER_LABELS as CERT_MANAGER_CONTROLLER_LABELS
from .flow_platform import APP_LABELS, APP_PORT
from .ingress_controller import CONTROLLER_LABELS as INGRESS_CONTROLLER_LABELS

PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"]
# cert-manager v1.19.1's HTTP-01 solver pod: labeled acme.cert-manager.io/http01-solver=true
# (pkg/issuer/acme/http/pod.go:36-48, pkg/apis/acme/v1/types.go:51), listening on 8089
# (pkg/issuer/acme/http/http.go:49, passed as --listen-port and containerPort in pod.go:212,230);
# ingress-nginx proxies to the pod's endpoint on that port.
SOLVER_LABELS = {"acme.cert-manager.io/http01-solver": "true"}
SOLVER_PORT = 8089


def _namespace(name: str) -> dict[str, Any]:
    return {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": name}}}


def _ports(*ports: int, protocol: str = "TCP") -> list[dict[str, Any]]:
    return [{"protocol": protocol, "port": port} for port in ports]


def _ip_blocks(cidrs: Sequence[str], excepts: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Peers for address ranges, each less `excepts` when there are any."""
    return [{"ipBlock": {"cidr": cidr, **({"except": list(excepts)} if excepts else {})}} for cidr in cidrs]


def _app_egress(rule: EgressRule) -> dict[str, Any]:
    """A policy letting the app's pods reach the rule's ranges on its ports, and nothing more."""
    return {
        "podSelector": {"matchLabels": APP_LABELS},
        "policyTypes": ["Egress"],
        "egress": [{"to": _ip_blocks(rule.cidrs, rule.excepts), "ports": _ports(*rule.ports)}],
    }


# Model providers and other services on the internet, on 443; never a private range.
INTERNET_HTTPS = EgressRule("internet-https", ("0.0.0.0/0",), (443,), excepts=tuple(PRIVATE_RANGES))
DENY_ALL = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def dns_egress(dns: ClusterDns) -> dict[str, Any]:
    """Egress to the cluster's DNS: its pods, and any node-local address (a NodeLocal
    DNSCache answers on a link-local address that no pod selector matches)."""
    peers: list[dict[str, Any]] = [{**_namespace(dns.namespace), "podSelector": {"matchLabels": dict(dns.pod_labels)}}]
    peers += _ip_blocks(dns.cidrs)
    return {
        "podSelector": {},
        "policyTypes": ["Egress"],
        "egress": [{"to": peers, "ports": _ports(53, protocol="UDP") + _ports(53)}],
    }


def data_egress(foundation: FoundationResult) -> list[dict[str, Any]]:
    """The app to the database and the cache: each on its own port, in its own ranges where
    the foundation says them apart, else both ports anywhere in the data ranges."""
    database, cache = foundation.database, foundation.cache
    if database.cidrs and cache.cidrs:
        return [{"to": _ip_blocks(service.cidrs), "ports": _ports(service.port)} for service in (database, cache)]
    return [
        {
            "to": _ip_blocks(foundation.data_cidrs),
            "ports": _ports(*sorted({database.port, cache.port})),
        }
    ]


def workload_policies(foundation: FoundationResult, *, ingress_namespace: str, internet_egress: bool) -> dict[str, dict]:
    """Policy specs of the workload namespace, by name."""
    identity = foundation.workload_identity
    app = {"matchLabels": APP_LABELS}
    policies: dict[str, dict] = {
        "default-deny": DENY_ALL,
        "allow-dns": dns_egress(foundation.dns),
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
            "egress": data_egress(foundation),
        },
    }
    if identity.agent_cidrs:
        policies["allow-identity-agent"] = _app_egress(EgressRule("identity-agent", identity.agent_cidrs, identity.agent_ports))
    for rule in foundation.app_egress:
        policies[f"allow-{rule.name}"] = _app_egress(rule)
    if internet_egress:
        policies["allow-internet-https"] = _app_egress(
            EgressRule("internet-https", ("0.0.0.0/0",), (443,), tuple(PRIVATE_RANGES))
        )
    return policies


# The namespace of the `kubernetes` Service, the in-cluster address of the API server.
API_SERVICE_NAMESPACE = "default"


def api_server_egress(api: ApiServerEndpoint) -> dict[str, Any]:
    """Egress to the Kubernetes API server, as pods reach it: through the `kubernetes`
    Service's ClusterIP (KUBERNETES_SERVICE_HOST, what in-cluster clients use).

    Where the ClusterIP is translated to the API server's own addresses differs by network
    plugin, so both are allowed:
    - the API server's addresses (`api.cidrs`, on `api.port`): what a plugin that checks
      egress after kube-proxy's DNAT sees, and what a client using the cluster's endpoint
      name reaches;
    - the ClusterIP itself: the AWS VPC CNI's network policy agent enforces egress with
      eBPF on the pod's host-side veth, before kube-proxy's DNAT, so it sees the ClusterIP
      and never the endpoint addresses (aws-network-policy-agent README, "enforces them
      via eBPF probes attached to pod's host Veth interface"; amazon-network-policy-controller-k8s
      pkg/resolvers/endpoints.go, getMatchingServiceClusterIPs: "unable to see the pod IP
      after the DNAT happens for the clusterIPs"). The contract does not carry the
      ClusterIP, so it is reached the way that controller resolves Service addresses: a
      peer selecting the `default` namespace (no pod selector) makes it add the ClusterIP
      of every non-headless Service there whose targetPort is `api.port`
      (endpoints.go computeEgressEndpoints, getMatchingServiceClusterIPs,
      pkg/k8s/service_utils.go LookupServiceListenPort), which is the `kubernetes`
      Service. Under the plain NetworkPolicy semantics the same peer admits only pods of
      `default` on that one port.
    `api.cidrs` are as narrow as the foundation knows them; on AWS they are the private
    subnets, where nodes and (VPC CNI) pods live too, so those are reachable on `api.port`.
    """
    return {
        "podSelector": {},
        "policyTypes": ["Egress"],
        "egress": [
            {"to": _ip_blocks(api.cidrs), "ports": _ports(api.port)},
            {"to": [_namespace(API_SERVICE_NAMESPACE)], "ports": _ports(api.port)},
        ],
    }


def addon_policies(ports: list[int], api: ApiServerEndpoint, dns: ClusterDns) -> dict[str, dict]:
    """For an add-on namespace: nothing in or out, but its serving ports, DNS and the API server."""
    return {
        "default-deny-ingress": {"podSelector": {}, "policyTypes": ["Ingress"]},
        "default-deny-egress": {"podSelector": {}, "policyTypes": ["Egress"]},
        "allow-serving-ports": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{"ports": _ports(*ports)}]},
        "allow-dns": dns_egress(dns),
        "allow-api-server": api_server_egress(api),
    }


def ingress_controller_policies(foundation: FoundationResult, *, ports: list[int], workload_namespace: str) -> dict[str, dict]:
    """ingress-nginx: its controller proxies to the app's and the HTTP-01 solver's pods
    (their endpoints, not the Service) in the workload namespace; nothing else."""
    workload = _namespace(workload_namespace)
    return {
        **addon_policies(ports, foundation.api_server, foundation.dns),
        "allow-to-workload": {
            "podSelector": {"matchLabels": INGRESS_CONTROLLER_LABELS},
            "policyTypes": ["Egress"],
            "egress": [
                {"to": [{**workload, "podSelector": {"matchLabels": APP_LABELS}}], "ports": _ports(APP_PORT)},
                {"to": [{**workload, "podSelector": {"matchLabels": SOLVER_LABELS}}], "ports": _ports(SOLVER_PORT)},
            ],
        },
    }


def cert_manager_policies(foundation: FoundationResult, *, ports: list[int]) -> dict[str, dict]:
    """cert-manager: its controller talks to the ACME server (HTTPS) and, before it asks the
    ACME server to validate, fetches http://<domain>/.well-known/acme-challenge/<token>
    itself, through the public load balancer (cert-manager v1.19.1
    pkg/controller/acmechallenges/sync.go:174-187: Check before acceptChallenge;
    pkg/issuer/acme/http/http.go:199-211,219: an http:// URL on the domain, port 80, and
    redirects followed, hence 443 too). Both go to the internet only, never private ranges."""
    return {
        **addon_policies(ports, foundation.api_server, foundation.dns),
        "allow-acme": {
            "podSelector": {"matchLabels": CERT_MANAGER_CONTROLLER_LABELS},
            "policyTypes": ["Egress"],
            "egress": [{"to": _ip_blocks(["0.0.0.0/0"], PRIVATE_RANGES), "ports": _ports(443, 80)}],
        },
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
