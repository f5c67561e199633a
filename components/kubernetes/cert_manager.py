"""cert-manager with its CRDs, and an ACME ClusterIssuer solving HTTP-01 through the ingress class."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from ..foundation import FoundationResult
from .common import chart_release, namespace, placement_values

NAMESPACE = "cert-manager"
REPOSITORY = "https://charts.jetstack.io"
ACME_SERVERS = {
    "staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
    "production": "https://acme-v02.api.letsencrypt.org/directory",
}


class CertManager(pulumi.ComponentResource):
    issuer_name: str
    namespace: k8s.core.v1.Namespace

    def __init__(
        self,
        name: str,
        *,
        foundation: FoundationResult,
        chart_version: str,
        acme_server: str,
        acme_email: str,
        ingress_class: str,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:kubernetes:CertManager", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.namespace = namespace(NAMESPACE, enforce="restricted", opts=child)
        placement = placement_values(foundation.system_nodes)
        release = chart_release(
            name,
            release=NAMESPACE,
            chart="cert-manager",
            version=chart_version,
            repository=REPOSITORY,
            namespace=self.namespace.metadata.name,
            values={
                "crds": {"enabled": True, "keep": True},
                **placement,
                "webhook": placement,
                "cainjector": placement,
                "startupapicheck": placement,
                "prometheus": {"enabled": True},
            },
            opts=child,
        )
        self.issuer_name = f"letsencrypt-{acme_server}"
        k8s.apiextensions.CustomResource(
            self.issuer_name,
            api_version="cert-manager.io/v1",
            kind="ClusterIssuer",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=self.issuer_name),
            spec={
                "acme": {
                    "server": ACME_SERVERS[acme_server],
                    "email": acme_email,
                    "privateKeySecretRef": {"name": f"{self.issuer_name}-account-key"},
                    "solvers": [{"http01": {"ingress": {"ingressClassName": ingress_class}}}],
                }
            },
            # The ClusterIssuer kind exists once the release has installed the CRDs.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[release]),
        )
        self.register_outputs({"issuer": self.issuer_name})
