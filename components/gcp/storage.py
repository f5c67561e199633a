"""The Cloud Storage bucket for flow artifacts and uploaded files: uniform bucket-level
access, public access prevention enforced, versioned, soft delete, new objects encrypted
with the customer-managed key only, old versions expiring; protected in prod."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from ..config.schema import ObjectStore as ObjectStoreSettings
from ..foundation import ObjectStore
from .encryption import GrantedKey

# Deleted objects stay restorable this long (the default soft delete window; 7 to 90 days:
# https://cloud.google.com/storage/docs/soft-delete).
SOFT_DELETE_SECONDS = 7 * 24 * 3600


class GcsStore(pulumi.ComponentResource):
    result: ObjectStore
    bucket: gcp.storage.Bucket

    def __init__(
        self,
        name: str,
        *,
        project: str,
        region: str,
        settings: ObjectStoreSettings,
        key: GrantedKey,
        labels: dict[str, str],
        prod: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:gcp:GcsStore", name, None, opts)
        bucket = gcp.storage.Bucket(
            f"{name}-bucket",
            # Bucket names are global: the project id makes this one the project's.
            name=f"{project}-{name}-files",
            project=project,
            location=region.upper(),
            storage_class="STANDARD",
            # IAM only, no object ACLs: required for Workload Identity Federation principals
            # writing through Cloud Storage FUSE (GoogleCloudPlatform/gcs-fuse-csi-driver
            # docs/authentication.md).
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            versioning={"enabled": True},
            soft_delete_policy={"retention_duration_seconds": SOFT_DELETE_SECONDS},
            encryption={
                "default_kms_key_name": key.id,
                # New objects may use the customer-managed key only.
                "google_managed_encryption_enforcement_config": {"restriction_mode": "FullyRestricted"},
                "customer_supplied_encryption_enforcement_config": {"restriction_mode": "FullyRestricted"},
            },
            lifecycle_rules=[
                # Overwritten and deleted versions expire after the configured days.
                {
                    "action": {"type": "Delete"},
                    "condition": {
                        "with_state": "ARCHIVED",
                        "days_since_noncurrent_time": settings.noncurrent_version_retention_days,
                    },
                },
                # Unfinished multipart (XML API) uploads go after 7 days.
                {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 7}},
            ],
            labels=labels,
            force_destroy=False,
            # Cloud Storage checks the service agent's use of the key when the bucket is created.
            opts=pulumi.ResourceOptions(parent=self, protect=prod, depends_on=[key.grant]),
        )
        self.bucket = bucket
        self.result = ObjectStore(kind="gcs", bucket=bucket.name, url=bucket.url, region=region)
        self.register_outputs({"bucket": bucket.name, "url": bucket.url})
