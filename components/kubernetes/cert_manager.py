"""cert-manager with its CRDs, and an ACME ClusterIssuer solving HTTP-01 through the ingress class.

cert-manager runs the HTTP-01 solver (a pod, a Service and an Ingress) in the namespace of
the Certificate: the workload's, with its Pod Security `restricted`, ResourceQuota
(`services.nodeports: 0`) and LimitRange. The issuer's solver is shaped for that namespace."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from ..foundation import FoundationResult, NodePlacement
from .common import chart_release, namespace

NAMESPACE = "cert-manager"
REPOSITORY = "https://charts.jetstack.io"
ACME_SERVERS = {
    "staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
    "production": "https://acme-v02.api.letsencrypt.org/directory",
}
# The controller's pods (deploy/charts/cert-manager/templates/deployment.yaml at v1.19.1;
# the chart's name is `cert-manager`): they alone talk to ACME servers.
CONTROLLER_LABELS = {"app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller"}
# cert-manager v1.19.1's own defaults for the solver container
# (internal/apis/config/controller/v1alpha1/defaults.go:94-97), stated here so that the
# workload namespace's quota and LimitRange checks do not depend on controller flags.
SOLVER_RESOURCES = {"requests": {"cpu": "10m", "memory": "64Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}}
# Each component's container resources, as the chart renders them (v1.19.1 templates/deployment.yaml:
# .Values.resources; webhook-deployment.yaml, cainjector-deployment.yaml, startupapicheck-job.yaml:
# .Values.<component>.resources). Requests are the chart's own example for every component (values.yaml:
# 10m and 32Mi; the same in deploy/manifests/helm-values.yaml). cert-manager's memory design
# (design/20221205-memory-management.md) measured the controller steady at about 27.5 MB with its
# metadata-only Secret cache (feature SecretsFilteredCaching, on by default in v1.19.1), after spikes
# of up to 1.15 GB without it; what it caches in full grows with the cluster's TLS Secrets. The limits
# are headroom over those figures, not measurements of this platform: the controller and cainjector
# (which also watches CRDs, webhooks and APIServices) get the most; the startupapicheck hook Job fails
# the install if it is OOM-killed. No CPU limits: they throttle, and protect nothing.
COMPONENT_REQUESTS = {"cpu": "10m", "memory": "32Mi"}
COMPONENT_MEMORY_LIMITS = {"controller": "256Mi", "webhook": "128Mi", "cainjector": "256Mi", "startupapicheck": "128Mi"}


def component_resources(component: str) -> dict[str, Any]:
    return {"requests": COMPONENT_REQUESTS, "limits": {"memory": COMPONENT_MEMORY_LIMITS[component]}}


def http01_solver(ingress_class: str, placement: NodePlacement) -> dict[str, Any]:
    """The ClusterIssuer's HTTP-01 solver, for a solver pod that must land in the workload namespace.

    Facts of cert-manager v1.19.1 this relies on:
    - the solver Service is a NodePort unless `serviceType` says otherwise
      (pkg/issuer/acme/http/service.go:122,134-140); the workload quota forbids NodePorts,
      and ingress-nginx proxies to the pod's endpoints, so ClusterIP is all it needs;
    - the solver pod has only `kubernetes.io/os: linux` as node selector and no tolerations
      (pkg/issuer/acme/http/pod.go:194-196); the podTemplate's nodeSelector is merged in and
      its tolerations appended (pod.go:264-274). Every node pool is tainted, so without them
      the pod stays Pending. It goes to the workload pool: it lives in the workload
      namespace and counts against its quota, and the system pool is kept for cluster add-ons;
    - the pod meets Pod Security `restricted`: seccomp RuntimeDefault and runAsNonRoot at pod
      level, no privilege escalation, every capability dropped, read-only root, no service
      account token (pod.go:193-204,233-239), image USER 1000
      (hack/containers/Containerfile.acmesolver). runAsNonRoot comes from a controller flag
      (defaults.go:98); a podTemplate securityContext replaces the pod's whole
      securityContext (pod.go:294-305), so both fields are stated here and hold whatever
      the flags say;
    - its requests and limits come from controller flags unless the podTemplate sets them
      (pod.go:217-226,310-324); set here, they are what the workload quota's room for the
      solver (workload_namespace.EXTRA_*) and the LimitRange's max are checked against.
    The podTemplate fields used are those of ACMEChallengeSolverHTTP01IngressPodSpec
    (pkg/apis/acme/v1/types_issuer.go:331-375, deploy/crds/cert-manager.io_clusterissuers.yaml).
    """
    return {
        "http01": {
            "ingress": {
                "ingressClassName": ingress_class,
                "serviceType": "ClusterIP",
                "podTemplate": {
                    "spec": {
                        **placement.values(),
                        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
                        "resources": SOLVER_RESOURCES,
                    }
                },
            }
        }
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
        placement = foundation.system_nodes.values()
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
                "resources": component_resources("controller"),
                **{
                    part: {**placement, "resources": component_resources(part)}
                    for part in ("webhook", "cainjector", "startupapicheck")
                },
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
                    "solvers": [http01_solver(ingress_class, foundation.workload_nodes)],
                }
            },
            # The ClusterIssuer kind exists once the release has installed the CRDs.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[release]),
        )
        self.register_outputs({"issuer": self.issuer_name})
