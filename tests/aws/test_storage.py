"""components/aws/storage.py: a private, versioned, encrypted, TLS-only bucket, whose
server access logs go to a log bucket of its own, as private, TLS-only and expiring."""

import pytest

from components.testing.mocks import ACCOUNT_ID, digest
from tests.aws import stacks
from tests.aws.policies import statements
from tests.plans import Plan, plan_for

BUCKET = "aws:s3/bucket:Bucket"


def bucket(plan: Plan, which: str) -> dict:
    """`artifacts` (the store) or `logs` (its access logs)."""
    return plan.one(BUCKET, "-access-logs" if which == "logs" else "-bucket")


def for_bucket(plan: Plan, type_: str, which: str = "artifacts") -> dict:
    """The inputs of the one resource of `type_` that configures that bucket."""
    resource = bucket(plan, which)
    bucket_id = digest(resource["name"])  # the id the mocks give the bucket
    (configures,) = [r for r in plan.of_type(type_) if r["inputs"]["bucket"] == bucket_id]
    assert resource["urn"] in configures["dependencies"]
    return configures["inputs"]


def name(plan: Plan, which: str) -> str:
    """The bucket's name as the mocks auto-name it (the engine adds a random suffix)."""
    resource = bucket(plan, which)["name"]
    return f"{resource}-{digest(resource, 7)}"


def arn(plan: Plan, which: str) -> str:
    return f"arn:aws:s3:::{name(plan, which)}"


def test_the_store_is_the_artifacts_bucket(plan: Plan):
    assert plan.outputs["objectStoreUrl"] == f"s3://{name(plan, 'artifacts')}"


@pytest.mark.parametrize("which", ["artifacts", "logs"])
def test_public_access_blocked_acls_disabled_and_versioned(plan: Plan, which: str):
    block = for_bucket(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", which)
    assert all(block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"))
    ownership = for_bucket(plan, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", which)
    assert ownership["rule"]["objectOwnership"] == "BucketOwnerEnforced"
    versioning = for_bucket(plan, "aws:s3/bucketVersioning:BucketVersioning", which)
    assert versioning["versioningConfiguration"]["status"] == "Enabled"


def test_artifacts_are_kms_encrypted_with_the_data_key(plan: Plan):
    encryption = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    (rule,) = for_bucket(plan, encryption)["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].startswith("arn:aws:kms:")
    assert rule["bucketKeyEnabled"] is True


def test_access_logs_are_encrypted_as_log_delivery_requires(plan: Plan):
    # Server access logging cannot deliver to a bucket whose default encryption is SSE-KMS.
    encryption = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    (rule,) = for_bucket(plan, encryption, "logs")["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    assert "objectLockEnabled" not in bucket(plan, "logs")["inputs"]


@pytest.mark.parametrize("which", ["artifacts", "logs"])
def test_policy_denies_anything_without_tls(plan: Plan, which: str):
    policy = for_bucket(plan, "aws:s3/bucketPolicy:BucketPolicy", which)["policy"]
    (deny,) = [s for s in statements(policy) if s["Effect"] == "Deny"]
    assert deny["Principal"] == "*" and deny["Action"] == "s3:*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny["Resource"] == [arn(plan, which), f"{arn(plan, which)}/*"]


def test_the_artifacts_bucket_logs_its_requests_to_the_log_bucket(plan: Plan):
    logging = for_bucket(plan, "aws:s3/bucketLogging:BucketLogging")
    assert logging["targetBucket"] == name(plan, "logs")
    assert logging["targetPrefix"] == "s3-access/"
    assert logging["targetObjectKeyFormat"] == {"partitionedPrefix": {"partitionDateSource": "EventTime"}}
    assert "targetGrants" not in logging, "ACLs are disabled: grants go through the bucket policy"


def test_only_the_logging_service_writes_logs_for_this_bucket_and_account(plan: Plan):
    policy = for_bucket(plan, "aws:s3/bucketPolicy:BucketPolicy", "logs")["policy"]
    (deliver,) = [s for s in statements(policy) if s["Effect"] == "Allow"]
    assert deliver["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert deliver["Action"] == "s3:PutObject"
    assert deliver["Resource"] == f"{arn(plan, 'logs')}/s3-access/*"
    assert deliver["Condition"] == {
        "ArnLike": {"aws:SourceArn": arn(plan, "artifacts")},
        "StringEquals": {"aws:SourceAccount": ACCOUNT_ID},
    }
    logging = next(r for r in plan.of_type("aws:s3/bucketLogging:BucketLogging"))
    log_policy = plan.one("aws:s3/bucketPolicy:BucketPolicy", "-access-logs-policy")
    assert log_policy["urn"] in logging["dependencies"], "delivery needs the grant first"


def test_old_versions_expire_after_the_configured_days(dev: Plan, prod: Plan):
    for plan, days in ((dev, 30), (prod, 90)):
        (rule,) = for_bucket(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["rules"]
        assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == days


def test_access_logs_expire_with_the_log_retention(dev: Plan, prod: Plan):
    for plan, days in ((dev, 30), (prod, 365)):
        lifecycle = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
        rules = {r["id"]: r for r in for_bucket(plan, lifecycle, "logs")["rules"]}
        assert rules["expire-access-logs"]["expiration"] == {"days": days}
        assert rules["expire-access-logs"]["noncurrentVersionExpiration"]["noncurrentDays"] == 30
        assert rules["remove-expired-delete-markers"]["expiration"] == {"expiredObjectDeleteMarker": True}
        assert {r["status"] for r in rules.values()} == {"Enabled"}
    cluster = stacks.cluster("dev", logRetentionDays=90)
    rules = for_bucket(plan_for("dev", cluster=cluster), lifecycle, "logs")["rules"]
    assert rules[0]["expiration"] == {"days": 90}


def test_buckets_are_protected_in_prod_and_never_force_destroyed(dev: Plan, prod: Plan):
    for which in ("artifacts", "logs"):
        assert bucket(dev, which)["protect"] is False
        assert bucket(prod, which)["protect"] is True
        assert bucket(prod, which)["inputs"]["forceDestroy"] is False
