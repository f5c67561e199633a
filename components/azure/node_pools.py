"""Node pools: `system` inline in the cluster (AKS needs one System pool to exist with it),
`workload` an AgentPool resource of its own; both Azure Linux, autoscaled by AKS's own
cluster autoscaler, placed by the contract's labels and taints.

Why the split: changing an inline `agentPoolProfiles` entry is one PUT of the whole
cluster, which puts every pool, separately managed ones included, into Scaling
(pulumi/pulumi-azure-native#4264), and a pool added to or removed from the inline list is
refused ("A new agent pool was introduced", pulumi/pulumi-azure-native#2719). The workload
pool, the one that changes, is therefore managed by per-pool operations. What the
autoscaler and auto-upgrade own (count, orchestratorVersion) is ignored after creation;
the node image version is not an input of this SDK's pools, so the node OS channel's
updates never show as a diff."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_azure_native.containerservice as containerservice

from ..config.azure import AzureNodePool
from ..config.schema import NodePool
from ..foundation import SYSTEM, WORKLOAD, NodePlacement, Toleration

# AKS taints and labels spot nodes itself and refuses to remove the taint (AKS, "Add an
# Azure Spot node pool": "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"). Listed in
# the pool's taints so that the pool's inputs say what the nodes carry (no diff after a
# refresh), and tolerated by the workload on spot.
SPOT_TAINT = Toleration(key="kubernetes.azure.com/scalesetpriority", value="spot")
# Ignored once created: the autoscaler moves the count, auto-upgrade the version.
INLINE_IGNORED = ["agentPoolProfiles[0].count", "agentPoolProfiles[0].orchestratorVersion"]
POOL_IGNORED = ["count", "orchestratorVersion"]


def taints(placement: NodePlacement, spot: bool) -> list[str]:
    tolerated = [*placement.tolerations, *((SPOT_TAINT,) if spot else ())]
    return [f"{t.key}={t.value}:{t.effect}" for t in tolerated]


def workload_placement(spot: bool) -> NodePlacement:
    """The contract's workload placement, plus the spot taint's toleration on spot nodes."""
    if not spot:
        return WORKLOAD
    return NodePlacement(node_selector=dict(WORKLOAD.node_selector), tolerations=(*WORKLOAD.tolerations, SPOT_TAINT))


def _common(pool: NodePool, azure_pool: AzureNodePool, zones: Sequence[str], subnet_id: pulumi.Input[str]) -> dict:
    return {
        "vm_size": azure_pool.vm_size,
        "os_type": "Linux",
        "os_sku": "AzureLinux",
        "os_disk_size_gb": pool.disk_size_gb,
        "type": "VirtualMachineScaleSets",
        "availability_zones": list(zones),
        "vnet_subnet_id": subnet_id,
        "enable_auto_scaling": True,
        "min_count": pool.min_size,
        "max_count": pool.max_size,
        "count": pool.desired_size,
        "enable_node_public_ip": False,
        # The VM host encrypts the temp disk and the OS disk's cache too, which server-side
        # encryption of managed disks does not cover (AKS, "Host-based encryption on AKS").
        # Set at pool creation only; the subscription needs the Microsoft.Compute feature
        # EncryptionAtHost registered first (`az feature register --namespace
        # Microsoft.Compute --name EncryptionAtHost`), docs/azure.md.
        "enable_encryption_at_host": True,
    }


def system_pool_profile(
    pool: NodePool, azure_pool: AzureNodePool, *, zones: Sequence[str], subnet_id: pulumi.Input[str]
) -> containerservice.ManagedClusterAgentPoolProfileArgs:
    return containerservice.ManagedClusterAgentPoolProfileArgs(
        name="system",
        mode="System",
        node_labels=dict(SYSTEM.node_selector),
        node_taints=taints(SYSTEM, spot=False),
        upgrade_settings=containerservice.AgentPoolUpgradeSettingsArgs(max_surge="33%"),
        **_common(pool, azure_pool, zones, subnet_id),
    )


def workload_pool(
    name: str,
    *,
    pool: NodePool,
    azure_pool: AzureNodePool,
    zones: Sequence[str],
    subnet_id: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    tags: dict[str, str],
    parent: pulumi.Resource,
) -> containerservice.AgentPool:
    spot = pool.capacity_type == "spot"
    return containerservice.AgentPool(
        f"{name}-workload",
        agent_pool_name="workload",
        resource_name_=cluster_name,
        resource_group_name=resource_group_name,
        mode="User",
        node_labels=dict(WORKLOAD.node_selector),
        node_taints=taints(WORKLOAD, spot=spot),
        # Evicted spot VMs are deleted, not kept deallocated against the quota; -1 pays up
        # to the on-demand price, so nodes are evicted for capacity only.
        scale_set_priority="Spot" if spot else "Regular",
        scale_set_eviction_policy="Delete" if spot else None,
        spot_max_price=-1 if spot else None,
        # On-demand pools upgrade a third of their nodes at a time; spot pools keep AKS's defaults.
        upgrade_settings=None if spot else containerservice.AgentPoolUpgradeSettingsArgs(max_surge="33%"),
        tags=tags,
        opts=pulumi.ResourceOptions(
            parent=parent,
            ignore_changes=POOL_IGNORED,
            custom_timeouts=pulumi.CustomTimeouts(create="60m", update="60m", delete="60m"),
        ),
        **_common(pool, azure_pool, zones, subnet_id),
    )
