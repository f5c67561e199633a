"""The EKS control plane: private endpoint, access entries, encrypted secrets, encrypted audit logs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import pulumi
import pulumi_aws as aws

from ..config.schema import Cluster
from .cluster_access import admit_principals

LOG_TYPES = ["api", "audit", "authenticator"]
# Every control plane log type EKS offers (EKS User Guide, "Send control plane logs to
# CloudWatch Logs"): prod also keeps the controller manager's and the scheduler's.
ALL_LOG_TYPES = [*LOG_TYPES, "controllerManager", "scheduler"]


def control_plane_log_group(cluster_name: str) -> str:
    """The log group EKS writes control plane logs to; its name is fixed by EKS."""
    return f"/aws/eks/{cluster_name}/cluster"


def assume_role_policy(service: str, *, tag_session: bool = False, source: tuple[str, str] | None = None) -> str:
    """A trust policy for an AWS service. `source` (account id, ARN pattern) keeps it to
    that service acting for this account's resources: the confused-deputy conditions."""
    actions = ["sts:AssumeRole", "sts:TagSession"] if tag_session else ["sts:AssumeRole"]
    statement: dict = {"Effect": "Allow", "Principal": {"Service": service}, "Action": actions}
    if source:
        account_id, arn = source
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": account_id}, "ArnLike": {"aws:SourceArn": arn}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class EksCluster(pulumi.ComponentResource):
    name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    certificate_authority: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    # Resolves once whoever runs `pulumi up` may use the Kubernetes API.
    deployer_admitted: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        settings: Cluster,
        admin_principal_arns: Sequence[str],
        developer_principal_arns: Sequence[str],
        preview_principal_arns: Sequence[str],
        deployer_arn: pulumi.Output[str],
        prod: bool,
        subnet_ids: list[pulumi.Output[str]],
        api_access_security_group_id: pulumi.Input[str],
        secrets_key: Callable[[pulumi.Output[str]], pulumi.Output[str]],
        logs_key_arn: pulumi.Input[str],
        all_log_types: bool,
        deletion_protection: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:EksCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        role = aws.iam.Role(f"{name}-cluster", assume_role_policy=assume_role_policy("eks.amazonaws.com"), opts=child)
        policy = aws.iam.RolePolicyAttachment(
            f"{name}-cluster",
            role=role.name,
            policy_arn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
            opts=child,
        )
        # The secrets key names this role as its user, so the role comes first.
        secrets_key_arn = secrets_key(role.arn)
        # Created before the cluster so that EKS does not create it without a retention or key.
        logs = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=control_plane_log_group(name),
            retention_in_days=settings.log_retention_days,
            kms_key_id=logs_key_arn,
            opts=child,
        )
        cluster = aws.eks.Cluster(
            f"{name}-eks",
            name=name,
            version=settings.kubernetes_version,
            role_arn=role.arn,
            access_config=aws.eks.ClusterAccessConfigArgs(
                authentication_mode="API",
                # Every access entry is declared (cluster_access.py), the deployer's included.
                bootstrap_cluster_creator_admin_permissions=False,
            ),
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=subnet_ids,
                # Beside the cluster security group EKS makes: admits the deployers to the private endpoint.
                security_group_ids=[api_access_security_group_id],
                endpoint_private_access=True,
                endpoint_public_access=settings.endpoint_public_access,
                public_access_cidrs=settings.public_access_cidrs if settings.endpoint_public_access else None,
            ),
            encryption_config=aws.eks.ClusterEncryptionConfigArgs(
                resources=["secrets"],
                provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=secrets_key_arn),
            ),
            enabled_cluster_log_types=ALL_LOG_TYPES if all_log_types else LOG_TYPES,
            upgrade_policy=aws.eks.ClusterUpgradePolicyArgs(support_type="STANDARD"),
            deletion_protection=deletion_protection,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[policy, logs],
                # EKS reads the flag only at creation and the provider replaces the cluster when
                # it changes: a cluster created with it keeps its creator's entry (docs/security.md
                # says how to remove it) rather than be rebuilt.
                ignore_changes=["accessConfig.bootstrapClusterCreatorAdminPermissions"],
            ),
        )
        self.deployer_admitted = admit_principals(
            name,
            cluster_name=cluster.name,
            deployer_arn=deployer_arn,
            admin_principal_arns=admin_principal_arns,
            developer_principal_arns=developer_principal_arns,
            preview_principal_arns=preview_principal_arns,
            prod=prod,
            parent=self,
        )

        self.name = cluster.name
        self.endpoint = cluster.endpoint
        self.certificate_authority = cluster.certificate_authority.apply(lambda ca: ca.data or "")
        # EKS attaches this group to the control plane and to every managed node.
        self.security_group_id = cluster.vpc_config.apply(lambda vpc: vpc.cluster_security_group_id or "")
        self.register_outputs({"name": self.name, "endpoint": self.endpoint})
