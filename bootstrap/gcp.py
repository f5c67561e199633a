"""Google Cloud: the state buckets, a secrets key per environment, and GitHub Actions'
Workload Identity Federation.

- State: a bucket per environment (`pulumi login gs://BUCKET`), so each service account
  is granted one bucket, without IAM conditions on object names. Uniform bucket-level
  access, public access prevention enforced, versioning, soft delete, encrypted with the
  state key (Cloud Storage's service agent uses it; readers need no key permission);
  never force-destroyed, protected.
- Secrets: a key per environment in the bootstrap key ring (`gcpkms://projects/...`):
  its deploy service account encrypts and decrypts, its preview one decrypts; no other CI
  account may use it. Cloud KMS keys cannot be deleted at all (only
  their versions, after a 30-day schedule); they are protected besides.
- CI: a workload identity pool with GitHub's OIDC provider, its attribute condition
  pinning the repository, and a service account per identity (bootstrap/github.py: E-preview
  and E per environment) that only the principal of its exact subject may impersonate
  (Workload Identity User).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from .config import GitHub, Settings
from .github import ISSUER, PREVIEW_SUFFIX, ci_identities

# 90 days, the longest rotation period the CIS Google Cloud benchmark accepts (as components/gcp).
ROTATION_PERIOD = "7776000s"
DESTROY_SCHEDULED_DURATION = "2592000s"  # 30 days
POOL_ID = "centaurops-github"
PROVIDER_ID = "github-actions"
# Deleted state objects stay restorable this long (soft delete takes 7 to 90 days:
# https://cloud.google.com/storage/docs/soft-delete); overwritten ones a year, as versions.
SOFT_DELETE_SECONDS = 90 * 24 * 3600
STATE_VERSION_RETENTION_DAYS = 365
ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
DECRYPTER = "roles/cloudkms.cryptoKeyDecrypter"
KEY_RING_ADMIN = "roles/cloudkms.admin"
WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
# Read, create, replace and delete objects (what Pulumi's DIY backend does), no bucket settings.
STATE_WRITER = "roles/storage.objectUser"
STATE_READER = "roles/storage.objectViewer"
PREVIEW_ROLES = ("roles/viewer",)


def principal(project_number: pulumi.Input[str], subject: str) -> pulumi.Output[str]:
    """The one federated identity whose token carries `subject`, as IAM names it
    (https://cloud.google.com/iam/docs/principal-identifiers: a single identity in a
    workload identity pool, `principal://.../workloadIdentityPools/POOL_ID/subject/SUBJECT`,
    SUBJECT being google.subject, here GitHub's `sub`: `repo:OWNER/REPO:environment:NAME`)."""
    return pulumi.Output.concat(
        "principal://iam.googleapis.com/projects/",
        project_number,
        f"/locations/global/workloadIdentityPools/{POOL_ID}/subject/{subject}",
    )


def repository_condition(github: GitHub) -> str:
    """The pool's attribute condition: tokens of this repository only; with its numeric id
    (GitHub's `repository_id` claim) a repository that takes the name later is refused too."""
    condition = f"assertion.repository == '{github.repository}'"
    return f"{condition} && assertion.repository_id == '{github.repository_id}'" if github.repository_id else condition


class GcpBootstrap(pulumi.ComponentResource):
    outputs: dict[str, pulumi.Input[Any]]

    def __init__(self, name: str, settings: Settings, opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:bootstrap:GcpBootstrap", name, None, opts)
        config = settings.gcp
        project, region = config.project, config.region
        provider = gcp.Provider(
            f"{name}-gcp",
            project=project,
            region=region,
            default_labels={"project": "centaurops", "managed-by": "pulumi", "stack": pulumi.get_stack()},
            opts=pulumi.ResourceOptions(parent=self),
        )
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        protected = pulumi.ResourceOptions(parent=self, provider=provider, protect=True)
        invoke = pulumi.InvokeOutputOptions(parent=self, provider=provider)
        number = gcp.organizations.get_project_output(project_id=project, opts=invoke).number
        storage_agent = gcp.storage.get_project_service_account_output(project=project, opts=invoke).email_address

        pool = gcp.iam.WorkloadIdentityPool(
            f"{name}-github",
            project=project,
            workload_identity_pool_id=POOL_ID,
            display_name="GitHub Actions",
            description=f"GitHub Actions workflows of {settings.github.repository}",
            opts=child,
        )
        github = gcp.iam.WorkloadIdentityPoolProvider(
            f"{name}-github",
            project=project,
            workload_identity_pool_id=pool.workload_identity_pool_id,
            workload_identity_pool_provider_id=PROVIDER_ID,
            display_name="GitHub Actions OIDC",
            # google.subject is what the service accounts' bindings name (at most 127 bytes,
            # checked in bootstrap/config.py); tokens of any other repository are refused
            # before any binding is looked at.
            attribute_mapping={"google.subject": "assertion.sub", "attribute.repository": "assertion.repository"},
            attribute_condition=repository_condition(settings.github),
            # The default audience (the provider's own resource name) is what
            # google-github-actions/auth asks GitHub for.
            oidc={"issuer_uri": ISSUER},
            opts=child,
        )

        ring = gcp.kms.KeyRing(f"{name}-keys", project=project, location=region, name=f"{name}-keys", opts=protected)
        for index, member in enumerate(config.key_admin_members):
            gcp.kms.KeyRingIAMMember(
                f"{name}-keys-admin-{index}", key_ring_id=ring.id, role=KEY_RING_ADMIN, member=member, opts=child
            )

        def key(purpose: str) -> gcp.kms.CryptoKey:
            return gcp.kms.CryptoKey(
                f"{name}-{purpose}",
                name=f"{name}-{purpose}",
                key_ring=ring.id,
                purpose="ENCRYPT_DECRYPT",
                rotation_period=ROTATION_PERIOD,
                destroy_scheduled_duration=DESTROY_SCHEDULED_DURATION,
                version_template={"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "protection_level": "SOFTWARE"},
                labels={"purpose": purpose},
                opts=protected,
            )

        state_key = key("state")
        # Cloud Storage encrypts and decrypts with its service agent; it checks the grant
        # when a bucket is created with the key.
        state_key_grant = gcp.kms.CryptoKeyIAMMember(
            f"{name}-state-storage-agent",
            crypto_key_id=state_key.id,
            role=ENCRYPTER_DECRYPTER,
            member=pulumi.Output.concat("serviceAccount:", storage_agent),
            opts=child,
        )

        identities = ci_identities(settings.github, settings.environments)
        accounts: dict[str, gcp.serviceaccount.Account] = {}
        for identity in identities:
            account = gcp.serviceaccount.Account(
                f"{name}-{identity.name}",
                project=project,
                account_id=f"centaurops-ci-{identity.name}",
                display_name=f"centaurops CI {identity.name}",
                description=f"GitHub Actions {identity.subject}",
                opts=child,
            )
            gcp.serviceaccount.IAMMember(
                f"{name}-{identity.name}-github",
                service_account_id=account.name,
                role=WORKLOAD_IDENTITY_USER,
                member=principal(number, identity.subject),
                # The pool must exist for IAM to accept its principals.
                opts=pulumi.ResourceOptions(parent=self, provider=provider, depends_on=[github]),
            )
            roles = config.deploy_roles if identity.deploys else PREVIEW_ROLES
            for role in roles:
                gcp.projects.IAMMember(
                    f"{name}-{identity.name}-{role.rsplit('/', 1)[-1]}",
                    project=project,
                    role=role,
                    member=account.member,
                    opts=child,
                )
            accounts[identity.name] = account

        buckets: dict[str, gcp.storage.Bucket] = {}
        keys: dict[str, gcp.kms.CryptoKey] = {}
        for environment in settings.environments:
            reader = accounts[f"{environment}{PREVIEW_SUFFIX}"]
            bucket = gcp.storage.Bucket(
                f"{name}-state-{environment}",
                # Bucket names are global: the project id makes these the project's.
                name=f"{project}-centaurops-state-{environment}",
                project=project,
                location=region.upper(),
                storage_class="STANDARD",
                uniform_bucket_level_access=True,
                public_access_prevention="enforced",
                versioning={"enabled": True},
                soft_delete_policy={"retention_duration_seconds": SOFT_DELETE_SECONDS},
                encryption={"default_kms_key_name": state_key.id},
                lifecycle_rules=[
                    {
                        "action": {"type": "Delete"},
                        "condition": {"with_state": "ARCHIVED", "days_since_noncurrent_time": STATE_VERSION_RETENTION_DAYS},
                    },
                ],
                force_destroy=False,
                opts=pulumi.ResourceOptions(parent=self, provider=provider, protect=True, depends_on=[state_key_grant]),
            )
            gcp.storage.BucketIAMMember(
                f"{name}-state-{environment}-{environment}",
                bucket=bucket.name,
                role=STATE_WRITER,
                member=accounts[environment].member,
                opts=child,
            )
            secrets = key(f"secrets-{environment}")
            # Pulumi's cloud secrets manager wraps the stack's data key with Encrypt and
            # unwraps it with Decrypt (gocloud.dev/secrets/gcpkms).
            gcp.kms.CryptoKeyIAMMember(
                f"{name}-secrets-{environment}-{environment}",
                crypto_key_id=secrets.id,
                role=ENCRYPTER_DECRYPTER,
                member=accounts[environment].member,
                opts=child,
            )
            # Its own environment's preview account only: a prod preview reads prod's secrets, a dev one dev's.
            gcp.storage.BucketIAMMember(
                f"{name}-state-{environment}-preview", bucket=bucket.name, role=STATE_READER, member=reader.member, opts=child
            )
            gcp.kms.CryptoKeyIAMMember(
                f"{name}-secrets-{environment}-preview",
                crypto_key_id=secrets.id,
                role=DECRYPTER,
                member=reader.member,
                opts=child,
            )
            # People who run pulumi by hand (config.operator_members) use each state and key like its deploy account.
            for index, member in enumerate(config.operator_members):
                gcp.storage.BucketIAMMember(
                    f"{name}-state-{environment}-operator-{index}",
                    bucket=bucket.name,
                    role=STATE_WRITER,
                    member=member,
                    opts=child,
                )
                gcp.kms.CryptoKeyIAMMember(
                    f"{name}-secrets-{environment}-operator-{index}",
                    crypto_key_id=secrets.id,
                    role=ENCRYPTER_DECRYPTER,
                    member=member,
                    opts=child,
                )
            buckets[environment], keys[environment] = bucket, secrets

        emails = {identity: account.email for identity, account in accounts.items()}
        backends = {e: pulumi.Output.concat("gs://", bucket.name) for e, bucket in buckets.items()}
        providers = {e: pulumi.Output.concat("gcpkms://", key.id) for e, key in keys.items()}
        self.outputs = {
            "workloadIdentityProvider": github.name,
            "serviceAccounts": emails,
            "stateBuckets": {e: bucket.name for e, bucket in buckets.items()},
            "backendUrls": backends,
            "secretsProviders": providers,
            "commands": {
                e: [
                    pulumi.Output.concat("pulumi login ", backends[e]),
                    pulumi.Output.concat(f"pulumi stack init {e} --secrets-provider='", providers[e], "'"),
                ]
                for e in settings.environments
            },
            # Per GitHub environment, what .github/actions/stack-setup and the jobs read (docs/delivery.md).
            "githubVariables": {
                i.name: {
                    "GCP_WORKLOAD_IDENTITY_PROVIDER": github.name,
                    "GCP_SERVICE_ACCOUNT": emails[i.name],
                    "PULUMI_BACKEND_URL": backends[i.environment],
                }
                for i in identities
            },
            # What each environment's stack file of the main program lists: its deploy
            # service account administers the cluster and the key ring there; its preview one
            # reads the cluster.
            "mainStackConfig": {
                e: {
                    "centaurops:gcp": {
                        "adminMembers": [pulumi.Output.concat("serviceAccount:", emails[e])],
                        "previewMembers": [pulumi.Output.concat("serviceAccount:", emails[f"{e}{PREVIEW_SUFFIX}"])],
                    }
                }
                for e in settings.environments
            },
        }
        self.register_outputs(self.outputs)
