"""The flow platform: its Secret (from the foundation's secrets), its flows, and its chart."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from ..config.schema import Workload
from ..foundation import CacheConnection, FileStorage, FoundationResult, VolumeFiles
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
# from the cache) and the rate limits, where the server has several. On a server with one
# database all three share it: Langflow 1.13 prefixes its cache keys (`langflow:cache:`,
# and clears only those: langflow/services/cache/service.py), its job streams
# (`langflow:jobs:`...: services/job_queue/service.py), and the limits library its
# counters (`LIMITS:`), so none reads or deletes another's keys.
CACHE_DATABASES = {"cache": 0, "jobs": 1, "rate_limits": 2}
# Where the chart mounts the cache's CA (charts/flow-platform/templates/deployment.yaml);
# redis-py takes `ssl_ca_certs` from the URL's query (redis/connection.py parse_url), and
# so do the job queue and the limits library, which hand the URL to redis-py.
CACHE_CA_FILE = "/etc/flow-platform/cache/ca.crt"
# Kinds of objects a VolumeFiles may ask the layer to create, and how.
VOLUME_OBJECTS = {
    "PersistentVolume": (k8s.core.v1.PersistentVolume, False),
    "PersistentVolumeClaim": (k8s.core.v1.PersistentVolumeClaim, True),
    "StorageClass": (k8s.storage.v1.StorageClass, False),
}


def read_flows(directory: Path) -> dict[str, str]:
    """Every flow JSON file of `directory`, by file name; none if it does not exist."""
    flows = {p.name: p.read_text() for p in sorted(directory.glob("*.json"))} if directory.is_dir() else {}
    size = sum(len(text.encode()) for text in flows.values())
    if size > CONFIG_MAP_LIMIT:
        raise pulumi.RunError(f"centaurops:workload.flowsDir: {directory} holds {size} bytes of flows; a ConfigMap holds 1 MB")
    return flows


def flows_checksum(flows: dict[str, str]) -> str:
    """A digest of the flow files, names and contents: the chart's pod annotation, so that only a
    change of flows rolls the runtime's pods."""
    return hashlib.sha256(json.dumps(flows, sort_keys=True).encode()).hexdigest()


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
    if isinstance(storage, VolumeFiles):
        return {"type": "local", "s3": {"bucket": "", "prefix": "files", "region": ""}, "volume": storage.volume}
    return {"type": "s3", "s3": {"bucket": storage.bucket, "prefix": storage.prefix, "region": storage.region}}


def cache_urls(cache: CacheConnection) -> dict[str, pulumi.Output[str]]:
    """The Secret's Redis URLs: one database each where the server has several, else the one."""
    ca_file = CACHE_CA_FILE if cache.ca_certificate is not None else None
    several = cache.databases >= len(CACHE_DATABASES)
    database = {use: number if several else 0 for use, number in CACHE_DATABASES.items()}
    return {
        "REDIS_URL": cache.url(database["cache"], ca_file=ca_file),
        "REDIS_QUEUE_URL": cache.url(database["jobs"], ca_file=ca_file),
        "RATE_LIMIT_STORAGE_URI": cache.url(database["rate_limits"], ca_file=ca_file),
    }


def volume_objects(
    storage: FileStorage, namespace: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> list[pulumi.CustomResource]:
    """The objects a volume for files needs (a PersistentVolume and its claim), in order."""
    if not isinstance(storage, VolumeFiles):
        return []
    created: list[pulumi.CustomResource] = []
    for manifest in storage.objects:
        kind = manifest.get("kind", "")
        if kind not in VOLUME_OBJECTS:
            raise ValueError(
                f"VolumeFiles.objects: cannot create a {kind or 'manifest without kind'}; kinds: {', '.join(VOLUME_OBJECTS)}"
            )
        resource, namespaced = VOLUME_OBJECTS[kind]
        metadata = dict(manifest["metadata"])
        if namespaced:
            metadata["namespace"] = namespace
        fields = {key: value for key, value in manifest.items() if key not in ("apiVersion", "kind", "metadata")}
        created.append(
            resource(
                f"files-{kind.lower()}-{metadata['name']}",
                metadata=metadata,
                **fields,
                opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=list(created))),
            )
        )
    return created


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
            **cache_urls(cache),
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

        flows_config_map, flows_digest = "", ""
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
            flows_config_map, flows_digest = flows.metadata.name, flows_checksum(flow_files)

        files = foundation.file_storage
        volume = volume_objects(files, namespace, child)
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
            "cache": {"caCertificate": cache.ca_certificate if cache.ca_certificate is not None else ""},
            "serviceAccount": {
                "create": True,
                "name": identity.service_account,
                "annotations": identity.service_account_annotations,
            },
            "podLabels": dict(identity.pod_labels),
            "podAnnotations": dict(files.pod_annotations) if isinstance(files, VolumeFiles) else {},
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
            "flows": {"configMap": flows_config_map, "checksum": flows_digest},
            "service": {"port": SERVICE_PORT},
        }
        self.release = k8s.helm.v3.Release(
            name,
            name=RELEASE,
            namespace=namespace,
            max_history=5,
            values=values,
            timeout=FLOW_PLATFORM_TIMEOUT,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*after, *volume]),
            **chart_source(workload),
        )
        self.register_outputs({})
