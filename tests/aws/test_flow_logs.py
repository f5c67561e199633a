"""components/aws/flow_logs.py: all VPC traffic to an encrypted log group, through a role
that only this account's flow logs may assume and that may write to that group only."""

import json

from components.testing.mocks import ACCOUNT_ID
from tests.aws import stacks
from tests.aws.policies import as_list, statements
from tests.plans import Plan, plan_for

FLOW_LOG = "aws:ec2/flowLog:FlowLog"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT_ID}:log-group:/aws/vpc-flow-logs/centaurops-"


def group(plan: Plan) -> dict:
    return plan.one("aws:cloudwatch/logGroup:LogGroup", "-flow-logs")


def test_all_traffic_of_the_vpc_goes_to_the_flow_log_group(plan: Plan):
    resource = plan.one(FLOW_LOG)
    flow_log, stack = resource["inputs"], plan.document["stack"]
    assert flow_log["trafficType"] == "ALL"
    assert flow_log["vpcId"].startswith("vpc-") and plan.one("aws:ec2/vpc:Vpc")["urn"] in resource["dependencies"]
    assert flow_log["logDestinationType"] == "cloud-watch-logs"
    assert flow_log["logDestination"] == f"{GROUP_ARN}{stack}"
    assert flow_log["iamRoleArn"].startswith(f"arn:aws:iam::{ACCOUNT_ID}:role/centaurops-{stack}-flow-logs-")


def test_the_group_is_encrypted_and_keeps_logs_as_long_as_the_cluster_logs(dev: Plan, prod: Plan):
    for plan, days in ((dev, 30), (prod, 365)):
        inputs = group(plan)["inputs"]
        assert inputs["name"] == f"/aws/vpc-flow-logs/centaurops-{plan.document['stack']}"
        assert inputs["retentionInDays"] == days
        assert plan.one("aws:kms/key:Key", "-logs")["urn"] in group(plan)["dependencies"]
        assert inputs["kmsKeyId"].startswith("arn:aws:kms:")
    cluster = stacks.cluster("dev", logRetentionDays=90)
    longer = plan_for("dev", cluster=cluster)
    assert group(longer)["inputs"]["retentionInDays"] == 90


def test_only_this_accounts_flow_logs_may_assume_the_role(plan: Plan):
    trust = json.loads(plan.one("aws:iam/role:Role", "-flow-logs")["inputs"]["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert statement["Action"] == ["sts:AssumeRole"]
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT_ID},
        "ArnLike": {"aws:SourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT_ID}:vpc-flow-log/*"},
    }


def test_the_role_writes_to_its_group_only(plan: Plan):
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", "-flow-logs")["inputs"]["policy"]
    arn = f"{GROUP_ARN}{plan.document['stack']}"
    by_action = {action: as_list(s["Resource"]) for s in statements(policy) for action in as_list(s["Action"])}
    for action in ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"):
        assert by_action[action] == [arn, f"{arn}:*"], action
    assert by_action["logs:DescribeLogGroups"] == [f"arn:aws:logs:us-east-1:{ACCOUNT_ID}:log-group:*"]
    assert set(by_action) == {
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogStreams",
        "logs:DescribeLogGroups",
    }


def test_delivery_starts_once_the_role_may_write(plan: Plan):
    flow_log = plan.one(FLOW_LOG)
    assert plan.one("aws:iam/rolePolicy:RolePolicy", "-flow-logs")["urn"] in flow_log["dependencies"]
    assert plan.one("aws:iam/role:Role", "-flow-logs")["urn"] in flow_log["dependencies"]
    assert group(plan)["urn"] in flow_log["dependencies"]
