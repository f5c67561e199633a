"""The flow platform: its Secret (from the foundation's secrets), its flows, and its chart."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from ..config.schema import Workload
from ..foundation import FileStorage, FoundationResult, S3Files
from .common import FLOW_PLATFORM_TIMEOUT

RELEASE = "flow-platform"
SECRET = "flow-platform-env"
FLOWS = "flow-platform-flows"
APP_PORT = 7860
SERVICE_PORT = 80
# The chart's selector labels (charts/flow-platform/templates/_helpers.tpl).
APP_LABELS = {"app.kubernetes.io/name": "flow-platform", "app.kubernetes.io/instance": RELEASE}
CONFIG_MAP_LIMIT = 1_000_000
# Redis databases of the cache, the build job queue (Langflow's own default is 1, apart
# from the cache) and the rate limits.
CACHE_DATABASES = {"cache": 0, "jobs": 1, "rate_limits": 2}


def read_flows(directory: Path) -> dict[str, str]:
    """Every flow JSON file of `directory`, by file name; none if it does not exist."""
    flows = {p.name: p.read_text() for p in sorted(directory.glob("*.json"))} if directory.is_dir() else {}
    size = sum(len(text.encode()) for text in flows.values())
    if size > CONFIG_MAP_LIMIT:
        raise pulumi.RunError(f"centaurops:workload.flowsDir: {directory} holds {size} bytes of flows; a ConfigMap holds 1 MB")
    return flows


def chart_source(workload: Workload) -> dict[str, Any]:
    """Release arguments naming the chart: a local directory, or a pinned published chart."""
    chart = workload.chart
    if chart.repository:
        return {
            "chart": chart.name,
            "version": chart.version,
            "repository_opts": k8s.helm.v3.RepositoryOptsArgs(repo=chart.repository),
        }
    return {"chart": chart.path}


def url_safe_base64(text: str) -> str:
    """Standard base64 (the random provider's) in the url-safe alphabet (Fernet's)."""
    return text.replace("+", "-").replace("/", "_")


def file_storage_values(storage: FileStorage) -> dict[str, Any]:
    """The chart's `storage` values for how the cloud keeps files."""
    if not isinstance(storage, S3Files):
        raise TypeError(f"the chart cannot keep files on {type(storage).__name__} yet")
    return {"type": "s3", "s3": {"bucket": storage.bucket, "prefix": storage.prefix, "region": storage.region}}


class FlowPlatform(pulumi.ComponentResource):
    release: k8s.helm.v3.Release

    def __init__(
        self,
        name: str,
        *,
        foundation: FoundationResult,
        workload: Workload,
        host: str,
        namespace: pulumi.Input[str],
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:kubernetes:FlowPlatform", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        # Generated once and kept in state: stable across runs, unlike a chart's randAlphaNum.
        # Langflow 1.13 uses a secret key of 32+ characters as the Fernet key itself, which
        # must be 32 url-safe base64-encoded bytes (langflow/services/auth/utils.py): 32
        # random bytes, so encoded. It also signs sessions, and must never change.
        secret_key = random.RandomBytes(f"{name}-secret-key", length=32, opts=child)
        secret_key_text = secret_key.base64.apply(url_safe_base64)
        # Every replica signs and checks the Redis cache entries with this key.
        cache_signing_key = random.RandomPassword(f"{name}-cache-signing-key", length=64, special=False, opts=child)
        # Langflow will not start without a superuser when auto-login is off; in runtime
        # mode it owns the flows loaded at start.
        superuser = random.RandomPassword(f"{name}-superuser-password", length=32, special=False, opts=child)
        cache = foundation.cache
        env = {
            "DATABASE_URL": foundation.database.url,
            "REDIS_URL": cache.url(CACHE_DATABASES["cache"]),
            "REDIS_QUEUE_URL": cache.url(CACHE_DATABASES["jobs"]),
            "RATE_LIMIT_STORAGE_URI": cache.url(CACHE_DATABASES["rate_limits"]),
            "SECRET_KEY": pulumi.Output.secret(secret_key_text),
            "CACHE_SIGNING_KEY": pulumi.Output.secret(cache_signing_key.result),
            "SUPERUSER_PASSWORD": pulumi.Output.secret(superuser.result),
        }
        secret = k8s.core.v1.Secret(
            SECRET,
            metadata=k8s.meta.v1.ObjectMetaArgs(name=SECRET, namespace=namespace),
            type="Opaque",
            string_data=env,
            opts=child,
        )

        flows_config_map = ""
        if workload.mode == "runtime":
            flow_files = read_flows(Path(workload.flows_dir))
            if not flow_files:
                # The runtime has no editor: with no flow files it would serve nothing.
                pulumi.log.warn(
                    f"centaurops:workload.flowsDir: {workload.flows_dir}/ holds no flow (*.json): the runtime will serve"
                    " no flow; export flows from dev into it (flows/README.md)"
                )
            flows = k8s.core.v1.ConfigMap(
                FLOWS,
                metadata=k8s.meta.v1.ObjectMetaArgs(name=FLOWS, namespace=namespace),
                data=flow_files,
                opts=child,
            )
            flows_config_map = flows.metadata.name

        identity = foundation.workload_identity
        scaling, resources = workload.autoscaling, workload.resources
        values: dict[str, Any] = {
            "mode": workload.mode,
            "image": {
                "repository": workload.image.repository,
                "tag": workload.image.tag,
                "digest": workload.image.digest,
                "pullPolicy": "IfNotPresent",
            },
            "replicaCount": workload.replicas,
            "existingSecret": secret.metadata.name,
            "publicUrl": f"https://{host}",
            "storage": file_storage_values(foundation.file_storage),
            "serviceAccount": {
                "create": True,
                "name": identity.service_account,
                "annotations": identity.service_account_annotations,
            },
            "podLabels": dict(identity.pod_labels),
            "resources": {
                "requests": {"cpu": resources.cpu_request, "memory": resources.memory_request},
                "limits": {"cpu": resources.cpu_limit, "memory": resources.memory_limit},
            },
            "autoscaling": {
                "enabled": scaling.enabled,
                "minReplicas": scaling.min_replicas,
                "maxReplicas": scaling.max_replicas,
                "targetCPUUtilizationPercentage": scaling.target_cpu_percent,
            },
            "podDisruptionBudget": {"enabled": True, "maxUnavailable": 1},
            **foundation.workload_nodes.values(),
            "topologySpread": {"enabled": True, "maxSkew": 1, "whenUnsatisfiable": "ScheduleAnyway"},
            "flows": {"configMap": flows_config_map},
            "service": {"port": SERVICE_PORT},
        }
        self.release = k8s.helm.v3.Release(
            name,
            name=RELEASE,
            namespace=namespace,
            max_history=5,
            values=values,
            timeout=FLOW_PLATFORM_TIMEOUT,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(after)),
            **chart_source(workload),
        )
        self.register_outputs({})
