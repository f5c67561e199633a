"""Customer-managed KMS keys: one for Kubernetes secrets, one for data at rest."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

PURPOSES = {
    "cluster": "EKS secrets envelope encryption",
    "data": "database, cache and object store at rest",
}


class EncryptionKeys(pulumi.ComponentResource):
    """Losing a key loses what it encrypted: keys wait 30 days before deletion, and
    are protected in prod like the data itself."""

    cluster_key_arn: pulumi.Output[str]
    data_key_arn: pulumi.Output[str]

    def __init__(self, name: str, *, protect: bool, opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:aws:EncryptionKeys", name, None, opts)
        arns: dict[str, pulumi.Output[str]] = {}
        for purpose, description in PURPOSES.items():
            key = aws.kms.Key(
                f"{name}-{purpose}",
                description=f"{name}: {description}",
                enable_key_rotation=True,
                deletion_window_in_days=30,
                opts=pulumi.ResourceOptions(parent=self, protect=protect),
            )
            aws.kms.Alias(
                f"{name}-{purpose}",
                name=f"alias/{name}-{purpose}",
                target_key_id=key.key_id,
                opts=pulumi.ResourceOptions(parent=self),
            )
            arns[purpose] = key.arn
        self.cluster_key_arn = arns["cluster"]
        self.data_key_arn = arns["data"]
        self.register_outputs({"clusterKeyArn": self.cluster_key_arn, "dataKeyArn": self.data_key_arn})
