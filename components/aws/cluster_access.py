"""Who may use the EKS cluster: access entries only, each declared here. EKS bootstraps no
entry of its own: its creator's would be a cluster-admin no code shows, and it would collide
with an entry declared for the same principal ("An IAM principal can't be included in more
than one access entry", EKS User Guide, "Create access entries", which also says a role's
ARN may include its path: the deployer's is compared with the listed ones as IAM gives it).

- administrators: whoever runs `pulumi up` (it deploys the Kubernetes layer) and
  `aws.adminPrincipalArns` (the CI identities, the platform team): AmazonEKSClusterAdminPolicy;
- developers (`aws.developerPrincipalArns`): AmazonEKSViewPolicy in prod, AmazonEKSEditPolicy in dev;
- CI preview identities (`aws.previewPrincipalArns`): AmazonEKSAdminViewPolicy in every stack.

Access policies and what they grant: EKS User Guide, "Review access policy permissions"
(awsdocs/amazon-eks-user-guide, latest/ug/manage-access/k8s-access/access-policy-reference.adoc).
AmazonEKSViewPolicy reads most objects but not Secrets (AmazonEKSAdminViewPolicy and
AmazonEKSSecretReaderPolicy are the ones that do). AmazonEKSEditPolicy writes workloads,
Services, ConfigMaps and Secrets in every namespace but no Roles or RoleBindings, so who may
do what stays in this program. AmazonEKSAdminViewPolicy is get, list and watch on every
resource of every API group ("*"), Secrets included, and nothing else: what a refresh reads
(`pulumi refresh --preview-only`, drift.yml) is every object the program manages, cluster-scoped
ones (PersistentVolumes, StorageClasses, the ClusterIssuer) and Helm's release records
(Secrets of type helm.sh/release.v1) included, which AmazonEKSViewPolicy does not cover.
Fetching a kubeconfig (`aws eks update-kubeconfig`) needs eks:DescribeCluster in the
developers' own IAM policies, which this program does not own."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from ..config.errors import ConfigError, config_key
from ..principals import principal_suffix

_POLICIES = "arn:aws:eks::aws:cluster-access-policy"
ADMIN_POLICY = f"{_POLICIES}/AmazonEKSClusterAdminPolicy"
VIEW_POLICY = f"{_POLICIES}/AmazonEKSViewPolicy"
EDIT_POLICY = f"{_POLICIES}/AmazonEKSEditPolicy"
PREVIEW_POLICY = f"{_POLICIES}/AmazonEKSAdminViewPolicy"


def developer_policy(prod: bool) -> str:
    return VIEW_POLICY if prod else EDIT_POLICY


def _admit(
    name: str,
    *,
    cluster_name: pulumi.Input[str],
    principal_arn: pulumi.Input[str],
    policy: str,
    parent: pulumi.Resource,
    former_name: str | None = None,
) -> aws.eks.AccessPolicyAssociation:
    """`former_name`: what the resources were called when admins were named by their index."""
    aliases = [pulumi.Alias(name=former_name)] if former_name else None
    child = pulumi.ResourceOptions(parent=parent, aliases=aliases)
    entry = aws.eks.AccessEntry(name, cluster_name=cluster_name, principal_arn=principal_arn, opts=child)
    return aws.eks.AccessPolicyAssociation(
        name,
        cluster_name=cluster_name,
        principal_arn=entry.principal_arn,
        policy_arn=policy,
        access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
        opts=child,
    )


def admit_principals(
    name: str,
    *,
    cluster_name: pulumi.Input[str],
    deployer_arn: pulumi.Output[str],
    admin_principal_arns: Sequence[str],
    developer_principal_arns: Sequence[str],
    preview_principal_arns: Sequence[str],
    prod: bool,
    parent: pulumi.Resource,
) -> pulumi.Output[str]:
    """Declares every access entry; the result resolves once the deployer is cluster-admin."""
    admins = [
        _admit(
            f"{name}-admin-{principal_suffix(arn)}",
            cluster_name=cluster_name,
            principal_arn=arn,
            policy=ADMIN_POLICY,
            parent=parent,
            former_name=f"{name}-admin-{index}",
        )
        for index, arn in enumerate(admin_principal_arns)
    ]
    for arn in developer_principal_arns:
        _admit(
            f"{name}-developer-{principal_suffix(arn)}",
            cluster_name=cluster_name,
            principal_arn=arn,
            policy=developer_policy(prod),
            parent=parent,
        )
    for arn in preview_principal_arns:
        _admit(
            f"{name}-preview-{principal_suffix(arn)}",
            cluster_name=cluster_name,
            principal_arn=arn,
            policy=PREVIEW_POLICY,
            parent=parent,
        )

    def deployer(arn: str) -> pulumi.Output[str]:
        # The deployer is known at preview (an invoke), so its entry shows in the plan. When
        # CI deploys and is listed as an admin, that entry is the deployer's.
        for key_name, listed in (
            ("developerPrincipalArns", developer_principal_arns),
            ("previewPrincipalArns", preview_principal_arns),
        ):
            if arn in listed:
                key = config_key(("aws", key_name, list(listed).index(arn)))
                raise ConfigError([f"{key}: must not be the identity running `pulumi up` (an administrator), got {arn!r}"])
        if arn in admin_principal_arns:
            return admins[list(admin_principal_arns).index(arn)].id
        return _admit(f"{name}-deployer", cluster_name=cluster_name, principal_arn=arn, policy=ADMIN_POLICY, parent=parent).id

    return deployer_arn.apply(deployer)
