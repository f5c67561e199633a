"""The Kubernetes layer, wired: provider, add-ons, the workload namespace, the flow
platform, its ingress, and the network policies of every namespace it owns."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from ..config.schema import Settings
from ..foundation import FoundationResult, VolumeFiles
from . import ingress_controller
from .cert_manager import CertManager
from .common import chart_release
from .flow_platform import FlowPlatform
from .ingress import AppIngress
from .ingress_controller import IngressController
from .network_policies import NetworkPolicies, cert_manager_policies, ingress_controller_policies, workload_policies
from .workload_namespace import WorkloadNamespace

# Ports the add-ons serve on: ingress-nginx http, https, admission webhook, metrics and
# health; cert-manager webhook, metrics and health.
INGRESS_CONTROLLER_PORTS = [80, 443, 8443, 10254]
CERT_MANAGER_PORTS = [10250, 9402, 9403, 6080]


class KubernetesLayer(pulumi.ComponentResource):
    def __init__(
        self, name: str, *, foundation: FoundationResult, settings: Settings, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("centaurops:kubernetes:Layer", name, None, opts)
        # Every Kubernetes resource goes through this provider; the stack disables the
        # default one, so nothing can fall back to an ambient kubeconfig.
        # It waits for what workloads need (nodes, DNS, data access), so no chart times out
        # waiting for pods on a cluster that has no nodes yet.
        provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=foundation.kubeconfig,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(foundation.workloads_ready)),
        )
        child = pulumi.ResourceOptions(parent=self, providers={"kubernetes": provider})

        controller = IngressController(
            f"{name}-ingress-nginx",
            foundation=foundation,
            chart_version=settings.addons.ingress_nginx_chart,
            replicas=settings.ingress.controller_replicas,
            opts=child,
        )
        certs = CertManager(
            f"{name}-cert-manager",
            foundation=foundation,
            chart_version=settings.addons.cert_manager_chart,
            acme_server=settings.ingress.acme_server,
            acme_email=settings.ingress.acme_email,
            ingress_class=ingress_controller.CLASS_NAME,
            opts=child,
        )
        # What the cloud needs on its cluster (node autoscaler, metrics API), in order.
        cluster_charts: list[pulumi.Resource] = []
        for chart in foundation.cluster_charts:
            cluster_charts.append(
                chart_release(
                    f"{name}-{chart.release}",
                    release=chart.release,
                    chart=chart.chart,
                    version=chart.version,
                    repository=chart.repository,
                    namespace=chart.namespace,
                    values=chart.values,
                    opts=pulumi.ResourceOptions(parent=self, provider=provider, depends_on=list(cluster_charts)),
                )
            )
        files = foundation.file_storage
        workload_ns = WorkloadNamespace(
            f"{name}-workload",
            workload=settings.workload,
            sidecar=files.sidecar if isinstance(files, VolumeFiles) else None,
            opts=child,
        )
        namespace = workload_ns.namespace.metadata.name
        platform = FlowPlatform(
            f"{name}-flow-platform",
            foundation=foundation,
            workload=settings.workload,
            host=settings.ingress.host,
            namespace=namespace,
            # The HPA needs the metrics API; pods beyond the nodes' room need the node autoscaler.
            after=cluster_charts,
            opts=child,
        )
        AppIngress(
            f"{name}-ingress",
            settings=settings.ingress,
            namespace=namespace,
            ingress_class=ingress_controller.CLASS_NAME,
            issuer=certs.issuer_name,
            # The controller's admission webhook validates the Ingress; the issuer signs its certificate.
            after=[controller, certs, platform],
            opts=child,
        )
        NetworkPolicies(
            f"{name}-workload-policies",
            policies=workload_policies(
                foundation, ingress_namespace=ingress_controller.NAMESPACE, internet_egress=settings.workload.internet_egress
            ),
            namespace=namespace,
            opts=child,
        )
        NetworkPolicies(
            f"{name}-ingress-nginx-policies",
            policies=ingress_controller_policies(
                foundation, ports=INGRESS_CONTROLLER_PORTS, workload_namespace=settings.workload.namespace
            ),
            namespace=controller.namespace.metadata.name,
            opts=child,
        )
        NetworkPolicies(
            f"{name}-cert-manager-policies",
            policies=cert_manager_policies(foundation, ports=CERT_MANAGER_PORTS),
            namespace=certs.namespace.metadata.name,
            opts=child,
        )
        self.register_outputs({"namespace": namespace, "issuer": certs.issuer_name})
