"""components/azure/kubeconfig.py: AKS's device-code kubeconfig made non-interactive, and secret."""

import base64
import json

import yaml

from components.azure.kubeconfig import non_interactive, rewrite
from components.testing.mocks.azure import AKS_AAD_SERVER_ID, TENANT_ID, AzureMocks
from tests.azure.stacks import Built


def aks_answer() -> str:
    (config,) = AzureMocks()._user_credentials({"resourceGroupName": "rg", "resourceName": "centaurops-dev"})["kubeconfigs"]
    return config["value"]


def test_the_mock_answers_as_aks_does_with_a_device_code_login():
    kubeconfig = yaml.safe_load(base64.b64decode(aks_answer()))
    (user,) = kubeconfig["users"]
    args = user["user"]["exec"]["args"]
    assert args[args.index("--login") + 1] == "devicecode"


def test_the_rewrite_logs_in_through_the_azure_cli_without_prompting():
    config = json.loads(rewrite(aks_answer()))
    (user,) = config["users"]
    exec_ = user["user"]["exec"]
    args = exec_["args"]
    assert exec_["command"] == "kubelogin" and args[0] == "get-token"
    assert args.count("--login") == 1 and args[args.index("--login") + 1] == "azurecli"
    assert "devicecode" not in args and "--client-id" not in args
    assert args[args.index("--server-id") + 1] == AKS_AAD_SERVER_ID
    assert args[args.index("--tenant-id") + 1] == TENANT_ID
    assert exec_["interactiveMode"] == "Never"
    assert config["clusters"][0]["cluster"]["server"].startswith("https://") and config["current-context"]


def test_other_users_are_left_alone():
    kubeconfig = {"users": [{"name": "token", "user": {"token": "x"}}]}
    assert non_interactive(kubeconfig) == kubeconfig


def test_the_foundations_kubeconfig_is_the_rewritten_one_and_secret(built: Built):
    assert built.outputs["kubeconfig"] == "[secret]"
    config = json.loads(built.outputs["kubeconfigRevealed"])
    (cluster,) = config["clusters"]
    assert cluster["cluster"]["server"].endswith(".hcp.westeurope.azmk8s.io:443")
    (user,) = config["users"]
    assert user["user"]["exec"]["args"][-2:] == ["--login", "azurecli"]
