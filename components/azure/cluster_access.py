"""Developers on the AKS cluster (`azure.developerGroupObjectIds`), through Azure RBAC on the
cluster: AKS RBAC Reader in prod (no Secrets), AKS RBAC Writer in dev (no Roles or
RoleBindings: who may do what stays in this program), and the Cluster User Role in both, to
fetch a kubeconfig. Each assignment is named by its group, not its place in the list
(components/principals.py says why). The administrators are in cluster.py: the deployer and
`azure.adminGroupObjectIds`, the CI identities being members of one of those groups."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_azure_native.authorization as authorization

from .identity import AKS_CLUSTER_USER, AKS_RBAC_READER, AKS_RBAC_WRITER, assign_role


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
