"""A kubeconfig for the cluster that authenticates through gke-gcloud-auth-plugin: it
holds no credential of its own, but it is still kept secret (it names the API endpoint).

The endpoint is the one the deployer reaches: the DNS-based endpoint when `gcp.dnsEndpoint`
is on (its certificate is publicly trusted, so no CA is pinned), else the IP endpoint
(public or private, as `cluster.endpointPublicAccess` says) with the cluster's CA."""

from __future__ import annotations

import json

import pulumi

# https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin
INSTALL_HINT = (
    "Install gke-gcloud-auth-plugin for use with kubectl by following "
    "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin"
)


def gke_kubeconfig(
    *,
    cluster_name: pulumi.Input[str],
    endpoint: pulumi.Input[str],
    dns_endpoint: pulumi.Input[str],
    certificate_authority: pulumi.Input[str],
    use_dns_endpoint: bool,
) -> pulumi.Output[str]:
    def render(values: list[str]) -> str:
        name, ip_endpoint, dns, ca = values
        cluster: dict[str, str] = (
            {"server": f"https://{dns}"}
            if use_dns_endpoint
            else {"server": f"https://{ip_endpoint}", "certificate-authority-data": ca}
        )
        return json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": name, "cluster": cluster}],
                "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
                "current-context": name,
                "users": [
                    {
                        "name": name,
                        "user": {
                            "exec": {
                                "apiVersion": "client.authentication.k8s.io/v1beta1",
                                "command": "gke-gcloud-auth-plugin",
                                "installHint": INSTALL_HINT,
                                "provideClusterInfo": True,
                                "interactiveMode": "Never",
                            }
                        },
                    }
                ],
            },
            indent=2,
        )

    return pulumi.Output.secret(pulumi.Output.all(cluster_name, endpoint, dns_endpoint, certificate_authority).apply(render))
