"""The stack configuration tree: every `centaurops:` key, typed and documented.

Each top-level field is one Pulumi config key (`centaurops:<field alias>`); nested
fields are structured values under it. Field defaults are the small, cheap `dev`
values; `defaults.py` holds what `prod` changes. The cloud-neutral settings live here;
each cloud's own settings live in its file (`aws.py`, `gcp.py`, `azure.py`), with
what prod changes in them and the rules that span them. Rules that span several
fields live in `rules.py` so that each can name the exact key it is about.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .aws import Aws
from .azure import Azure
from .gcp import Gcp
from .types import (
    ChartVersion,
    Cidr,
    Cloud,
    CpuQuantity,
    DbIdentifier,
    DnsLabel,
    DnsName,
    Email,
    Environment,
    HelmRepository,
    KubernetesVersion,
    MemoryQuantity,
    Model,
    PostgresVersion,
    RedisVersion,
    between,
    matching,
)

__all__ = ["Aws", "Azure", "Gcp", "KubernetesVersion", "Settings"]

# --- cloud-neutral settings -------------------------------------------------------


class Network(Model):
    cidr: Cidr = Field(default="10.0.0.0/16", description="Address space of the network; a /16 to /20.")
    zone_count: Annotated[int, between(2, 3)] = Field(default=2, description="Availability zones the network spans (prod: 3).")
    nat_gateways: Literal["single", "perZone"] = Field(
        default="single",
        description="One shared NAT gateway (cheap, one zone can cut egress) or one per zone (prod).",
    )


class Cluster(Model):
    kubernetes_version: KubernetesVersion = Field(
        default="1.35", description="Kubernetes minor version of the control plane and nodes."
    )
    endpoint_public_access: bool = Field(
        default=False,
        description="Expose the API endpoint publicly, only to publicAccessCidrs. The private endpoint is always on.",
    )
    public_access_cidrs: list[Cidr] = Field(
        default_factory=list, description="Source CIDRs allowed to reach the public API endpoint."
    )
    private_access_cidrs: list[Cidr] = Field(
        default_factory=list,
        description="Networks admitted to the private API endpoint on 443 (a VPN, a peered network, CI runners inside).",
    )
    log_retention_days: Literal[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653] = Field(
        default=30, description="Days the control plane logs (api, audit, authenticator) are kept."
    )


class NodePool(Model):
    min_size: Annotated[int, between(0, 100)] = Field(default=1, description="Fewest nodes the pool scales to.")
    desired_size: Annotated[int, between(0, 100)] = Field(
        default=1, description="Nodes at creation; the autoscaler owns it afterwards."
    )
    max_size: Annotated[int, between(1, 100)] = Field(default=3, description="Most nodes the pool scales to.")
    capacity_type: Literal["onDemand", "spot"] = Field(
        default="onDemand", description="On-demand or spot capacity (spot: dev only)."
    )
    disk_size_gb: Annotated[int, between(20, 1000)] = Field(
        default=50, description="Encrypted root volume size of each node, in GiB."
    )


class WorkloadPool(NodePool):
    """A node pool whose dev defaults are spot and a little more room. These are field
    defaults (not a default instance) so that a stack file setting one key keeps them."""

    max_size: Annotated[int, between(1, 100)] = Field(default=4, description="Most nodes the pool scales to.")
    capacity_type: Literal["onDemand", "spot"] = Field(default="spot", description="On-demand or spot capacity (spot: dev only).")


class NodePools(Model):
    system: NodePool = Field(
        default_factory=NodePool,
        description="Core components (ingress controller, cert-manager, DNS); tainted CriticalAddonsOnly.",
    )
    workload: WorkloadPool = Field(
        default_factory=WorkloadPool,
        description="The flow platform's pods; tainted so nothing else lands there.",
    )


class Database(Model):
    engine_version: PostgresVersion = Field(default="16", description="PostgreSQL major version; minor upgrades are automatic.")
    name: DbIdentifier = Field(default="centaurops", description="Database created for the flow platform.")
    username: DbIdentifier = Field(default="centaurops", description="Master user name; the password is generated and secret.")
    storage_gb: Annotated[int, between(20, 65536)] = Field(default=20, description="Allocated storage in GiB.")
    max_storage_gb: Annotated[int, between(20, 65536)] = Field(default=100, description="Storage autoscaling ceiling in GiB.")
    multi_az: bool = Field(default=False, description="A synchronous standby in another zone (required in prod).")
    deletion_protection: bool = Field(default=False, description="The cloud refuses to delete the database (required in prod).")
    backup_retention_days: Annotated[int, between(1, 35)] = Field(
        default=7, description="Days of automated backups and point-in-time recovery (prod: >= 14)."
    )


class Cache(Model):
    engine_version: RedisVersion = Field(default="7.1", description="Redis engine version.")
    replicas: Annotated[int, between(0, 5)] = Field(
        default=0, description="Read replicas besides the primary (automatic failover needs >= 1)."
    )
    automatic_failover: bool = Field(default=False, description="Promote a replica when the primary fails (prod).")
    snapshot_retention_days: Annotated[int, between(0, 35)] = Field(
        default=0, description="Days of daily snapshots kept (0: none)."
    )


class ObjectStore(Model):
    noncurrent_version_retention_days: Annotated[int, between(1, 3650)] = Field(
        default=30, description="Days an overwritten or deleted object version is kept before it expires."
    )


class Image(Model):
    repository: Annotated[str, matching(r"([a-z0-9.-]+(:\d+)?/)?[a-z0-9._/-]*", "ghcr.io/acme/flows")] = Field(
        default="", description="Image repository; empty: the chart's image for the mode (langflowai/langflow or -backend)."
    )
    tag: Annotated[str, matching(r"(?!latest$)[\w][\w.-]{0,127}", "1.13.0 (never latest)")] = Field(
        default="1.13.0", description="Pinned image tag."
    )
    digest: Annotated[str, matching(r"(sha256:[a-f0-9]{64})?", "sha256:<64 hex digits>")] = Field(
        default="", description="Image digest; when set the image is pulled by content, whatever the tag."
    )


class Resources(Model):
    cpu_request: CpuQuantity = Field(default="500m", description="CPU requested by each replica.")
    # An idle Langflow 1.13 takes about 1.15 GiB (PSS of its processes): the request sits
    # above that so the scheduler never packs replicas onto memory they already exceed.
    memory_request: MemoryQuantity = Field(
        default="1536Mi", description="Memory requested by each replica (above an idle replica's use)."
    )
    cpu_limit: CpuQuantity = Field(default="2", description="CPU limit of each replica.")
    memory_limit: MemoryQuantity = Field(default="3Gi", description="Memory limit of each replica.")


class Autoscaling(Model):
    enabled: bool = Field(default=False, description="Scale replicas on CPU with a HorizontalPodAutoscaler (prod).")
    min_replicas: Annotated[int, between(1, 50)] = Field(default=2, description="Fewest replicas when autoscaling.")
    max_replicas: Annotated[int, between(1, 100)] = Field(default=6, description="Most replicas when autoscaling.")
    target_cpu_percent: Annotated[int, between(10, 100)] = Field(default=70, description="Average CPU use to scale at.")


class WorkloadChart(Model):
    path: str = Field(default="charts/flow-platform", description="Local chart directory (relative to the project).")
    repository: HelmRepository = Field(
        default="", description="Helm repository (https:// or oci://) of a published chart; replaces path when set."
    )
    name: Annotated[str, matching(r"([a-z0-9][-a-z0-9]*)?", "flow-platform")] = Field(
        default="", description="Chart name in that repository."
    )
    version: Annotated[str, matching(r"(v?\d+\.\d+\.\d+([-+][\w.]+)?)?", "2.1.0 (pinned)")] = Field(
        default="", description="Chart version in that repository, pinned."
    )


class Workload(Model):
    namespace: DnsLabel = Field(default="centaurops", description="Namespace of the flow platform.")
    service_account: DnsLabel = Field(
        default="flow-platform", description="Service account the flow platform runs as; bound to the cloud identity."
    )
    mode: Literal["ide", "runtime"] = Field(
        default="ide", description="ide: visual editor and API (dev); runtime: API only, flows from flowsDir (prod)."
    )
    image: Image = Field(default_factory=Image, description="The flow platform's container image.")
    replicas: Annotated[int, between(1, 50)] = Field(default=1, description="Replicas when not autoscaling.")
    autoscaling: Autoscaling = Field(default_factory=Autoscaling, description="Horizontal autoscaling on CPU.")
    resources: Resources = Field(default_factory=Resources, description="Requests and limits of each replica.")
    internet_egress: bool = Field(
        default=True, description="Let the app reach the internet on 443 (model providers); private ranges stay closed."
    )
    flows_dir: str = Field(default="flows", description="runtime: directory of flow JSON files loaded at start.")
    chart: WorkloadChart = Field(default_factory=WorkloadChart, description="The chart that deploys the flow platform.")


class Ingress(Model):
    host: DnsName = Field(default="flows.example.com", description="Public host name of the flow platform.")
    acme_email: Email = Field(default="platform@example.com", description="Contact for Let's Encrypt about the certificate.")
    acme_server: Literal["staging", "production"] = Field(
        default="staging", description="Let's Encrypt staging (untrusted, generous limits; dev) or production (prod)."
    )
    allowed_source_cidrs: list[Cidr] = Field(
        default_factory=list, description="Only these source CIDRs reach the app (empty: everyone); e.g. admin access in prod."
    )
    controller_replicas: Annotated[int, between(1, 10)] = Field(
        default=1, description="ingress-nginx controller replicas (prod: 2, with a PodDisruptionBudget)."
    )


class Addons(Model):
    ingress_nginx_chart: ChartVersion = Field(default="4.13.3", description="ingress-nginx Helm chart version.")
    cert_manager_chart: ChartVersion = Field(default="v1.19.1", description="cert-manager Helm chart version.")


# --- the whole tree -----------------------------------------------------------------


class Settings(Model):
    """Everything under `centaurops:`, validated, for one stack."""

    environment: Environment = Field(description="dev (small, cheap) or prod (highly available, protected).")
    cloud: Cloud = Field(default="aws", description="Cloud the foundation is built on.")
    network: Network = Field(default_factory=Network, description="The network (VPC, VNet).")
    cluster: Cluster = Field(default_factory=Cluster, description="The Kubernetes control plane.")
    node_pools: NodePools = Field(default_factory=NodePools, description="Node pool sizes and capacity.")
    database: Database = Field(default_factory=Database, description="Managed PostgreSQL.")
    cache: Cache = Field(default_factory=Cache, description="Managed Redis.")
    object_store: ObjectStore = Field(default_factory=ObjectStore, description="Bucket for flow artifacts and backups.")
    workload: Workload = Field(default_factory=Workload, description="The flow platform on the cluster.")
    ingress: Ingress = Field(default_factory=Ingress, description="Public entry: host, TLS, source allow-list.")
    addons: Addons = Field(default_factory=Addons, description="Pinned versions of the cluster add-on charts.")
    aws: Aws = Field(default_factory=Aws, description="AWS-only settings (used when cloud is aws).")
    gcp: Gcp = Field(default_factory=Gcp, description="Google Cloud-only settings (used when cloud is gcp).")
    azure: Azure = Field(default_factory=Azure, description="Azure-only settings (used when cloud is azure).")

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"
