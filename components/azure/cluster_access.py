"""Developers on the AKS cluster (`azure.developerGroupObjectIds`), through Azure RBAC on the
cluster: AKS RBAC Reader in prod (no Secrets), AKS RBAC Writer in dev (no Roles or
RoleBindings: who may do what stays in this program), and the Cluster User Role in both, to
fetch a kubeconfig. Each assignment is named by its group, not its place in the list
(components/principals.py says why). The administrators are in cluster.py: the deployer and
`azure.adminGroupObjectIds`, the CI identities being members of one of those groups.

The CI preview identities (`azure.previewPrincipalObjectIds`: bootstrap's managed identities,
service principals) read every object, Secrets included, and write nothing, in every stack: a
refresh (`pulumi refresh --preview-only`, drift.yml) reads every object the program manages,
cluster-scoped ones and the cert-manager ClusterIssuer included, and Helm's release records
(Secrets of type helm.sh/release.v1). No built-in role does that (RBAC Reader leaves Secrets
out, RBAC Writer writes), so a custom role holds the one data action AKS documents for reading
every object, custom resources included: `Microsoft.ContainerService/managedClusters/*/read`
(AKS, "Use Azure RBAC for Kubernetes Authorization", Limitations: "If you have CRDs and are
making custom role definitions, the only way to cover CRDs today is to use
Microsoft.ContainerService/managedClusters/*/read"). The Cluster User Role lets them fetch
the kubeconfig the program itself asks for (components/azure/kubeconfig.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pulumi
import pulumi_azure_native.authorization as authorization

from .identity import AKS_CLUSTER_USER, AKS_RBAC_READER, AKS_RBAC_WRITER, assign_role

READ_EVERYTHING = "Microsoft.ContainerService/managedClusters/*/read"


def developer_role(prod: bool) -> str:
    return AKS_RBAC_READER if prod else AKS_RBAC_WRITER


def admit_developers(
    name: str,
    *,
    cluster_id: pulumi.Input[str],
    group_object_ids: Sequence[str],
    prod: bool,
    subscription_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> list[authorization.RoleAssignment]:
    return [
        assign_role(
            f"{name}-developer-group-{group}{suffix}",
            scope=cluster_id,
            role=role,
            principal_id=group,
            principal_type="Group",
            subscription_id=subscription_id,
            parent=parent,
        )
        for group in group_object_ids
        for suffix, role in (("", developer_role(prod)), ("-user", AKS_CLUSTER_USER))
    ]


def admit_previews(
    name: str,
    *,
    cluster_id: pulumi.Input[str],
    resource_group_id: pulumi.Input[str],
    principal_object_ids: Sequence[str],
    subscription_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> list[authorization.RoleAssignment]:
    """The custom reader exists only while someone holds it; it is assignable in the cluster's
    resource group only, and assigned on the cluster."""
    if not principal_object_ids:
        return []
    # A role definition is named by a GUID the caller picks: derived from the subscription and
    # the stack, so that it stays the same from run to run and differs between subscriptions.
    role_id = pulumi.Output.from_input(subscription_id).apply(
        lambda subscription: str(uuid.uuid5(uuid.NAMESPACE_URL, f"centaurops/{subscription}/{name}/kubernetes-reader"))
    )
    reader = authorization.RoleDefinition(
        f"{name}-kubernetes-reader",
        role_definition_id=role_id,
        scope=resource_group_id,
        role_name=pulumi.Output.format("{0}: read every Kubernetes object ({1})", name, subscription_id),
        description="Read every object of the centaurops cluster, Secrets included; write nothing (CI previews).",
        role_type="CustomRole",
        permissions=[authorization.PermissionArgs(actions=[], data_actions=[READ_EVERYTHING])],
        assignable_scopes=[resource_group_id],
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return [
        assign_role(
            f"{name}-preview-{principal}{suffix}",
            scope=cluster_id,
            role=role,
            principal_id=principal,
            principal_type="ServicePrincipal",
            subscription_id=subscription_id,
            parent=parent,
            depends_on=[reader] if not suffix else (),
        )
        for principal in principal_object_ids
        for suffix, role in (("", role_id), ("-user", AKS_CLUSTER_USER))
    ]
