"""Workload identity: the flow platform's Kubernetes service account acts as a
user-assigned managed identity, federated with the cluster's OIDC issuer, that may use
its blob container and nothing else."""

from __future__ import annotations

import pulumi
import pulumi_azure_native.managedidentity as managedidentity

from ..foundation import WorkloadIdentity
from .identity import STORAGE_BLOB_DATA_CONTRIBUTOR, assign_role

# The audience Microsoft Entra ID expects in a federated Kubernetes token (AKS, "Use
# Microsoft Entra Workload ID with AKS": federated identity credential).
TOKEN_AUDIENCE = "api://AzureADTokenExchange"
# What the AKS workload identity webhook reads: the annotation names the identity, the
# pod label asks for the projected token and the AZURE_* variables.
CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id"
USE_LABEL = "azure.workload.identity/use"


def subject(namespace: str, service_account: str) -> str:
    return f"system:serviceaccount:{namespace}:{service_account}"


class AzureWorkloadIdentity(pulumi.ComponentResource):
    identity: managedidentity.UserAssignedIdentity
    federation: managedidentity.FederatedIdentityCredential
    result: WorkloadIdentity

    def __init__(
        self,
        name: str,
        *,
        resource_group_name: pulumi.Input[str],
        location: str,
        subscription_id: pulumi.Input[str],
        oidc_issuer_url: pulumi.Input[str],
        container_id: pulumi.Input[str],
        namespace: str,
        service_account: str,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:WorkloadIdentity", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.identity = managedidentity.UserAssignedIdentity(
            f"{name}-workload", resource_group_name=resource_group_name, location=location, tags=tags, opts=child
        )
        self.federation = managedidentity.FederatedIdentityCredential(
            f"{name}-workload",
            resource_name_=self.identity.name,
            resource_group_name=resource_group_name,
            issuer=oidc_issuer_url,
            subject=subject(namespace, service_account),
            audiences=[TOKEN_AUDIENCE],
            opts=child,
        )
        # Read, write and delete blobs in its own container, nothing else in the account.
        self.grant = assign_role(
            f"{name}-workload-blob",
            scope=container_id,
            role=STORAGE_BLOB_DATA_CONTRIBUTOR,
            principal_id=self.identity.principal_id,
            principal_type="ServicePrincipal",
            subscription_id=subscription_id,
            parent=self,
        )
        self.result = WorkloadIdentity(
            namespace=namespace,
            service_account=service_account,
            service_account_annotations=self.identity.client_id.apply(lambda client_id: {CLIENT_ID_ANNOTATION: client_id}),
            pod_labels={USE_LABEL: "true"},
            # The token is a projected service account token file and Entra ID is on the
            # internet (app_egress): no node-local agent to reach, unlike EKS Pod Identity.
            agent_cidrs=(),
            agent_ports=(),
        )
        self.register_outputs({"clientId": self.identity.client_id})
