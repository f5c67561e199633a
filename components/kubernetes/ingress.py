"""The public entry of the flow platform: HTTPS only, a certificate from cert-manager,
and an optional source allow-list."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_kubernetes as k8s

from ..config.schema import Ingress as IngressSettings
from .flow_platform import RELEASE, SERVICE_PORT

TLS_SECRET = "flow-platform-tls"


class AppIngress(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        *,
        settings: IngressSettings,
        namespace: pulumi.Input[str],
        ingress_class: str,
        issuer: str,
        after: Sequence[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:kubernetes:AppIngress", name, None, opts)
        annotations = {
            "cert-manager.io/cluster-issuer": issuer,
            "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
            # Flows upload files and stream long answers.
            "nginx.ingress.kubernetes.io/proxy-body-size": "50m",
            "nginx.ingress.kubernetes.io/proxy-read-timeout": "300",
        }
        if settings.allowed_source_cidrs:
            annotations["nginx.ingress.kubernetes.io/whitelist-source-range"] = ",".join(settings.allowed_source_cidrs)
        k8s.networking.v1.Ingress(
            RELEASE,
            metadata=k8s.meta.v1.ObjectMetaArgs(name=RELEASE, namespace=namespace, annotations=annotations),
            spec=k8s.networking.v1.IngressSpecArgs(
                ingress_class_name=ingress_class,
                tls=[k8s.networking.v1.IngressTLSArgs(hosts=[settings.host], secret_name=TLS_SECRET)],
                rules=[
                    k8s.networking.v1.IngressRuleArgs(
                        host=settings.host,
                        http=k8s.networking.v1.HTTPIngressRuleValueArgs(
                            paths=[
                                k8s.networking.v1.HTTPIngressPathArgs(
                                    path="/",
                                    path_type="Prefix",
                                    backend=k8s.networking.v1.IngressBackendArgs(
                                        service=k8s.networking.v1.IngressServiceBackendArgs(
                                            name=RELEASE,
                                            port=k8s.networking.v1.ServiceBackendPortArgs(number=SERVICE_PORT),
                                        )
                                    ),
                                )
                            ]
                        ),
                    )
                ],
            ),
            # depends_on on a component does not reach its children: it goes on the Ingress itself.
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(after)),
        )
        self.register_outputs({})
