"""Uploaded files on an Azure Files NFS 4.1 share every replica mounts read-write.

Langflow 1.13 keeps files `local` or in `s3`, and Blob storage has no S3 API, so files go
to a ReadWriteMany volume through AKS's Azure Files CSI driver (file.csi.azure.com). NFS,
not SMB: an SMB mount needs the account key in a Kubernetes Secret (a long-lived secret,
in state too) unless the driver mounts with a managed identity, which needs the account's
SMB OAuth setting, absent from this SDK's storage API version (2024-01-01); NFS needs no
key at all (access is the network: the private endpoint), so the account keeps shared
keys off, as the blob account does. Secure transfer stays required: the share is mounted
with encryption in transit (TLS, the driver's `encryptInTransit` volume attribute)
(kubernetes-sigs/azurefile-csi-driver docs/driver-parameters.md, static provisioning;
Azure Files, "Encryption in transit for NFS file shares"). Premium (FileStorage) is the only
account kind with NFS shares; Premium_ZRS keeps three zones."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native.storage as storage

from ..foundation import VolumeFiles
from .keys import ServiceKey
from .private_dns import PrivateAccess
from .storage import account_name, private_account_args, suffix

SHARE = "flow-files"
DRIVER = "file.csi.azure.com"
CLAIM = "flow-platform-files"
# The driver's example NFS mount options (deploy/example/pv-azurefile-nfs.yaml): parallel
# connections, no reserved source port (reconnects after a node's port is taken), 30 s
# attribute cache.
MOUNT_OPTIONS = ["nconnect=4", "noresvport", "actimeo=30"]
SHARE_SOFT_DELETE_DAYS = 14


def volume_objects(
    *, namespace: str, resource_group: pulumi.Input[str], account: pulumi.Input[str], share: pulumi.Input[str], size_gb: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A PersistentVolume bound to the share (static provisioning: the share is Pulumi's,
    the volume only points at it) and the claim that binds it by name, in `namespace`."""
    volume_name = f"{namespace}-{CLAIM}"
    volume = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": volume_name, "annotations": {"pv.kubernetes.io/provisioned-by": DRIVER}},
        "spec": {
            "capacity": {"storage": f"{size_gb}Gi"},
            "accessModes": ["ReadWriteMany"],
            # Deleting the claim never deletes the share (the share is protected in prod anyway).
            "persistentVolumeReclaimPolicy": "Retain",
            # Bound by name only, never by a storage class's dynamic provisioner.
            "storageClassName": "",
            "mountOptions": MOUNT_OPTIONS,
            "csi": {
                "driver": DRIVER,
                # Unique per share in the cluster: {resource group}#{account}#{share}.
                "volumeHandle": pulumi.Output.format("{0}#{1}#{2}", resource_group, account, share),
                "volumeAttributes": {
                    "resourceGroup": resource_group,
                    "storageAccount": account,
                    "shareName": share,
                    "protocol": "nfs",
                    "encryptInTransit": "true",
                },
            },
        },
    }
    claim = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": CLAIM, "namespace": namespace},
        "spec": {
            "accessModes": ["ReadWriteMany"],
            "storageClassName": "",
            "volumeName": volume_name,
            "resources": {"requests": {"storage": f"{size_gb}Gi"}},
        },
    }
    return volume, claim


class NfsFiles(pulumi.ComponentResource):
    result: VolumeFiles
    account: storage.StorageAccount
    share: storage.FileShare
    endpoint_ready: pulumi.Resource

    def __init__(
        self,
        name: str,
        *,
        size_gb: int,
        namespace: str,
        resource_group_name: pulumi.Input[str],
        location: str,
        access: PrivateAccess,
        key: ServiceKey,
        prod: bool,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:NfsFiles", name, None, opts)
        self.account = storage.StorageAccount(
            f"{name}-files",
            account_name=account_name(name, "files", suffix(f"{name}-files", self)),
            resource_group_name=resource_group_name,
            location=location,
            kind="FileStorage",
            sku=storage.SkuArgs(name="Premium_ZRS"),
            tags=tags,
            # Azure checks the key with the identity's role at creation.
            opts=pulumi.ResourceOptions(parent=self, protect=prod, depends_on=[key.grant]),
            **private_account_args(key),
        )
        service = storage.FileServiceProperties(
            f"{name}-files-service",
            account_name=self.account.name,
            resource_group_name=resource_group_name,
            file_services_name="default",
            share_delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=SHARE_SOFT_DELETE_DAYS),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.share = storage.FileShare(
            f"{name}-files-share",
            account_name=self.account.name,
            resource_group_name=resource_group_name,
            share_name=SHARE,
            enabled_protocols="NFS",
            share_quota=size_gb,
            # The kubelet (root on the node) sets the share's group to the pods' fsGroup
            # (10001) on mount: root must stay root on the share.
            root_squash="NoRootSquash",
            opts=pulumi.ResourceOptions(parent=self, protect=prod, depends_on=[service]),
        )
        self.endpoint_ready = access.endpoint(
            f"{name}-files",
            resource_id=self.account.id,
            group_id="file",
            holds="the file share's storage account",
            parent=self,
        )
        volume, claim = volume_objects(
            namespace=namespace,
            resource_group=resource_group_name,
            account=self.account.name,
            share=self.share.name,
            size_gb=size_gb,
        )
        self.result = VolumeFiles(
            volume={"persistentVolumeClaim": {"claimName": CLAIM}},
            objects=(volume, claim),
        )
        self.register_outputs({"account": self.account.name, "share": self.share.name})
