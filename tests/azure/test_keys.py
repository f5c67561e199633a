"""components/azure/keys.py and its users: every data resource encrypted with a customer-managed key, each
read as its own identity, granted the least role on its key only, before the resource exists."""

import re

import pytest

from components.azure.keys import KEY_VAULT_CONTRIBUTOR, KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, KEY_VAULT_CRYPTO_USER
from components.config import settings_from_config
from components.config.errors import ConfigError
from tests.azure.helpers import named
from tests.azure.stacks import Built
from tests.plans import stack_config

VAULT = "azure-native:keyvault:Vault"
KEY = "azure-native:keyvault:Key"
GRANT = "azure-native:authorization:RoleAssignment"
ACCOUNT = "azure-native:storage:StorageAccount"
POSTGRES = "azure-native:dbforpostgresql:Server"
REDIS = "azure-native:redisenterprise:RedisEnterprise"
CLUSTER = "azure-native:containerservice:ManagedCluster"
LOCK = "azure-native:authorization:ManagementLockByScope"
# A key URI with a version: https://<vault>.vault.azure.net/keys/<name>/<version>.
VERSIONED = re.compile(r"https://[a-z0-9-]+\.vault\.azure\.net/keys/[a-z-]+/[0-9a-f]{32}")


def stack(built: Built) -> str:
    return built.plan.document["stack"]


def vault(built: Built, suffix: str = "kv") -> dict:
    return named(built.plan, VAULT, f"centaurops-{stack(built)}-{suffix}")


def key(built: Built, purpose: str) -> dict:
    return named(built.plan, KEY, f"centaurops-{stack(built)}-{purpose}-key")


def grant(built: Built, name: str) -> dict:
    return named(built.plan, GRANT, f"centaurops-{stack(built)}-{name}")


def test_the_vault_takes_rbac_only_keeps_deleted_keys_and_is_private(built: Built):
    for v in [vault(built)] + ([vault(built, "geo-kv")] if stack(built) == "prod" else []):
        props = v["inputs"]["properties"]
        assert props["enableRbacAuthorization"] is True and "accessPolicies" not in props
        assert props["enableSoftDelete"] is True and props["softDeleteRetentionInDays"] == 90
        assert props["enablePurgeProtection"] is True
        assert props["publicNetworkAccess"] == "Disabled"
        # Storage and PostgreSQL reach the vault as trusted services, through the firewall.
        assert props["networkAcls"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
        name = v["inputs"]["vaultName"]
        assert 3 <= len(name) <= 24 and re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name)
        assert v["inputs"]["tags"]["stack"] == stack(built)


def test_vaults_and_keys_are_protected_and_locked_in_prod_only(built: Built):
    plan = built.plan
    prod = stack(built) == "prod"
    stateful = plan.of_type(VAULT) + plan.of_type(KEY)
    assert all(r["protect"] is prod for r in stateful)
    locked = {lock["inputs"]["scope"] for lock in plan.of_type(LOCK)}
    vault_ids = {s for s in locked if "/Microsoft.KeyVault/vaults/" in s}
    assert len(vault_ids) == (2 if prod else 0)


def test_keys_are_rsa_rotated_yearly_and_never_expire(built: Built):
    keys = built.plan.of_type(KEY)
    expected = {"storage", "postgres", "redis", "aks"} | ({"postgres-geo"} if stack(built) == "prod" else set())
    assert {k["inputs"]["keyName"] for k in keys} == expected
    for k in keys:
        props = k["inputs"]["properties"]
        assert props["kty"] == "RSA" and props["keySize"] == 3072
        assert props["rotationPolicy"]["lifetimeActions"] == [
            {"action": {"type": "rotate"}, "trigger": {"timeAfterCreate": "P1Y"}}
        ]
        # An expired version takes down whatever pinned it (AKS, Redis): no expiry anywhere.
        assert "attributes" not in props and "attributes" not in props["rotationPolicy"]


@pytest.mark.parametrize("service", ["storage", "postgres", "redis"])
def test_each_service_identity_may_only_wrap_with_its_own_key(built: Built, service: str):
    g = grant(built, f"{service}-key-user")["inputs"]
    assert g["roleDefinitionId"].endswith(f"/roleDefinitions/{KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER}")
    assert g["principalType"] == "ServicePrincipal"
    assert g["scope"].endswith(f"/keys/{service}") and "/Microsoft.KeyVault/vaults/" in g["scope"]


def test_both_storage_accounts_use_the_storage_key_as_its_identity_after_the_grant(built: Built):
    plan = built.plan
    storage_grant = grant(built, "storage-key-user")
    accounts = plan.of_type(ACCOUNT)
    assert len(accounts) == 2
    for account in accounts:
        inputs = account["inputs"]
        (ident,) = inputs["identity"]["userAssignedIdentities"]
        assert inputs["identity"]["type"] == "UserAssigned" and "/userAssignedIdentities/centaurops-" in ident
        assert "storage-cmk" in ident
        encryption = inputs["encryption"]
        assert encryption["keySource"] == "Microsoft.Keyvault"
        assert encryption["encryptionIdentity"] == {"encryptionUserAssignedIdentity": ident}
        kv = encryption["keyVaultProperties"]
        # No version: the account follows each rotation.
        assert kv["keyName"] == "storage" and "keyVersion" not in kv
        assert re.fullmatch(r"https://[a-z0-9-]+\.vault\.azure\.net/", kv["keyVaultUri"])
        assert storage_grant["urn"] in account["dependencies"]


def test_postgres_uses_its_versionless_key_and_in_prod_a_geo_backup_key_in_the_paired_region(built: Built):
    plan = built.plan
    server = plan.one(POSTGRES)
    inputs = server["inputs"]
    encryption = inputs["dataEncryption"]
    assert encryption["type"] == "AzureKeyVault"
    assert re.fullmatch(r"https://[a-z0-9-]+\.vault\.azure\.net/keys/postgres", encryption["primaryKeyURI"])
    identities = inputs["identity"]["userAssignedIdentities"]
    assert inputs["identity"]["type"] == "UserAssigned"
    assert encryption["primaryUserAssignedIdentityId"] in identities
    assert "postgres-cmk" in encryption["primaryUserAssignedIdentityId"]
    assert grant(built, "postgres-key-user")["urn"] in server["dependencies"]
    if stack(built) == "prod":
        assert inputs["backup"]["geoRedundantBackup"] == "Enabled"
        geo_vault = vault(built, "geo-kv")
        assert geo_vault["inputs"]["location"] == "northeurope" != vault(built)["inputs"]["location"]
        assert encryption["geoBackupKeyURI"] == f"https://{geo_vault['inputs']['vaultName']}.vault.azure.net/keys/postgres-geo"
        geo_identity = encryption["geoBackupUserAssignedIdentityId"]
        # Another identity than the primary key's, created in the backups' region.
        assert geo_identity in identities and geo_identity != encryption["primaryUserAssignedIdentityId"]
        assert (
            named(plan, "azure-native:managedidentity:UserAssignedIdentity", "centaurops-prod-postgres-geo-cmk")["inputs"][
                "location"
            ]
            == "northeurope"
        )
        assert grant(built, "postgres-geo-key-user")["urn"] in server["dependencies"]
        assert len(identities) == 2
    else:
        assert inputs["backup"]["geoRedundantBackup"] == "Disabled"
        assert "geoBackupKeyURI" not in encryption and len(identities) == 1


def test_redis_wraps_its_disk_keys_with_the_redis_key_after_the_grant(built: Built):
    cluster = built.plan.one(REDIS)
    inputs = cluster["inputs"]
    (ident,) = inputs["identity"]["userAssignedIdentities"]
    assert inputs["identity"]["type"] == "UserAssigned" and "redis-cmk" in ident
    cmk = inputs["encryption"]["customerManagedKeyEncryption"]
    assert VERSIONED.fullmatch(cmk["keyEncryptionKeyUrl"]) and "/keys/redis/" in cmk["keyEncryptionKeyUrl"]
    assert cmk["keyEncryptionKeyIdentity"] == {"identityType": "userAssignedIdentity", "userAssignedIdentityResourceId": ident}
    assert grant(built, "redis-key-user")["urn"] in cluster["dependencies"]


def test_aks_encrypts_secrets_with_kms_through_a_private_vault_after_its_grants(built: Built):
    cluster = built.plan.one(CLUSTER)
    kms = cluster["inputs"]["securityProfile"]["azureKeyVaultKms"]
    assert kms["enabled"] is True and kms["keyVaultNetworkAccess"] == "Private"
    # KMS takes a versioned key id.
    assert VERSIONED.fullmatch(kms["keyId"]) and "/keys/aks/" in kms["keyId"]
    assert kms["keyVaultResourceId"].endswith(f"/Microsoft.KeyVault/vaults/{vault(built)['inputs']['vaultName']}")
    # A private vault needs API Server VNet Integration.
    assert cluster["inputs"]["apiServerAccessProfile"]["enableVnetIntegration"] is True
    crypto = grant(built, "aks-key-crypto-user")
    contributor = grant(built, "aks-vault-contributor")
    assert crypto["inputs"]["roleDefinitionId"].endswith(f"/roleDefinitions/{KEY_VAULT_CRYPTO_USER}")
    assert crypto["inputs"]["scope"].endswith("/keys/aks")
    assert contributor["inputs"]["roleDefinitionId"].endswith(f"/roleDefinitions/{KEY_VAULT_CONTRIBUTOR}")
    assert contributor["inputs"]["scope"] == kms["keyVaultResourceId"]
    control_plane = named(
        built.plan, "azure-native:authorization:RoleAssignment", f"centaurops-{stack(built)}-control-plane-kubelet-operator"
    )
    for g in (crypto, contributor):
        assert g["inputs"]["principalType"] == "ServicePrincipal"
        assert g["inputs"]["principalId"] == control_plane["inputs"]["principalId"]
        assert g["urn"] in cluster["dependencies"]


def test_geo_backup_location_must_differ_from_the_location():
    config = stack_config("prod", cloud="azure", azure={"location": "westeurope", "geoBackupLocation": "westeurope"})
    with pytest.raises(ConfigError) as caught:
        settings_from_config(config, "prod")
    assert caught.value.problems == [
        "centaurops:azure.geoBackupLocation: must be another region than azure.location (its pair), got 'westeurope'"
    ]
