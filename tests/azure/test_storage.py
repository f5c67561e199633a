"""components/azure/storage.py: private, keyless, versioned blob storage."""

from components.azure.storage import account_name
from tests.azure.helpers import waits_for
from tests.azure.stacks import Built

ACCOUNT = "azure-native:storage:StorageAccount"


def blob_account(built: Built) -> dict:
    return next(a for a in built.plan.of_type(ACCOUNT) if a["inputs"]["kind"] == "StorageV2")


def test_no_public_access_no_shared_keys_tls_12(built: Built):
    for account in built.plan.of_type(ACCOUNT):
        inputs = account["inputs"]
        assert inputs["allowBlobPublicAccess"] is False and inputs["publicNetworkAccess"] == "Disabled"
        assert inputs["allowSharedKeyAccess"] is False and inputs["defaultToOAuthAuthentication"] is True
        assert inputs["minimumTlsVersion"] == "TLS1_2" and inputs["enableHttpsTrafficOnly"] is True
        assert inputs["networkRuleSet"] == {"defaultAction": "Deny", "bypass": "None"}
        assert inputs["allowCrossTenantReplication"] is False
        assert inputs["encryption"]["requireInfrastructureEncryption"] is True
        assert 3 <= len(inputs["accountName"]) <= 24 and inputs["accountName"].isalnum() and inputs["accountName"].islower()


def test_zone_redundant_and_geo_zone_redundant_in_prod(dev: Built, prod: Built):
    assert blob_account(dev)["inputs"]["sku"] == {"name": "Standard_ZRS"}
    assert blob_account(prod)["inputs"]["sku"] == {"name": "Standard_GZRS"}


def test_versioning_soft_delete_and_expiry_of_old_versions(dev: Built, prod: Built):
    for built, days in ((dev, 30), (prod, 90)):
        service = built.plan.one("azure-native:storage:BlobServiceProperties")["inputs"]
        assert service["isVersioningEnabled"] is True
        assert service["deleteRetentionPolicy"] == {"enabled": True, "days": days}
        assert service["containerDeleteRetentionPolicy"] == {"enabled": True, "days": days}
        (rule,) = built.plan.one("azure-native:storage:ManagementPolicy")["inputs"]["policy"]["rules"]
        assert rule["definition"]["actions"]["version"]["delete"] == {"daysAfterCreationGreaterThan": days}


def test_the_container_is_private_and_is_the_object_store(built: Built):
    container = built.plan.one("azure-native:storage:BlobContainer")["inputs"]
    assert container["publicAccess"] == "None" and container["containerName"] == "flows"
    store = built.result.object_store
    assert store.kind == "azure-blob" and store.region == "westeurope"
    assert built.outputs["objectStoreUrlRevealed"].startswith("https://centaurops")
    assert built.outputs["objectStoreUrlRevealed"].endswith(".blob.core.windows.net/flows")


def test_account_names_fit_azure_rules():
    from pulumi.runtime.sync_await import _sync_await

    name = _sync_await(account_name("a-very-long-environment-name", "files", "abc123").future())
    assert name == "averylongenvi" + "files" + "abc123"


def test_storage_does_not_wait_for_the_cluster(built: Built):
    plan = built.plan
    for account in plan.of_type(ACCOUNT):
        types = {plan.by_urn(u)["type"] for u in waits_for(plan, account)}
        assert not {t for t in types if t.startswith("azure-native:containerservice:")}
