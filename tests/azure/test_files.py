"""components/azure/files.py: an NFS share every replica mounts, through a static volume."""

from components.foundation import VolumeFiles
from tests.azure.stacks import Built

ACCOUNT = "azure-native:storage:StorageAccount"


def test_premium_zrs_nfs_share_sized_from_config(built: Built):
    account = next(a for a in built.plan.of_type(ACCOUNT) if a["inputs"]["kind"] == "FileStorage")
    assert account["inputs"]["sku"] == {"name": "Premium_ZRS"}
    share = built.plan.one("azure-native:storage:FileShare")["inputs"]
    assert share["enabledProtocols"] == "NFS" and share["shareQuota"] == 100
    service = built.plan.one("azure-native:storage:FileServiceProperties")["inputs"]
    assert service["shareDeleteRetentionPolicy"]["enabled"] is True


def test_the_volume_is_a_claim_bound_to_a_static_volume_of_the_share(built: Built):
    files = built.result.file_storage
    assert isinstance(files, VolumeFiles)
    assert files.volume == {"persistentVolumeClaim": {"claimName": "flow-platform-files"}}
    volume, claim = built.outputs["fileObjectsRevealed"]
    assert (volume["kind"], claim["kind"]) == ("PersistentVolume", "PersistentVolumeClaim")
    spec = volume["spec"]
    assert spec["accessModes"] == ["ReadWriteMany"] and spec["persistentVolumeReclaimPolicy"] == "Retain"
    assert spec["storageClassName"] == "" and spec["capacity"] == {"storage": "100Gi"}
    csi = spec["csi"]
    attributes = csi["volumeAttributes"]
    assert csi["driver"] == "file.csi.azure.com"
    assert attributes["protocol"] == "nfs" and attributes["encryptInTransit"] == "true"
    assert attributes["shareName"] == "flow-files" and attributes["storageAccount"].startswith("centaurops")
    stack = built.plan.document["stack"]
    assert attributes["resourceGroup"] == f"centaurops-{stack}"
    assert csi["volumeHandle"] == f"centaurops-{stack}#{attributes['storageAccount']}#flow-files"
    assert claim["metadata"] == {"name": "flow-platform-files", "namespace": "centaurops"}
    assert claim["spec"]["volumeName"] == volume["metadata"]["name"] and claim["spec"]["storageClassName"] == ""
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
