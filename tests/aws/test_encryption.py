"""components/aws/encryption.py: rotating customer keys, protected in prod, each with a
least-privilege key policy that cannot lock out its administrators."""

import pytest

from components.testing.mocks import ACCOUNT_ID, DEPLOYER_ROLE
from tests.aws.policies import KMS_DATA_OPERATIONS, allowed, as_list, matches, principals, statements
from tests.plans import Plan, plan_for

KEY = "aws:kms/key:Key"
DEPLOYER = f"arn:aws:iam::{ACCOUNT_ID}:role/{DEPLOYER_ROLE}"
ADMINS = ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:user/ops"]


def key(plan: Plan, purpose: str) -> dict:
    return plan.one(KEY, f"-{purpose}")


def policy(plan: Plan, purpose: str) -> str:
    return key(plan, purpose)["inputs"]["policy"]


def test_three_rotating_keys_with_a_long_deletion_window(plan: Plan):
    keys = plan.of_type(KEY)
    assert sorted(k["name"].rsplit("-", 1)[-1] for k in keys) == ["cluster", "data", "logs"]
    for k in keys:
        assert k["inputs"]["enableKeyRotation"] is True
        assert k["inputs"]["deletionWindowInDays"] == 30
        assert not k["inputs"].get("bypassPolicyLockoutSafetyCheck"), "KMS must refuse a policy that locks us out"


def test_keys_are_protected_in_prod_only(dev: Plan, prod: Plan):
    assert {k["protect"] for k in dev.of_type(KEY)} == {False}
    assert {k["protect"] for k in prod.of_type(KEY)} == {True}
    # An alias is a name, not data: it stays unprotected.
    assert {a["protect"] for a in prod.of_type("aws:kms/alias:Alias")} == {False}


def test_no_key_has_the_account_wide_default_policy(plan: Plan):
    for k in plan.of_type(KEY):
        for statement in statements(k["inputs"]["policy"]):
            assert statement["Effect"] == "Allow"
            assert "kms:*" not in as_list(statement["Action"]), k["name"]
            assert not [p for p in principals(statement) if p.endswith(":root")], k["name"]


@pytest.mark.parametrize("purpose", ["cluster", "data", "logs"])
def test_the_deploying_role_administers_every_key_and_cannot_be_locked_out(plan: Plan, purpose: str):
    document = policy(plan, purpose)
    # The role behind the session (from iam:GetRole), never the session's sts ARN.
    assert "assumed-role" not in document
    for action in ("kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CreateAlias", "kms:TagResource"):
        assert allowed(document, DEPLOYER, action), (purpose, action)


def test_configured_admins_administer_every_key_but_never_use_one():
    plan = plan_for("prod", aws={"region": "us-east-1", "adminPrincipalArns": ADMINS})
    for purpose in ("cluster", "data", "logs"):
        document = policy(plan, purpose)
        (administer,) = [s for s in statements(document) if s["Sid"] == "KeyAdministrators"]
        assert principals(administer) == sorted([*ADMINS, DEPLOYER])
        for admin in ADMINS:
            assert allowed(document, admin, "kms:PutKeyPolicy"), (purpose, admin)
            assert allowed(document, admin, "kms:EnableKeyRotation"), (purpose, admin)
            assert not [op for op in KMS_DATA_OPERATIONS if allowed(document, admin, op)], (purpose, admin)
        assert not [op for op in KMS_DATA_OPERATIONS if matches(administer["Action"], op)]


def test_account_wide_principals_only_ever_through_a_service_of_this_account(plan: Plan):
    for k in plan.of_type(KEY):
        for statement in statements(k["inputs"]["policy"]):
            if "*" in principals(statement):
                condition = statement["Condition"]["StringEquals"]
                assert condition["kms:CallerAccount"] == ACCOUNT_ID
                assert condition["kms:ViaService"].endswith(".us-east-1.amazonaws.com"), k["name"]


def test_the_cluster_role_uses_the_secrets_key_and_the_deployer_lets_eks_create_its_grant(plan: Plan):
    cluster = plan.one("aws:eks/cluster:Cluster")
    role_arn = cluster["inputs"]["roleArn"]
    document = policy(plan, "cluster")
    for action in ("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"):
        assert allowed(document, role_arn, action), action
    assert not allowed(document, role_arn, "kms:CreateGrant")
    (grant,) = allowed(document, DEPLOYER, "kms:CreateGrant")
    # EKS CreateCluster does not support kms:GrantIsForAWSResource: no condition may require it.
    assert "Condition" not in grant
    role = plan.one("aws:iam/role:Role", "-cluster")
    assert role["urn"] in key(plan, "cluster")["dependencies"], "the role must exist before a policy names it"
    assert key(plan, "cluster")["urn"] in cluster["dependencies"]


def test_data_key_is_used_through_rds_elasticache_and_by_the_workload_through_s3(plan: Plan):
    document = policy(plan, "data")
    services = {
        s["Condition"]["StringEquals"]["kms:ViaService"]
        for s in statements(document)
        if "*" in principals(s) and matches(s["Action"], "kms:CreateGrant")
    }
    assert services == {"rds.us-east-1.amazonaws.com", "elasticache.us-east-1.amazonaws.com"}
    workload_role = plan.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "-workload")["inputs"]["roleArn"]
    (objects,) = [s for s in statements(document) if workload_role in principals(s)]
    assert sorted(as_list(objects["Action"])) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert objects["Condition"]["StringEquals"]["kms:ViaService"] == "s3.us-east-1.amazonaws.com"
    named = {p for s in statements(document) for p in principals(s) if p != "*"}
    assert named == {DEPLOYER, workload_role}, "nobody else is named"


def test_logs_key_serves_cloudwatch_logs_for_this_stacks_log_groups_only(plan: Plan):
    document = policy(plan, "logs")
    (logs,) = [s for s in statements(document) if principals(s, "Service")]
    assert principals(logs, "Service") == ["logs.us-east-1.amazonaws.com"]
    groups = logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
    created = plan.of_type("aws:cloudwatch/logGroup:LogGroup")
    assert groups == sorted(f"arn:aws:logs:us-east-1:{ACCOUNT_ID}:log-group:{g['inputs']['name']}" for g in created)
    logs_key = key(plan, "logs")
    for group in created:
        assert group["inputs"]["kmsKeyId"].startswith("arn:aws:kms:"), group["name"]
        assert logs_key["urn"] in group["dependencies"], group["name"]
