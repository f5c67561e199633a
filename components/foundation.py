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


@dataclass(frozen=True)
class DatabaseConnection:
    host: pulumi.Output[str]
    port: int
    name: str
    username: str
    password: pulumi.Output[str]  # secret
    url: pulumi.Output[str]  # secret: postgresql://user:password@host:port/name?sslmode=require


@dataclass(frozen=True)
class CacheConnection:
    host: pulumi.Output[str]
    port: int
    password: pulumi.Output[str]  # secret

    def url(self, database: int = 0) -> pulumi.Output[str]:
        """Secret: rediss://:password@host:port/database (TLS). The app keeps its cache,
        job queue and rate limits in separate numbered databases."""
        password = self.password.apply(lambda p: quote(p, safe=""))
        return pulumi.Output.secret(pulumi.Output.format("rediss://:{0}@{1}:{2}/{3}", password, self.host, self.port, database))


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


# How the app keeps uploaded files. A cloud whose object store has no S3 API adds its
# own kind here (a ReadWriteMany volume, say) and the Kubernetes layer maps it to the chart.
FileStorage = S3Files


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
    # What must exist before workloads can run: nodes, cluster DNS, storage driver, the
    # data services' firewall rules, the identity binding. The Kubernetes layer waits for it.
    workloads_ready: tuple[pulumi.Resource, ...] = ()
