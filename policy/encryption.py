"""Data at rest and the cluster's secrets are encrypted with customer-managed keys.

Per resource type, where the key is named and what says the customer's key is in use; a new cloud is
entries in RULES. One exception, by AWS's rule rather than ours: a bucket that receives S3 server access
logs cannot use SSE-KMS (S3 API Reference, LoggingEnabled: the target "can't use SSE-KMS or DSSE-KMS default
encryption"; components/aws/storage.py),
so an encryption configuration whose bucket is some BucketLogging's target may use AES256.

Azure's data services run on platform-managed keys today (docs/azure.md, "Open questions"): this policy
reports each of them, as it would any other cloud's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .model import ReportViolation, Rule, StackArgs, StackPolicy, StackResource
from .values import at, items


def _named(*path: str) -> Rule:
    def check(props: Mapping[str, Any]) -> list[str]:
        value = at(props, *path)
        return [] if isinstance(value, str) and value else [f"{'.'.join(path)} must name a customer key"]

    return check


def _both(*checks: Rule) -> Rule:
    return lambda props: [problem for check in checks for problem in check(props)]


def _equals(path: tuple[str, ...], expected: Any) -> Rule:
    def check(props: Mapping[str, Any]) -> list[str]:
        value = at(props, *path)
        return [] if value == expected else [f"{'.'.join(path)} must be {expected!r}, got {value!r}"]

    return check


def _s3_kms(props: Mapping[str, Any]) -> list[str]:
    # pulumi-aws 7 s3.BucketServerSideEncryptionConfiguration rules[].apply_server_side_encryption_by_default:
    # sse_algorithm aws:kms (or aws:kms:dsse) with kms_master_key_id; without the key id S3 uses its AWS managed key.
    rules = items(at(props, "rules"))
    defaults = [at(rule, "applyServerSideEncryptionByDefault") for rule in rules]
    if defaults and all(
        at(d, "sseAlgorithm") in ("aws:kms", "aws:kms:dsse")
        and isinstance(at(d, "kmsMasterKeyId"), str)
        and at(d, "kmsMasterKeyId")
        for d in defaults
    ):
        return []
    return ["rules[].applyServerSideEncryptionByDefault must be aws:kms with a kmsMasterKeyId"]


S3_ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
S3_LOGGING = "aws:s3/bucketLogging:BucketLogging"
S3_BUCKET = "aws:s3/bucket:Bucket"

# Inputs as the providers name them: pulumi-aws 7, pulumi-gcp 10, azure-native 3 (storage.StorageAccount
# encryption.key_source: Microsoft.Storage or Microsoft.Keyvault; dbforpostgresql.Server data_encryption.type:
# SystemAssigned or AzureKeyVault; redisenterprise.RedisEnterprise encryption.customer_managed_key_encryption;
# containerservice.ManagedCluster security_profile.azure_key_vault_kms).
RULES: dict[str, Rule] = {
    "aws:rds/instance:Instance": _both(_equals(("storageEncrypted",), True), _named("kmsKeyId")),
    "aws:elasticache/replicationGroup:ReplicationGroup": _both(_equals(("atRestEncryptionEnabled",), True), _named("kmsKeyId")),
    S3_ENCRYPTION: _s3_kms,
    "aws:eks/cluster:Cluster": _named("encryptionConfig", "provider", "keyArn"),
    "gcp:sql/databaseInstance:DatabaseInstance": _named("encryptionKeyName"),
    "gcp:redis/instance:Instance": _named("customerManagedKey"),
    "gcp:storage/bucket:Bucket": _named("encryption", "defaultKmsKeyName"),
    "gcp:container/cluster:Cluster": _both(
        _equals(("databaseEncryption", "state"), "ENCRYPTED"), _named("databaseEncryption", "keyName")
    ),
    "azure-native:storage:StorageAccount": _equals(("encryption", "keySource"), "Microsoft.Keyvault"),
    "azure-native:dbforpostgresql:Server": _equals(("dataEncryption", "type"), "AzureKeyVault"),
    "azure-native:redisenterprise:RedisEnterprise": _named("encryption", "customerManagedKeyEncryption", "keyEncryptionKeyUrl"),
    "azure-native:containerservice:ManagedCluster": _equals(("securityProfile", "azureKeyVaultKms", "enabled"), True),
}


def receives_access_logs(encryption: StackResource, resources: Sequence[StackResource]) -> bool:
    """Whether an encryption configuration's bucket is the target of a BucketLogging: a bucket the logging
    depends on that is not its source (the source is the bucket whose id the logging's `bucket` names, the
    same id the encryption configuration's `bucket` names when it is the source)."""
    buckets = {d.urn for d in encryption.dependencies if d.resource_type == S3_BUCKET}
    return any(
        logging.resource_type == S3_LOGGING
        and buckets & {d.urn for d in logging.dependencies}
        and at(logging.props, "bucket") != at(encryption.props, "bucket")
        for logging in resources
    )


def validate(args: StackArgs, report: ReportViolation) -> None:
    for resource in args.resources:
        rule = RULES.get(resource.resource_type)
        if rule is None or (resource.resource_type == S3_ENCRYPTION and receives_access_logs(resource, args.resources)):
            continue
        for problem in rule(resource.props):
            report(problem, resource.urn)


CUSTOMER_KEYS = StackPolicy(
    name="customer-managed-keys",
    description="Databases, caches, object storage and the cluster's secrets are encrypted with customer-managed keys.",
    validate=validate,
)
