"""Google Cloud-only settings (`centaurops:gcp`): their models, what prod changes, and the
rules that span them. Used when `centaurops:cloud` is `gcp`."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from . import access
from .types import Cidr, Model, Problem, between, matching

if TYPE_CHECKING:
    from .schema import Settings

# https://cloud.google.com/resource-manager/docs/creating-managing-projects: 6 to 30
# characters, lowercase letters, digits and hyphens, starting with a letter.
ProjectId = Annotated[str, matching(r"([a-z][-a-z0-9]{4,28}[a-z0-9])?", "acme-flows-prod")]
GcpRegion = Annotated[str, matching(r"[a-z]+-[a-z]+\d+", "europe-west1")]
GcpZone = Annotated[str, matching(r"[a-z]+-[a-z]+\d+-[a-z]", "europe-west1-b")]
# Compute Engine machine types: family-shape-size (e2-standard-4, n2d-highmem-8, c3-standard-4-lssd).
MachineType = Annotated[str, matching(r"[a-z][a-z0-9]*-[a-z]+(-\d+)?(-[a-z0-9]+)?", "e2-standard-4")]
# Cloud SQL tiers: shared-core, custom (Enterprise) and performance-optimized (Enterprise Plus)
# (https://cloud.google.com/sql/docs/postgres/instance-settings#machine-type-2ndgen).
SqlTier = Annotated[str, matching(r"db-(f1-micro|g1-small|custom-\d+-\d+|perf-optimized-N-\d+)", "db-custom-2-8192")]
# IAM principals as IAM policies name them (https://cloud.google.com/iam/docs/principal-identifiers).
IamMember = Annotated[
    str,
    matching(r"(user|group|serviceAccount|domain):[^\s:]+", "group:platform@acme.com"),
]


class GcpNodePool(Model):
    machine_type: MachineType = Field(default="e2-standard-2", description="Compute Engine machine type of the pool's nodes.")


class GcpWorkloadPool(GcpNodePool):
    machine_type: MachineType = Field(default="e2-standard-4", description="Compute Engine machine type of the pool's nodes.")


class GcpNodePools(Model):
    system: GcpNodePool = Field(default_factory=GcpNodePool, description="Machine type of the system pool.")
    workload: GcpWorkloadPool = Field(default_factory=GcpWorkloadPool, description="Machine type of the workload pool.")


class Gcp(Model):
    project: ProjectId = Field(default="", description="Project the whole environment lives in (required on gcp).")
    region: GcpRegion = Field(default="us-central1", description="Region of the whole environment.")
    zones: list[GcpZone] = Field(
        default_factory=list,
        description="Zones of the nodes, in order; empty means the region's first network.zoneCount zones that are up.",
    )
    node_pools: GcpNodePools = Field(default_factory=GcpNodePools, description="Machine types per node pool.")
    database_tier: SqlTier = Field(default="db-custom-1-3840", description="Cloud SQL machine tier.")
    database_edition: Literal["ENTERPRISE", "ENTERPRISE_PLUS"] = Field(
        default="ENTERPRISE", description="Cloud SQL edition (Enterprise Plus takes db-perf-optimized-N tiers)."
    )
    cache_memory_size_gb: Annotated[int, between(1, 300)] = Field(default=1, description="Memorystore for Redis capacity in GiB.")
    admin_members: list[IamMember] = Field(
        default_factory=list,
        description="IAM principals who administer the cluster (Kubernetes Engine Admin) and the key ring (Cloud KMS Admin);"
        " list the CI identities here.",
    )
    developer_members: list[IamMember] = Field(
        default_factory=list,
        description="IAM principals of developers, on the project: read-only without Secrets in prod (Kubernetes Engine"
        " Viewer), Kubernetes Engine Developer in dev.",
    )
    preview_members: list[IamMember] = Field(
        default_factory=list,
        description="Service accounts of the CI preview identities (bootstrap's E-preview), on the project: Kubernetes Engine"
        " Viewer and a custom role that reads Secrets (get, list), nothing writable; in every stack.",
    )
    dns_endpoint: bool = Field(
        default=False,
        description="Reach the API through GKE's DNS-based endpoint (IAM-checked, from anywhere); the kubeconfig then uses it.",
    )
    release_channel: Literal["RAPID", "REGULAR", "STABLE", "EXTENDED"] = Field(
        default="REGULAR", description="GKE release channel: it upgrades the control plane and nodes within the minor version."
    )
    pods_cidr: Cidr = Field(default="10.16.0.0/14", description="Secondary range of the node subnet for pod addresses.")
    services_cidr: Cidr = Field(default="10.20.0.0/20", description="Secondary range of the node subnet for Service addresses.")
    private_services_cidr: Cidr = Field(
        default="10.21.0.0/20",
        description="Range reserved for private services access: Cloud SQL and Memorystore take their addresses here.",
    )
    control_plane_cidr: Cidr = Field(
        default="10.21.16.0/28", description="Subnet of the control plane's private endpoint (a /28)."
    )

    def network_ranges(self, node_cidr: str) -> dict[str, str]:
        """Every range the VPC routes, by the key that sets it."""
        return {
            "network.cidr": node_cidr,
            "gcp.podsCidr": self.pods_cidr,
            "gcp.servicesCidr": self.services_cidr,
            "gcp.privateServicesCidr": self.private_services_cidr,
            "gcp.controlPlaneCidr": self.control_plane_cidr,
        }


PROD_DEFAULTS: dict[str, Any] = {
    "nodePools": {
        "system": {"machineType": "n2-standard-2"},
        "workload": {"machineType": "n2-standard-4"},
    },
    "databaseTier": "db-custom-2-8192",
    "cacheMemorySizeGb": 5,
}

# Documented in docs/configuration.md (components/config/reference.py); each is enforced below.
RULES: tuple[tuple[str, str], ...] = (
    ("gcp.project", "set when `cloud` is `gcp`"),
    ("gcp.zones", "when listed: at least `network.zoneCount` zones, all in `gcp.region`"),
    (
        "gcp.podsCidr",
        "`/14` to `/20`; it, `servicesCidr`, `privateServicesCidr`, `controlPlaneCidr` and `network.cidr` never overlap",
    ),
    ("gcp.servicesCidr", "`/16` to `/24`"),
    ("gcp.privateServicesCidr", "`/16` to `/24` (Cloud SQL and Memorystore allocate from it)"),
    ("gcp.controlPlaneCidr", "a `/28`"),
    ("gcp.databaseTier", "`db-perf-optimized-N-*` when `databaseEdition` is `ENTERPRISE_PLUS`, any other tier when `ENTERPRISE`"),
    ("gcp.cacheMemorySizeGb", "at least 5 when `cache.replicas` is more than 1 (Memorystore read replicas)"),
    *access.documented("gcp", "adminMembers", "developerMembers", "previewMembers"),
)
PROD_RULES: tuple[tuple[str, str], ...] = ()

_PREFIXES = {
    "podsCidr": (14, 20),
    "servicesCidr": (16, 24),
    "privateServicesCidr": (16, 24),
    "controlPlaneCidr": (28, 28),
}


def _ranges(settings: Settings) -> Iterator[Problem]:
    gcp = settings.gcp
    for key, (low, high) in _PREFIXES.items():
        cidr = getattr(gcp, _attr(key))
        prefix = ipaddress.IPv4Network(cidr).prefixlen
        if not low <= prefix <= high:
            wanted = f"a /{low}" if low == high else f"a /{low} to /{high}"
            yield ("gcp", key), f"must be {wanted} range, got {cidr}"
    ranges = list(gcp.network_ranges(settings.network.cidr).items())
    for index, (key, cidr) in enumerate(ranges):
        for other, other_cidr in ranges[:index]:
            if ipaddress.IPv4Network(cidr).overlaps(ipaddress.IPv4Network(other_cidr)):
                yield tuple(key.split(".")), f"must not overlap {other} ({other_cidr}), got {cidr}"


def _attr(key: str) -> str:
    """`privateServicesCidr` -> `private_services_cidr`."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def rules(settings: Settings) -> Iterator[Problem]:
    gcp, count = settings.gcp, settings.network.zone_count
    if not gcp.project:
        yield ("gcp", "project"), "is required when cloud is gcp: the id of the project to build in, like acme-flows-prod"
    if gcp.zones and len(gcp.zones) < count:
        yield ("gcp", "zones"), f"must list at least network.zoneCount ({count}) zones, got {len(gcp.zones)}"
    for index, zone in enumerate(gcp.zones):
        if zone.rsplit("-", 1)[0] != gcp.region:
            yield ("gcp", "zones", index), f"must be a zone of region {gcp.region}, got {zone!r}"
    yield from _ranges(settings)
    plus = gcp.database_tier.startswith("db-perf-optimized-N-")
    if (gcp.database_edition == "ENTERPRISE_PLUS") != plus:
        wanted = (
            "a db-perf-optimized-N-* tier" if gcp.database_edition == "ENTERPRISE_PLUS" else "a db-custom-* or shared-core tier"
        )
        yield ("gcp", "databaseTier"), f"must be {wanted} with databaseEdition {gcp.database_edition}, got {gcp.database_tier!r}"
    if settings.cache.replicas > 1 and gcp.cache_memory_size_gb < 5:
        yield (
            ("gcp", "cacheMemorySizeGb"),
            f"must be at least 5 for read replicas (cache.replicas {settings.cache.replicas}), got {gcp.cache_memory_size_gb}",
        )
    yield from access.rules(
        "gcp",
        ("adminMembers", gcp.admin_members),
        ("developerMembers", gcp.developer_members),
        ("previewMembers", gcp.preview_members),
    )
