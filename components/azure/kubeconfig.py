"""A kubeconfig the Pulumi Kubernetes provider can use without a person at the keyboard.

With local accounts disabled, AKS hands out only Entra ID user credentials
(listClusterUserCredential): a kubeconfig whose user runs kubelogin with the device-code
flow, which waits for someone to type a code in a browser. It is rewritten to
`kubelogin get-token --login azurecli`: the token of whoever ran `az login` (a person, or CI
after `az login --service-principal` / `--federated-token`). kubelogin reads the
AAD_LOGIN_METHOD environment variable after its flags, so CI can switch the same
kubeconfig to another non-interactive login without editing it, e.g. workload identity
(AAD_LOGIN_METHOD=workloadidentity with AZURE_CLIENT_ID, AZURE_TENANT_ID and
AZURE_FEDERATED_TOKEN_FILE) (Azure/kubelogin pkg/internal/token/options.go, UpdateFromEnv;
docs/book/src/concepts/login-modes/azurecli.md and workloadidentity.md).

It holds no credential, but is kept secret as the other foundations' are."""

from __future__ import annotations

import base64
import json
from typing import Any

import pulumi
import pulumi_azure_native.containerservice as containerservice
import yaml

LOGIN = "azurecli"
# Flags of the device-code exec that a CLI login does not take: the public client it signs
# in as, and the login mode itself.
_DROPPED = {"--client-id", "--login", "-l"}


def non_interactive(kubeconfig: dict[str, Any]) -> dict[str, Any]:
    """`kubeconfig` with every kubelogin exec user logging in through the Azure CLI."""
    users = []
    for user in kubeconfig.get("users", []):
        exec_ = (user.get("user") or {}).get("exec")
        if exec_ and exec_.get("command") == "kubelogin":
            args, kept = list(exec_.get("args", [])), []
            index = 0
            while index < len(args):
                if args[index] in _DROPPED:
                    index += 2
                    continue
                kept.append(args[index])
                index += 1
            exec_ = {
                **exec_,
                "args": [*kept, "--login", LOGIN],
                "env": None,
                # kubelogin never prompts in this mode; clients need not pass a terminal.
                "interactiveMode": "Never",
            }
            user = {**user, "user": {**user["user"], "exec": exec_}}
        users.append(user)
    return {**kubeconfig, "users": users}


def rewrite(encoded: str) -> str:
    """The base64 kubeconfig AKS returns, rewritten, as JSON (the Kubernetes provider reads it)."""
    kubeconfig = yaml.safe_load(base64.b64decode(encoded).decode())
    return json.dumps(non_interactive(kubeconfig), indent=2)


def aks_kubeconfig(
    *,
    resource_group_name: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    provider: pulumi.ProviderResource,
    parent: pulumi.Resource,
) -> pulumi.Output[str]:
    credentials = containerservice.list_managed_cluster_user_credentials_output(
        resource_group_name=resource_group_name,
        resource_name=cluster_name,
        # `exec`: the kubelogin exec plugin, not the removed azure auth provider.
        format="exec",
        opts=pulumi.InvokeOutputOptions(provider=provider, parent=parent),
    )
    return pulumi.Output.secret(credentials.kubeconfigs.apply(lambda configs: rewrite(configs[0].value)))
