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
    """The role first (the data key's policy names it), then, once the bucket and key
    exist, its permissions and the association with the service account (`bind`)."""

    result: WorkloadIdentity
    role_arn: pulumi.Output[str]
    association: aws.eks.PodIdentityAssociation

    def __init__(
        self,
        name: str,
        *,
        cluster_name: pulumi.Input[str],
        namespace: str,
        service_account: str,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:PodIdentity", name, None, opts)
        self._name, self._cluster_name = name, cluster_name
        self._namespace, self._service_account = namespace, service_account
        self._role = aws.iam.Role(
            f"{name}-workload",
            assume_role_policy=assume_role_policy("pods.eks.amazonaws.com", tag_session=True),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.role_arn = self._role.arn

    def bind(
        self,
        *,
        bucket_arn: pulumi.Input[str],
        data_key_arn: pulumi.Input[str],
        depends_on: Sequence[pulumi.Resource],
    ) -> WorkloadIdentity:
        child = pulumi.ResourceOptions(parent=self)
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
        aws.iam.RolePolicy(f"{self._name}-workload-object-store", role=self._role.id, policy=policy, opts=child)
        self.association = aws.eks.PodIdentityAssociation(
            f"{self._name}-workload",
            cluster_name=self._cluster_name,
            namespace=self._namespace,
            service_account=self._service_account,
            role_arn=self._role.arn,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(depends_on)),
        )
        # Pod Identity needs no annotation on the service account: the association is the binding.
        self.result = WorkloadIdentity(
            namespace=self._namespace,
            service_account=self._service_account,
            service_account_annotations=pulumi.Output.from_input({}),
            agent_cidrs=POD_IDENTITY_AGENT,
            agent_ports=(80,),
        )
        self.register_outputs({"roleArn": self.role_arn})
        return self.result
