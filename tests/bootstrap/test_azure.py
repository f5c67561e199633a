"""bootstrap/azure.py: whose tokens each CI identity accepts, what it reaches, and the state and keys kept safe."""

from __future__ import annotations

from typing import Any

import pytest

from bootstrap.azure import (
    KEY_VAULT_CRYPTO_USER,
    OWNER,
    READER,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
    STORAGE_BLOB_DATA_READER,
)
from tests.bootstrap.stacks import REPOSITORY, bootstrap_plan
from tests.plans import Plan

SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000"
IDENTITIES = ("dev-preview", "dev", "prod-preview", "prod")
# GitHub's subject for a job of environment NAME (https://docs.github.com/en/actions/reference/security/oidc).
SUBJECTS = {identity: f"repo:{REPOSITORY}:environment:{identity}" for identity in IDENTITIES}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return bootstrap_plan("azure")


def identity_of(plan: Plan, principal_id: str) -> str:
    return next(i for i, p in plan.outputs["principalIds"].items() if p == principal_id)


def assignments(plan: Plan) -> set[tuple[str, str, str, str]]:
    """(identity, role id, scope's last two segments, principal type) of every role assignment to a CI identity."""
    found = set()
    for resource in plan.of_type("azure-native:authorization:RoleAssignment"):
        inputs = resource["inputs"]
        if inputs["principalId"] not in plan.outputs["principalIds"].values():
            continue
        scope = "/".join(inputs["scope"].split("/")[-2:]) if inputs["scope"] != SUBSCRIPTION else "subscription"
        role = inputs["roleDefinitionId"].rsplit("/", 1)[-1]
        assert inputs["roleDefinitionId"] == f"{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{role}"
        found.add((identity_of(plan, inputs["principalId"]), role, scope, inputs["principalType"]))
    return found


def test_each_identity_is_federated_with_its_exact_subject_only(plan: Plan) -> None:
    credentials = plan.of_type("azure-native:managedidentity:FederatedIdentityCredential")
    identities = {
        r["urn"]: r["name"].removeprefix("centaurops-azure-")
        for r in plan.of_type("azure-native:managedidentity:UserAssignedIdentity")
    }
    assert sorted(identities.values()) == sorted(IDENTITIES)
    assert len(credentials) == len(IDENTITIES)
    for credential in credentials:
        inputs: dict[str, Any] = credential["inputs"]
        (parent,) = [identities[u] for u in credential["dependencies"] if u in identities]
        assert inputs["issuer"] == "https://token.actions.githubusercontent.com"
        assert inputs["audiences"] == ["api://AzureADTokenExchange"]
        assert inputs["subject"] == SUBJECTS[parent]
        assert inputs["resourceName"] == f"centaurops-ci-{parent}"


def test_roles_preview_reads_and_each_deployer_its_own_state_and_key(plan: Plan) -> None:
    assert assignments(plan) == {
        ("dev-preview", READER, "subscription", "ServicePrincipal"),
        ("prod-preview", READER, "subscription", "ServicePrincipal"),
        ("dev", OWNER, "subscription", "ServicePrincipal"),
        ("prod", OWNER, "subscription", "ServicePrincipal"),
        ("dev", STORAGE_BLOB_DATA_CONTRIBUTOR, "containers/dev", "ServicePrincipal"),
        ("prod", STORAGE_BLOB_DATA_CONTRIBUTOR, "containers/prod", "ServicePrincipal"),
        ("dev-preview", STORAGE_BLOB_DATA_READER, "containers/dev", "ServicePrincipal"),
        ("prod-preview", STORAGE_BLOB_DATA_READER, "containers/prod", "ServicePrincipal"),
        ("dev", KEY_VAULT_CRYPTO_USER, "keys/secrets-dev", "ServicePrincipal"),
        ("prod", KEY_VAULT_CRYPTO_USER, "keys/secrets-prod", "ServicePrincipal"),
        ("dev-preview", KEY_VAULT_CRYPTO_USER, "keys/secrets-dev", "ServicePrincipal"),
        ("prod-preview", KEY_VAULT_CRYPTO_USER, "keys/secrets-prod", "ServicePrincipal"),
    }


def test_state_account_takes_entra_id_only_keeps_versions_and_is_locked(plan: Plan) -> None:
    account = plan.one("azure-native:storage:StorageAccount")
    inputs = account["inputs"]
    assert account["protect"] is True
    assert inputs["allowSharedKeyAccess"] is False
    assert inputs["allowBlobPublicAccess"] is False
    assert inputs["minimumTlsVersion"] == "TLS1_2"
    assert inputs["enableHttpsTrafficOnly"] is True
    assert inputs["sku"] == {"name": "Standard_GZRS"}
    blobs = plan.one("azure-native:storage:BlobServiceProperties")["inputs"]
    assert blobs["isVersioningEnabled"] is True
    assert blobs["deleteRetentionPolicy"] == {"enabled": True, "days": 90}
    assert blobs["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 90}
    containers = plan.of_type("azure-native:storage:BlobContainer")
    assert sorted(c["inputs"]["containerName"] for c in containers) == ["dev", "prod"]
    assert all(c["protect"] and c["inputs"]["publicAccess"] == "None" for c in containers)


def locked_scopes(plan: Plan) -> set[str]:
    locks = plan.of_type("azure-native:authorization:ManagementLockByScope")
    assert all(lock["inputs"]["level"] == "CanNotDelete" for lock in locks)
    return {lock["inputs"]["scope"].split("/providers/")[-1].split("/")[0] for lock in locks}


def test_state_account_and_vault_are_locked(plan: Plan) -> None:
    assert locked_scopes(plan) == {"Microsoft.Storage", "Microsoft.KeyVault"}


def test_vault_uses_rbac_purge_protection_and_soft_delete(plan: Plan) -> None:
    vault = plan.one("azure-native:keyvault:Vault")
    properties = vault["inputs"]["properties"]
    assert vault["protect"] is True
    assert properties["enableRbacAuthorization"] is True
    assert properties["enablePurgeProtection"] is True
    assert properties["enableSoftDelete"] is True
    assert properties["softDeleteRetentionInDays"] == 90
    assert "accessPolicies" not in properties


def test_secrets_keys_are_protected_and_not_rotated_behind_pulumis_back(plan: Plan) -> None:
    keys = plan.of_type("azure-native:keyvault:Key")
    assert sorted(k["inputs"]["keyName"] for k in keys) == ["secrets-dev", "secrets-prod"]
    for key in keys:
        assert key["protect"] is True
        assert key["inputs"]["properties"]["kty"] == "RSA"
        # A versionless azurekeyvault:// provider cannot decrypt after a rotation (pulumi/pulumi#22338).
        assert "rotationPolicy" not in key["inputs"]["properties"]


def test_outputs_say_what_github_and_the_main_stacks_need(plan: Plan) -> None:
    outputs = plan.outputs
    account, vault = outputs["stateAccount"], outputs["keyVault"]
    # Each GitHub environment signs in as its identity and uses its own environment's state.
    tenant = outputs["githubVariables"]["prod"]["AZURE_TENANT_ID"]
    assert outputs["githubVariables"] == {
        identity: {
            "AZURE_CLIENT_ID": outputs["clientIds"][identity],
            "AZURE_TENANT_ID": tenant,
            "AZURE_SUBSCRIPTION_ID": SUBSCRIPTION.rsplit("/", 1)[-1],
            "PULUMI_BACKEND_URL": f"azblob://{identity.removesuffix('-preview')}?storage_account={account}",
        }
        for identity in IDENTITIES
    }
    assert outputs["secretsProviders"]["dev"] == f"azurekeyvault://{vault}.vault.azure.net/keys/secrets-dev"
    assert outputs["mainStackConfig"]["prod"] == {
        "centaurops:azure": {
            "subscriptionId": SUBSCRIPTION.rsplit("/", 1)[-1],
            "deployerPrincipalType": "ServicePrincipal",
            "previewPrincipalObjectIds": [outputs["principalIds"]["prod-preview"]],
        }
    }


def test_no_long_lived_credential(plan: Plan) -> None:
    types = {r["type"] for r in plan.resources}
    assert not {t for t in types if "ServicePrincipalPassword" in t or "ApplicationPassword" in t}
    assert not [r for r in plan.resources if r["type"].startswith("azuread:")]


def test_operators_use_every_environments_state_and_key() -> None:
    group = "5b0c6f1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e"
    plan = bootstrap_plan(
        "azure",
        azure={"subscriptionId": SUBSCRIPTION.rsplit("/", 1)[-1], "location": "westeurope", "operatorGroupObjectIds": [group]},
    )
    found = {
        (
            r["inputs"]["roleDefinitionId"].rsplit("/", 1)[-1],
            "/".join(r["inputs"]["scope"].split("/")[-2:]),
            r["inputs"]["principalType"],
        )
        for r in plan.of_type("azure-native:authorization:RoleAssignment")
        if r["inputs"]["principalId"] == group
    }
    assert found == {
        (STORAGE_BLOB_DATA_CONTRIBUTOR, "containers/dev", "Group"),
        (STORAGE_BLOB_DATA_CONTRIBUTOR, "containers/prod", "Group"),
        (KEY_VAULT_CRYPTO_USER, "keys/secrets-dev", "Group"),
        (KEY_VAULT_CRYPTO_USER, "keys/secrets-prod", "Group"),
    }
