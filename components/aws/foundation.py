"""The whole AWS foundation, wired for the shortest deploy: keys, network, then the
cluster in parallel with the database, cache and bucket; node pools and add-ons after
the cluster; the data services' firewall rules last."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from ..config.schema import Settings
from ..foundation import SYSTEM, WORKLOAD, ApiServerEndpoint, FoundationResult, S3Files
from .addons import EksAddons
from .api_access import ApiAccess
from .cache import ElastiCacheRedis
from .caller import current_caller
from .cluster import EksCluster, control_plane_log_group
from .cluster_charts import ClusterCharts
from .database import RdsPostgres
from .database import log_group_names as database_log_groups
from .encryption import EncryptionKeys
from .flow_logs import VpcFlowLogs
from .flow_logs import log_group_name as flow_log_group
from .identity import PodIdentity
from .kubeconfig import eks_kubeconfig
from .network import Network
from .node_pools import NodePools
from .storage import S3Store

# The EKS cloud controller provisions an NLB for the ingress controller's Service.
INGRESS_SERVICE_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
}


class AwsFoundation(pulumi.ComponentResource):
    result: FoundationResult

    def __init__(self, name: str, settings: Settings, tags: dict[str, str], opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:aws:Foundation", name, None, opts)
        aws_settings = settings.aws
        # An explicit provider: region and default tags come from this stack, never the ambient AWS config.
        provider = aws.Provider(
            f"{name}-aws",
            region=aws_settings.region,
            default_tags=aws.ProviderDefaultTagsArgs(tags=tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        child = pulumi.ResourceOptions(parent=self, providers={"aws": provider})
        prod = settings.is_prod

        caller = current_caller(provider=provider, parent=self)
        keys = EncryptionKeys(
            name,
            caller=caller,
            region=aws_settings.region,
            admin_principal_arns=settings.aws.admin_principal_arns,
            log_groups=[control_plane_log_group(name), flow_log_group(name), *database_log_groups(name)],
            protect=prod,
            opts=child,
        )
        network = Network(
            name,
            cidr=settings.network.cidr,
            zones=aws_settings.zones(settings.network.zone_count),
            nat_per_zone=settings.network.nat_gateways == "perZone",
            cluster_name=name,
            opts=child,
        )
        api_access = ApiAccess(
            name,
            vpc_id=network.vpc_id,
            settings=settings.cluster,
            security_group_ids=aws_settings.private_access_security_group_ids,
            opts=child,
        )
        VpcFlowLogs(
            name,
            vpc_id=network.vpc_id,
            region=aws_settings.region,
            account_id=caller.account_id,
            retention_days=settings.cluster.log_retention_days,
            kms_key_arn=keys.logs_key_arn,
            opts=child,
        )
        cluster = EksCluster(
            name,
            settings=settings.cluster,
            admin_principal_arns=aws_settings.admin_principal_arns,
            developer_principal_arns=aws_settings.developer_principal_arns,
            preview_principal_arns=aws_settings.preview_principal_arns,
            deployer_arn=caller.deployer_arn,
            prod=prod,
            subnet_ids=network.private_subnet_ids,
            api_access_security_group_id=api_access.security_group_id,
            secrets_key=keys.cluster_key,
            logs_key_arn=keys.logs_key_arn,
            all_log_types=prod,
            deletion_protection=prod,
            opts=child,
        )
        addons = EksAddons(name, cluster_name=cluster.name, versions=aws_settings.addon_versions, opts=child)
        pools = NodePools(
            name,
            cluster_name=cluster.name,
            kubernetes_version=settings.cluster.kubernetes_version,
            subnet_ids=network.private_subnet_ids,
            pools={
                "system": (settings.node_pools.system, aws_settings.node_pools.system),
                "workload": (settings.node_pools.workload, aws_settings.node_pools.workload),
            },
            tags=tags,
            after=addons.before_nodes,
            opts=child,
        )
        cluster_services = addons.add_after_nodes(pools.node_groups)
        # The workload's role exists before the data key, whose policy names it.
        identity = PodIdentity(
            name,
            cluster_name=cluster.name,
            namespace=settings.workload.namespace,
            service_account=settings.workload.service_account,
            opts=child,
        )
        data_key_arn = keys.data_key(identity.role_arn)

        database = RdsPostgres(
            name,
            settings=settings.database,
            instance_class=aws_settings.database_instance_class,
            vpc_id=network.vpc_id,
            subnet_ids=network.data_subnet_ids,
            kms_key_arn=data_key_arn,
            logs_key_arn=keys.logs_key_arn,
            log_retention_days=settings.cluster.log_retention_days,
            region=aws_settings.region,
            account_id=caller.account_id,
            prod=prod,
            opts=child,
        )
        cache = ElastiCacheRedis(
            name,
            settings=settings.cache,
            node_type=aws_settings.cache_node_type,
            vpc_id=network.vpc_id,
            subnet_ids=network.data_subnet_ids,
            kms_key_arn=data_key_arn,
            prod=prod,
            opts=child,
        )
        firewall_rules = [
            database.firewall.admit(cluster.security_group_id),
            cache.firewall.admit(cluster.security_group_id),
        ]

        store = S3Store(
            name,
            settings=settings.object_store,
            region=aws_settings.region,
            account_id=caller.account_id,
            kms_key_arn=data_key_arn,
            log_retention_days=settings.cluster.log_retention_days,
            prod=prod,
            opts=child,
        )
        workload_identity = identity.bind(bucket_arn=store.bucket_arn, data_key_arn=data_key_arn, depends_on=addons.before_nodes)
        charts = ClusterCharts(
            name,
            cluster_name=cluster.name,
            kubernetes_version=settings.cluster.kubernetes_version,
            region=aws_settings.region,
            account_id=caller.account_id,
            highly_available=prod,
            depends_on=addons.before_nodes,
            opts=child,
        )

        self.result = FoundationResult(
            cloud="aws",
            cluster_name=cluster.name,
            kubernetes_version=settings.cluster.kubernetes_version,
            # The Kubernetes layer deploys once its deployer is admitted.
            kubeconfig=pulumi.Output.all(
                eks_kubeconfig(
                    cluster_name=cluster.name,
                    endpoint=cluster.endpoint,
                    certificate_authority=cluster.certificate_authority,
                    region=aws_settings.region,
                ),
                cluster.deployer_admitted,
            ).apply(lambda values: values[0]),
            data_cidrs=network.data_cidrs,
            database=database.connection,
            cache=cache.connection,
            object_store=store.result,
            file_storage=S3Files(bucket=store.result.bucket, region=aws_settings.region),
            # The private endpoint's network interfaces live in the cluster's (private) subnets.
            api_server=ApiServerEndpoint(cidrs=tuple(plan.private for plan in network.plan)),
            ingress_service_annotations=INGRESS_SERVICE_ANNOTATIONS,
            system_nodes=SYSTEM,
            workload_nodes=WORKLOAD,
            workload_identity=workload_identity,
            cluster_charts=charts.charts,
            workloads_ready=(
                *pools.node_groups,
                *cluster_services,
                *firewall_rules,
                identity.association,
                charts.association,
            ),
        )
        self.register_outputs({"clusterName": cluster.name, "vpcId": network.vpc_id})
