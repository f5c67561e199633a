"""components/aws/storage.py: a private, versioned, encrypted, TLS-only bucket."""

import json

from tests.plans import Plan


def for_bucket(plan: Plan, type_: str) -> dict:
    bucket = plan.one("aws:s3/bucket:Bucket")
    resource = plan.one(type_)
    assert bucket["urn"] in resource["dependencies"]
    return resource["inputs"]


def test_public_access_blocked_and_acls_disabled(plan: Plan):
    block = for_bucket(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert all(block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"))
    ownership = for_bucket(plan, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership["rule"]["objectOwnership"] == "BucketOwnerEnforced"


def test_versioned_and_kms_encrypted(plan: Plan):
    versioning = for_bucket(plan, "aws:s3/bucketVersioning:BucketVersioning")
    assert versioning["versioningConfiguration"]["status"] == "Enabled"
    (rule,) = for_bucket(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].startswith("arn:aws:kms:")


def test_policy_denies_anything_without_tls(plan: Plan):
    policy = json.loads(for_bucket(plan, "aws:s3/bucketPolicy:BucketPolicy")["policy"])
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Deny" and statement["Principal"] == "*" and statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    bucket_arn = f"arn:aws:s3:::{plan.outputs['objectStoreUrl'].removeprefix('s3://')}"
    assert statement["Resource"] == [bucket_arn, f"{bucket_arn}/*"]


def test_old_versions_expire_after_the_configured_days(dev: Plan, prod: Plan):
    for plan, days in ((dev, 30), (prod, 90)):
        (rule,) = for_bucket(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["rules"]
        assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == days


def test_bucket_is_protected_in_prod_and_never_force_destroyed(dev: Plan, prod: Plan):
    assert dev.one("aws:s3/bucket:Bucket")["protect"] is False
    assert prod.one("aws:s3/bucket:Bucket")["protect"] is True
    assert prod.one("aws:s3/bucket:Bucket")["inputs"]["forceDestroy"] is False
