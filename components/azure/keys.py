"""Customer-managed keys: a Key Vault (Azure RBAC, soft delete, purge protection, no public
network access, a private endpoint) holding one key per service, each service reading its
key as its own user-assigned identity with the least role that wraps and unwraps; in prod,
PostgreSQL's geo-backup key in a second vault in the region its backups are copied to.

How each service reaches a vault whose public access is disabled: Azure Storage and
PostgreSQL Flexible Server are trusted services, which bypass the firewall even with
`publicNetworkAccess: Disabled` (Key Vault, "Virtual network service endpoints", Trusted
services: "Disabled ... allowlisted services still bypass and don't require a private
endpoint"); Azure Managed Redis asks for the same (Azure Managed Redis, "Configure disk
encryption", prerequisites: "the Key Vault instance must be configured to allow trusted
services"); AKS's KMS plugin with `keyVaultNetworkAccess: Private` builds its own private
endpoint to the vault, for which the control-plane identity needs Key Vault Contributor on
the vault besides a crypto role (AKS, "Add KMS etcd encryption", Turn on KMS for a private key
vault). ARM creates the keys through the control plane, which the vault's firewall does not
govern ("deployment of secrets or keys through ARM templates are not affected by firewalls").

Keys rotate every year and never expire: Storage and PostgreSQL use the versionless key URI
and follow each new version by themselves; AKS and Redis are given a version, which stays
valid after a rotation (an expired version would take the cluster's secrets or the cache
down), and move to the new one when `pulumi refresh` reads it and `pulumi up` applies it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.keyvault as keyvault
import pulumi_azure_native.managedidentity as managedidentity
import pulumi_random as random

from .identity import assign_role
from .private_dns import PrivateAccess
from .resource_group import delete_lock

# Built-in roles (Azure RBAC, "Azure built-in roles", Security): Crypto Service Encryption User
# reads keys' metadata and wraps and unwraps with them, what Storage, PostgreSQL and Redis
# need; Crypto User encrypts and decrypts too, what AKS's guide grants its KMS identity;
# Key Vault Contributor manages the vault (not its data), what AKS needs to build its private endpoint.
KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
KEY_VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395"
VAULT_ZONE = "privatelink.vaultcore.azure.net"
# The longest Key Vault keeps a deleted vault or key recoverable (7..90 days), the retention
# PostgreSQL's data encryption guide recommends; purge protection makes it binding.
SOFT_DELETE_DAYS = 90
# RSA keys only (Redis); 2048, 3072 and 4096 bits are accepted by PostgreSQL and Storage.
KEY_SIZE = 3072
ROTATE_AFTER = "P1Y"
SERVICES = ("storage", "postgres", "redis")


def vault_name(name: str, suffix: pulumi.Input[str]) -> pulumi.Output[str]:
    """3 to 24 letters, digits and single hyphens, starting with a letter, unique across Azure (and
    reserved while soft-deleted: a random suffix lets a stack be rebuilt within 90 days)."""
    stem = re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "", name.lower()))[: 24 - len("-kv-") - 6].strip("-")
    return pulumi.Output.concat(stem, "-kv-", suffix)


@dataclass(frozen=True)
class ServiceKey:
    """A key, the identity a service reads it as, and the grant the service must wait for
    (Azure checks the key when the service is created: the role must exist by then)."""

    key: keyvault.Key
    vault_uri: pulumi.Output[str]
    identity: managedidentity.UserAssignedIdentity
    grant: authorization.RoleAssignment

    @property
    def versionless_uri(self) -> pulumi.Output[str]:
        return self.key.key_uri

    @property
    def versioned_uri(self) -> pulumi.Output[str]:
        return self.key.key_uri_with_version


@dataclass(frozen=True)
class KmsKey:
    """What AKS's KMS plugin is given: the key's versioned id, the vault, and the roles the
    control-plane identity must hold before the cluster is created or updated."""

    key_id: pulumi.Output[str]
    vault_id: pulumi.Output[str]
    grants: tuple[authorization.RoleAssignment, ...]


class CustomerKeys(pulumi.ComponentResource):
    vault: keyvault.Vault
    services: dict[str, ServiceKey]
    postgres_geo: ServiceKey | None
    kms: KmsKey

    def __init__(
        self,
        name: str,
        *,
        resource_group_name: pulumi.Input[str],
        location: str,
        tenant_id: pulumi.Input[str],
        subscription_id: pulumi.Input[str],
        access: PrivateAccess,
        control_plane_principal_id: pulumi.Input[str],
        geo_backup_location: str | None,
        prod: bool,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:CustomerKeys", name, None, opts)
        self._rg, self._tenant, self._subscription, self._prod, self._tags = (
            resource_group_name,
            tenant_id,
            subscription_id,
            prod,
            tags,
        )
        self.vault = self._vault(name, location)
        # The vault's own way in from the VNet (operators rotating or inspecting keys); in
        # prod this also puts the delete lock on the vault (and so on its keys).
        access.endpoint(
            f"{name}-kv", resource_id=self.vault.id, group_id="vault", holds="the data's encryption keys", parent=self
        )
        self.services = {service: self._service_key(name, service, self.vault, location) for service in SERVICES}
        self.postgres_geo = None
        if geo_backup_location:
            # Geo-redundant backups are encrypted with a key in the region they are copied to,
            # read by another identity than the primary key's (PostgreSQL, "Data encryption",
            # geo-redundant business continuity features), created in that region too.
            geo_vault = self._vault(f"{name}-geo", geo_backup_location)
            if prod:
                delete_lock(f"{name}-geo-kv", scope=geo_vault.id, what="the geo-backup encryption key", parent=self)
            self.postgres_geo = self._service_key(name, "postgres-geo", geo_vault, geo_backup_location)
        aks_key = self._key(name, "aks", self.vault)
        self.kms = KmsKey(
            key_id=aks_key.key_uri_with_version,
            vault_id=self.vault.id,
            grants=(
                self._grant(f"{name}-aks-key-crypto-user", aks_key.id, KEY_VAULT_CRYPTO_USER, control_plane_principal_id),
                self._grant(f"{name}-aks-vault-contributor", self.vault.id, KEY_VAULT_CONTRIBUTOR, control_plane_principal_id),
            ),
        )
        self.register_outputs({"vault": self.vault.name})

    def _vault(self, name: str, location: str) -> keyvault.Vault:
        suffix = random.RandomString(
            f"{name}-kv-suffix", length=6, special=False, upper=False, opts=pulumi.ResourceOptions(parent=self)
        ).result
        return keyvault.Vault(
            f"{name}-kv",
            vault_name=vault_name(name, suffix),
            resource_group_name=self._rg,
            location=location,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=self._tenant,
                sku=keyvault.SkuArgs(family=keyvault.SkuFamily.A, name=keyvault.SkuName.STANDARD),
                # Azure RBAC decides who uses which key; no access policies.
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=SOFT_DELETE_DAYS,
                # Customer-managed keys require it (Storage, PostgreSQL, Redis): a deleted key
                # stays recoverable for the whole retention, whoever asks.
                enable_purge_protection=True,
                public_network_access="Disabled",
                network_acls=keyvault.NetworkRuleSetArgs(default_action="Deny", bypass="AzureServices"),
            ),
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=self, protect=self._prod),
        )

    def _key(self, name: str, purpose: str, vault: keyvault.Vault) -> keyvault.Key:
        return keyvault.Key(
            f"{name}-{purpose}-key",
            key_name=purpose,
            vault_name=vault.name,
            resource_group_name=self._rg,
            properties=keyvault.KeyPropertiesArgs(
                kty=keyvault.JsonWebKeyType.RSA,
                key_size=KEY_SIZE,
                # A new version every year; no expiry on any version (see the module's doc).
                rotation_policy=keyvault.RotationPolicyArgs(
                    lifetime_actions=[
                        keyvault.LifetimeActionArgs(
                            action=keyvault.ActionArgs(type=keyvault.KeyRotationPolicyActionType.ROTATE),
                            trigger=keyvault.TriggerArgs(time_after_create=ROTATE_AFTER),
                        )
                    ]
                ),
            ),
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=self, protect=self._prod),
        )

    def _grant(
        self, name: str, scope: pulumi.Input[str], role: str, principal_id: pulumi.Input[str]
    ) -> authorization.RoleAssignment:
        return assign_role(
            name,
            scope=scope,
            role=role,
            principal_id=principal_id,
            principal_type="ServicePrincipal",
            subscription_id=self._subscription,
            parent=self,
        )

    def _service_key(self, name: str, service: str, vault: keyvault.Vault, location: str) -> ServiceKey:
        key = self._key(name, service, vault)
        identity = managedidentity.UserAssignedIdentity(
            f"{name}-{service}-cmk",
            resource_group_name=self._rg,
            location=location,
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        # On the key only: the identity can use no other key in the vault.
        grant = self._grant(f"{name}-{service}-key-user", key.id, KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, identity.principal_id)
        return ServiceKey(key=key, vault_uri=vault.properties.vault_uri, identity=identity, grant=grant)
