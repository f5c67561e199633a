"""Small shared pieces: namespaces with Pod Security Admission, node placement as Helm values."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from ..foundation import NodePlacement

PSA_VERSION = "latest"


def placement_values(placement: NodePlacement) -> dict[str, Any]:
    """`nodeSelector` and `tolerations` as charts take them."""
    return {
        "nodeSelector": dict(placement.node_selector),
        "tolerations": [
            {"key": t.key, "operator": t.operator, "value": t.value, "effect": t.effect} for t in placement.tolerations
        ],
    }


def namespace(
    name: str, *, enforce: str, labels: dict[str, str] | None = None, opts: pulumi.ResourceOptions
) -> k8s.core.v1.Namespace:
    """A namespace whose pods must meet the `enforce` Pod Security Standard; `restricted`
    is always audited and warned about, so a looser namespace still shows what it lacks."""
    return k8s.core.v1.Namespace(
        name,
        metadata=k8s.meta.v1.ObjectMetaArgs(
            name=name,
            labels={
                "pod-security.kubernetes.io/enforce": enforce,
                "pod-security.kubernetes.io/enforce-version": PSA_VERSION,
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
                **(labels or {}),
            },
        ),
        opts=opts,
    )


def chart_release(
    name: str,
    *,
    release: str,
    chart: str,
    version: str,
    repository: str,
    namespace: pulumi.Input[str],
    values: dict[str, Any],
    opts: pulumi.ResourceOptions,
) -> k8s.helm.v3.Release:
    """A pinned third-party chart from its project's repository."""
    return k8s.helm.v3.Release(
        name,
        name=release,
        chart=chart,
        version=version,
        repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=repository),
        namespace=namespace,
        max_history=5,
        values=values,
        opts=opts,
    )
