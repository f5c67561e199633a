"""VPC flow logs: every accepted and rejected flow in the VPC, to a KMS-encrypted log
group with a retention, delivered by a role only the flow logs service of this account
may assume, allowed to write to that group only."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from .cluster import assume_role_policy


def log_group_name(name: str) -> str:
    return f"/aws/vpc-flow-logs/{name}"


def delivery_policy(group_arn: str, region: str, account_id: str) -> str:
    # The actions the VPC User Guide lists for the role, on this group and its streams only
    # (IAM policies name a log group by its ARN with ":*" for most actions: CloudWatch Logs
    # User Guide, "CloudWatch Logs resources and operations"). DescribeLogGroups lists
    # groups and cannot be narrowed to one.
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    "Resource": [group_arn, f"{group_arn}:*"],
                },
                {
                    "Effect": "Allow",
                    "Action": ["logs:DescribeLogGroups"],
                    "Resource": f"arn:aws:logs:{region}:{account_id}:log-group:*",
                },
            ],
        }
    )


class VpcFlowLogs(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        *,
        vpc_id: pulumi.Input[str],
        region: str,
        account_id: pulumi.Input[str],
        retention_days: int,
        kms_key_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:VpcFlowLogs", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        group = aws.cloudwatch.LogGroup(
            f"{name}-flow-logs",
            name=log_group_name(name),
            retention_in_days=retention_days,
            kms_key_id=kms_key_arn,
            opts=child,
        )
        # Confused-deputy protection as the VPC User Guide recommends ("IAM role for
        # publishing flow logs to CloudWatch Logs"): a flow log of this account and region
        # (its id is unknown until it exists).
        role = aws.iam.Role(
            f"{name}-flow-logs",
            assume_role_policy=pulumi.Output.from_input(account_id).apply(
                lambda account: assume_role_policy(
                    "vpc-flow-logs.amazonaws.com", source=(account, f"arn:aws:ec2:{region}:{account}:vpc-flow-log/*")
                )
            ),
            opts=child,
        )

        def policy(values: list[Any]) -> str:
            group_arn, account = values
            return delivery_policy(group_arn, region, account)

        delivery = aws.iam.RolePolicy(
            f"{name}-flow-logs",
            role=role.id,
            policy=pulumi.Output.all(group.arn, account_id).apply(policy),
            opts=child,
        )
        self.flow_log = aws.ec2.FlowLog(
            f"{name}-vpc",
            vpc_id=vpc_id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=group.arn,
            iam_role_arn=role.arn,
            tags={"Name": f"{name}-vpc"},
            # Delivery starts at once: the role must already hold its permissions.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[delivery]),
        )
        self.register_outputs({"logGroup": group.name})
