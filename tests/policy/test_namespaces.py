from typing import Any

import pytest

from policy.namespaces import NETWORK_POLICY
from tests.policy.plans import CLOUDS, document, named, one, violations, without

POLICY = "namespaces-default-deny"
MISSING = "namespace {} has no default-deny NetworkPolicy for {} (an empty podSelector, no rules)"


def deny(doc: dict[str, Any], suffix: str) -> dict[str, Any]:
    return one(doc, NETWORK_POLICY, suffix)


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_shipped_namespace_denies_by_default(stack: str, cloud: str) -> None:
    doc = document(stack, cloud)
    assert {r["inputs"]["metadata"]["name"] for r in doc["resources"] if r["type"] == "kubernetes:core/v1:Namespace"} == {
        "centaurops",
        "cert-manager",
        "ingress-nginx",
    }
    assert violations(doc, POLICY) == []


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_namespace_whose_default_deny_is_deleted_is_reported(cloud: str) -> None:
    doc = document("prod", cloud)
    without(doc, deny(doc, "-workload-policies-default-deny"))
    assert named(violations(doc, POLICY)) == {("centaurops", MISSING.format("centaurops", "Egress and Ingress"))}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_one_direction_missing_is_reported(cloud: str) -> None:
    doc = document("prod", cloud)
    without(doc, deny(doc, "-ingress-nginx-policies-default-deny-egress"))
    assert named(violations(doc, POLICY)) == {("ingress-nginx", MISSING.format("ingress-nginx", "Egress"))}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_default_deny_that_selects_some_pods_only_does_not_count(cloud: str) -> None:
    doc = document("prod", cloud)
    deny(doc, "-workload-policies-default-deny")["inputs"]["spec"]["podSelector"] = {"matchLabels": {"app": "x"}}
    assert {name for name, _ in named(violations(doc, POLICY))} == {"centaurops"}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_default_deny_with_a_rule_does_not_count(cloud: str) -> None:
    doc = document("prod", cloud)
    deny(doc, "-cert-manager-policies-default-deny-ingress")["inputs"]["spec"]["ingress"] = [{}]
    assert named(violations(doc, POLICY)) == {("cert-manager", MISSING.format("cert-manager", "Ingress"))}


def test_a_policy_with_no_types_denies_ingress_only() -> None:
    doc = document("prod", "aws")
    del deny(doc, "-workload-policies-default-deny")["inputs"]["spec"]["policyTypes"]
    assert named(violations(doc, POLICY)) == {("centaurops", MISSING.format("centaurops", "Egress"))}
