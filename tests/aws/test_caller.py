"""components/aws/caller.py and the invokes CloudMocks answers: who runs `pulumi up`."""

import pulumi
import pytest

from components.testing.mocks import ACCOUNT_ID, AwsMocks, CloudMocks


def call(mocks: CloudMocks, token: str, args: dict | None = None) -> dict:
    result, failures = mocks.call(pulumi.runtime.MockCallArgs(token=token, args=args or {}, provider=""))
    assert failures == []
    return result


def test_the_mocked_caller_is_an_assumed_role_session():
    identity = call(CloudMocks(), "aws:index/getCallerIdentity:getCallerIdentity")
    assert identity["accountId"] == ACCOUNT_ID
    assert identity["arn"] == f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/centaurops-deployer/ci-deploy"


def test_session_context_names_the_role_behind_a_session_and_passes_anything_else_through():
    mocks = CloudMocks(aws=AwsMocks(account_id="210987654321", deployer_role="ops", deployer_session="alice"))
    session_arn = call(mocks, "aws:index/getCallerIdentity:getCallerIdentity")["arn"]
    context = call(mocks, "aws:iam/getSessionContext:getSessionContext", {"arn": session_arn})
    assert (context["issuerArn"], context["issuerName"], context["sessionName"]) == (
        "arn:aws:iam::210987654321:role/ops",
        "ops",
        "alice",
    )
    user = "arn:aws:iam::210987654321:user/bob"
    assert call(mocks, "aws:iam/getSessionContext:getSessionContext", {"arn": user})["issuerArn"] == user


def test_an_invoke_the_mocks_cannot_answer_fails_loudly():
    with pytest.raises(NotImplementedError, match="aws:ec2/getAmi:getAmi"):
        call(CloudMocks(), "aws:ec2/getAmi:getAmi")
