"""The workload's namespace: Pod Security `restricted` enforced, a quota and default limits."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from ..config import quantities
from ..config.schema import Workload
from .common import namespace

# Room beyond the app and its surge pod: cert-manager's HTTP-01 solver, and one spare.
EXTRA_PODS = 2
EXTRA_CPU, EXTRA_MEMORY = 1.0, 1 * 2**30


def max_app_pods(workload: Workload) -> int:
    return workload.autoscaling.max_replicas if workload.autoscaling.enabled else workload.replicas


class WorkloadNamespace(pulumi.ComponentResource):
    namespace: k8s.core.v1.Namespace

    def __init__(self, name: str, *, workload: Workload, opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:kubernetes:WorkloadNamespace", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.namespace = namespace(workload.namespace, enforce="restricted", opts=child)
        ns = self.namespace.metadata.name
        pods = max_app_pods(workload) + 1  # one surge pod during a rolling update
        resources = workload.resources
        k8s.core.v1.ResourceQuota(
            f"{workload.namespace}-quota",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="workload", namespace=ns),
            spec=k8s.core.v1.ResourceQuotaSpecArgs(
                hard={
                    "pods": str(pods + EXTRA_PODS),
                    "requests.cpu": quantities.cpu(pods * quantities.parse(resources.cpu_request) + EXTRA_CPU),
                    "requests.memory": quantities.memory(pods * quantities.parse(resources.memory_request) + EXTRA_MEMORY),
                    "limits.cpu": quantities.cpu(pods * quantities.parse(resources.cpu_limit) + EXTRA_CPU),
                    "limits.memory": quantities.memory(pods * quantities.parse(resources.memory_limit) + EXTRA_MEMORY),
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
