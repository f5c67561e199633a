"""The workload's namespace: Pod Security `restricted` enforced, a quota and default limits."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from ..config import quantities
from ..config.schema import Workload
from ..foundation import ContainerResources
from .common import namespace

# Room beyond the app and its surge pod: cert-manager's HTTP-01 solver, and one spare.
EXTRA_PODS = 2
EXTRA_CPU, EXTRA_MEMORY = 1.0, 1 * 2**30


def max_app_pods(workload: Workload) -> int:
    return workload.autoscaling.max_replicas if workload.autoscaling.enabled else workload.replicas


class WorkloadNamespace(pulumi.ComponentResource):
    namespace: k8s.core.v1.Namespace

    def __init__(
        self,
        name: str,
        *,
        workload: Workload,
        sidecar: ContainerResources | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        """`sidecar`: a container the cloud injects into every app pod (a CSI driver's), whose
        requests and limits count against the quota too."""
        super().__init__("centaurops:kubernetes:WorkloadNamespace", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.namespace = namespace(workload.namespace, enforce="restricted", opts=child)
        ns = self.namespace.metadata.name
        pods = max_app_pods(workload) + 1  # one surge pod during a rolling update
        resources = workload.resources
        per_pod = {
            key: quantities.parse(getattr(resources, key)) + (quantities.parse(getattr(sidecar, key)) if sidecar else 0)
            for key in ("cpu_request", "memory_request", "cpu_limit", "memory_limit")
        }
        k8s.core.v1.ResourceQuota(
            f"{workload.namespace}-quota",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="workload", namespace=ns),
            spec=k8s.core.v1.ResourceQuotaSpecArgs(
                hard={
                    "pods": str(pods + EXTRA_PODS),
                    "requests.cpu": quantities.cpu(pods * per_pod["cpu_request"] + EXTRA_CPU),
                    "requests.memory": quantities.memory(pods * per_pod["memory_request"] + EXTRA_MEMORY),
                    "limits.cpu": quantities.cpu(pods * per_pod["cpu_limit"] + EXTRA_CPU),
                    "limits.memory": quantities.memory(pods * per_pod["memory_limit"] + EXTRA_MEMORY),
                    # Traffic enters through the ingress controller only.
                    "services.loadbalancers": "0",
                    "services.nodeports": "0",
                }
            ),
            opts=child,
        )
        k8s.core.v1.LimitRange(
            f"{workload.namespace}-limits",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="workload", namespace=ns),
            spec=k8s.core.v1.LimitRangeSpecArgs(
                limits=[
                    k8s.core.v1.LimitRangeItemArgs(
                        type="Container",
                        # A container that states nothing is sized like the flow platform.
                        default={"cpu": resources.cpu_limit, "memory": resources.memory_limit},
                        default_request={"cpu": resources.cpu_request, "memory": resources.memory_request},
                        max={"cpu": resources.cpu_limit, "memory": resources.memory_limit},
                    )
                ]
            ),
            opts=child,
        )
        self.register_outputs({"namespace": ns})
