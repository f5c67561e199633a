"""components/aws/kubeconfig.py: exec auth with `aws eks get-token`, no stored credential."""

import base64
import json

import pulumi
import pytest

from components.aws.kubeconfig import eks_kubeconfig
from components.testing.mocks import FAKE_CA_PEM


def resolve(output: pulumi.Output) -> tuple[object, bool]:
    from pulumi.runtime.sync_await import _sync_await

    return _sync_await(output.future()), bool(_sync_await(output.is_secret()))


@pytest.fixture(scope="module")
def kubeconfig() -> tuple[dict, bool]:
    ca = base64.b64encode(FAKE_CA_PEM.encode()).decode()
    output = eks_kubeconfig(
        cluster_name="centaurops-dev",
        endpoint="https://ABC.gr7.eu-west-1.eks.amazonaws.com",
        certificate_authority=ca,
        region="eu-west-1",
    )
    text, secret = resolve(output)
    assert isinstance(text, str)
    return json.loads(text), secret


def test_kubeconfig_is_secret(kubeconfig):
    assert kubeconfig[1] is True


def test_kubeconfig_points_at_the_cluster_and_authenticates_by_exec(kubeconfig):
    config, _ = kubeconfig
    (cluster,) = config["clusters"]
    assert cluster["cluster"]["server"] == "https://ABC.gr7.eu-west-1.eks.amazonaws.com"
    assert base64.b64decode(cluster["cluster"]["certificate-authority-data"]).decode() == FAKE_CA_PEM
    (user,) = config["users"]
    exec_ = user["user"]["exec"]
    assert exec_["command"] == "aws"
    assert exec_["args"][:2] == ["eks", "get-token"]
    assert exec_["args"][exec_["args"].index("--cluster-name") + 1] == "centaurops-dev"
    assert exec_["args"][exec_["args"].index("--region") + 1] == "eu-west-1"
    assert "token" not in user["user"] and "client-key-data" not in user["user"]
    assert config["current-context"] == "centaurops-dev"
