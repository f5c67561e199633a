"""Managed identities: the AKS control plane's and the kubelet's (user-assigned, created
first, so their roles exist before the cluster), and role assignments that always name
their principal type."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.managedidentity as managedidentity

# Built-in role definition ids (Azure RBAC, "Azure built-in roles").
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
MANAGED_IDENTITY_OPERATOR = "f1a07417-d97a-45cb-824c-7a7467783830"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"
# Azure built-in roles, "Containers" (MicrosoftDocs/azure-docs,
# articles/role-based-access-control/built-in-roles/containers.md): RBAC Reader reads most
# objects but not Secrets ("does not allow viewing Secrets"); RBAC Writer writes most objects,
# Secrets included, but no Roles or RoleBindings. Neither lists the cluster user credential
# (`az aks get-credentials`): the Cluster User Role does (listClusterUserCredential/action).
AKS_RBAC_READER = "7f6c6a51-bcf8-42ba-9220-52d62157d7db"
AKS_RBAC_WRITER = "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb"
AKS_CLUSTER_USER = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"


def role_definition_id(subscription_id: pulumi.Input[str], role: pulumi.Input[str]) -> pulumi.Output[str]:
    return pulumi.Output.format("/subscriptions/{0}/providers/Microsoft.Authorization/roleDefinitions/{1}", subscription_id, role)


def assign_role(
    name: str,
    *,
    scope: pulumi.Input[str],
    role: pulumi.Input[str],
    principal_id: pulumi.Input[str],
    principal_type: str,
    subscription_id: pulumi.Input[str],
    parent: pulumi.Resource,
    depends_on: Sequence[pulumi.Resource] = (),
    former_name: str | None = None,
) -> authorization.RoleAssignment:
    """A role assignment naming its principal type: for an identity created moments ago,
    Azure otherwise looks the principal up in Entra ID, may not find it yet (replication)
    and fails with PrincipalNotFound (Azure RBAC, "Assign Azure roles using Azure Resource
    Manager templates": "set the principalType property ... to ServicePrincipal")."""
    return authorization.RoleAssignment(
        name,
        scope=scope,
        role_definition_id=role_definition_id(subscription_id, role),
        principal_id=principal_id,
        principal_type=principal_type,
        opts=pulumi.ResourceOptions(
            parent=parent,
            depends_on=list(depends_on),
            aliases=[pulumi.Alias(name=former_name)] if former_name else None,
        ),
    )


class ClusterIdentities(pulumi.ComponentResource):
    """AKS with a user-assigned control-plane identity and a pre-created kubelet identity:
    the control plane must be allowed to assign the kubelet identity to the nodes (Managed
    Identity Operator on it) and to join the subnets it uses, its own VNet being brought
    (Network Contributor on the node and API server subnets) (AKS, "Use a managed identity
    in AKS": "Add role assignment for control plane identity" and "pre-created kubelet
    managed identity")."""

    control_plane: managedidentity.UserAssignedIdentity
    kubelet: managedidentity.UserAssignedIdentity
    grants: list[authorization.RoleAssignment]

    def __init__(
        self,
        name: str,
        *,
        resource_group_name: pulumi.Input[str],
        location: str,
        subscription_id: pulumi.Input[str],
        subnet_ids: Sequence[pulumi.Input[str]],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:ClusterIdentities", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        common = {"resource_group_name": resource_group_name, "location": location, "tags": tags}
        self.control_plane = managedidentity.UserAssignedIdentity(f"{name}-control-plane", opts=child, **common)
        self.kubelet = managedidentity.UserAssignedIdentity(f"{name}-kubelet", opts=child, **common)
        self.grants = [
            assign_role(
                f"{name}-control-plane-kubelet-operator",
                scope=self.kubelet.id,
                role=MANAGED_IDENTITY_OPERATOR,
                principal_id=self.control_plane.principal_id,
                principal_type="ServicePrincipal",
                subscription_id=subscription_id,
                parent=self,
            ),
            *(
                assign_role(
                    f"{name}-control-plane-subnet-{index}",
                    scope=subnet_id,
                    role=NETWORK_CONTRIBUTOR,
                    principal_id=self.control_plane.principal_id,
                    principal_type="ServicePrincipal",
                    subscription_id=subscription_id,
                    parent=self,
                )
                for index, subnet_id in enumerate(subnet_ids)
            ),
        ]
        self.register_outputs({"controlPlane": self.control_plane.id, "kubelet": self.kubelet.id})
