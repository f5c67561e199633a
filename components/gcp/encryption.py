"""Customer-managed Cloud KMS keys: one per service that encrypts with one (GKE's
Kubernetes secrets, Cloud SQL, Memorystore, Cloud Storage), each usable only by that
service's agent.

A key's only user is its service agent, with Cloud KMS CryptoKey Encrypter/Decrypter on
that key alone, granted before the resource that uses the key is created (each service
checks it then). `gcp.adminMembers` administer the key ring (Cloud KMS Admin: rotation,
versions, IAM), which gives no use of the keys.

Keys and key rings cannot be deleted in Google Cloud: destroying a dev stack drops them
from the state and schedules their versions' destruction (after 30 days, `DESTROY_SCHEDULED`
until then), which is when what they encrypted becomes unreadable. In prod they are
protected like the data itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from ..principals import principal_suffix

PURPOSES = {
    "cluster": "GKE application-layer secrets encryption",
    "database": "Cloud SQL for PostgreSQL at rest",
    "cache": "Memorystore for Redis at rest",
    "storage": "Cloud Storage objects at rest",
}
# 90 days, the longest rotation period the CIS Google Cloud benchmark accepts (1.10).
ROTATION_PERIOD = "7776000s"
DESTROY_SCHEDULED_DURATION = "2592000s"  # 30 days, as the AWS keys' deletion window
ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
KEY_RING_ADMIN = "roles/cloudkms.admin"


@dataclass(frozen=True)
class GrantedKey:
    """A key and the grant its service agent needs first: a resource using the key depends on `grant`."""

    id: pulumi.Output[str]
    grant: gcp.kms.CryptoKeyIAMMember


class EncryptionKeys(pulumi.ComponentResource):
    key_ring_id: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        project: str,
        region: str,
        admin_members: Sequence[str],
        labels: dict[str, str],
        protect: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:gcp:EncryptionKeys", name, None, opts)
        self._name = name
        self._labels = labels
        self._protect = protect
        # In the region of everything it encrypts: Cloud SQL, Memorystore, a regional bucket
        # and a regional cluster each need a key in their own location.
        ring = gcp.kms.KeyRing(
            f"{name}-keys",
            project=project,
            location=region,
            name=f"{name}-keys",
            opts=pulumi.ResourceOptions(parent=self, protect=protect),
        )
        for index, member in enumerate(admin_members):
            gcp.kms.KeyRingIAMMember(
                f"{name}-keys-admin-{principal_suffix(member)}",
                key_ring_id=ring.id,
                role=KEY_RING_ADMIN,
                member=member,
                # Named by their index before (components/principals.py says why no longer).
                opts=pulumi.ResourceOptions(parent=self, aliases=[pulumi.Alias(name=f"{name}-keys-admin-{index}")]),
            )
        self._ring = ring
        self.key_ring_id = ring.id
        self.register_outputs({"keyRingId": ring.id})

    def key(self, purpose: str, agent_email: pulumi.Input[str]) -> GrantedKey:
        """A rotating key for `purpose`, usable by the service agent `agent_email` only."""
        key = gcp.kms.CryptoKey(
            f"{self._name}-{purpose}",
            name=f"{self._name}-{purpose}",
            key_ring=self._ring.id,
            purpose="ENCRYPT_DECRYPT",
            rotation_period=ROTATION_PERIOD,
            destroy_scheduled_duration=DESTROY_SCHEDULED_DURATION,
            version_template={"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "protection_level": "SOFTWARE"},
            labels={**self._labels, "purpose": purpose},
            opts=pulumi.ResourceOptions(parent=self, protect=self._protect),
        )
        grant = gcp.kms.CryptoKeyIAMMember(
            f"{self._name}-{purpose}-agent",
            crypto_key_id=key.id,
            role=ENCRYPTER_DECRYPTER,
            member=pulumi.Output.concat("serviceAccount:", agent_email),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return GrantedKey(id=key.id, grant=grant)
