"""Customer-managed KMS keys: one for Kubernetes secrets, one for data at rest."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


class EncryptionKeys(pulumi.ComponentResource):
    """Losing a key loses what it encrypted: keys wait 30 days before deletion, and
    are protected in prod like the data itself."""

    cluster_key_arn: pulumi.Output[str]
    data_key_arn: pulumi.Output[str]

    def __init__(self, name: str, *, protect: bool, opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:aws:EncryptionKeys", name, None, opts)
        keep = pulumi.ResourceOptions(parent=self, protect=protect)
        cluster_key = aws.kms.Key(
            f"{name}-cluster",
            description=f"{name}: EKS secrets envelope encryption",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            opts=keep,
        )
        aws.kms.Alias(
            f"{name}-cluster",
            name=f"alias/{name}-cluster",
            target_key_id=cluster_key.key_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        data_key = aws.kms.Key(
            f"{name}-data",
            description=f"{name}: database, cache and object store at rest",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            opts=keep,
        )
        aws.kms.Alias(
            f"{name}-data", name=f"alias/{name}-data", target_key_id=data_key.key_id, opts=pulumi.ResourceOptions(parent=self)
        )
        self.cluster_key_arn = cluster_key.arn
        self.data_key_arn = data_key.arn
        self.register_outputs({"clusterKeyArn": self.cluster_key_arn, "dataKeyArn": self.data_key_arn})
