from typing import Any

import pytest

from tests.policy.plans import document, named, one, violations

POLICY = "cluster-api-restricted"
EKS, GKE, AKS = "aws:eks/cluster:Cluster", "gcp:container/cluster:Cluster", "azure-native:containerservice:ManagedCluster"


def eks_open(doc: dict[str, Any]) -> None:
    one(doc, EKS)["inputs"]["vpcConfig"]["publicAccessCidrs"] = ["198.51.100.0/24", "0.0.0.0/0"]


def eks_unlisted(doc: dict[str, Any]) -> None:
    # EKS admits 0.0.0.0/0 when a public endpoint lists no ranges.
    del one(doc, EKS)["inputs"]["vpcConfig"]["publicAccessCidrs"]


def eks_private(doc: dict[str, Any]) -> None:
    vpc = one(doc, EKS)["inputs"]["vpcConfig"]
    vpc["endpointPublicAccess"] = False
    vpc["publicAccessCidrs"] = ["0.0.0.0/0"]


def gke_open(doc: dict[str, Any]) -> None:
    one(doc, GKE)["inputs"]["masterAuthorizedNetworksConfig"]["cidrBlocks"].append({"cidrBlock": "0.0.0.0/0"})


def gke_google_ranges(doc: dict[str, Any]) -> None:
    one(doc, GKE)["inputs"]["masterAuthorizedNetworksConfig"]["gcpPublicCidrsAccessEnabled"] = True


def gke_unguarded(doc: dict[str, Any]) -> None:
    del one(doc, GKE)["inputs"]["masterAuthorizedNetworksConfig"]


def aks_open(doc: dict[str, Any]) -> None:
    one(doc, AKS)["inputs"]["apiServerAccessProfile"]["authorizedIPRanges"] = ["::/0"]


def aks_unlisted(doc: dict[str, Any]) -> None:
    one(doc, AKS)["inputs"]["apiServerAccessProfile"]["authorizedIPRanges"] = []


BROKEN = [
    ("aws", eks_open, "centaurops-prod-eks", "vpcConfig.publicAccessCidrs admits 0.0.0.0/0"),
    (
        "aws",
        eks_unlisted,
        "centaurops-prod-eks",
        "vpcConfig.publicAccessCidrs is empty: the public endpoint would admit everyone",
    ),
    ("gcp", gke_open, "centaurops-prod-gke", "masterAuthorizedNetworksConfig admits 0.0.0.0/0"),
    (
        "gcp",
        gke_google_ranges,
        "centaurops-prod-gke",
        "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled must not be true",
    ),
    (
        "gcp",
        gke_unguarded,
        "centaurops-prod-gke",
        "masterAuthorizedNetworksConfig is missing: the IP endpoint would admit everyone",
    ),
    ("azure", aks_open, "centaurops-prod-aks", "apiServerAccessProfile.authorizedIPRanges admits ::/0"),
    (
        "azure",
        aks_unlisted,
        "centaurops-prod-aks",
        "apiServerAccessProfile.authorizedIPRanges is empty: the public endpoint would admit everyone",
    ),
]


@pytest.mark.parametrize(("cloud", "mutate", "resource", "message"), BROKEN, ids=[f"{c}-{m.__name__}" for c, m, _, _ in BROKEN])
def test_a_cluster_api_open_to_the_internet_is_reported(cloud: str, mutate: Any, resource: str, message: str) -> None:
    doc = document("prod", cloud)
    assert violations(doc, POLICY) == []
    mutate(doc)
    assert named(violations(doc, POLICY)) == {(resource, message)}


def test_a_private_endpoint_has_no_public_list_to_check() -> None:
    doc = document("prod", "aws")
    eks_private(doc)
    assert violations(doc, POLICY) == []


def test_a_private_aks_cluster_has_no_public_list_to_check() -> None:
    doc = document("prod", "azure")
    profile = one(doc, AKS)["inputs"]["apiServerAccessProfile"]
    profile["enablePrivateCluster"] = True
    profile["authorizedIPRanges"] = []
    assert violations(doc, POLICY) == []


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_the_shipped_cluster_apis_admit_listed_ranges_only(stack: str, cloud: str) -> None:
    assert violations(document(stack, cloud), POLICY) == []
