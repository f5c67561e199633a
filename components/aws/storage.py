"""The S3 bucket for flow artifacts and backups: private, versioned, KMS-encrypted, TLS-only;
its server access logs go to a log bucket of its own, as private and TLS-only."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from ..config.schema import ObjectStore as ObjectStoreSettings
from ..foundation import ObjectStore

ACCESS_LOG_PREFIX = "s3-access/"
# Deleted or expired log objects stay recoverable this long (the log bucket is versioned).
DELETED_LOG_RETENTION_DAYS = 30


def _deny_insecure_transport(arn: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _private_and_versioned(name: str, bucket: aws.s3.Bucket, parent: pulumi.Resource) -> aws.s3.BucketPublicAccessBlock:
    """No ACLs (the bucket owner owns every object), no public access, versioning on."""
    child = pulumi.ResourceOptions(parent=parent)
    aws.s3.BucketOwnershipControls(
        f"{name}-ownership",
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        opts=child,
    )
    public_block = aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child,
    )
    aws.s3.BucketVersioning(
        f"{name}-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        opts=child,
    )
    return public_block


class S3Store(pulumi.ComponentResource):
    result: ObjectStore
    bucket_arn: pulumi.Output[str]
    log_bucket: aws.s3.Bucket

    def __init__(
        self,
        name: str,
        *,
        settings: ObjectStoreSettings,
        region: str,
        account_id: pulumi.Input[str],
        kms_key_arn: pulumi.Input[str],
        log_retention_days: int,
        prod: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:S3Store", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        bucket = aws.s3.Bucket(f"{name}-bucket", force_destroy=False, opts=pulumi.ResourceOptions(parent=self, protect=prod))
        public_block = _private_and_versioned(name, bucket, self)
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm="aws:kms", kms_master_key_id=kms_key_arn
                    ),
                    bucket_key_enabled=True,
                )
            ],
            opts=child,
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="expire-old-versions",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                    noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                        noncurrent_days=settings.noncurrent_version_retention_days
                    ),
                    abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                        days_after_initiation=7
                    ),
                )
            ],
            opts=child,
        )
        aws.s3.BucketPolicy(
            f"{name}-tls-only",
            bucket=bucket.id,
            policy=bucket.arn.apply(
                lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [_deny_insecure_transport(arn)]})
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_block]),
        )

        self.log_bucket, log_policy = self._access_log_bucket(
            name, source_bucket_arn=bucket.arn, account_id=account_id, retention_days=log_retention_days, prod=prod
        )
        aws.s3.BucketLogging(
            f"{name}-access-logging",
            bucket=bucket.id,
            target_bucket=self.log_bucket.bucket,
            target_prefix=ACCESS_LOG_PREFIX,
            # Log object keys partitioned by the date of the requests they record.
            target_object_key_format=aws.s3.BucketLoggingTargetObjectKeyFormatArgs(
                partitioned_prefix=aws.s3.BucketLoggingTargetObjectKeyFormatPartitionedPrefixArgs(
                    partition_date_source="EventTime"
                )
            ),
            # Delivery starts at once: the log bucket must already admit the logging service.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[log_policy]),
        )
        self.bucket_arn = bucket.arn
        self.result = ObjectStore(kind="s3", bucket=bucket.bucket, url=bucket.bucket.apply(lambda b: f"s3://{b}"), region=region)
        self.register_outputs({"bucket": bucket.bucket, "arn": bucket.arn, "logBucket": self.log_bucket.bucket})

    def _access_log_bucket(
        self,
        name: str,
        *,
        source_bucket_arn: pulumi.Output[str],
        account_id: pulumi.Input[str],
        retention_days: int,
        prod: bool,
    ) -> tuple[aws.s3.Bucket, aws.s3.BucketPolicy]:
        logs = f"{name}-access-logs"
        child = pulumi.ResourceOptions(parent=self)
        bucket = aws.s3.Bucket(logs, force_destroy=False, opts=pulumi.ResourceOptions(parent=self, protect=prod))
        public_block = _private_and_versioned(logs, bucket, self)
        # S3 delivers server access logs only to a bucket whose default encryption is SSE-S3:
        # "can't use SSE-KMS or DSSE-KMS default encryption, can't have S3 Object Lock
        # enabled, and can't have Requester Pays enabled" (S3 API Reference, LoggingEnabled).
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{logs}-encryption",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm="AES256"
                    ),
                )
            ],
            opts=child,
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{logs}-lifecycle",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="expire-access-logs",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                    expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=retention_days),
                    noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                        noncurrent_days=DELETED_LOG_RETENTION_DAYS
                    ),
                    abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                        days_after_initiation=7
                    ),
                ),
                # A rule of its own: ExpiredObjectDeleteMarker "cannot be specified with Days
                # or Date" (S3 API Reference, LifecycleExpiration).
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="remove-expired-delete-markers",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                    expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(expired_object_delete_marker=True),
                ),
            ],
            opts=child,
        )

        def policy(values: list[Any]) -> str:
            arn, source, account = values
            # With ACLs disabled, a bucket policy is how the logging service may write
            # (S3 User Guide, "Permissions for log delivery"); the conditions say for which
            # source bucket and account, against the confused deputy.
            deliver = {
                "Sid": "S3ServerAccessLogs",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"{arn}/{ACCESS_LOG_PREFIX}*",
                "Condition": {"ArnLike": {"aws:SourceArn": source}, "StringEquals": {"aws:SourceAccount": account}},
            }
            return json.dumps({"Version": "2012-10-17", "Statement": [_deny_insecure_transport(arn), deliver]})

        bucket_policy = aws.s3.BucketPolicy(
            f"{logs}-policy",
            bucket=bucket.id,
            policy=pulumi.Output.all(bucket.arn, source_bucket_arn, account_id).apply(policy),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_block]),
        )
        return bucket, bucket_policy
