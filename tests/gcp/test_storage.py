"""components/gcp/storage.py: a private, versioned, CMEK bucket with soft delete and expiring old
versions, protected in prod; the app's files reach it through Cloud Storage FUSE."""

from components.foundation import VolumeFiles
from tests.gcp.plans import FoundationPlan

BUCKET = "gcp:storage/bucket:Bucket"


def test_private_versioned_and_encrypted_with_the_customer_key_only(gplan: FoundationPlan):
    inputs = gplan.one(BUCKET)["inputs"]
    assert inputs["uniformBucketLevelAccess"] is True
    assert inputs["publicAccessPrevention"] == "enforced"
    assert inputs["versioning"] == {"enabled": True}
    assert inputs["softDeletePolicy"]["retentionDurationSeconds"] >= 7 * 24 * 3600
    encryption = inputs["encryption"]
    assert encryption["defaultKmsKeyName"].endswith("/cryptoKeys/centaurops-{}-storage".format(gplan.document["stack"]))
    assert encryption["googleManagedEncryptionEnforcementConfig"] == {"restrictionMode": "FullyRestricted"}
    assert inputs["location"] == "EUROPE-WEST1"
    assert inputs["forceDestroy"] is False


def test_old_versions_expire_after_the_configured_days(gdev: FoundationPlan, gprod: FoundationPlan):
    for plan, days in ((gdev, 30), (gprod, 90)):
        rules = plan.one(BUCKET)["inputs"]["lifecycleRules"]
        expire = next(r for r in rules if r["action"]["type"] == "Delete")
        assert expire["condition"] == {"withState": "ARCHIVED", "daysSinceNoncurrentTime": days}


def test_protected_in_prod_only(gdev: FoundationPlan, gprod: FoundationPlan):
    assert gdev.one(BUCKET)["protect"] is False
    assert gprod.one(BUCKET)["protect"] is True


def test_files_are_a_fuse_volume_of_the_bucket_owned_by_the_app(gplan: FoundationPlan):
    assert gplan.result is not None
    files = gplan.result.file_storage
    assert isinstance(files, VolumeFiles)
    volume = gplan.outputs["fileVolume"]["csi"]
    assert volume["driver"] == "gcsfuse.csi.storage.gke.io"
    assert volume["volumeAttributes"]["bucketName"] == gplan.outputs["bucket"]
    options = volume["volumeAttributes"]["mountOptions"].split(",")
    assert {"uid=10001", "gid=10001", "file-mode=660", "dir-mode=770", "implicit-dirs"} == set(options)
    annotations = files.pod_annotations
    assert annotations["gke-gcsfuse/volumes"] == "true"
    for resource in ("cpu", "memory", "ephemeral-storage"):
        assert annotations[f"gke-gcsfuse/{resource}-request"] and annotations[f"gke-gcsfuse/{resource}-limit"], resource
    assert files.objects == ()
    assert gplan.result.object_store.kind == "gcs"
    assert gplan.outputs["objectStoreUrl"] == f"gs://{gplan.outputs['bucket']}"
