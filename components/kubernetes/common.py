"""Small shared pieces: namespaces with Pod Security Admission, node placement as Helm values,
and Helm releases with a wait long enough for a cold first install."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

PSA_VERSION = "latest"

# How long a release waits. pulumi-kubernetes installs and upgrades a helm.v3.Release with
# Helm's wait, for `timeout` seconds, 300 when unset (pulumi-kubernetes
# provider/pkg/provider/helm_release.go: defaultTimeoutSeconds = 300, client.Wait and
# client.Timeout in install and upgrade). A cold first install on a new cluster may need,
# before a pod is ready, one after the other:
NODE_SCALE_UP_SECONDS = 300  # the node autoscaler adds a node: instance launch, boot, join, CNI ready
IMAGE_PULL_SECONDS = 600  # a multi-GB image pulled and unpacked on that empty node
READY_MARGIN_SECONDS = 60  # the first readiness probes once the process is up
# An add-on's own start: its hooks, webhooks, a load balancer's address. Helm's default,
# the budget the add-ons always had once nodes and images were there.
ADDON_START_SECONDS = 300
# The flow platform chart's startupProbe (charts/flow-platform/templates/deployment.yaml):
# failureThreshold x periodSeconds. tests/kubernetes/test_releases.py checks these against
# the rendered chart, so a new probe budget moves the release's timeout with it.
FLOW_PLATFORM_STARTUP_PERIOD_SECONDS = 10
FLOW_PLATFORM_STARTUP_FAILURE_THRESHOLD = 30


def release_timeout(start_seconds: int) -> int:
    """Seconds a release waits: scale-up, image pull, the pods' start budget, first readiness."""
    return NODE_SCALE_UP_SECONDS + IMAGE_PULL_SECONDS + start_seconds + READY_MARGIN_SECONDS


ADDON_TIMEOUT = release_timeout(ADDON_START_SECONDS)
FLOW_PLATFORM_TIMEOUT = release_timeout(FLOW_PLATFORM_STARTUP_PERIOD_SECONDS * FLOW_PLATFORM_STARTUP_FAILURE_THRESHOLD)


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
    """A pinned third-party chart from its project's repository.

    Not `atomic`: a first install that outlives its timeout is uninstalled by an atomic
    release and starts from nothing on the next `pulumi up`, where a kept one has finished
    pulling and starting by then and the next run converges. `cleanup_on_fail`: a failed
    upgrade removes the objects it created instead of leaving them half-owned.
    `wait_for_jobs`: a chart's Jobs are part of "installed" (hook Jobs are awaited by Helm
    anyway; this covers plain Jobs of the charts a cloud adds, `cluster_charts`)."""
    return k8s.helm.v3.Release(
        name,
        name=release,
        chart=chart,
        version=version,
        repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=repository),
        namespace=namespace,
        max_history=5,
        values=values,
        timeout=ADDON_TIMEOUT,
        atomic=False,
        cleanup_on_fail=True,
        wait_for_jobs=True,
        opts=opts,
    )
