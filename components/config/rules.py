"""Rules that span several fields, or depend on the environment.

Each rule yields `(path, message)`; the path names the one key a user should change.
"""

from __future__ import annotations

import ipaddress
import typing
from collections.abc import Iterator

from . import quantities
from .defaults import CLOUD_SETTINGS
from .schema import Settings
from .types import Cloud, Problem

# Every cloud the schema accepts has a foundation (components/platform.py FOUNDATIONS,
# tests/test_platform.py checks it): the benchmark, the manifests' checks and the
# end-to-end test run on each.
AVAILABLE_CLOUDS: tuple[str, ...] = typing.get_args(Cloud)


def _node_pools(settings: Settings) -> Iterator[Problem]:
    for name in ("system", "workload"):
        pool = getattr(settings.node_pools, name)
        if pool.min_size > pool.max_size:
            yield ("nodePools", name, "minSize"), f"must be <= maxSize ({pool.max_size}), got {pool.min_size}"
        elif not pool.min_size <= pool.desired_size <= pool.max_size:
            yield (
                ("nodePools", name, "desiredSize"),
                f"must be between minSize ({pool.min_size}) and maxSize ({pool.max_size}), got {pool.desired_size}",
            )
        if settings.is_prod and pool.capacity_type == "spot":
            yield ("nodePools", name, "capacityType"), "must be onDemand in prod (spot is for dev), got 'spot'"
        if settings.is_prod and pool.min_size < 2:
            yield ("nodePools", name, "minSize"), f"must be at least 2 in prod (survive a node loss), got {pool.min_size}"


def _network(settings: Settings) -> Iterator[Problem]:
    prefix = ipaddress.IPv4Network(settings.network.cidr).prefixlen
    if not 16 <= prefix <= 20:
        yield ("network", "cidr"), f"must be a /16 to /20 network, got {settings.network.cidr}"


def _cluster(settings: Settings) -> Iterator[Problem]:
    cluster = settings.cluster
    if cluster.endpoint_public_access and not cluster.public_access_cidrs:
        yield (
            ("cluster", "publicAccessCidrs"),
            "must list the source CIDRs allowed to reach the public API endpoint when endpointPublicAccess is true",
        )
    if cluster.public_access_cidrs and not cluster.endpoint_public_access:
        yield ("cluster", "publicAccessCidrs"), "has no effect unless endpointPublicAccess is true; remove it or enable that"
    if settings.is_prod:
        for index, cidr in enumerate(cluster.public_access_cidrs):
            if ipaddress.IPv4Network(cidr).prefixlen == 0:
                yield ("cluster", "publicAccessCidrs", index), f"must not open the API to the whole internet in prod, got {cidr}"


def _private_access_groups(settings: Settings) -> list[str]:
    return settings.aws.private_access_security_group_ids if settings.cloud == "aws" else []


def reachability(settings: Settings) -> list[Problem]:
    """`pulumi up` deploys the Kubernetes layer through the cluster's API: refuse a stack
    whose API nobody could reach (it would build the cluster, then fail on the first
    Kubernetes object). The schema's defaults are such a stack, so every stack file says
    how it is reached; checked by `settings_from_pulumi`, with the placeholders."""
    cluster = settings.cluster
    if cluster.endpoint_public_access or cluster.private_access_cidrs or _private_access_groups(settings):
        return []
    # GKE's DNS-based endpoint admits any caller IAM allows, from anywhere.
    if settings.cloud == "gcp" and settings.gcp.dns_endpoint:
        return []
    return [
        (
            ("cluster", "privateAccessCidrs"),
            "must list the networks that deploy (VPN, peered network, runners) when endpointPublicAccess is false,"
            " or set endpointPublicAccess: true with publicAccessCidrs; nothing could reach the API to deploy",
        )
    ]


def _data(settings: Settings) -> Iterator[Problem]:
    database, cache = settings.database, settings.cache
    if database.max_storage_gb < database.storage_gb:
        yield ("database", "maxStorageGb"), f"must be >= storageGb ({database.storage_gb}), got {database.max_storage_gb}"
    if cache.automatic_failover and cache.replicas < 1:
        yield ("cache", "replicas"), f"must be at least 1 when automaticFailover is true, got {cache.replicas}"
    if settings.is_prod:
        if not database.multi_az:
            yield ("database", "multiAz"), "must be true in prod, got false"
        if not database.deletion_protection:
            yield ("database", "deletionProtection"), "must be true in prod, got false"
        if database.backup_retention_days < 14:
            yield ("database", "backupRetentionDays"), f"must be at least 14 in prod, got {database.backup_retention_days}"
        if not cache.automatic_failover:
            yield ("cache", "automaticFailover"), "must be true in prod, got false"
        if cache.snapshot_retention_days < 1:
            yield ("cache", "snapshotRetentionDays"), f"must be at least 1 in prod, got {cache.snapshot_retention_days}"


def _kubernetes(settings: Settings) -> Iterator[Problem]:
    workload, ingress = settings.workload, settings.ingress
    scaling = workload.autoscaling
    if scaling.enabled and scaling.min_replicas > scaling.max_replicas:
        yield (
            ("workload", "autoscaling", "minReplicas"),
            f"must be <= maxReplicas ({scaling.max_replicas}), got {scaling.min_replicas}",
        )
    resources = workload.resources
    for kind in ("cpu", "memory"):
        request, limit = getattr(resources, f"{kind}_request"), getattr(resources, f"{kind}_limit")
        if quantities.parse(request) > quantities.parse(limit):
            yield ("workload", "resources", f"{kind}Request"), f"must not exceed {kind}Limit ({limit}), got {request}"
    chart = workload.chart
    if chart.repository:
        for key in ("name", "version"):
            if not getattr(chart, key):
                yield ("workload", "chart", key), "must be set when chart.repository is set (a published chart is pinned)"
    if settings.is_prod:
        if workload.mode != "runtime":
            yield ("workload", "mode"), f"must be runtime in prod (the editor is for dev), got {workload.mode!r}"
        if ingress.acme_server != "production":
            yield (
                ("ingress", "acmeServer"),
                f"must be production in prod (staging certificates are untrusted), got {ingress.acme_server!r}",
            )
        if not scaling.enabled and workload.replicas < 2:
            yield ("workload", "replicas"), f"must be at least 2 in prod unless autoscaling is enabled, got {workload.replicas}"
        if scaling.enabled and scaling.min_replicas < 2:
            yield ("workload", "autoscaling", "minReplicas"), f"must be at least 2 in prod, got {scaling.min_replicas}"
        if ingress.controller_replicas < 2:
            yield ("ingress", "controllerReplicas"), f"must be at least 2 in prod, got {ingress.controller_replicas}"


def check(settings: Settings) -> list[Problem]:
    problems: list[Problem] = []
    for rule in (_node_pools, _network, _cluster, _data, _kubernetes):
        problems.extend(rule(settings))
    problems.extend(CLOUD_SETTINGS[settings.cloud].rules(settings))
    return problems
