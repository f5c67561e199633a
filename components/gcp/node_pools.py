"""Node pools: `system` for core components, `workload` for the flow platform, kept apart
by labels and taints; scaled by GKE's own cluster autoscaler, upgraded by surge, repaired
and upgraded automatically, shielded, behind GKE's metadata server.

GKE places its own system pods (kube-dns, konnectivity-agent, metrics-server, event-exporter,
l7-default-backend, Managed Prometheus's operator...), and with both pools tainted they need
a pool whose taint they tolerate. They all tolerate GKE's documented taint for nodes
dedicated to GKE-managed components, `components.gke.io/gke-managed-components` (operator
Exists), but only some also tolerate `CriticalAddonsOnly`: as their manifests in a running
GKE cluster show, event-exporter-gke and l7-default-backend tolerate only the former, so they
would stay Pending on a pool tainted CriticalAddonsOnly. So GKE's system pool carries GKE's
taint instead (https://cloud.google.com/kubernetes-engine/docs/how-to/isolate-workloads-dedicated-nodes,
"Recommendations and best practices", which GoogleCloudPlatform/prometheus-engine#1211 cites
to make Managed Prometheus tolerate it; Google's Cluster Toolkit taints its GKE system pool
the same way: GoogleCloudPlatform/cluster-toolkit modules/scheduler/gke-cluster,
`system_node_pool_taints`), and the placement handed to the Kubernetes layer (`GKE_SYSTEM`)
is the contract's SYSTEM plus a toleration of it (docs/gcp.md, "GKE's own pods")."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pulumi
import pulumi_gcp as gcp

from ..config.gcp import GcpNodePool
from ..config.schema import NodePool
from ..foundation import SYSTEM, WORKLOAD, NodePlacement, Toleration

# The taint GKE's own components tolerate (see the module's docstring).
GKE_MANAGED_COMPONENTS = Toleration(key="components.gke.io/gke-managed-components", value="true")
# Where the Kubernetes layer puts its core components on GKE: the system pool, by the
# contract's label, tolerating the contract's taint and GKE's (which the pool carries).
GKE_SYSTEM = NodePlacement(node_selector=SYSTEM.node_selector, tolerations=(*SYSTEM.tolerations, GKE_MANAGED_COMPONENTS))
# The taints of each pool: GKE's on the system pool, the contract's on the workload pool.
POOL_TAINTS: dict[str, tuple[Toleration, ...]] = {"system": (GKE_MANAGED_COMPONENTS,), "workload": WORKLOAD.tolerations}

_GKE_EFFECT = {"NoSchedule": "NO_SCHEDULE", "NoExecute": "NO_EXECUTE", "PreferNoSchedule": "PREFER_NO_SCHEDULE"}


def nodes_per_zone(desired: int, zones: int) -> int:
    """GKE counts a regional pool's initial nodes per zone: enough for `desired` in all."""
    return max(1, math.ceil(desired / zones)) if desired else 0


class NodePools(pulumi.ComponentResource):
    node_pools: list[gcp.container.NodePool]

    def __init__(
        self,
        name: str,
        *,
        project: str,
        region: str,
        cluster_id: pulumi.Input[str],
        zone_count: int,
        pools: dict[str, tuple[NodePool, GcpNodePool]],
        service_account: pulumi.Input[str],
        labels: dict[str, str],
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:gcp:NodePools", name, None, opts)
        placements = {"system": GKE_SYSTEM, "workload": WORKLOAD}
        self.node_pools = []
        for pool_name, (pool, gcp_pool) in pools.items():
            placement = placements[pool_name]
            self.node_pools.append(
                gcp.container.NodePool(
                    f"{name}-{pool_name}",
                    name=pool_name,
                    project=project,
                    location=region,
                    cluster=cluster_id,
                    initial_node_count=nodes_per_zone(pool.desired_size, zone_count),
                    # Totals over the pool's zones, balanced between them.
                    autoscaling={
                        "total_min_node_count": pool.min_size,
                        "total_max_node_count": pool.max_size,
                        "location_policy": "BALANCED",
                    },
                    management={"auto_repair": True, "auto_upgrade": True},
                    # One extra node at a time, never one fewer: pods move before a node goes.
                    upgrade_settings={"strategy": "SURGE", "max_surge": 1, "max_unavailable": 0},
                    node_config={
                        "machine_type": gcp_pool.machine_type,
                        "disk_size_gb": pool.disk_size_gb,
                        "disk_type": "pd-balanced",
                        "image_type": "COS_CONTAINERD",
                        "service_account": service_account,
                        "oauth_scopes": ["https://www.googleapis.com/auth/cloud-platform"],
                        "spot": pool.capacity_type == "spot",
                        "labels": placement.node_selector,
                        "taints": [
                            {"key": t.key, "value": t.value, "effect": _GKE_EFFECT[t.effect]} for t in POOL_TAINTS[pool_name]
                        ],
                        "shielded_instance_config": {"enable_secure_boot": True, "enable_integrity_monitoring": True},
                        # Pods get GKE's metadata server (Workload Identity), never the node's credentials.
                        "workload_metadata_config": {"mode": "GKE_METADATA"},
                        "kubelet_config": {"insecure_kubelet_readonly_port_enabled": "FALSE"},
                        "metadata": {"disable-legacy-endpoints": "true"},
                        "resource_labels": {**labels, "pool": pool_name},
                    },
                    opts=pulumi.ResourceOptions(
                        parent=self,
                        depends_on=list(after),
                        # The autoscaler owns the node count once the pool exists.
                        ignore_changes=["initialNodeCount", "nodeCount"],
                    ),
                )
            )
        self.register_outputs({"nodePools": [p.name for p in self.node_pools]})
