"""components/aws/identity.py: the workload's service account acts as a role limited to its bucket."""

import json

from tests.plans import Plan, plan_for

ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"


def test_pod_identity_binds_the_configured_service_account(plan: Plan):
    association = plan.one(ASSOCIATION, "-workload")["inputs"]
    assert (association["namespace"], association["serviceAccount"]) == ("centaurops", "flow-platform")
    custom = plan_for("dev", workload={"namespace": "flows", "serviceAccount": "runner"}).one(ASSOCIATION, "-workload")["inputs"]
    assert (custom["namespace"], custom["serviceAccount"]) == ("flows", "runner")


def test_association_waits_for_the_agent(plan: Plan):
    association = plan.one(ASSOCIATION, "-workload")
    agent = next(a for a in plan.of_type("aws:eks/addon:Addon") if a["inputs"]["addonName"] == "eks-pod-identity-agent")
    assert agent["urn"] in association["dependencies"]


def test_role_may_use_the_bucket_and_nothing_else(plan: Plan):
    role = plan.one("aws:iam/role:Role", "-workload")
    trust = json.loads(role["inputs"]["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    policy = json.loads(plan.one("aws:iam/rolePolicy:RolePolicy", "-workload-object-store")["inputs"]["policy"])
    bucket = plan.outputs["objectStoreUrl"].removeprefix("s3://")
    resources = {r for s in policy["Statement"] for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])}
    s3_resources = {r for r in resources if r.startswith("arn:aws:s3")}
    assert s3_resources == {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"}
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert not {a for a in actions if a.endswith("*")}, "no wildcard actions"
