"""Azure: the state storage account, a Key Vault with a secrets key per environment, and
user-assigned identities federated with GitHub Actions.

- State: a StorageV2 account (geo-zone-redundant, TLS 1.2, no public blob access, no
  shared keys, versioning, blob and container soft delete) with a container per
  environment (`pulumi login azblob://dev?storage_account=NAME`), so each identity is
  granted one container. Shared keys are off because Pulumi's azblob backend needs none:
  without AZURE_STORAGE_KEY or a SAS token it signs in with the Azure SDK's
  DefaultAzureCredential, workload identity federation and the Azure CLI included, and
  needs Storage Blob Data Contributor ("Using a DIY Backend", Azure Blob Storage). The
  account is reachable from the internet (GitHub-hosted runners have no fixed addresses),
  Entra ID only. A CanNotDelete lock and Pulumi's protect keep it.
- Secrets: a Key Vault (Azure RBAC, purge protection, 90 days of soft delete, locked) with
  an RSA key per environment (`azurekeyvault://VAULT.vault.azure.net/keys/NAME`). The keys
  have no automatic rotation: Pulumi's provider names the key without a version, and
  after a rotation it can no longer decrypt what the previous version encrypted
  (pulumi/pulumi#22338); rotate by moving each stack to a new key with
  `pulumi stack change-secrets-provider` (docs/bootstrap.md).
- CI: a user-assigned managed identity per identity (bootstrap/github.py: E-preview and E
  per environment), each with one federated credential for GitHub's issuer, its exact
  subject (matched whole: Microsoft Entra, "Workload identity federation", subject
  `repo:OWNER/REPO:environment:NAME` for a GitHub environment) and the audience
  api://AzureADTokenExchange (what azure/login requests).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.keyvault as keyvault
import pulumi_azure_native.managedidentity as managedidentity
import pulumi_azure_native.resources as resources
import pulumi_azure_native.storage as storage
import pulumi_random as random

from .config import Settings
from .github import ISSUER, PREVIEW_SUFFIX, ci_identities

AUDIENCE = "api://AzureADTokenExchange"
# Built-in role definition ids (Azure RBAC, "Azure built-in roles").
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
KEY_VAULT_CRYPTO_OFFICER = "14b46e9e-c2b7-41b4-b07b-48a6ebf60603"
SOFT_DELETE_DAYS = 90  # the longest Key Vault keeps a deleted vault or key; blobs as long
RESOURCE_GROUP = "centaurops-bootstrap"


class AzureBootstrap(pulumi.ComponentResource):
    outputs: dict[str, pulumi.Input[Any]]

    def __init__(self, name: str, settings: Settings, opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:bootstrap:AzureBootstrap", name, None, opts)
        config = settings.azure
        subscription, location = config.subscription_id, config.location
        provider = azure_native.Provider(
            f"{name}-azure", subscription_id=subscription, location=location, opts=pulumi.ResourceOptions(parent=self)
        )
        self._child = pulumi.ResourceOptions(parent=self, provider=provider)
        self._protected = pulumi.ResourceOptions(parent=self, provider=provider, protect=True)
        self._name, self._subscription = name, subscription
        tenant = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self, provider=provider)).tenant_id
        tags = {"project": "centaurops", "managed-by": "pulumi", "stack": pulumi.get_stack()}
        group = resources.ResourceGroup(
            f"{name}-rg", resource_group_name=RESOURCE_GROUP, location=location, tags=tags, opts=self._protected
        ).name
        suffix = random.RandomString(f"{name}-suffix", length=6, special=False, upper=False, opts=self._child).result

        identities = ci_identities(settings.github, settings.environments)
        principals: dict[str, pulumi.Output[str]] = {}
        client_ids: dict[str, pulumi.Output[str]] = {}
        for identity in identities:
            managed = managedidentity.UserAssignedIdentity(
                f"{name}-{identity.name}",
                resource_name_=f"centaurops-ci-{identity.name}",
                resource_group_name=group,
                location=location,
                tags=tags,
                opts=self._child,
            )
            managedidentity.FederatedIdentityCredential(
                f"{name}-{identity.name}-github",
                resource_name_=managed.name,
                resource_group_name=group,
                federated_identity_credential_resource_name="github-actions",
                issuer=ISSUER,
                subject=identity.subject,
                audiences=[AUDIENCE],
                opts=self._child,
            )
            principals[identity.name], client_ids[identity.name] = managed.principal_id, managed.client_id
            self._assign(
                f"{identity.name}-subscription",
                scope=f"/subscriptions/{subscription}",
                role=OWNER if identity.deploys else READER,
                principal=managed.principal_id,
            )

        account = storage.StorageAccount(
            f"{name}-state",
            account_name=pulumi.Output.concat("centaurops", "state", suffix),
            resource_group_name=group,
            location=location,
            kind="StorageV2",
            access_tier=storage.AccessTier.HOT,
            # Three zones, and a copy in the paired region: the state outlives a region.
            sku=storage.SkuArgs(name="Standard_GZRS"),
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            default_to_o_auth_authentication=True,
            allow_cross_tenant_replication=False,
            minimum_tls_version="TLS1_2",
            enable_https_traffic_only=True,
            encryption=storage.EncryptionArgs(key_source="Microsoft.Storage", require_infrastructure_encryption=True),
            tags=tags,
            opts=self._protected,
        )
        self._lock("state", account.id, "the Pulumi state of every centaurops stack")
        storage.BlobServiceProperties(
            f"{name}-state-blobs",
            account_name=account.name,
            resource_group_name=group,
            blob_services_name="default",
            is_versioning_enabled=True,
            delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=SOFT_DELETE_DAYS),
            container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=SOFT_DELETE_DAYS),
            opts=self._child,
        )

        vault = keyvault.Vault(
            f"{name}-keys",
            vault_name=pulumi.Output.concat("centaurops-", suffix),
            resource_group_name=group,
            location=location,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=tenant,
                sku=keyvault.SkuArgs(family="A", name=keyvault.SkuName.STANDARD),
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=SOFT_DELETE_DAYS,
                enable_purge_protection=True,
                public_network_access="Enabled",
            ),
            tags=tags,
            opts=self._protected,
        )
        self._lock("keys", vault.id, "the keys of every centaurops stack's secrets")
        for index, group_id in enumerate(config.key_admin_group_object_ids):
            self._assign(f"key-admin-{index}", scope=vault.id, role=KEY_VAULT_CRYPTO_OFFICER, principal=group_id, kind="Group")

        backends: dict[str, pulumi.Output[str]] = {}
        providers: dict[str, pulumi.Output[str]] = {}
        for environment in settings.environments:
            container = storage.BlobContainer(
                f"{name}-state-{environment}",
                account_name=account.name,
                resource_group_name=group,
                container_name=environment,
                public_access=storage.PublicAccess.NONE,
                opts=self._protected,
            )
            key = keyvault.Key(
                f"{name}-secrets-{environment}",
                key_name=f"secrets-{environment}",
                vault_name=vault.name,
                resource_group_name=group,
                properties=keyvault.KeyPropertiesArgs(
                    kty=keyvault.JsonWebKeyType.RSA,
                    key_size=3072,
                    # Encrypt and decrypt (or wrap and unwrap) the stack's data key with RSA-OAEP-256.
                    key_ops=["encrypt", "decrypt", "wrapKey", "unwrapKey"],
                ),
                opts=self._protected,
            )
            self._assign(
                f"{environment}-state", scope=container.id, role=STORAGE_BLOB_DATA_CONTRIBUTOR, principal=principals[environment]
            )
            self._assign(f"{environment}-secrets", scope=key.id, role=KEY_VAULT_CRYPTO_USER, principal=principals[environment])
            # Its own environment's preview identity only: a prod preview reads prod's secrets, a dev one dev's.
            preview = principals[f"{environment}{PREVIEW_SUFFIX}"]
            self._assign(f"preview-{environment}-state", scope=container.id, role=STORAGE_BLOB_DATA_READER, principal=preview)
            # No built-in role decrypts without encrypting: Crypto User does both.
            self._assign(f"preview-{environment}-secrets", scope=key.id, role=KEY_VAULT_CRYPTO_USER, principal=preview)
            # People who run pulumi by hand use each state and key like its deploy identity.
            for index, group_id in enumerate(config.operator_group_object_ids):
                self._assign(
                    f"operator-{index}-{environment}-state",
                    scope=container.id,
                    role=STORAGE_BLOB_DATA_CONTRIBUTOR,
                    principal=group_id,
                    kind="Group",
                )
                self._assign(
                    f"operator-{index}-{environment}-secrets",
                    scope=key.id,
                    role=KEY_VAULT_CRYPTO_USER,
                    principal=group_id,
                    kind="Group",
                )
            backends[environment] = pulumi.Output.concat(f"azblob://{environment}?storage_account=", account.name)
            providers[environment] = pulumi.Output.concat(
                "azurekeyvault://", vault.name, f".vault.azure.net/keys/secrets-{environment}"
            )

        self.outputs = {
            "stateAccount": account.name,
            "keyVault": vault.name,
            "clientIds": client_ids,
            "principalIds": principals,
            "backendUrls": backends,
            "secretsProviders": providers,
            "commands": {
                e: [
                    pulumi.Output.concat("pulumi login '", backends[e], "'"),
                    pulumi.Output.concat(f"pulumi stack init {e} --secrets-provider='", providers[e], "'"),
                ]
                for e in settings.environments
            },
            # Per GitHub environment, what .github/actions/stack-setup and the jobs read (docs/delivery.md).
            "githubVariables": {
                i.name: {
                    "AZURE_CLIENT_ID": client_ids[i.name],
                    "AZURE_TENANT_ID": tenant,
                    "AZURE_SUBSCRIPTION_ID": subscription,
                    "PULUMI_BACKEND_URL": backends[i.environment],
                }
                for i in identities
            },
            # What each environment's stack file of the main program says: its deploy
            # identity is a service principal, which gets the AKS RBAC Cluster Admin role; its
            # preview identity (a service principal too) reads the cluster.
            "mainStackConfig": {
                e: {
                    "centaurops:azure": {
                        "subscriptionId": subscription,
                        "deployerPrincipalType": "ServicePrincipal",
                        "previewPrincipalObjectIds": [principals[f"{e}{PREVIEW_SUFFIX}"]],
                    }
                }
                for e in settings.environments
            },
        }
        self.register_outputs(self.outputs)

    def _assign(
        self, name: str, *, scope: pulumi.Input[str], role: str, principal: pulumi.Input[str], kind: str = "ServicePrincipal"
    ) -> authorization.RoleAssignment:
        """A role assignment naming its principal type: a managed identity created moments
        ago may not have replicated in Entra ID yet, and Azure would fail to look it up
        (as components/azure/identity.py assign_role)."""
        return authorization.RoleAssignment(
            f"{self._name}-{name}",
            scope=scope,
            role_definition_id=f"/subscriptions/{self._subscription}/providers/Microsoft.Authorization/roleDefinitions/{role}",
            principal_id=principal,
            principal_type=kind,
            opts=self._child,
        )

    def _lock(self, name: str, scope: pulumi.Input[str], what: str) -> None:
        """A CanNotDelete lock: Azure refuses to delete the resource, or its group, until
        someone removes the lock, whatever tool asks."""
        authorization.ManagementLockByScope(
            f"{self._name}-{name}-lock",
            scope=scope,
            level="CanNotDelete",
            notes=f"centaurops bootstrap: {what}",
            opts=self._child,
        )
