"""Every namespace the program creates denies all traffic by default: NetworkPolicies in it that select every
pod (an empty podSelector), have no rules, and together cover both Ingress and Egress. One policy with both
types or one per type are the same rule (Kubernetes API, NetworkPolicySpec: a type listed with no rules of
that type admits nothing; policyTypes left out means Ingress only, plus Egress if egress rules are given)."""

from __future__ import annotations

from typing import Any

from .model import ReportViolation, StackArgs, StackPolicy
from .values import at, items

NAMESPACE = "kubernetes:core/v1:Namespace"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
BOTH = frozenset({"Ingress", "Egress"})


def selects_every_pod(selector: Any) -> bool:
    return not at(selector, "matchLabels") and not at(selector, "matchExpressions")


def denied_directions(spec: Any) -> frozenset[str]:
    """The directions a policy denies outright: none unless it selects every pod and has no rules."""
    if not selects_every_pod(at(spec, "podSelector")) or items(at(spec, "ingress")) or items(at(spec, "egress")):
        return frozenset()
    declared = items(at(spec, "policyTypes"))
    return frozenset(declared) if declared else frozenset({"Ingress"})


def validate(args: StackArgs, report: ReportViolation) -> None:
    denied: dict[Any, set[str]] = {}
    for resource in args.resources:
        if resource.resource_type == NETWORK_POLICY:
            namespace = at(resource.props, "metadata", "namespace")
            denied.setdefault(namespace, set()).update(denied_directions(at(resource.props, "spec")))
    for resource in args.resources:
        if resource.resource_type != NAMESPACE:
            continue
        name = at(resource.props, "metadata", "name")
        missing = sorted(BOTH - denied.get(name, set()))
        if missing:
            report(
                f"namespace {name} has no default-deny NetworkPolicy for {' and '.join(missing)} "
                "(an empty podSelector, no rules)",
                resource.urn,
            )


NAMESPACES_DEFAULT_DENY = StackPolicy(
    name="namespaces-default-deny",
    description="Every namespace the program creates has a default-deny NetworkPolicy for Ingress and Egress.",
    validate=validate,
)
