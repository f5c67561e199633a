"""The whole Azure foundation, wired for the shortest deploy: the resource group and
network first, then the cluster in parallel with the database, cache and storage (none of
them waits for the cluster); the workload pool and the workload's federated identity after
the cluster."""

from __future__ import annotations

from dataclasses import replace

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.provider as azure_provider

from ..config.schema import Settings
from ..foundation import SYSTEM, ApiServerEndpoint, ClusterDns, EgressRule, FoundationResult
from .aliases import without_type_history_aliases
from .cache import ManagedRedis
from .cluster import AksCluster
from .database import FlexiblePostgres, private_zone_name
from .files import NfsFiles
from .identity import ClusterIdentities
from .keys import VAULT_ZONE, CustomerKeys
from .kubeconfig import aks_kubeconfig
from .monitoring import ControlPlaneLogs
from .network import Network
from .node_pools import workload_placement, workload_pool
from .private_dns import BLOB_ZONE, FILE_ZONE, REDIS_ZONE, PrivateAccess, PrivateZone
from .resource_group import ResourceGroup
from .storage import BlobStore
from .workload_identity import AzureWorkloadIdentity

# ingress-nginx answers the Azure load balancer's HTTP health probe only on /healthz: without
# this the probe asks for / on the ingress port, gets a 404, and the load balancer marks
# every backend unhealthy (AKS, "Create an unmanaged ingress controller": the
# azure-load-balancer-health-probe-request-path annotation set to /healthz).
INGRESS_SERVICE_ANNOTATIONS = {"service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz"}
# Microsoft Entra ID (login.microsoftonline.com), where workload identity exchanges the pod's
# token, has no fixed address range a network policy could name (its service tag
# AzureActiveDirectory changes weekly and spans several hundred prefixes): the app reaches it
# on 443 anywhere outside the private ranges: RFC 1918 (the VNet, the pod overlay and the
# Services), shared address space, and link-local (the instance metadata service, 169.254.169.254).
PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16")


class AzureFoundation(pulumi.ComponentResource):
    result: FoundationResult

    def __init__(self, name: str, settings: Settings, tags: dict[str, str], opts: pulumi.ResourceOptions | None = None):
        # Every resource below inherits the transformation (aliases.py says why).
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(transformations=[without_type_history_aliases]))
        super().__init__("centaurops:azure:Foundation", name, None, opts)
        azure = settings.azure
        location = azure.location
        # An explicit provider: subscription and location come from this stack, never the
        # ambient azure-native config (the subscription falls back to ARM_SUBSCRIPTION_ID,
        # then the Azure CLI's current one). azure-native has no default tags: every
        # resource that takes tags is given them.
        provider = azure_provider.Provider(
            f"{name}-azure",
            location=location,
            subscription_id=azure.subscription_id or None,
            opts=pulumi.ResourceOptions(parent=self),
        )
        child = pulumi.ResourceOptions(parent=self, providers={"azure-native": provider})
        prod = settings.is_prod
        zones = azure.zones(settings.network.zone_count)
        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(provider=provider, parent=self))
        subscription_id = client.subscription_id

        group = ResourceGroup(name, location=location, tags=tags, opts=child)
        rg = group.name
        net = Network(
            name,
            cidr=settings.network.cidr,
            resource_group_name=rg,
            location=location,
            ingress_sources=settings.ingress.allowed_source_cidrs,
            tags=tags,
            opts=child,
        )

        def zone(kind: str, zone_name: str) -> PrivateZone:
            return PrivateZone(
                f"{name}-{kind}", zone_name=zone_name, resource_group_name=rg, vnet_id=net.vnet_id, tags=tags, opts=child
            )

        def private(kind: str, zone_name: str) -> PrivateAccess:
            """A service's way in: a private endpoint in the endpoints subnet, named in its zone."""
            return PrivateAccess(
                subnet_id=net.endpoints_subnet.id,
                zone=zone(kind, zone_name),
                resource_group_name=rg,
                location=location,
                tags=tags,
                locked=prod,
            )

        postgres_zone = zone("postgres", private_zone_name(name))
        redis, blob, file = private("redis", REDIS_ZONE), private("blob", BLOB_ZONE), private("file", FILE_ZONE)

        identities = ClusterIdentities(
            name,
            resource_group_name=rg,
            location=location,
            subscription_id=subscription_id,
            subnet_ids=[net.nodes_subnet.id, net.api_server_subnet.id],
            tags=tags,
            opts=child,
        )
        keys = CustomerKeys(
            name,
            resource_group_name=rg,
            location=location,
            tenant_id=client.tenant_id,
            subscription_id=subscription_id,
            access=private("vault", VAULT_ZONE),
            control_plane_principal_id=identities.control_plane.principal_id,
            # Only prod copies PostgreSQL's backups to the paired region.
            geo_backup_location=azure.geo_backup_location if prod else None,
            prod=prod,
            tags=tags,
            opts=child,
        )
        pools = settings.node_pools
        cluster = AksCluster(
            name,
            settings=settings.cluster,
            system_pool=(pools.system, azure.node_pools.system),
            zones=zones,
            resource_group_name=rg,
            location=location,
            subscription_id=subscription_id,
            tenant_id=client.tenant_id,
            identities=identities,
            kms=keys.kms,
            nodes_subnet_id=net.nodes_subnet.id,
            api_server_subnet_id=net.api_server_subnet.id,
            admin_group_object_ids=azure.admin_group_object_ids,
            developer_group_object_ids=azure.developer_group_object_ids,
            preview_principal_object_ids=azure.preview_principal_object_ids,
            prod=settings.is_prod,
            deployer=(client.object_id, azure.deployer_principal_type),
            tags=tags,
            opts=child,
        )
        # The control plane's logs, from the cluster's creation on.
        ControlPlaneLogs(
            name,
            cluster_id=cluster.id,
            retention_days=settings.cluster.log_retention_days,
            resource_group_name=rg,
            location=location,
            prod=prod,
            tags=tags,
            opts=child,
        )
        workload = workload_pool(
            name,
            pool=pools.workload,
            azure_pool=azure.node_pools.workload,
            zones=zones,
            subnet_id=net.nodes_subnet.id,
            cluster_name=cluster.name,
            resource_group_name=rg,
            tags=tags,
            parent=cluster,
        )

        database = FlexiblePostgres(
            name,
            settings=settings.database,
            sku=azure.postgres_sku,
            zones=zones,
            resource_group_name=rg,
            location=location,
            subnet_id=net.postgres_subnet.id,
            zone=postgres_zone,
            key=keys.services["postgres"],
            geo_key=keys.postgres_geo,
            prod=prod,
            tags=tags,
            opts=child,
        )
        cache = ManagedRedis(
            name,
            settings=settings.cache,
            sku=azure.redis_sku,
            resource_group_name=rg,
            location=location,
            access=redis,
            key=keys.services["redis"],
            provider=provider,
            prod=prod,
            tags=tags,
            opts=child,
        )
        store = BlobStore(
            name,
            settings=settings.object_store,
            resource_group_name=rg,
            location=location,
            access=blob,
            key=keys.services["storage"],
            prod=prod,
            tags=tags,
            opts=child,
        )
        files = NfsFiles(
            name,
            size_gb=azure.file_share_gb,
            namespace=settings.workload.namespace,
            resource_group_name=rg,
            location=location,
            access=file,
            key=keys.services["storage"],
            prod=prod,
            tags=tags,
            opts=child,
        )
        identity = AzureWorkloadIdentity(
            name,
            resource_group_name=rg,
            location=location,
            subscription_id=subscription_id,
            oidc_issuer_url=cluster.oidc_issuer_url,
            container_id=store.container.id,
            namespace=settings.workload.namespace,
            service_account=settings.workload.service_account,
            tags=tags,
            opts=child,
        )

        plan = net.plan
        self.result = FoundationResult(
            cloud="azure",
            cluster_name=cluster.name,
            kubernetes_version=settings.cluster.kubernetes_version,
            kubeconfig=aks_kubeconfig(resource_group_name=rg, cluster_name=cluster.name, provider=provider, parent=self),
            data_cidrs=net.data_cidrs,
            # Each service in its own subnet: the app reaches PostgreSQL on 5432 in its
            # delegated subnet and Redis on 10000 among the private endpoints, not crosswise.
            database=replace(database.connection, cidrs=(net.plan.postgres,)),
            cache=replace(cache.connection, cidrs=(net.plan.endpoints,)),
            object_store=store.result,
            file_storage=files.result,
            # With API Server VNet Integration the `kubernetes` Service's endpoint is the API
            # server's internal load balancer in its delegated subnet: an address that is
            # neither a pod's nor a node's, which a Cilium ipBlock can select (AKS, "Azure CNI
            # powered by Cilium", limitations: ipBlock cannot select pod or node addresses).
            api_server=ApiServerEndpoint(cidrs=(plan.api_server,), port=443),
            ingress_service_annotations=INGRESS_SERVICE_ANNOTATIONS,
            system_nodes=SYSTEM,
            workload_nodes=workload_placement(pools.workload.capacity_type == "spot"),
            workload_identity=identity.result,
            # AKS runs its own cluster autoscaler and metrics-server: nothing to install.
            cluster_charts=(),
            # CoreDNS pods are k8s-app=kube-dns in kube-system; AKS runs no node-local DNS cache.
            dns=ClusterDns(),
            app_egress=(
                EgressRule("blob", (plan.endpoints,), (443,)),
                EgressRule("entra-id", ("0.0.0.0/0",), (443,), excepts=PRIVATE_RANGES),
            ),
            workloads_ready=(
                workload,
                *cluster.admins,
                identity.federation,
                identity.grant,
                cache.endpoint_ready,
                store.endpoint_ready,
                files.endpoint_ready,
            ),
        )
        self.register_outputs({"clusterName": cluster.name, "vnetId": net.vnet_id})
