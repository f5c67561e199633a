"""Customer-managed KMS keys, each with a least-privilege key policy: one for Kubernetes
secrets, one for data at rest, one for log groups.

No key has the default policy (the account root may do `kms:*`, so that any IAM policy in
the account can grant use of the key). Instead each policy names:

- its administrators: the identity running `pulumi up` and `aws.adminPrincipalArns`;
  they manage the key (policy, rotation, deletion) and cannot encrypt or decrypt with it;
- who may use it, and only through the service that needs it.

Every policy lets the deploying identity call `kms:PutKeyPolicy` again: KMS refuses a
policy that would lock its author out (the lockout safety check, never bypassed here).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from .caller import Caller

PURPOSES = {
    "cluster": "EKS secrets envelope encryption",
    "data": "database, cache and object store at rest",
    "logs": "CloudWatch log groups",
}

# The key administrators' statement of the default key policy the KMS console writes
# (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html, as
# terraform-aws-kms v4.2.0 copies it), except `kms:Create*`: CreateAlias is what
# administration needs, while CreateGrant would let an administrator hand themselves use
# of the key. None of these is a cryptographic operation.
ADMIN_ACTIONS = [
    "kms:CreateAlias",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
]
# What the AWS managed keys (aws/rds, aws/elasticache, ...) let the account's principals do
# through their service: the service creates a grant for the resource at creation, with the
# caller's credentials, and uses the key through it afterwards.
SERVICE_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:CreateGrant",
    "kms:ListGrants",
    "kms:DescribeKey",
]


def _statement(sid: str, principal: dict[str, Any], actions: list[str], condition: dict | None = None) -> dict:
    statement: dict[str, Any] = {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": actions, "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return statement


def _via(service: str, region: str, account_id: str) -> dict:
    return {"StringEquals": {"kms:ViaService": f"{service}.{region}.amazonaws.com", "kms:CallerAccount": account_id}}


def _document(admins: list[str], statements: list[dict]) -> str:
    administer = _statement("KeyAdministrators", {"AWS": admins}, ADMIN_ACTIONS)
    return json.dumps({"Version": "2012-10-17", "Statement": [administer, *statements]}, indent=2)


def _unique(arns: Sequence[str]) -> list[str]:
    return sorted(set(arns))


class EncryptionKeys(pulumi.ComponentResource):
    """Losing a key loses what it encrypted: keys wait 30 days before deletion, and
    are protected in prod like the data itself.

    The logs key exists from the start; the cluster and data keys name roles that other
    components create first (the EKS cluster role, the workload's role), so those
    components ask for them: `cluster_key(role_arn)`, `data_key(workload_role_arn)`.
    """

    logs_key_arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        caller: Caller,
        region: str,
        admin_principal_arns: Sequence[str],
        log_groups: Sequence[str],
        protect: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:EncryptionKeys", name, None, opts)
        self._name = name
        self._caller = caller
        self._region = region
        self._protect_keys = protect
        self._admins = pulumi.Output.all(caller.deployer_arn, *admin_principal_arns).apply(_unique)

        def logs_policy(values: list[Any]) -> str:
            admins, account_id = values
            arns = [f"arn:aws:logs:{region}:{account_id}:log-group:{group}" for group in log_groups]
            # CloudWatch Logs encrypts and decrypts with its own service principal; the
            # encryption context names the log group, so the key serves these groups only
            # (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
            # CloudWatch Logs checks this when a group is created with the key: without it,
            # CreateLogGroup fails (hashicorp/terraform-provider-aws#29282).
            logs = _statement(
                "CloudWatchLogsForTheseGroups",
                {"Service": f"logs.{region}.amazonaws.com"},
                ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": sorted(arns)}},
            )
            return _document(admins, [logs])

        self.logs_key_arn = self._key("logs", pulumi.Output.all(self._admins, caller.account_id).apply(logs_policy))
        self.register_outputs({"logsKeyArn": self.logs_key_arn})

    def cluster_key(self, cluster_role_arn: pulumi.Input[str]) -> pulumi.Output[str]:
        """The key of the cluster's Kubernetes secrets, usable by the cluster's IAM role."""

        def policy(values: list[Any]) -> str:
            admins, deployer, role = values
            return _document(
                admins,
                [
                    # The EKS control plane calls KMS as the cluster role (CloudTrail shows it,
                    # terraform-aws-modules/terraform-aws-eks#1913); terraform-aws-eks grants the
                    # same four actions to that role.
                    _statement(
                        "ClusterRoleEnvelopeEncryption",
                        {"AWS": role},
                        ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                    ),
                    # The principal that calls CreateCluster needs kms:CreateGrant and
                    # kms:DescribeKey, without a kms:GrantIsForAWSResource condition, which
                    # CreateCluster does not support (EKS User Guide, "Encrypt Kubernetes
                    # secrets with KMS on existing clusters").
                    _statement("DeployerCreatesTheClusterGrant", {"AWS": deployer}, ["kms:CreateGrant", "kms:DescribeKey"]),
                ],
            )

        return self._key("cluster", pulumi.Output.all(self._admins, self._caller.deployer_arn, cluster_role_arn).apply(policy))

    def data_key(self, workload_role_arn: pulumi.Input[str]) -> pulumi.Output[str]:
        """The key of the database, the cache and the bucket: each used only through its service."""
        region = self._region

        def policy(values: list[Any]) -> str:
            admins, account_id, workload_role = values
            return _document(
                admins,
                [
                    # As the AWS managed aws/rds key: principals of this account, through RDS
                    # only (storage, snapshots, Performance Insights, which is read through the
                    # RDS API: RDS User Guide, "Changing an AWS KMS policy for Performance Insights").
                    _statement("ThroughRds", {"AWS": "*"}, SERVICE_ACTIONS, _via("rds", region, account_id)),
                    _statement("ThroughElastiCache", {"AWS": "*"}, SERVICE_ACTIONS, _via("elasticache", region, account_id)),
                    # Objects are written and read by the workload's Pod Identity role only,
                    # through S3 (SSE-KMS needs GenerateDataKey to write, Decrypt to read).
                    _statement(
                        "WorkloadThroughS3",
                        {"AWS": workload_role},
                        ["kms:Decrypt", "kms:GenerateDataKey"],
                        _via("s3", region, account_id),
                    ),
                ],
            )

        return self._key("data", pulumi.Output.all(self._admins, self._caller.account_id, workload_role_arn).apply(policy))

    def _key(self, purpose: str, policy: pulumi.Input[str]) -> pulumi.Output[str]:
        key = aws.kms.Key(
            f"{self._name}-{purpose}",
            description=f"{self._name}: {PURPOSES[purpose]}",
            policy=policy,
            enable_key_rotation=True,
            deletion_window_in_days=30,
            opts=pulumi.ResourceOptions(parent=self, protect=self._protect_keys),
        )
        aws.kms.Alias(
            f"{self._name}-{purpose}",
            name=f"alias/{self._name}-{purpose}",
            target_key_id=key.key_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        return key.arn
