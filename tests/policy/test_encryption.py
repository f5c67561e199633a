from typing import Any

import pytest

from policy.encryption import S3_ENCRYPTION
from tests.policy.plans import document, named, one, violations

POLICY = "customer-managed-keys"


def drop(type_: str, *path: str, suffix: str = "") -> Any:
    def mutate(doc: dict[str, Any]) -> None:
        inputs = one(doc, type_, suffix)["inputs"]
        for step in path[:-1]:
            inputs = inputs[step]
        del inputs[path[-1]]

    mutate.__name__ = f"drop-{'.'.join(path)}"
    return mutate


def data_bucket_on_s3_keys(doc: dict[str, Any]) -> None:
    rule = one(doc, S3_ENCRYPTION, "-prod-encryption")["inputs"]["rules"][0]["applyServerSideEncryptionByDefault"]
    rule.clear()
    rule["sseAlgorithm"] = "AES256"


BROKEN = [
    ("aws", drop("aws:rds/instance:Instance", "kmsKeyId"), "centaurops-prod-postgres", "kmsKeyId must name a customer key"),
    (
        "aws",
        drop("aws:elasticache/replicationGroup:ReplicationGroup", "kmsKeyId"),
        "centaurops-prod-redis",
        "kmsKeyId must name a customer key",
    ),
    (
        "aws",
        data_bucket_on_s3_keys,
        "centaurops-prod-encryption",
        "rules[].applyServerSideEncryptionByDefault must be aws:kms with a kmsMasterKeyId",
    ),
    (
        "aws",
        drop("aws:eks/cluster:Cluster", "encryptionConfig"),
        "centaurops-prod-eks",
        "encryptionConfig.provider.keyArn must name a customer key",
    ),
    (
        "gcp",
        drop("gcp:sql/databaseInstance:DatabaseInstance", "encryptionKeyName"),
        "centaurops-prod-postgres",
        "encryptionKeyName must name a customer key",
    ),
    (
        "gcp",
        drop("gcp:redis/instance:Instance", "customerManagedKey"),
        "centaurops-prod-redis",
        "customerManagedKey must name a customer key",
    ),
    (
        "gcp",
        drop("gcp:storage/bucket:Bucket", "encryption", "defaultKmsKeyName"),
        "centaurops-prod-bucket",
        "encryption.defaultKmsKeyName must name a customer key",
    ),
    (
        "gcp",
        drop("gcp:container/cluster:Cluster", "databaseEncryption", "keyName"),
        "centaurops-prod-gke",
        "databaseEncryption.keyName must name a customer key",
    ),
    (
        "azure",
        drop("azure-native:dbforpostgresql:Server", "dataEncryption"),
        "centaurops-prod-postgres",
        "dataEncryption.type must be 'AzureKeyVault', got None",
    ),
    (
        "azure",
        drop("azure-native:redisenterprise:RedisEnterprise", "encryption"),
        "centaurops-prod-redis",
        "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl must name a customer key",
    ),
    (
        "azure",
        drop("azure-native:storage:StorageAccount", "encryption", "keySource", suffix="-files"),
        "centaurops-prod-files",
        "encryption.keySource must be 'Microsoft.Keyvault', got None",
    ),
    (
        "azure",
        drop("azure-native:containerservice:ManagedCluster", "securityProfile", "azureKeyVaultKms"),
        "centaurops-prod-aks",
        "securityProfile.azureKeyVaultKms.enabled must be True, got None",
    ),
]


@pytest.mark.parametrize(
    ("cloud", "mutate", "resource", "message"), BROKEN, ids=[f"{c}-{r}-{m.__name__}" for c, m, r, _ in BROKEN]
)
def test_data_without_a_customer_key_is_reported(cloud: str, mutate: Any, resource: str, message: str) -> None:
    doc = document("prod", cloud)
    assert violations(doc, POLICY) == []
    mutate(doc)
    assert named(violations(doc, POLICY)) == {(resource, message)}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_cloud_encrypts_with_customer_keys(stack: str) -> None:
    assert violations(document(stack, "aws"), POLICY) == []
    assert violations(document(stack, "gcp"), POLICY) == []
    assert violations(document(stack, "azure"), POLICY) == []


def test_an_azure_storage_account_back_on_platform_keys_is_reported() -> None:
    doc = document("prod", "azure")
    one(doc, "azure-native:storage:StorageAccount", "-blob")["inputs"]["encryption"]["keySource"] = "Microsoft.Storage"
    assert (
        "centaurops-prod-blob",
        "encryption.keySource must be 'Microsoft.Keyvault', got 'Microsoft.Storage'",
    ) in named(violations(doc, POLICY))
    assert len(violations(doc, POLICY)) == 1


def test_the_access_log_bucket_may_use_s3_keys_only_while_it_receives_access_logs() -> None:
    # S3 refuses SSE-KMS on a server access logging target; without the logging it is an ordinary bucket.
    doc = document("prod", "aws")
    doc["resources"] = [r for r in doc["resources"] if r["type"] != "aws:s3/bucketLogging:BucketLogging"]
    assert {name for name, _ in named(violations(doc, POLICY))} == {"centaurops-prod-access-logs-encryption"}
