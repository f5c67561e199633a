"""Azure-only settings (`centaurops:azure`): their models, what prod changes, and the rules
that span them. Used when `centaurops:cloud` is `azure`."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from . import access
from .types import Model, Problem, between, matching

if TYPE_CHECKING:
    from .schema import Settings

AzureLocation = Annotated[str, matching(r"[a-z]+[a-z0-9]*", "westeurope")]
GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
Guid = Annotated[str, matching(GUID, "00000000-0000-0000-0000-000000000000 (lowercase)")]
VmSize = Annotated[str, matching(r"Standard_[A-Za-z0-9_]+", "Standard_D4ds_v5")]
# PostgreSQL Flexible Server compute: Standard_B* are Burstable, Standard_D* General
# Purpose, Standard_E* Memory Optimized (the tier is derived from the size).
PostgresSku = Annotated[str, matching(r"Standard_[BDE][A-Za-z0-9_]+", "Standard_D2ds_v5")]
# Azure Managed Redis SKUs (pulumi_azure_native.redisenterprise.SkuName): Balanced and
# Memory Optimized; the Enterprise tiers of Azure Cache for Redis are being retired.
RedisSku = Annotated[str, matching(r"(Balanced_B|MemoryOptimized_M|ComputeOptimized_X)\d+", "Balanced_B1")]
Zone = Literal["1", "2", "3"]

# Address spaces AKS (Azure CNI Overlay) gives pods and Services: outside the VNet, never
# routed on it, but they must not overlap it (or anything peered with it).
POD_CIDR = "10.244.0.0/16"
SERVICE_CIDR = "10.245.0.0/16"
DNS_SERVICE_IP = "10.245.0.10"


class AzureNodePool(Model):
    vm_size: VmSize = Field(default="Standard_D2ds_v5", description="VM size of the pool's nodes.")


class AzureWorkloadPool(AzureNodePool):
    """A field default (not a default instance), so that a stack file setting the pool keeps it."""

    vm_size: VmSize = Field(default="Standard_D4ds_v5", description="VM size of the pool's nodes.")


class AzureNodePools(Model):
    system: AzureNodePool = Field(default_factory=AzureNodePool, description="VM size of the system pool.")
    workload: AzureWorkloadPool = Field(default_factory=AzureWorkloadPool, description="VM size of the workload pool.")


class Azure(Model):
    subscription_id: Annotated[str, matching(f"({GUID})?", "00000000-0000-0000-0000-000000000000 (lowercase)")] = Field(
        default="", description="Subscription to build in; empty: ARM_SUBSCRIPTION_ID, else the Azure CLI's current one."
    )
    location: AzureLocation = Field(default="westeurope", description="Azure region of the whole environment.")
    availability_zones: list[Zone] = Field(
        default_factory=list,
        description="Zones to use, in order; empty means zones 1, 2 and 3 (first network.zoneCount).",
    )
    node_pools: AzureNodePools = Field(default_factory=AzureNodePools, description="VM sizes per node pool.")
    postgres_sku: PostgresSku = Field(
        default="Standard_B2s", description="PostgreSQL Flexible Server compute size (Standard_B*: Burstable, dev only)."
    )
    redis_sku: RedisSku = Field(default="Balanced_B0", description="Azure Managed Redis SKU.")
    file_share_gb: Annotated[int, between(100, 102400)] = Field(
        default=100, description="Size of the Azure Files (NFS) share for uploaded files, in GiB (Premium: 100 or more)."
    )
    geo_backup_location: AzureLocation = Field(
        default="northeurope",
        description="The region PostgreSQL copies its geo-redundant backups to (prod): the pair of `location`"
        " (northeurope for westeurope); their encryption key is kept in a vault there.",
    )
    admin_group_object_ids: list[Guid] = Field(
        default_factory=list,
        description="Entra ID groups given cluster-admin (AKS admin groups, AKS RBAC Cluster Admin), besides the deployer;"
        " put the CI identities in one.",
    )
    developer_group_object_ids: list[Guid] = Field(
        default_factory=list,
        description="Entra ID groups of developers, on the cluster: AKS RBAC Reader in prod (no Secrets), AKS RBAC Writer"
        " in dev; both with the Cluster User Role (to fetch a kubeconfig).",
    )
    preview_principal_object_ids: list[Guid] = Field(
        default_factory=list,
        description="Object ids of the CI preview identities (bootstrap's E-preview managed identities: service principals),"
        " on the cluster: a custom role that reads every object, Secrets included, nothing writable, and the Cluster User"
        " Role; in every stack.",
    )
    deployer_principal_type: Literal["User", "ServicePrincipal"] = Field(
        default="User",
        description="What runs `pulumi up` (az login as a user, or CI as a service principal or managed identity): "
        "it gets the AKS RBAC Cluster Admin role.",
    )

    def zones(self, count: int) -> list[str]:
        return list(self.availability_zones or ["1", "2", "3"])[:count]


PROD_DEFAULTS: dict[str, Any] = {
    "nodePools": {
        "system": {"vmSize": "Standard_D4ds_v5"},
        "workload": {"vmSize": "Standard_D8ds_v5"},
    },
    "postgresSku": "Standard_D2ds_v5",
    "redisSku": "Balanced_B3",
}

# Documented in docs/configuration.md (components/config/reference.py); each is enforced below.
RULES: tuple[tuple[str, str], ...] = (
    ("azure.availabilityZones", "when listed: at least `network.zoneCount` zones, each once"),
    ("azure.geoBackupLocation", "another region than `azure.location`"),
    ("azure.postgresSku", "not Burstable (`Standard_B...`) when `database.multiAz` is true (no zone-redundant HA)"),
    ("network.cidr", f"on azure: clear of the pods' {POD_CIDR} and the Services' {SERVICE_CIDR}"),
    ("nodePools.system.capacityType", "on azure: `onDemand` (an AKS system pool cannot be spot)"),
    *access.documented("azure", "adminGroupObjectIds", "developerGroupObjectIds", "previewPrincipalObjectIds"),
)
PROD_RULES: tuple[tuple[str, str], ...] = ()


def rules(settings: Settings) -> Iterator[Problem]:
    azure, count = settings.azure, settings.network.zone_count
    if azure.availability_zones and len(azure.availability_zones) < count:
        yield (
            ("azure", "availabilityZones"),
            f"must list at least network.zoneCount ({count}) zones, got {len(azure.availability_zones)}",
        )
    if len(set(azure.availability_zones)) != len(azure.availability_zones):
        yield ("azure", "availabilityZones"), f"must list each zone once, got {azure.availability_zones}"
    # Burstable servers have no high availability (Azure Database for PostgreSQL, "High
    # availability": "not supported in the Burstable tier").
    if settings.database.multi_az and azure.postgres_sku.startswith("Standard_B"):
        yield (
            ("azure", "postgresSku"),
            f"must be General Purpose or Memory Optimized (Standard_D..., Standard_E...) when database.multiAz is true,"
            f" got {azure.postgres_sku!r} (Burstable)",
        )
    if azure.geo_backup_location == azure.location:
        yield ("azure", "geoBackupLocation"), f"must be another region than azure.location (its pair), got {azure.location!r}"
    if settings.node_pools.system.capacity_type == "spot":
        yield ("nodePools", "system", "capacityType"), "must be onDemand on azure (AKS system pools cannot be spot), got 'spot'"
    network = ipaddress.IPv4Network(settings.network.cidr)
    for reserved in (POD_CIDR, SERVICE_CIDR):
        if network.overlaps(ipaddress.IPv4Network(reserved)):
            yield ("network", "cidr"), f"must not overlap {reserved} (the cluster's pod and Service ranges), got {network}"
    yield from access.rules(
        "azure",
        ("adminGroupObjectIds", azure.admin_group_object_ids),
        ("developerGroupObjectIds", azure.developer_group_object_ids),
        ("previewPrincipalObjectIds", azure.preview_principal_object_ids),
    )
