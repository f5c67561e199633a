"""Who runs `pulumi up`, in which account: the administrators of what this stack creates
(KMS key policies) and the account that confused-deputy conditions name."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class Caller:
    account_id: pulumi.Output[str]
    # The IAM role (or user) behind the deploying session. A key policy must name this, not
    # the session's sts:assumed-role ARN: sessions expire, and KMS accepts IAM principals only.
    deployer_arn: pulumi.Output[str]


def current_caller(*, provider: aws.Provider, parent: pulumi.Resource) -> Caller:
    opts = pulumi.InvokeOutputOptions(parent=parent, provider=provider)
    identity = aws.get_caller_identity_output(opts=opts)
    # As terraform-aws-eks does: iam:GetRole resolves an assumed-role ARN to the role's ARN,
    # path included (which string surgery on the session ARN cannot recover); any other ARN
    # passes through (hashicorp/terraform-provider-aws#28381).
    session = aws.iam.get_session_context_output(arn=identity.arn, opts=opts)
    return Caller(account_id=identity.account_id, deployer_arn=session.issuer_arn)
