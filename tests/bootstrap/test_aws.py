"""bootstrap/aws.py: who may assume each CI role, what it reaches, and the state and keys kept safe."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bootstrap.aws import BUCKET_GUARDED_ACTIONS, IAM_GUARDED_ACTIONS, STATE_OBJECT_ACTIONS
from tests.bootstrap.stacks import REPOSITORY, bootstrap_plan, policy, statement
from tests.plans import Plan

ROLE = "aws:iam/role:Role"
KEY = "aws:kms/key:Key"
IDENTITIES = ("dev-preview", "dev", "prod-preview", "prod")
# GitHub's subject for a job of environment NAME (https://docs.github.com/en/actions/reference/security/oidc).
SUBJECTS = {identity: f"repo:{REPOSITORY}:environment:{identity}" for identity in IDENTITIES}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return bootstrap_plan("aws")


def roles(plan: Plan) -> dict[str, dict[str, Any]]:
    return {r["name"].removeprefix("centaurops-aws-"): r for r in plan.of_type(ROLE)}


def role_arn(plan: Plan, identity: str) -> str:
    return plan.outputs["roleArns"][identity]


def test_each_role_trusts_github_for_its_exact_subject_only(plan: Plan) -> None:
    provider_arn = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert sorted(roles(plan)) == sorted(IDENTITIES)
    for identity, role in roles(plan).items():
        (trust,) = policy(role, "assumeRolePolicy")["Statement"]
        assert trust["Effect"] == "Allow"
        assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert trust["Principal"] == {"Federated": plan.outputs["oidcProviderArn"]}
        # StringEquals on both claims, nothing else: no StringLike, no wildcard, no other key.
        assert trust["Condition"] == {
            "StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": SUBJECTS[identity],
            }
        }
    assert provider_arn["urn"] in roles(plan)["prod"]["dependencies"]


def test_deploy_sessions_outlast_a_long_first_deploy(plan: Plan) -> None:
    durations = {identity: role["inputs"]["maxSessionDuration"] for identity, role in roles(plan).items()}
    assert durations == {"dev-preview": 3600, "prod-preview": 3600, "dev": 4 * 3600, "prod": 4 * 3600}


def test_github_provider_has_sts_audience_and_no_thumbprint(plan: Plan) -> None:
    provider = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")["inputs"]
    assert provider["url"] == "https://token.actions.githubusercontent.com"
    assert provider["clientIdLists"] == ["sts.amazonaws.com"]
    assert "thumbprintLists" not in provider
    assert plan.outputs["oidcProviderArn"] == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


def test_preview_is_read_only_and_deployers_get_the_configured_policies(plan: Plan) -> None:
    attached: dict[str, list[str]] = {}
    for attachment in plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment"):
        identity = attachment["name"].removeprefix("centaurops-aws-").rsplit("-", 1)[0]
        attached.setdefault(identity, []).append(attachment["inputs"]["policyArn"])
    assert attached == {
        "dev-preview": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        "prod-preview": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        "dev": ["arn:aws:iam::aws:policy/AdministratorAccess"],
        "prod": ["arn:aws:iam::aws:policy/AdministratorAccess"],
    }


def state_policy(plan: Plan, identity: str) -> dict[str, Any]:
    return policy(plan.one("aws:iam/rolePolicy:RolePolicy", f"-aws-{identity}-state"))


def test_each_role_reaches_its_own_state_prefix_only(plan: Plan) -> None:
    bucket = f"arn:aws:s3:::{plan.outputs['stateBucket']}"
    for identity, sid, prefix, actions in (
        ("dev", "Dev", "dev", STATE_OBJECT_ACTIONS),
        ("prod", "Prod", "prod", STATE_OBJECT_ACTIONS),
        ("dev-preview", "DevPreview", "dev", ["s3:GetObject"]),
        ("prod-preview", "ProdPreview", "prod", ["s3:GetObject"]),
    ):
        own = statement(state_policy(plan, identity), "OwnState")
        assert own["Action"] == actions
        assert own["Resource"] == [f"{bucket}/{prefix}/*"]
        # The bucket policy denies the rest, whatever the role's other policies allow.
        deny = statement(policy(plan.one("aws:s3/bucketPolicy:BucketPolicy")), f"{sid}RoleOnlyItsState")
        assert deny["Effect"] == "Deny"
        assert deny["Principal"] == {"AWS": role_arn(plan, identity)}
        assert deny["NotResource"] == [f"{bucket}/{prefix}/*"]


def test_state_bucket_is_versioned_encrypted_private_tls_only_and_protected(plan: Plan) -> None:
    bucket = plan.one("aws:s3/bucket:Bucket")
    assert bucket["protect"] is True
    assert bucket["inputs"]["forceDestroy"] is False
    versioning = plan.one("aws:s3/bucketVersioning:BucketVersioning")["inputs"]
    assert versioning["versioningConfiguration"] == {"status": "Enabled"}
    (rule,) = plan.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")["inputs"][
        "rules"
    ]
    state_key = plan.one(KEY, "-state")
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert (
        state_key["urn"]
        in plan.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")["dependencies"]
    )
    block = plan.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")["inputs"]
    assert all(block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"))
    ownership = plan.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls")["inputs"]
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    bucket_policy = policy(plan.one("aws:s3/bucketPolicy:BucketPolicy"))
    tls = statement(bucket_policy, "DenyInsecureTransport")
    assert (tls["Effect"], tls["Principal"], tls["Action"]) == ("Deny", "*", "s3:*")
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    guard = statement(bucket_policy, "CiRolesKeepTheBucketAsItIs")
    assert guard["Effect"] == "Deny"
    assert guard["Action"] == BUCKET_GUARDED_ACTIONS
    assert {"s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteObjectVersion"} <= set(guard["Action"])
    assert sorted(guard["Principal"]["AWS"]) == sorted(plan.outputs["roleArns"].values())


def test_keys_rotate_wait_30_days_and_are_protected(plan: Plan) -> None:
    keys = plan.of_type(KEY)
    assert sorted(k["name"] for k in keys) == [
        "centaurops-aws-secrets-dev",
        "centaurops-aws-secrets-prod",
        "centaurops-aws-state",
    ]
    for key in keys:
        assert key["protect"] is True
        assert key["inputs"]["enableKeyRotation"] is True
        assert key["inputs"]["deletionWindowInDays"] == 30


def principals(document: dict[str, Any]) -> list[str]:
    found = []
    for item in document["Statement"]:
        value = item["Principal"]["AWS"]
        found += value if isinstance(value, list) else [value]
    return found


def test_secrets_keys_are_used_by_their_environment_only(plan: Plan) -> None:
    admins = ["arn:aws:iam::123456789012:role/centaurops-deployer", "arn:aws:iam::123456789012:role/platform-admin"]
    for environment in ("dev", "prod"):
        document = policy(plan.one(KEY, f"-secrets-{environment}"))
        assert statement(document, "KeyAdministrators")["Principal"] == {"AWS": admins}
        assert "kms:Decrypt" not in statement(document, "KeyAdministrators")["Action"]
        deploy = statement(document, "DeployRole")
        assert deploy["Principal"] == {"AWS": role_arn(plan, environment)}
        assert deploy["Action"] == ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
        # Never the account root or everyone: IAM policies cannot grant use of the key.
        assert not any(p.endswith(":root") or p == "*" for p in principals(document))
        # Its own preview role decrypts; no other CI role is named at all.
        preview = statement(document, "PreviewRoleDecrypts")
        assert preview["Principal"] == {"AWS": role_arn(plan, f"{environment}-preview")}
        assert preview["Action"] == ["kms:Decrypt", "kms:DescribeKey"]
        ci_roles = set(plan.outputs["roleArns"].values())
        assert ci_roles & set(principals(document)) == {role_arn(plan, environment), role_arn(plan, f"{environment}-preview")}


def test_state_key_is_used_through_s3_only(plan: Plan) -> None:
    document = policy(plan.one(KEY, "-state"))
    via = {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": "123456789012"}}
    assert statement(document, "WritersThroughS3")["Condition"] == via
    assert sorted(statement(document, "WritersThroughS3")["Principal"]["AWS"]) == sorted(
        [role_arn(plan, "dev"), role_arn(plan, "prod")]
    )
    assert statement(document, "PreviewRolesReadThroughS3") == {
        "Sid": "PreviewRolesReadThroughS3",
        "Effect": "Allow",
        "Principal": {"AWS": [role_arn(plan, "dev-preview"), role_arn(plan, "prod-preview")]},
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": via,
    }


def test_deploy_roles_cannot_rewrite_who_may_deploy(plan: Plan) -> None:
    guarded = sorted([plan.outputs["oidcProviderArn"], *plan.outputs["roleArns"].values()])
    for identity in ("dev", "prod"):
        deny = statement(state_policy(plan, identity), "KeepWhoMayDeploy")
        assert (deny["Effect"], deny["Action"], deny["Resource"]) == ("Deny", IAM_GUARDED_ACTIONS, guarded)
        assert "iam:UpdateAssumeRolePolicy" in deny["Action"]


def test_provider_refuses_another_account(plan: Plan) -> None:
    provider = plan.one("pulumi:providers:aws")
    assert json.loads(provider["inputs"]["allowedAccountIds"]) == ["123456789012"]
    # Every AWS resource goes through it, none through a default provider.
    assert {r["provider"] for r in plan.resources if r["type"].startswith("aws:")} == {provider["urn"]}


def test_outputs_say_what_github_and_the_main_stacks_need(plan: Plan) -> None:
    outputs, bucket = plan.outputs, plan.outputs["stateBucket"]
    arns = outputs["roleArns"]
    # Each GitHub environment signs in as its role, for as long as the role allows, to its own environment's state.
    assert outputs["githubVariables"] == {
        identity: {
            "AWS_ROLE_ARN": arns[identity],
            "AWS_REGION": "us-east-1",
            "AWS_ROLE_DURATION_SECONDS": str(roles(plan)[identity]["inputs"]["maxSessionDuration"]),
            "PULUMI_BACKEND_URL": f"s3://{bucket}/{identity.removesuffix('-preview')}?region=us-east-1",
        }
        for identity in IDENTITIES
    }
    assert outputs["commands"]["prod"] == [
        f"pulumi login 's3://{bucket}/prod?region=us-east-1'",
        "pulumi stack init prod --secrets-provider='awskms://alias/centaurops-aws-secrets-prod?region=us-east-1'",
    ]
    assert outputs["mainStackConfig"]["prod"] == {
        "centaurops:aws": {"adminPrincipalArns": [arns["prod"]], "previewPrincipalArns": [arns["prod-preview"]]}
    }


def test_an_account_of_one_environment_gets_its_two_roles_only() -> None:
    plan = bootstrap_plan("aws", environments=["prod"])
    assert sorted(roles(plan)) == ["prod", "prod-preview"]
    assert [k["name"] for k in plan.of_type(KEY) if "secrets" in k["name"]] == ["centaurops-aws-secrets-prod"]
    assert sorted(plan.outputs["githubVariables"]) == ["prod", "prod-preview"]


def test_no_long_lived_credential(plan: Plan) -> None:
    assert not [r for r in plan.resources if r["type"] in ("aws:iam/accessKey:AccessKey", "aws:iam/user:User")]


def test_operators_use_every_environments_state_and_key() -> None:
    operator = "arn:aws:iam::123456789012:role/platform-operator"
    plan = bootstrap_plan("aws", aws={"accountId": "123456789012", "operatorArns": [operator]})
    for environment in ("dev", "prod"):
        document = policy(plan.one(KEY, f"-secrets-{environment}"))
        assert statement(document, "Operators")["Principal"] == {"AWS": [operator]}
        assert statement(document, "Operators")["Action"] == ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
    assert operator in statement(policy(plan.one(KEY, "-state")), "WritersThroughS3")["Principal"]["AWS"]
    # None by default: the shipped stack's keys are used by the CI roles only.
    assert "Operators" not in {s["Sid"] for s in policy(bootstrap_plan("aws").one(KEY, "-secrets-prod"))["Statement"]}
