"""What the end-to-end test runs, read from the offline preview: the flow platform's
Deployment as the chart renders it for a stack, the Secret and ConfigMaps the program
creates beside it, and the image's command. Nothing here is written by hand that the
render can tell."""

from __future__ import annotations

import base64
import json
import re
import secrets
import string
from dataclasses import dataclass, field, replace
from typing import Any

import pulumi

from components.config import quantities, settings_from_config
from components.foundation import CacheConnection
from components.kubernetes.flow_platform import cache_urls, url_safe_base64
from preview.cli import preview_plan, rendered_objects
from preview.plan import kubernetes_objects
from tests.plans import evaluated, stack_config

# The Langflow version the test installs (tests/e2e/install.sh installs the same) and
# that the Deployment's image tag must name.
LANGFLOW_VERSION = "1.13.0"

# The images' start command (CMD; neither image sets an ENTRYPOINT), from Langflow's
# repository (github.com/langflow-ai/langflow):
# - langflowai/langflow: docker/build_and_push.Dockerfile, `CMD ["langflow", "run"]`;
# - langflowai/langflow-backend: docker/build_and_push_backend.Dockerfile, built `FROM`
#   the langflow image of the same version (.github/workflows/docker-build-v2.yml,
#   release type main-backend), `CMD ["python", "-m", "langflow", "run", "--host",
#   "0.0.0.0", "--port", "7860", "--backend-only"]`.
# Both images put the venv first on PATH (`ENV PATH="/app/.venv/bin:$PATH"`) over the
# python base image's PATH and LANG=C.UTF-8 (python:*-slim), and set
# `ENV LANGFLOW_HOST=0.0.0.0` and `ENV LANGFLOW_PORT=7860`.
IMAGE_COMMANDS = {
    "langflowai/langflow": ("langflow", "run"),
    "langflowai/langflow-backend": (
        "python",
        "-m",
        "langflow",
        "run",
        "--host",
        "0.0.0.0",
        "--port",
        "7860",
        "--backend-only",
    ),
}
IMAGE_PATH = "{venv}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
IMAGE_ENV = {"LANG": "C.UTF-8", "LANGFLOW_HOST": "0.0.0.0", "LANGFLOW_PORT": "7860"}

SECRET_KIND = "Secret"
RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword"
RANDOM_BYTES = "random:index/randomBytes:RandomBytes"


@dataclass(frozen=True)
class Probe:
    kind: str  # startup, liveness, readiness
    path: str
    port: int  # the container port
    period_seconds: int
    failure_threshold: int

    @property
    def budget_seconds(self) -> int:
        return self.period_seconds * self.failure_threshold


@dataclass(frozen=True)
class Mount:
    path: str
    kind: str  # emptyDir, configMap, secret, shared (a volume every replica mounts: csi, persistentVolumeClaim)
    read_only: bool
    files: dict[str, str] = field(default_factory=dict)  # configMap / secret data


@dataclass(frozen=True)
class Workload:
    """The flow platform's container as one stack's render describes it."""

    stack: str
    image: str
    command: tuple[str, ...]
    env: tuple[tuple[str, str | dict[str, Any]], ...]  # value, or the valueFrom to resolve
    env_from: tuple[dict[str, Any], ...]
    run_as_user: int
    run_as_group: int
    fs_group: int | None
    read_only_root: bool
    container_port: int
    probes: dict[str, Probe]
    mounts: tuple[Mount, ...]
    memory_request: int  # bytes
    secret_name: str
    secret_keys: tuple[str, ...]
    generators: dict[str, dict[str, Any]]  # RandomPassword or RandomBytes resource name -> type and inputs
    config_maps: dict[str, dict[str, str]]
    database: dict[str, str]  # dbName, username
    storage: str  # s3, or local (on a shared volume, or an emptyDir)
    bucket: str  # s3 storage only
    region: str  # s3 storage only
    cache_ca_file: str  # where the pod finds the cache's CA ("" when a public CA signs the server)

    @property
    def image_repository(self) -> str:
        return re.split(r"[:@]", self.image, maxsplit=1)[0]

    @property
    def image_tag(self) -> str:
        return self.image.split("@", 1)[0].rsplit(":", 1)[-1] if ":" in self.image else ""


def config_for(stack: str, cloud: str | None = None, **overrides: Any) -> dict[str, str]:
    config = stack_config(stack, **overrides)
    if cloud:
        config["centaurops:cloud"] = cloud
    return config


def render(stack: str, cloud: str | None = None, **overrides: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The plan and the rendered chart objects of `stack` (on `cloud`), offline."""
    plan = preview_plan(stack, config_for(stack, cloud, **overrides))
    return plan, rendered_objects(plan)


def cache_connections(cache: CacheConnection, *, host: str, port: int, password: str, ca_pem: str | None) -> dict[str, str]:
    """The Secret's Redis URLs as the program builds them (flow_platform.cache_urls), for a
    server here that stands in for the cloud's: same CA handling, hostname check and databases."""

    def urls() -> dict[str, pulumi.Output[str]]:
        local = replace(
            cache,
            host=pulumi.Output.from_input(host),
            port=port,
            password=pulumi.Output.secret(password),
            ca_certificate=pulumi.Output.from_input(ca_pem) if cache.ca_certificate is not None and ca_pem else None,
        )
        return dict(cache_urls(local))

    return evaluated(urls).values


def _one(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [o for o in objects if o.get("kind") == kind]
    assert len(found) == 1, f"expected one {kind} in the render, found {len(found)}"
    return found[0]


def _probe(kind: str, spec: dict[str, Any] | None, ports: dict[str, int]) -> Probe | None:
    if not spec:
        return None
    get = spec.get("httpGet")
    assert get, f"{kind}Probe is not an httpGet probe: {spec}"
    port = get["port"]
    return Probe(
        kind=kind,
        path=get.get("path", "/"),
        port=ports[port] if isinstance(port, str) else int(port),
        period_seconds=int(spec.get("periodSeconds", 10)),
        failure_threshold=int(spec.get("failureThreshold", 3)),
    )


def workload(stack: str, plan: dict[str, Any], objects: list[dict[str, Any]]) -> Workload:
    deployment = _one(objects, "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    containers = pod["containers"]
    assert len(containers) == 1, f"expected one container, found {[c['name'] for c in containers]}"
    container = containers[0]
    assert not pod.get("initContainers"), "init containers are not modelled by the e2e test"

    image = container["image"]
    repository = re.split(r"[:@]", image, maxsplit=1)[0]
    assert repository in IMAGE_COMMANDS, f"image {image}: the e2e test knows the command of {sorted(IMAGE_COMMANDS)}"
    # Kubernetes: `command` replaces the ENTRYPOINT (and drops the CMD), `args` the CMD.
    if container.get("command"):
        command = (*container["command"], *container.get("args", ()))
    elif container.get("args"):
        command = tuple(container["args"])  # the images have no ENTRYPOINT
    else:
        command = IMAGE_COMMANDS[repository]

    pod_security = pod.get("securityContext", {})
    security = {**pod_security, **container.get("securityContext", {})}
    ports = {p.get("name", str(p["containerPort"])): int(p["containerPort"]) for p in container.get("ports", [])}
    assert len(ports) == 1, f"expected one container port, found {ports}"
    probes = {
        kind: probe
        for kind in ("startup", "liveness", "readiness")
        if (probe := _probe(kind, container.get(f"{kind}Probe"), ports)) is not None
    }

    registered = kubernetes_objects(plan)
    config_maps = {o["metadata"]["name"]: dict(o.get("data") or {}) for o in registered if o.get("kind") == "ConfigMap"}
    config_maps |= {o["metadata"]["name"]: dict(o.get("data") or {}) for o in objects if o.get("kind") == "ConfigMap"}
    secrets_ = [o for o in registered if o.get("kind") == SECRET_KIND]
    secret_refs = {
        e["valueFrom"]["secretKeyRef"]["name"] for e in container.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})
    } | {e["secretRef"]["name"] for e in container.get("envFrom", []) if "secretRef" in e}
    assert len(secret_refs) <= 1, f"the e2e test models one Secret, the Deployment reads {sorted(secret_refs)}"
    secret_name = next(iter(secret_refs), "")
    secret = next((s for s in secrets_ if s["metadata"]["name"] == secret_name), None)
    assert secret_name == "" or secret is not None, f"the Deployment reads Secret {secret_name}, which nothing creates"
    secret_keys = tuple(sorted({**(secret or {}).get("stringData", {}), **(secret or {}).get("data", {})}))

    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = []
    for mount in container.get("volumeMounts", []):
        assert not mount.get("subPath"), f"subPath mounts are not modelled: {mount}"
        volume = volumes[mount["name"]]
        read_only = bool(mount.get("readOnly"))
        if "emptyDir" in volume:
            mounts.append(Mount(mount["mountPath"], "emptyDir", read_only))
        elif "configMap" in volume:
            name = volume["configMap"]["name"]
            assert name in config_maps, f"volume {mount['name']} mounts ConfigMap {name}, which nothing creates"
            mounts.append(Mount(mount["mountPath"], "configMap", True, config_maps[name]))
        elif "csi" in volume or "persistentVolumeClaim" in volume:
            mounts.append(Mount(mount["mountPath"], "shared", read_only))
        elif "secret" in volume:
            assert volume["secret"]["secretName"] == secret_name, f"volume {mount['name']}: only {secret_name} is modelled"
            mounts.append(Mount(mount["mountPath"], "secret", True, {k: "" for k in secret_keys}))
        else:
            raise AssertionError(f"volume {mount['name']}: only emptyDir, configMap, secret, csi and claim volumes are modelled")

    generators = {
        r["name"]: {"type": r["type"], **r["inputs"]} for r in plan["resources"] if r["type"] in (RANDOM_PASSWORD, RANDOM_BYTES)
    }
    env: list[tuple[str, str | dict[str, Any]]] = []
    for entry in container.get("env", []):
        env.append((entry["name"], entry["valueFrom"] if "valueFrom" in entry else str(entry.get("value", ""))))
    literal = {name: value for name, value in env if isinstance(value, str)}
    # What the program configures, from the stack's settings (the Secret's URL is secret in the plan).
    settings = settings_from_config(config_for(stack, plan["cloud"]), stack)
    cache_ca = [
        f"{mount['mountPath']}/ca.crt"
        for mount in container.get("volumeMounts", [])
        if volumes[mount["name"]].get("configMap", {}).get("name", "").endswith("-cache-ca")
    ]

    return Workload(
        stack=stack,
        image=image,
        command=command,
        env=tuple(env),
        env_from=tuple(container.get("envFrom", [])),
        run_as_user=int(security["runAsUser"]),
        run_as_group=int(security.get("runAsGroup", security["runAsUser"])),
        fs_group=int(pod_security["fsGroup"]) if "fsGroup" in pod_security else None,
        read_only_root=bool(security.get("readOnlyRootFilesystem")),
        container_port=next(iter(ports.values())),
        probes=probes,
        mounts=tuple(mounts),
        memory_request=int(quantities.parse(container["resources"]["requests"]["memory"])),
        secret_name=secret_name,
        secret_keys=secret_keys,
        generators=generators,
        config_maps=config_maps,
        database={"dbName": settings.database.name, "username": settings.database.username},
        storage=literal.get("LANGFLOW_STORAGE_TYPE", "local"),
        bucket=literal.get("LANGFLOW_OBJECT_STORAGE_BUCKET_NAME", ""),
        region=literal.get("AWS_DEFAULT_REGION", ""),
        cache_ca_file=cache_ca[0] if cache_ca else "",
    )


def generate_password(inputs: dict[str, Any]) -> str:
    """A value of the shape `random.RandomPassword` with these inputs generates; for
    `random.RandomBytes`, its bytes in url-safe base64, as the program uses them."""
    if inputs.get("type") == RANDOM_BYTES:
        return url_safe_base64(base64.b64encode(secrets.token_bytes(int(inputs["length"]))).decode())
    alphabet = ""
    if inputs.get("upper", True):
        alphabet += string.ascii_uppercase
    if inputs.get("lower", True):
        alphabet += string.ascii_lowercase
    if inputs.get("numeric", True):
        alphabet += string.digits
    if inputs.get("special", True):
        alphabet += inputs.get("overrideSpecial") or "!@#$%&*()-_=+[]{}<>:?"
    return "".join(secrets.choice(alphabet) for _ in range(int(inputs["length"])))


def _generator_for(key: str, generators: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The random resource the program generates the Secret's `key` from, by name
    (SECRET_KEY <- ...-secret-key)."""
    suffix = "-" + key.lower().replace("_", "-")
    found = [inputs for name, inputs in generators.items() if name.endswith(suffix)]
    return found[0] if len(found) == 1 else None


def secret_values(workload: Workload, connections: dict[str, str]) -> dict[str, str]:
    """The Secret's data as Pulumi would fill it here: the real local connection URLs,
    and every generated key generated again with the same generator's inputs."""
    values = {}
    for key in workload.secret_keys:
        if key in connections:
            values[key] = connections[key]
            continue
        inputs = _generator_for(key, workload.generators)
        assert inputs is not None, (
            f"Secret {workload.secret_name} key {key}: no RandomPassword or RandomBytes named *-{key.lower().replace('_', '-')} "
            f"in the plan; teach tests/e2e/deployment.py how the program generates it"
        )
        values[key] = generate_password(inputs)
    return values


def resolve_env(workload: Workload, secret: dict[str, str]) -> dict[str, str]:
    """The container's environment as the kubelet gives it, with the Secret's values."""
    env: dict[str, str] = {}
    for source in workload.env_from:
        if "secretRef" in source:
            env |= {source.get("prefix", "") + k: v for k, v in secret.items()}
        elif "configMapRef" in source:
            data = workload.config_maps[source["configMapRef"]["name"]]
            env |= {source.get("prefix", "") + k: v for k, v in data.items()}
        else:
            raise AssertionError(f"envFrom {source} is not modelled")
    for name, value in workload.env:
        if isinstance(value, str):
            env[name] = _expand(value, env)
        elif "secretKeyRef" in value:
            ref = value["secretKeyRef"]
            assert ref["name"] == workload.secret_name, f"{name}: reads Secret {ref['name']}"
            assert ref["key"] in secret, f"{name}: Secret {ref['name']} has no key {ref['key']} (keys: {sorted(secret)})"
            env[name] = secret[ref["key"]]
        elif "configMapKeyRef" in value:
            ref = value["configMapKeyRef"]
            env[name] = workload.config_maps[ref["name"]][ref["key"]]
        else:
            raise AssertionError(f"{name}: valueFrom {json.dumps(value)} is not modelled")
    return env


def _expand(value: str, env: dict[str, str]) -> str:
    """Kubernetes' $(VAR) expansion of earlier variables."""
    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)), value)
