"""The cluster's API is never open to the whole internet: a public endpoint admits listed ranges only.

A new cloud is one entry in RULES."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import ResourcePolicy, Rule, by_type
from .values import admits_everyone, at, items


def _listed(ranges: list[Any], key: str) -> list[str]:
    if not ranges:
        return [f"{key} is empty: the public endpoint would admit everyone"]
    return [f"{key} admits {cidr}" for cidr in ranges if admits_everyone(cidr)]


def _eks(props: Mapping[str, Any]) -> list[str]:
    # pulumi-aws 7 eks.Cluster vpc_config: endpoint_public_access defaults to true, and public_access_cidrs
    # to 0.0.0.0/0 when not given (EKS API, VpcConfigRequest).
    if at(props, "vpcConfig", "endpointPublicAccess") is False:
        return []
    return _listed(items(at(props, "vpcConfig", "publicAccessCidrs")), "vpcConfig.publicAccessCidrs")


def _gke(props: Mapping[str, Any]) -> list[str]:
    # pulumi-gcp 10 container.Cluster: master_authorized_networks_config guards the IP endpoints (public and
    # private); without it, or with gcp_public_cidrs_access_enabled, the public endpoint admits far more.
    # The DNS endpoint checks IAM on every request, so it is not an address list.
    if at(props, "controlPlaneEndpointsConfig", "ipEndpointsConfig", "enabled") is False:
        return []
    config = at(props, "masterAuthorizedNetworksConfig")
    if not isinstance(config, Mapping):
        return ["masterAuthorizedNetworksConfig is missing: the IP endpoint would admit everyone"]
    found = (
        ["masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled must not be true"]
        if at(config, "gcpPublicCidrsAccessEnabled") is True
        else []
    )
    found += [
        f"masterAuthorizedNetworksConfig admits {at(block, 'cidrBlock')}"
        for block in items(at(config, "cidrBlocks"))
        if admits_everyone(at(block, "cidrBlock"))
    ]
    return found


def _aks(props: Mapping[str, Any]) -> list[str]:
    # azure-native 3 containerservice.ManagedCluster api_server_access_profile: a private cluster has no public
    # endpoint; otherwise authorized_ip_ranges, and none means everyone.
    if at(props, "apiServerAccessProfile", "enablePrivateCluster") is True:
        return []
    return _listed(items(at(props, "apiServerAccessProfile", "authorizedIPRanges")), "apiServerAccessProfile.authorizedIPRanges")


RULES: dict[str, Rule] = {
    "aws:eks/cluster:Cluster": _eks,
    "gcp:container/cluster:Cluster": _gke,
    "azure-native:containerservice:ManagedCluster": _aks,
}


CLUSTER_API_RESTRICTED = ResourcePolicy(
    name="cluster-api-restricted",
    description="The cluster API is never open to the whole internet.",
    validate=by_type(RULES),
)
