"""AWS: the state bucket, a secrets key per environment, and the GitHub Actions roles.

- State: one S3 bucket, each environment's state under its own prefix
  (`pulumi login s3://BUCKET/dev`: Pulumi's DIY backend takes a bucket path and keeps
  `.pulumi/` under it, "Using a DIY Backend"), so each role is granted its prefix only.
  Versioned, SSE-KMS with its own key, public access blocked, ACLs off, TLS only; CI roles
  may not change the bucket's settings nor delete object versions; protected.
- Secrets: one KMS key per environment E (`awskms://alias/...`): E's deploy role encrypts
  and decrypts, E's preview role decrypts; no other CI role may use it.
- CI: GitHub's OIDC provider and a role per identity (bootstrap/github.py: E-preview and E
  per environment), trusted for the exact `sub` with audience sts.amazonaws.com.

Key policies name their administrators (who runs the bootstrap, `aws.keyAdminArns`) and
their users explicitly, never the account root: no IAM policy, AdministratorAccess
included, can use a key its policy does not name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aws.encryption import ADMIN_ACTIONS as KEY_ADMIN_ACTIONS

from .config import Settings
from .github import ISSUER, PREVIEW_SUFFIX, CiIdentity, ci_identities

PROVIDER_HOST = ISSUER.removeprefix("https://")
# aws-actions/configure-aws-credentials asks GitHub for a token with this audience.
AUDIENCE = "sts.amazonaws.com"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
DEPLOY_SESSION_SECONDS = 4 * 3600
PREVIEW_SESSION_SECONDS = 3600
# Pulumi's DIY backend on S3 needs exactly these ("Using a DIY Backend", Required permissions).
STATE_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
# What no CI role may do to the state bucket, whatever its IAM policies allow: a bucket
# policy's explicit deny wins over any allow.
STATE_VERSION_RETENTION_DAYS = 365
# What a deploy role may not do to the CI roles and to GitHub's OIDC provider.
IAM_GUARDED_ACTIONS = [
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:UpdateRole",
    "iam:DeleteRole",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:DeleteOpenIDConnectProvider",
    "iam:UpdateOpenIDConnectProviderThumbprint",
    "iam:AddClientIDToOpenIDConnectProvider",
    "iam:RemoveClientIDFromOpenIDConnectProvider",
    "iam:TagOpenIDConnectProvider",
    "iam:UntagOpenIDConnectProvider",
]
BUCKET_GUARDED_ACTIONS = [
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketAcl",
    "s3:DeleteObjectVersion",
]


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def trust_policy(provider_arn: str, subject: str) -> str:
    """Only GitHub's tokens for this exact subject and for STS may assume the role: StringEquals
    on the provider's `aud` and `sub` keys (IAM User Guide, "Configuring a role for GitHub OIDC
    identity provider"; GitHub, "Configuring OpenID Connect in Amazon Web Services": a job with an
    environment must be matched on `repo:ORG/REPO:environment:NAME`)."""
    return _policy(
        {
            "Sid": "GitHubActions",
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {f"{PROVIDER_HOST}:aud": AUDIENCE, f"{PROVIDER_HOST}:sub": subject}},
        }
    )


def _key_policy(admins: list[str], users: list[dict[str, Any]]) -> str:
    administer = {
        "Sid": "KeyAdministrators",
        "Effect": "Allow",
        "Principal": {"AWS": sorted(set(admins))},
        "Action": KEY_ADMIN_ACTIONS,
        "Resource": "*",
    }
    return _policy(administer, *users)


class AwsBootstrap(pulumi.ComponentResource):
    outputs: dict[str, pulumi.Input[Any]]

    def __init__(self, name: str, settings: Settings, opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:bootstrap:AwsBootstrap", name, None, opts)
        config = settings.aws
        region = config.region
        provider = aws.Provider(
            f"{name}-aws",
            region=region,
            # Refuse credentials of another account: this bootstrap owns who deploys to that one.
            allowed_account_ids=[config.account_id],
            default_tags={"tags": {"project": "centaurops", "managed-by": "pulumi", "stack": pulumi.get_stack()}},
            opts=pulumi.ResourceOptions(parent=self),
        )
        self._child = pulumi.ResourceOptions(parent=self, provider=provider)
        self._protected = pulumi.ResourceOptions(parent=self, provider=provider, protect=True)
        self._name = name
        self._region = region
        self._account = config.account_id
        invoke = pulumi.InvokeOutputOptions(parent=self, provider=provider)
        caller = aws.get_caller_identity_output(opts=invoke)
        # The IAM role behind the admin's session (a key policy takes IAM principals only).
        deployer = aws.iam.get_session_context_output(arn=caller.arn, opts=invoke).issuer_arn
        self._admins = pulumi.Output.all(deployer, *config.key_admin_arns)
        # People who run pulumi by hand use the keys like a deploy role, through their own IAM rights.
        self._operators = sorted(set(config.operator_arns))

        identities = ci_identities(settings.github, settings.environments)
        oidc = aws.iam.OpenIdConnectProvider(
            f"{name}-github",
            url=ISSUER,
            client_id_lists=[AUDIENCE],
            # No thumbprint: IAM verifies GitHub's certificate against its trusted root CAs
            # and ignores thumbprints for GitHub (IAM API, UpdateOpenIDConnectProviderThumbprint).
            opts=self._child,
        )
        # A first prod `pulumi up` (cluster, node groups, database) can outlast an hour; workflows
        # ask for the maximum with configure-aws-credentials' role-duration-seconds (githubVariables).
        sessions = {i.name: DEPLOY_SESSION_SECONDS if i.deploys else PREVIEW_SESSION_SECONDS for i in identities}
        roles = {
            identity.name: aws.iam.Role(
                f"{name}-{identity.name}",
                description=f"GitHub Actions {identity.subject}",
                assume_role_policy=oidc.arn.apply(lambda arn, s=identity.subject: trust_policy(arn, s)),
                max_session_duration=sessions[identity.name],
                opts=self._child,
            )
            for identity in identities
        }
        role_arns = {key: role.arn for key, role in roles.items()}
        keys = {environment: self._secrets_key(environment, role_arns) for environment in settings.environments}
        bucket = self._state_bucket(role_arns, identities)
        guarded = [oidc.arn, *role_arns.values()]
        for identity in identities:
            self._permissions(identity, roles[identity.name], bucket.arn, guarded, settings)

        backends = {e: pulumi.Output.format("s3://{0}/{1}?region={2}", bucket.bucket, e, region) for e in settings.environments}
        providers = {e: f"awskms://alias/{name}-secrets-{e}?region={region}" for e in settings.environments}
        self.outputs = {
            "stateBucket": bucket.bucket,
            "oidcProviderArn": oidc.arn,
            "roleArns": role_arns,
            "secretsKeyArns": {environment: key.arn for environment, key in keys.items()},
            "backendUrls": backends,
            "secretsProviders": providers,
            "commands": {
                e: [
                    pulumi.Output.concat("pulumi login '", backends[e], "'"),
                    f"pulumi stack init {e} --secrets-provider='{providers[e]}'",
                ]
                for e in settings.environments
            },
            # Per GitHub environment, what .github/actions/stack-setup and the jobs read (docs/delivery.md);
            # the session asked for is the role's maximum.
            "githubVariables": {
                i.name: {
                    "AWS_ROLE_ARN": role_arns[i.name],
                    "AWS_REGION": region,
                    "AWS_ROLE_DURATION_SECONDS": str(sessions[i.name]),
                    "PULUMI_BACKEND_URL": backends[i.environment],
                }
                for i in identities
            },
            # What each environment's stack file of the main program lists: its deploy role
            # keeps cluster-admin (EKS access entry) and key administration even when a
            # person created the cluster first; its preview role reads the cluster.
            "mainStackConfig": {
                e: {
                    "centaurops:aws": {
                        "adminPrincipalArns": [role_arns[e]],
                        "previewPrincipalArns": [role_arns[f"{e}{PREVIEW_SUFFIX}"]],
                    }
                }
                for e in settings.environments
            },
        }
        self.register_outputs(self.outputs)

    def _secrets_key(self, environment: str, role_arns: dict[str, pulumi.Output[str]]) -> aws.kms.Key:
        def policy(values: list[Any]) -> str:
            admins, deployer, preview = values
            # Pulumi's cloud secrets manager wraps the stack's data key with Encrypt and
            # unwraps it with Decrypt (gocloud.dev/secrets/awskms).
            users = [
                {
                    "Sid": "DeployRole",
                    "Effect": "Allow",
                    "Principal": {"AWS": deployer},
                    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
                    "Resource": "*",
                }
            ]
            # Its own environment's preview role only: a prod preview reads prod's secrets, a dev one dev's.
            users.append(
                {
                    "Sid": "PreviewRoleDecrypts",
                    "Effect": "Allow",
                    "Principal": {"AWS": preview},
                    "Action": ["kms:Decrypt", "kms:DescribeKey"],
                    "Resource": "*",
                }
            )
            if self._operators:
                users.append(
                    {
                        "Sid": "Operators",
                        "Effect": "Allow",
                        "Principal": {"AWS": self._operators},
                        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
                        "Resource": "*",
                    }
                )
            return _key_policy(admins, users)

        key = aws.kms.Key(
            f"{self._name}-secrets-{environment}",
            description=f"Pulumi secrets provider of the centaurops {environment} stack",
            policy=pulumi.Output.all(self._admins, role_arns[environment], role_arns[f"{environment}{PREVIEW_SUFFIX}"]).apply(
                policy
            ),
            enable_key_rotation=True,
            deletion_window_in_days=30,
            opts=self._protected,
        )
        aws.kms.Alias(
            f"{self._name}-secrets-{environment}",
            name=f"alias/{self._name}-secrets-{environment}",
            target_key_id=key.key_id,
            opts=self._child,
        )
        return key

    def _state_bucket(self, role_arns: dict[str, pulumi.Output[str]], identities: Sequence[CiIdentity]) -> aws.s3.Bucket:
        name, region, account = self._name, self._region, self._account
        deployers = [role_arns[i.name] for i in identities if i.deploys]
        previewers = [role_arns[i.name] for i in identities if not i.deploys]

        def key_policy(values: list[Any]) -> str:
            admins, *arns = values
            deploy, preview = arns[: len(deployers)], arns[len(deployers) :]
            # Used only through S3 in this account (as AWS managed keys are): SSE-KMS
            # writes need GenerateDataKey, reads Decrypt.
            via = {"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com", "kms:CallerAccount": account}}
            writers = [*deploy, *self._operators]
            return _key_policy(
                admins,
                [
                    {
                        "Sid": "WritersThroughS3",
                        "Effect": "Allow",
                        "Principal": {"AWS": writers},
                        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                        "Resource": "*",
                        "Condition": via,
                    },
                    {
                        "Sid": "PreviewRolesReadThroughS3",
                        "Effect": "Allow",
                        "Principal": {"AWS": preview},
                        "Action": "kms:Decrypt",
                        "Resource": "*",
                        "Condition": via,
                    },
                ],
            )

        key = aws.kms.Key(
            f"{name}-state",
            description="Encryption of the centaurops Pulumi state bucket",
            policy=pulumi.Output.all(self._admins, *deployers, *previewers).apply(key_policy),
            enable_key_rotation=True,
            deletion_window_in_days=30,
            opts=self._protected,
        )
        aws.kms.Alias(f"{name}-state", name=f"alias/{name}-state", target_key_id=key.key_id, opts=self._child)
        bucket = aws.s3.Bucket(f"{name}-state", force_destroy=False, opts=self._protected)
        aws.s3.BucketOwnershipControls(
            f"{name}-state-ownership",
            bucket=bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=self._child,
        )
        public_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-state-public-access",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=self._child,
        )
        aws.s3.BucketVersioning(
            f"{name}-state-versioning",
            bucket=bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=self._child,
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-state-encryption",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm="aws:kms", kms_master_key_id=key.arn
                    ),
                    bucket_key_enabled=True,
                )
            ],
            opts=self._child,
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-state-lifecycle",
            bucket=bucket.id,
            rules=[
                # An overwritten or deleted state stays restorable for a year.
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="keep-old-states-a-year",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                    noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                        noncurrent_days=STATE_VERSION_RETENTION_DAYS
                    ),
                    abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                        days_after_initiation=7
                    ),
                )
            ],
            opts=self._child,
        )
        by_name = {i.name: i for i in identities}

        def bucket_policy(values: list[Any]) -> str:
            arn, *arns = values
            by_identity = dict(zip(role_arns, arns, strict=True))
            statements: list[dict[str, Any]] = [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [arn, f"{arn}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
                {
                    "Sid": "CiRolesKeepTheBucketAsItIs",
                    "Effect": "Deny",
                    "Principal": {"AWS": sorted(by_identity.values())},
                    "Action": BUCKET_GUARDED_ACTIONS,
                    "Resource": [arn, f"{arn}/*"],
                },
            ]
            # Each CI role reaches its own environment's prefix only, whatever else its
            # policies allow (a preview role's ReadOnlyAccess reads every bucket).
            for identity, role in sorted(by_identity.items()):
                statements.append(
                    {
                        "Sid": f"{by_name[identity].sid}RoleOnlyItsState",
                        "Effect": "Deny",
                        "Principal": {"AWS": role},
                        "Action": ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*"],
                        "NotResource": [f"{arn}/{by_name[identity].environment}/*"],
                    }
                )
            return _policy(*statements)

        aws.s3.BucketPolicy(
            f"{name}-state-policy",
            bucket=bucket.id,
            policy=pulumi.Output.all(bucket.arn, *role_arns.values()).apply(bucket_policy),
            opts=pulumi.ResourceOptions(parent=self, provider=self._child.provider, depends_on=[public_block]),
        )
        return bucket

    def _permissions(
        self,
        identity: CiIdentity,
        role: aws.iam.Role,
        bucket_arn: pulumi.Output[str],
        guarded: Sequence[pulumi.Output[str]],
        settings: Settings,
    ) -> None:
        name = f"{self._name}-{identity.name}"
        policies = settings.aws.deploy_policy_arns if identity.deploys else [READ_ONLY]
        for index, policy_arn in enumerate(policies):
            aws.iam.RolePolicyAttachment(f"{name}-{index}", role=role.name, policy_arn=policy_arn, opts=self._child)
        actions = STATE_OBJECT_ACTIONS if identity.deploys else ["s3:GetObject"]

        def state_policy(values: list[Any]) -> str:
            arn, *guarded_arns = values
            statements: list[dict[str, Any]] = [
                {"Sid": "ListState", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": arn},
                {"Sid": "OwnState", "Effect": "Allow", "Action": actions, "Resource": [f"{arn}/{identity.environment}/*"]},
            ]
            if identity.deploys:
                # A guardrail, not a boundary: a deploy role with broad IAM rights cannot
                # rewrite who may deploy (the CI roles' trust and policies, GitHub's provider).
                statements.append(
                    {"Sid": "KeepWhoMayDeploy", "Effect": "Deny", "Action": IAM_GUARDED_ACTIONS, "Resource": sorted(guarded_arns)}
                )
            return _policy(*statements)

        aws.iam.RolePolicy(
            f"{name}-state",
            role=role.id,
            policy=pulumi.Output.all(bucket_arn, *guarded).apply(state_policy),
            opts=self._child,
        )
