"""The cloud-neutral contract between a cloud foundation and the Kubernetes layer.

A foundation module (components/aws, later gcp and azure) builds the network, cluster,
node pools, database, cache and object store of one cloud and hands over exactly this.
The Kubernetes layer is fed by nothing else, so it runs unchanged on every cloud.
Everything that grants access (kubeconfig, passwords, URLs with credentials) is a
Pulumi secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pulumi


@dataclass(frozen=True)
class Toleration:
    key: str
    value: str
    effect: str = "NoSchedule"
    operator: str = "Equal"


@dataclass(frozen=True)
class NodePlacement:
    """How a pod lands on one node pool: select its label, tolerate its taint."""

    node_selector: dict[str, str]
    tolerations: tuple[Toleration, ...]

    def values(self) -> dict[str, Any]:
        """`nodeSelector` and `tolerations` as Helm charts (and pod specs) take them."""
        return {
            "nodeSelector": dict(self.node_selector),
            "tolerations": [
                {"key": t.key, "operator": t.operator, "value": t.value, "effect": t.effect} for t in self.tolerations
            ],
        }


# Every cloud labels and taints its two node pools the same way, so the Kubernetes layer's
# placement is the same everywhere: core components on `system`, the app on `workload`.
POOL_LABEL = "centaurops.io/pool"
SYSTEM = NodePlacement(
    node_selector={POOL_LABEL: "system"},
    tolerations=(Toleration(key="CriticalAddonsOnly", value="true"),),
)
WORKLOAD = NodePlacement(
    node_selector={POOL_LABEL: "workload"},
    tolerations=(Toleration(key="centaurops.io/workload", value="true"),),
)


@dataclass(frozen=True)
class DatabaseConnection:
    host: pulumi.Output[str]
    port: int
    name: str
    username: str
    password: pulumi.Output[str]  # secret
    url: pulumi.Output[str]  # secret: postgresql://user:password@host:port/name?sslmode=require
    # The ranges the database's address is in, when narrower than `data_cidrs` (which
    # then admit the database's port only here); empty: anywhere in `data_cidrs`.
    cidrs: tuple[str, ...] = ()


@dataclass(frozen=True)
class CacheConnection:
    """A Redis server reached over TLS only, with a password."""

    host: pulumi.Output[str]
    port: int  # 6379 on ElastiCache, 6378 on Memorystore with TLS, 10000 on Azure Managed Redis
    password: pulumi.Output[str]  # secret
    # PEM of the CA that signs the server's certificate when no public CA does (Memorystore
    # signs with the instance's own CA): the app verifies the server with it. None: the
    # system's trusted CAs verify it.
    ca_certificate: pulumi.Output[str] | None = None
    # Whether the server's certificate names `host`; a cloud whose certificate does not
    # (an IP address missing from it) says so, and the app then checks only the CA.
    verify_hostname: bool = True
    # Numbered databases the server offers: 16 on Redis; 1 on a clustered Azure Managed Redis.
    databases: int = 16
    # The ranges the cache's address is in, when narrower than `data_cidrs`; empty: anywhere there.
    cidrs: tuple[str, ...] = ()

    def url(self, database: int = 0, ca_file: str | None = None) -> pulumi.Output[str]:
        """Secret: rediss://:password@host:port/database (TLS). The app keeps its cache,
        job queue and rate limits in separate numbered databases where there are several.
        `ca_file`: where the app finds `ca_certificate` (redis-py takes `ssl_ca_certs`
        and `ssl_check_hostname` from the URL's query)."""
        if not 0 <= database < self.databases:
            raise ValueError(f"database {database} is outside the server's {self.databases} database(s)")
        password = self.password.apply(lambda p: quote(p, safe=""))
        query = []
        if ca_file:
            query.append(f"ssl_ca_certs={quote(ca_file)}")
        if not self.verify_hostname:
            query.append("ssl_check_hostname=false")
        suffix = f"?{'&'.join(query)}" if query else ""
        return pulumi.Output.secret(
            pulumi.Output.format("rediss://:{0}@{1}:{2}/{3}{4}", password, self.host, self.port, database, suffix)
        )


@dataclass(frozen=True)
class ObjectStore:
    kind: str  # "s3", "gcs" or "azure-blob"
    bucket: pulumi.Output[str]
    url: pulumi.Output[str]  # s3://bucket, gs://bucket, https://account.blob.core.windows.net/container
    region: str


@dataclass(frozen=True)
class S3Files:
    """Uploaded files go to a bucket through the S3 API, with the credentials of the
    pod's cloud identity: shared by every replica, kept across rollouts."""

    bucket: pulumi.Output[str]
    region: str
    prefix: str = "files"


@dataclass(frozen=True)
class ContainerResources:
    """Requests and limits of one container, as Kubernetes quantities."""

    cpu_request: str
    memory_request: str
    cpu_limit: str
    memory_limit: str


@dataclass(frozen=True)
class VolumeFiles:
    """Uploaded files go to a volume every replica mounts read-write (the app's `local`
    storage, under its data directory): for a cloud whose object store has no S3 API the
    app can use. The cloud says what the pod mounts; the Kubernetes layer mounts it."""

    # A pod volume source, as in a pod spec's `volumes[]` minus `name`, e.g. {"csi": {...}}
    # or {"persistentVolumeClaim": {"claimName": ...}}. Values may be outputs.
    volume: dict[str, Any]
    # Annotations the pod needs for this volume (a CSI driver's sidecar injection).
    pod_annotations: dict[str, str] = field(default_factory=dict)
    # A container the cloud injects into each pod for this volume (a CSI driver's sidecar):
    # the workload namespace's quota makes room for it in every pod.
    sidecar: ContainerResources | None = None
    # Objects the Kubernetes layer creates before the workload for this volume, in order
    # (a PersistentVolume bound to the cloud's share, its claim); full manifests, values
    # may be outputs. Namespaced ones go to the workload's namespace.
    objects: tuple[dict[str, Any], ...] = ()


# How the app keeps uploaded files; the Kubernetes layer maps each kind to the chart.
FileStorage = S3Files | VolumeFiles


@dataclass(frozen=True)
class EgressRule:
    """Somewhere the app's pods must reach besides the database and cache (a storage
    endpoint, an identity provider), as an egress network policy admits it."""

    name: str  # DNS label, names the policy: allow-<name>
    cidrs: tuple[str, ...]
    ports: tuple[int, ...]
    # Private ranges to leave out of a wide CIDR (0.0.0.0/0 minus the cluster's own).
    excepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClusterDns:
    """Where pods resolve names: the cluster DNS pods, and node-local addresses (a
    NodeLocal DNSCache listens on a link-local address no pod selector matches)."""

    namespace: str = "kube-system"
    pod_labels: dict[str, str] = field(default_factory=lambda: {"k8s-app": "kube-dns"})
    cidrs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiServerEndpoint:
    """Where pods reach the Kubernetes API (egress policies of the add-ons that watch it)."""

    cidrs: tuple[str, ...]
    port: int = 443


@dataclass(frozen=True)
class ClusterChart:
    """A chart this cloud needs on its cluster (a node autoscaler, a metrics API); the
    Kubernetes layer installs it before the workload. Values may hold outputs (a role ARN)."""

    release: str
    chart: str
    repository: str
    version: str
    namespace: str
    values: dict[str, Any]


@dataclass(frozen=True)
class WorkloadIdentity:
    """What the workload's service account needs to act as its cloud identity."""

    namespace: str
    service_account: str
    service_account_annotations: pulumi.Output[dict[str, str]]
    pod_labels: dict[str, str] = field(default_factory=dict)
    # Node-local endpoints pods must reach to obtain credentials (for egress policies).
    agent_cidrs: tuple[str, ...] = ()
    agent_ports: tuple[int, ...] = ()


@dataclass(frozen=True)
class FoundationResult:
    cloud: str
    cluster_name: pulumi.Output[str]
    kubernetes_version: str
    kubeconfig: pulumi.Output[str]  # secret
    # Address ranges the database and cache live in (egress network policies).
    data_cidrs: tuple[str, ...]
    database: DatabaseConnection
    cache: CacheConnection
    object_store: ObjectStore
    file_storage: FileStorage
    api_server: ApiServerEndpoint
    # Annotations for the ingress controller's LoadBalancer Service on this cloud.
    ingress_service_annotations: dict[str, str]
    system_nodes: NodePlacement
    workload_nodes: NodePlacement
    workload_identity: WorkloadIdentity
    # Installed before the workload, in this order.
    cluster_charts: tuple[ClusterChart, ...] = ()
    dns: ClusterDns = field(default_factory=ClusterDns)
    # What the app must reach besides the database and cache (admitted even when
    # `workload.internetEgress` is false).
    app_egress: tuple[EgressRule, ...] = ()
    # What must exist before workloads can run: nodes, cluster DNS, storage driver, the
    # data services' firewall rules, the identity binding. The Kubernetes layer waits for it.
    workloads_ready: tuple[pulumi.Resource, ...] = ()
