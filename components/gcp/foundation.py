"""The whole Google Cloud foundation, wired for the shortest deploy: the APIs first; then
keys, network and identities; the cluster in parallel with the database, cache and bucket
(which wait for their key grant and the private services connection only); node pools
after the cluster; the workload's access to the bucket last."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from ..config.schema import Settings
from ..foundation import (
    WORKLOAD,
    ApiServerEndpoint,
    ClusterDns,
    ContainerResources,
    EgressRule,
    FoundationResult,
    VolumeFiles,
)
from .apis import ProjectApis
from .cache import MemorystoreRedis
from .cluster import NODE_LOCAL_DNS, GkeCluster
from .database import CloudSqlPostgres
from .encryption import EncryptionKeys
from .identity import (
    NodeServiceAccount,
    WorkloadObjectAccess,
    cluster_admins,
    cluster_developers,
    cluster_previewers,
    project_number,
    service_agents,
)
from .kubeconfig import gke_kubeconfig
from .network import PRIVATE_GOOGLE_APIS_CIDR, Network
from .node_pools import GKE_SYSTEM, NodePools
from .storage import GcsStore

# A backend service-based external passthrough Network Load Balancer for the ingress
# controller's Service: GKE's current L4 load balancer, with per-zone health checks and
# connection draining (https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer#backend-service-based).
INGRESS_SERVICE_ANNOTATIONS = {"cloud.google.com/l4-rbs": "enabled"}

FUSE_DRIVER = "gcsfuse.csi.storage.gke.io"
APP_UID = APP_GID = 10001
# Cloud Storage FUSE mount options: files owned by the app's user and group (it runs as
# 10001:10001), readable and writable by them only; directories that exist only as object
# prefixes (objects written through the API) are listed too. The driver's guide: with
# runAsUser/runAsGroup "you must set the uid and gid mount flags ... and use the file-mode
# and dir-mode mount flags" (GoogleCloudPlatform/gcs-fuse-csi-driver docs/authentication.md).
FUSE_MOUNT_OPTIONS = f"uid={APP_UID},gid={APP_GID},file-mode=660,dir-mode=770,implicit-dirs"
# The injected gke-gcsfuse-sidecar's requests and limits, explicit rather than the driver's
# defaults (250m CPU, 256Mi memory, 5Gi ephemeral storage, requests equal to limits:
# cmd/webhook/main.go); the annotation names are the webhook's (pkg/webhook/mutatingwebhook.go).
FUSE_SIDECAR = ContainerResources(cpu_request="250m", memory_request="256Mi", cpu_limit="1", memory_limit="512Mi")
FUSE_SIDECAR_ANNOTATIONS = {
    "gke-gcsfuse/volumes": "true",
    "gke-gcsfuse/cpu-request": FUSE_SIDECAR.cpu_request,
    "gke-gcsfuse/cpu-limit": FUSE_SIDECAR.cpu_limit,
    "gke-gcsfuse/memory-request": FUSE_SIDECAR.memory_request,
    "gke-gcsfuse/memory-limit": FUSE_SIDECAR.memory_limit,
    "gke-gcsfuse/ephemeral-storage-request": "1Gi",
    "gke-gcsfuse/ephemeral-storage-limit": "5Gi",
}


class GcpFoundation(pulumi.ComponentResource):
    result: FoundationResult

    def __init__(self, name: str, settings: Settings, tags: dict[str, str], opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:gcp:Foundation", name, None, opts)
        gcp_settings = settings.gcp
        project, region = gcp_settings.project, gcp_settings.region
        prod = settings.is_prod
        labels = dict(tags)

        # The APIs are enabled through a provider of their own; the provider everything else
        # uses waits for them, so no resource of the stack can race an API being enabled.
        bootstrap = gcp.Provider(
            f"{name}-gcp-apis",
            project=project,
            region=region,
            default_labels=labels,
            opts=pulumi.ResourceOptions(parent=self),
        )
        apis = ProjectApis(name, project=project, opts=pulumi.ResourceOptions(parent=self, providers={"gcp": bootstrap}))
        # An explicit provider: project, region and default labels come from this stack, never ambient config.
        provider = gcp.Provider(
            f"{name}-gcp",
            project=project,
            region=region,
            default_labels=labels,
            opts=pulumi.ResourceOptions(parent=self, depends_on=apis.services),
        )
        child = pulumi.ResourceOptions(parent=self, providers={"gcp": provider})

        number = project_number(project, provider=provider, parent=self)
        zones = self._zones(settings, provider)
        agents = service_agents(name, project=project, number=number, provider=provider, parent=self)
        keys = EncryptionKeys(
            name,
            project=project,
            region=region,
            admin_members=gcp_settings.admin_members,
            labels=labels,
            protect=prod,
            opts=child,
        )
        network = Network(
            name,
            project=project,
            region=region,
            node_cidr=settings.network.cidr,
            pods_cidr=gcp_settings.pods_cidr,
            services_cidr=gcp_settings.services_cidr,
            private_services_cidr=gcp_settings.private_services_cidr,
            control_plane_cidr=gcp_settings.control_plane_cidr,
            labels=labels,
            opts=child,
        )
        nodes = NodeServiceAccount(name, project=project, opts=child)
        cluster = GkeCluster(
            name,
            project=project,
            region=region,
            zones=zones,
            settings=settings.cluster,
            release_channel=gcp_settings.release_channel,
            dns_endpoint=gcp_settings.dns_endpoint,
            network_id=network.network_id,
            subnet_id=network.subnet_id,
            control_plane_subnet_id=network.control_plane_subnet_id,
            node_service_account=nodes.email,
            secrets_key=keys.key("cluster", agents.container),
            labels=labels,
            all_logs=prod,
            deletion_protection=prod,
            after=nodes.grants,
            opts=child,
        )
        pools = NodePools(
            name,
            project=project,
            region=region,
            cluster_id=cluster.cluster.id,
            zone_count=settings.network.zone_count,
            pools={
                "system": (settings.node_pools.system, gcp_settings.node_pools.system),
                "workload": (settings.node_pools.workload, gcp_settings.node_pools.workload),
            },
            service_account=nodes.email,
            labels=labels,
            after=nodes.grants,
            opts=child,
        )
        cluster_admins(name, project=project, members=gcp_settings.admin_members, provider=provider, parent=self)
        cluster_developers(
            name, project=project, members=gcp_settings.developer_members, prod=prod, provider=provider, parent=self
        )
        cluster_previewers(name, project=project, members=gcp_settings.preview_members, provider=provider, parent=self)

        database = CloudSqlPostgres(
            name,
            project=project,
            region=region,
            settings=settings.database,
            gcp_settings=gcp_settings,
            network_id=network.network_id,
            private_services_range=network.private_services_range.name,
            service_connection=network.service_connection,
            key=keys.key("database", agents.sql),
            labels=labels,
            prod=prod,
            opts=child,
        )
        cache = MemorystoreRedis(
            name,
            project=project,
            region=region,
            settings=settings.cache,
            memory_size_gb=gcp_settings.cache_memory_size_gb,
            network_id=network.network_id,
            private_services_range=network.private_services_range.name,
            service_connection=network.service_connection,
            key=keys.key("cache", agents.redis),
            labels=labels,
            prod=prod,
            opts=child,
        )
        store = GcsStore(
            name,
            project=project,
            region=region,
            settings=settings.object_store,
            key=keys.key("storage", agents.storage),
            labels=labels,
            prod=prod,
            opts=child,
        )
        access = WorkloadObjectAccess(
            name,
            project=project,
            number=number,
            namespace=settings.workload.namespace,
            service_account=settings.workload.service_account,
            bucket=store.bucket.name,
            cluster=cluster.cluster,
            opts=child,
        )

        self.result = FoundationResult(
            cloud="gcp",
            cluster_name=cluster.name,
            kubernetes_version=settings.cluster.kubernetes_version,
            kubeconfig=gke_kubeconfig(
                cluster_name=cluster.name,
                endpoint=cluster.endpoint,
                dns_endpoint=cluster.dns_endpoint,
                certificate_authority=cluster.certificate_authority,
                use_dns_endpoint=gcp_settings.dns_endpoint,
            ),
            data_cidrs=network.data_cidrs,
            database=database.connection,
            cache=cache.connection,
            object_store=store.result,
            # Uploaded files go to the bucket through Cloud Storage FUSE (docs/gcp.md, "Uploaded files").
            file_storage=VolumeFiles(
                volume={
                    "csi": {
                        "driver": FUSE_DRIVER,
                        "volumeAttributes": {"bucketName": store.bucket.name, "mountOptions": FUSE_MOUNT_OPTIONS},
                    }
                },
                pod_annotations=dict(FUSE_SIDECAR_ANNOTATIONS),
                # The injected sidecar is a native sidecar (an init container that keeps
                # running), whose requests and limits add to the pod's: the quota must hold them.
                sidecar=FUSE_SIDECAR,
            ),
            # Pods reach the API server at the control plane's private endpoint (Dataplane V2
            # applies egress policy after the kubernetes Service's translation), which takes
            # its address in the control plane subnet.
            api_server=ApiServerEndpoint(cidrs=(gcp_settings.control_plane_cidr,), port=443),
            ingress_service_annotations=INGRESS_SERVICE_ANNOTATIONS,
            # The contract's system placement plus GKE's own system taint, which the system
            # pool carries so that GKE's managed pods have a node too (node_pools.py).
            system_nodes=GKE_SYSTEM,
            workload_nodes=WORKLOAD,
            workload_identity=access.result,
            # GKE scales the pools itself and serves the metrics API: no chart to add.
            cluster_charts=(),
            # kube-dns by label, and NodeLocal DNSCache's link-local address (cluster.py).
            dns=ClusterDns(cidrs=(NODE_LOCAL_DNS,)),
            # The Cloud Storage FUSE sidecar in the app's pods calls storage.googleapis.com,
            # which resolves to private.googleapis.com in this VPC.
            app_egress=(EgressRule("google-apis", (PRIVATE_GOOGLE_APIS_CIDR,), (443,)),),
            workloads_ready=(*pools.node_pools, access.binding),
        )
        self.register_outputs({"clusterName": cluster.name, "networkId": network.network_id})

    @staticmethod
    def _zones(settings: Settings, provider: gcp.Provider) -> pulumi.Output[list[str]]:
        """The listed zones, or the region's first `network.zoneCount` zones that are up
        (regions do not all have an `a` zone: europe-west1 has b, c and d)."""
        count = settings.network.zone_count
        if settings.gcp.zones:
            return pulumi.Output.from_input(settings.gcp.zones[:count])
        found = gcp.compute.get_zones_output(
            project=settings.gcp.project,
            region=settings.gcp.region,
            status="UP",
            opts=pulumi.InvokeOutputOptions(provider=provider),
        )
        return found.names.apply(lambda names: sorted(names)[:count])
