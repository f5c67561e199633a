"""Workload identity through EKS Pod Identity: the flow platform's service account
acts as an IAM role that may use the object store and nothing else."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from ..foundation import WorkloadIdentity
from .cluster import assume_role_policy

# The Pod Identity agent listens on this link-local address on every node.
POD_IDENTITY_AGENT = ("169.254.170.23/32",)


class PodIdentity(pulumi.ComponentResource):
    result: WorkloadIdentity
    role_arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        cluster_name: pulumi.Input[str],
        namespace: str,
        service_account: str,
        bucket_arn: pulumi.Input[str],
        data_key_arn: pulumi.Input[str],
        depends_on: Sequence[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:PodIdentity", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-workload",
            assume_role_policy=assume_role_policy("pods.eks.amazonaws.com", tag_session=True),
            opts=child,
        )
        policy = pulumi.Output.all(bucket_arn, data_key_arn).apply(
            lambda arns: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": arns[0]},
                        {
                            "Effect": "Allow",
                            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                            "Resource": f"{arns[0]}/*",
                        },
                        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": arns[1]},
                    ],
                }
            )
        )
        aws.iam.RolePolicy(f"{name}-workload-object-store", role=role.id, policy=policy, opts=child)
        self.association = aws.eks.PodIdentityAssociation(
            f"{name}-workload",
            cluster_name=cluster_name,
            namespace=namespace,
            service_account=service_account,
            role_arn=role.arn,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(depends_on)),
        )
        self.role_arn = role.arn
        # Pod Identity needs no annotation on the service account: the association is the binding.
        self.result = WorkloadIdentity(
            namespace=namespace,
            service_account=service_account,
            service_account_annotations=pulumi.Output.from_input({}),
            agent_cidrs=POD_IDENTITY_AGENT,
            agent_ports=(80,),
        )
        self.register_outputs({"roleArn": self.role_arn})
