"""Blob storage for flow artifacts and backups: a StorageV2 account with no public access,
no shared keys (Entra ID only), TLS 1.2+, versioning and soft delete, reached through a
private endpoint; zone-redundant (geo-zone-redundant in prod), locked and protected in prod."""

from __future__ import annotations

import re

import pulumi
import pulumi_azure_native.storage as storage
import pulumi_random as random

from ..config.schema import ObjectStore as ObjectStoreSettings
from ..foundation import ObjectStore
from .keys import ServiceKey
from .private_dns import PrivateAccess

CONTAINER = "flows"
# Soft delete keeps deleted blobs and containers at most this long (Azure Storage, "Soft
# delete for blobs": 1 to 365 days).
MAX_SOFT_DELETE_DAYS = 365


def account_name(name: str, kind: str, suffix: pulumi.Input[str]) -> pulumi.Output[str]:
    """Storage account names are 3 to 24 lowercase letters and digits, unique across Azure:
    the environment's name, the account's kind and a random suffix kept in state."""
    stem = re.sub(r"[^a-z0-9]", "", name.lower())[: 24 - len(kind) - 6]
    return pulumi.Output.concat(stem, kind, suffix)


def suffix(name: str, parent: pulumi.Resource) -> pulumi.Output[str]:
    return random.RandomString(
        f"{name}-storage-suffix", length=6, special=False, upper=False, opts=pulumi.ResourceOptions(parent=parent)
    ).result


def private_account_args(key: ServiceKey) -> dict:
    """What every account here shares: nothing public, nothing without TLS 1.2, no shared
    keys (an account key would be a long-lived secret that bypasses RBAC), no cross-tenant
    replication, a firewall that denies whatever the private endpoint does not bring, and
    data encrypted with the customer-managed storage key, read as the key's identity."""
    return {
        "allow_blob_public_access": False,
        "allow_shared_key_access": False,
        "default_to_o_auth_authentication": True,
        "allow_cross_tenant_replication": False,
        "minimum_tls_version": "TLS1_2",
        "enable_https_traffic_only": True,
        "public_network_access": "Disabled",
        "network_rule_set": storage.NetworkRuleSetArgs(default_action=storage.DefaultAction.DENY, bypass="None"),
        "identity": storage.IdentityArgs(type=storage.IdentityType.USER_ASSIGNED, user_assigned_identities=[key.identity.id]),
        "encryption": storage.EncryptionArgs(
            key_source=storage.KeySource.MICROSOFT_KEYVAULT,
            # No key version: Storage follows the key's newest version by itself (Azure
            # Storage, "Customer-managed keys for account encryption": automatically updating
            # the key version).
            key_vault_properties=storage.KeyVaultPropertiesArgs(key_name=key.key.name, key_vault_uri=key.vault_uri),
            encryption_identity=storage.EncryptionIdentityArgs(encryption_user_assigned_identity=key.identity.id),
            # A second layer of AES-256 at the infrastructure level (set at creation only).
            require_infrastructure_encryption=True,
        ),
    }


class BlobStore(pulumi.ComponentResource):
    result: ObjectStore
    account: storage.StorageAccount
    container: storage.BlobContainer
    endpoint_ready: pulumi.Resource

    def __init__(
        self,
        name: str,
        *,
        settings: ObjectStoreSettings,
        resource_group_name: pulumi.Input[str],
        location: str,
        access: PrivateAccess,
        key: ServiceKey,
        prod: bool,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:BlobStore", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.account = storage.StorageAccount(
            f"{name}-blob",
            account_name=account_name(name, "blob", suffix(f"{name}-blob", self)),
            resource_group_name=resource_group_name,
            location=location,
            kind="StorageV2",
            access_tier=storage.AccessTier.HOT,
            # Three zones; in prod also a copy in the paired region.
            sku=storage.SkuArgs(name="Standard_GZRS" if prod else "Standard_ZRS"),
            tags=tags,
            # Azure checks the key with the identity's role at creation.
            opts=pulumi.ResourceOptions(parent=self, protect=prod, depends_on=[key.grant]),
            **private_account_args(key),
        )
        retention = min(settings.noncurrent_version_retention_days, MAX_SOFT_DELETE_DAYS)
        storage.BlobServiceProperties(
            f"{name}-blob-service",
            account_name=self.account.name,
            resource_group_name=resource_group_name,
            blob_services_name="default",
            is_versioning_enabled=True,
            delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=retention),
            container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=retention),
            opts=child,
        )
        # Overwritten and deleted versions expire after the retention, as on the other clouds.
        storage.ManagementPolicy(
            f"{name}-blob-lifecycle",
            account_name=self.account.name,
            resource_group_name=resource_group_name,
            management_policy_name="default",
            policy=storage.ManagementPolicySchemaArgs(
                rules=[
                    storage.ManagementPolicyRuleArgs(
                        name="expire-old-versions",
                        type="Lifecycle",
                        enabled=True,
                        definition=storage.ManagementPolicyDefinitionArgs(
                            filters=storage.ManagementPolicyFilterArgs(blob_types=["blockBlob"]),
                            actions=storage.ManagementPolicyActionArgs(
                                version=storage.ManagementPolicyVersionArgs(
                                    delete=storage.DateAfterCreationArgs(
                                        days_after_creation_greater_than=settings.noncurrent_version_retention_days
                                    )
                                )
                            ),
                        ),
                    )
                ]
            ),
            opts=child,
        )
        self.container = storage.BlobContainer(
            f"{name}-blob-container",
            account_name=self.account.name,
            resource_group_name=resource_group_name,
            container_name=CONTAINER,
            public_access=storage.PublicAccess.NONE,
            opts=pulumi.ResourceOptions(parent=self, protect=prod),
        )
        self.endpoint_ready = access.endpoint(
            f"{name}-blob", resource_id=self.account.id, group_id="blob", holds="the blob storage account", parent=self
        )
        url = pulumi.Output.format("https://{0}.blob.core.windows.net/{1}", self.account.name, self.container.name)
        self.result = ObjectStore(kind="azure-blob", bucket=self.container.name, url=url, region=location)
        self.register_outputs({"account": self.account.name, "url": url})
