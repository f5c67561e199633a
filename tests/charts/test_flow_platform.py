"""charts/flow-platform: the project's own Langflow chart, rendered and linted offline by the
Helm v4 SDK (helm_python) and validated against the Kubernetes 1.35 API schemas."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python
import kubernetes_validate
import pytest
import yaml

CHART_DIR = Path(__file__).resolve().parents[2] / "charts" / "flow-platform"
RELEASE = "flow-platform"
NAMESPACE = "centaurops"
SECRET = "flow-platform-env"
DIGEST = "sha256:" + "0123456789abcdef" * 4
KUBE_VERSION = "1.35"

# Environment variable -> key of the existing Secret.
SECRET_ENV = {
    "LANGFLOW_DATABASE_URL": "DATABASE_URL",
    "LANGFLOW_REDIS_URL": "REDIS_URL",
    "LANGFLOW_REDIS_QUEUE_URL": "REDIS_QUEUE_URL",
    "LANGFLOW_RATE_LIMIT_STORAGE_URI": "RATE_LIMIT_STORAGE_URI",
    "LANGFLOW_SECRET_KEY": "SECRET_KEY",
    "LANGFLOW_CACHE_SIGNING_KEY": "CACHE_SIGNING_KEY",
    "LANGFLOW_SUPERUSER_PASSWORD": "SUPERUSER_PASSWORD",
}
SELECTOR = {"app.kubernetes.io/name": "flow-platform", "app.kubernetes.io/instance": RELEASE}

# The smallest ide set: everything else from the chart's defaults.
IDE: dict[str, Any] = {"mode": "ide", "existingSecret": SECRET, "publicUrl": "https://flows-dev.acme.io"}
S3 = {"type": "s3", "s3": {"bucket": "centaurops-prod-files", "prefix": "uploads", "region": "eu-west-1"}}
# The shape the Pulumi program passes for prod, with non-default numbers so pass-through is visible.
RUNTIME: dict[str, Any] = {
    "mode": "runtime",
    "image": {"repository": "", "tag": "1.13.0", "digest": "", "pullPolicy": "IfNotPresent"},
    "replicaCount": 3,
    "existingSecret": SECRET,
    "publicUrl": "https://flows.acme.io",
    "storage": S3,
    "serviceAccount": {
        "create": True,
        "name": "flow-platform",
        "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/flow-platform"},
    },
    "podLabels": {"team": "flows"},
    "resources": {"requests": {"cpu": "250m", "memory": "768Mi"}, "limits": {"cpu": "1500m", "memory": "3Gi"}},
    "autoscaling": {"enabled": True, "minReplicas": 2, "maxReplicas": 5, "targetCPUUtilizationPercentage": 65},
    "podDisruptionBudget": {"enabled": True, "maxUnavailable": 1},
    "nodeSelector": {"centaurops.io/pool": "workload"},
    "tolerations": [{"key": "centaurops.io/workload", "operator": "Equal", "value": "true", "effect": "NoSchedule"}],
    "topologySpread": {"enabled": True, "maxSkew": 2, "whenUnsatisfiable": "DoNotSchedule"},
    "flows": {"configMap": "flow-platform-flows"},
    "service": {"port": 8080},
}


def with_values(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of `base` with top-level keys replaced."""
    values = copy.deepcopy(base)
    values.update(copy.deepcopy(changes))
    return values


def render_raw(chart: helm_python.Chart, values: dict[str, Any]) -> dict[str, str]:
    return chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)


def parse(rendered: dict[str, str]) -> list[dict[str, Any]]:
    """Every object of a render, in template order (NOTES.txt is not a manifest)."""
    objects = []
    for path, text in sorted(rendered.items()):
        if path.endswith(".yaml"):
            objects += [doc for doc in yaml.safe_load_all(text) if doc]
    return objects


def of_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind]


def one(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = of_kind(objects, kind)
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def pod(objects: list[dict[str, Any]]) -> dict[str, Any]:
    return one(objects, "Deployment")["spec"]["template"]


def container(objects: list[dict[str, Any]]) -> dict[str, Any]:
    containers = pod(objects)["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def env(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    items = container(objects)["env"]
    names = [item["name"] for item in items]
    assert len(names) == len(set(names)), f"duplicate environment variables: {names}"
    return {item["name"]: item for item in items}


def literal_env(objects: list[dict[str, Any]]) -> dict[str, str]:
    return {name: item["value"] for name, item in env(objects).items() if "value" in item}


def render_objects(chart: helm_python.Chart, values: dict[str, Any]) -> list[dict[str, Any]]:
    return parse(render_raw(chart, values))


@pytest.fixture(scope="module")
def chart() -> Iterator[helm_python.Chart]:
    with helm_python.Chart.load(CHART_DIR) as loaded:
        yield loaded


@pytest.fixture(scope="module")
def ide_raw(chart: helm_python.Chart) -> dict[str, str]:
    return render_raw(chart, IDE)


@pytest.fixture(scope="module")
def runtime_raw(chart: helm_python.Chart) -> dict[str, str]:
    return render_raw(chart, RUNTIME)


@pytest.fixture(scope="module")
def ide(ide_raw: dict[str, str]) -> list[dict[str, Any]]:
    return parse(ide_raw)


@pytest.fixture(scope="module")
def runtime(runtime_raw: dict[str, str]) -> list[dict[str, Any]]:
    return parse(runtime_raw)


@pytest.fixture(scope="module", params=["ide", "runtime"])
def objects(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    """Both modes' objects (each rendered once for the module)."""
    return request.getfixturevalue(request.param)


# --- The chart itself -------------------------------------------------------------------------


def test_chart_metadata(chart: helm_python.Chart):
    meta = chart.metadata
    assert (meta["apiVersion"], meta["name"], meta["version"], meta["appVersion"]) == ("v2", "flow-platform", "0.1.0", "1.13.0")
    assert meta["kubeVersion"] == ">=1.33.0-0"
    assert meta["description"]
    assert (CHART_DIR / "README.md").is_file()


def test_defaults_are_the_values_contract(chart: helm_python.Chart):
    assert chart.values == {
        "mode": "ide",
        "image": {"repository": "", "tag": "1.13.0", "digest": "", "pullPolicy": "IfNotPresent"},
        "replicaCount": 1,
        "existingSecret": "",
        "publicUrl": "",
        "storage": {"type": "local", "s3": {"bucket": "", "prefix": "files", "region": ""}, "volume": {}},
        "cache": {"caCertificate": ""},
        "serviceAccount": {"create": True, "name": "flow-platform", "annotations": {}},
        "podLabels": {},
        "podAnnotations": {},
        "resources": {"requests": {"cpu": "500m", "memory": "1536Mi"}, "limits": {"cpu": "2", "memory": "3Gi"}},
        "autoscaling": {"enabled": False, "minReplicas": 2, "maxReplicas": 6, "targetCPUUtilizationPercentage": 70},
        "podDisruptionBudget": {"enabled": True, "maxUnavailable": 1},
        "nodeSelector": {},
        "tolerations": [],
        "topologySpread": {"enabled": True, "maxSkew": 1, "whenUnsatisfiable": "ScheduleAnyway"},
        "flows": {"configMap": "", "checksum": ""},
        "superuser": "admin",
        "extraEnv": {},
        "service": {"port": 80},
    }


def test_schema_is_draft_07_and_closed_at_the_top(chart: helm_python.Chart):
    schema = chart.schema
    assert schema is not None
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["additionalProperties"] is False
    # Every value of the contract is described by the schema.
    assert set(chart.values) == set(schema["properties"])
    assert schema["properties"]["mode"]["enum"] == ["ide", "runtime"]
    assert schema["properties"]["image"]["properties"]["digest"]["pattern"] == "^(sha256:[a-f0-9]{64})?$"


@pytest.mark.parametrize("values", [IDE, RUNTIME], ids=["ide", "runtime"])
def test_lint_is_clean(values: dict[str, Any]):
    report = helm_python.lint(CHART_DIR, values, strict=True, kube_version="v1.35.0")
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


@pytest.mark.parametrize("name", ["ide-values.yaml", "runtime-values.yaml"])
def test_example_values_files_lint_clean(name: str):
    values = yaml.safe_load((CHART_DIR / "ci" / name).read_text())
    report = helm_python.lint(CHART_DIR, values, strict=True, kube_version="v1.35.0")
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


def test_every_object_passes_kubernetes_validate(objects: list[dict[str, Any]]):
    assert objects
    for obj in objects:
        kubernetes_validate.validate(obj, KUBE_VERSION, strict=True)


def test_objects_of_each_mode(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    kinds = sorted(o["kind"] for o in ide)
    assert kinds == ["Deployment", "PodDisruptionBudget", "Service", "ServiceAccount"]
    assert sorted(o["kind"] for o in runtime) == sorted([*kinds, "HorizontalPodAutoscaler"])
    for obj in [*ide, *runtime]:
        assert obj["metadata"]["name"] == "flow-platform"
        assert obj["metadata"]["namespace"] == NAMESPACE


# --- Hardening --------------------------------------------------------------------------------


def test_pod_security_context(objects: list[dict[str, Any]]):
    spec = pod(objects)["spec"]
    assert spec["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "fsGroup": 10001,
        "fsGroupChangePolicy": "OnRootMismatch",
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert spec["terminationGracePeriodSeconds"] >= 30
    assert spec["enableServiceLinks"] is False
    assert "hostNetwork" not in spec and "hostPID" not in spec and "hostIPC" not in spec


def test_container_security_context(objects: list[dict[str, Any]]):
    context = container(objects)["securityContext"]
    assert context["allowPrivilegeEscalation"] is False
    assert context["readOnlyRootFilesystem"] is True
    assert context["runAsNonRoot"] is True
    assert context.get("privileged", False) is False
    assert context["capabilities"] == {"drop": ["ALL"]}


def test_no_service_account_token_is_mounted(objects: list[dict[str, Any]]):
    account = one(objects, "ServiceAccount")
    assert account["automountServiceAccountToken"] is False
    spec = pod(objects)["spec"]
    assert spec["automountServiceAccountToken"] is False
    assert spec["serviceAccountName"] == account["metadata"]["name"] == "flow-platform"


def test_service_account_annotations_and_an_existing_account(runtime: list[dict[str, Any]], chart: helm_python.Chart):
    annotations = one(runtime, "ServiceAccount")["metadata"]["annotations"]
    assert annotations == RUNTIME["serviceAccount"]["annotations"]
    existing = render_objects(chart, with_values(IDE, serviceAccount={"create": False, "name": "shared"}))
    assert of_kind(existing, "ServiceAccount") == []
    assert pod(existing)["spec"]["serviceAccountName"] == "shared"
    assert pod(existing)["spec"]["automountServiceAccountToken"] is False


def test_requests_and_limits_always_set_from_values(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    assert container(ide)["resources"] == {
        "requests": {"cpu": "500m", "memory": "1536Mi"},
        "limits": {"cpu": "2", "memory": "3Gi"},
    }
    assert container(runtime)["resources"] == RUNTIME["resources"]


def test_probes_on_the_http_port(objects: list[dict[str, Any]]):
    app = container(objects)
    assert app["ports"] == [{"name": "http", "containerPort": 7860, "protocol": "TCP"}]
    paths = {probe: app[probe]["httpGet"]["path"] for probe in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert paths == {"startupProbe": "/health", "livenessProbe": "/health", "readinessProbe": "/health_check"}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert app[probe]["httpGet"]["port"] == "http"
        assert app[probe]["timeoutSeconds"] >= 1
    startup = app["startupProbe"]
    # Langflow migrates and loads its components before it listens: give it minutes.
    assert startup["failureThreshold"] * startup["periodSeconds"] >= 300


def test_pod_disruption_budget(objects: list[dict[str, Any]], chart: helm_python.Chart):
    budget = one(objects, "PodDisruptionBudget")
    assert budget["apiVersion"] == "policy/v1"
    assert budget["spec"]["maxUnavailable"] == 1
    assert budget["spec"]["selector"] == {"matchLabels": SELECTOR}
    percent = render_objects(chart, with_values(IDE, podDisruptionBudget={"enabled": True, "maxUnavailable": "50%"}))
    assert one(percent, "PodDisruptionBudget")["spec"]["maxUnavailable"] == "50%"
    disabled = render_objects(chart, with_values(IDE, podDisruptionBudget={"enabled": False, "maxUnavailable": 1}))
    assert of_kind(disabled, "PodDisruptionBudget") == []


def test_autoscaler_only_when_enabled(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    assert of_kind(ide, "HorizontalPodAutoscaler") == []
    assert one(ide, "Deployment")["spec"]["replicas"] == 1

    scaler = one(runtime, "HorizontalPodAutoscaler")
    assert scaler["apiVersion"] == "autoscaling/v2"
    assert scaler["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "flow-platform"}
    assert (scaler["spec"]["minReplicas"], scaler["spec"]["maxReplicas"]) == (2, 5)
    assert scaler["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 65}}}
    ]
    # The autoscaler owns the replica count: the Deployment must not fight it (replicaCount is 3).
    assert "replicas" not in one(runtime, "Deployment")["spec"]


def test_autoscaler_bounds_are_checked(chart: helm_python.Chart):
    scaling = {"enabled": True, "minReplicas": 4, "maxReplicas": 2, "targetCPUUtilizationPercentage": 70}
    with pytest.raises(helm_python.HelmRenderError, match="minReplicas must not exceed"):
        render_raw(chart, with_values(IDE, autoscaling=scaling))


def test_topology_spread_across_zones_and_nodes(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    for objects, skew, when in ((ide, 1, "ScheduleAnyway"), (runtime, 2, "DoNotSchedule")):
        constraints = pod(objects)["spec"]["topologySpreadConstraints"]
        assert [c["topologyKey"] for c in constraints] == ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]
        for constraint in constraints:
            assert (constraint["maxSkew"], constraint["whenUnsatisfiable"]) == (skew, when)
            assert constraint["labelSelector"] == {"matchLabels": SELECTOR}


def test_topology_spread_can_be_disabled(chart: helm_python.Chart):
    spread = {"enabled": False, "maxSkew": 1, "whenUnsatisfiable": "ScheduleAnyway"}
    assert "topologySpreadConstraints" not in pod(render_objects(chart, with_values(IDE, topologySpread=spread)))["spec"]


def test_node_selector_and_tolerations_pass_through(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    spec = pod(runtime)["spec"]
    assert spec["nodeSelector"] == RUNTIME["nodeSelector"]
    assert spec["tolerations"] == RUNTIME["tolerations"]
    assert "nodeSelector" not in pod(ide)["spec"] and "tolerations" not in pod(ide)["spec"]


def test_writable_paths_are_empty_dirs_and_the_rest_is_read_only(objects: list[dict[str, Any]]):
    app, spec = container(objects), pod(objects)["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m for m in app["volumeMounts"]}
    variables = literal_env(objects)
    for variable in ("HOME", "TMPDIR", "LANGFLOW_CONFIG_DIR"):
        mount = mounts[variables[variable]]
        assert "emptyDir" in volumes[mount["name"]], variable
        assert volumes[mount["name"]]["emptyDir"]["sizeLimit"]
    # Nothing but emptyDirs and the read-only flows ConfigMap.
    for mount in app["volumeMounts"]:
        volume = volumes[mount["name"]]
        assert "emptyDir" in volume or ("configMap" in volume and mount["readOnly"] is True)


# --- Environment and secrets ------------------------------------------------------------------


def test_fixed_environment(objects: list[dict[str, Any]]):
    variables = literal_env(objects)
    assert {
        "LANGFLOW_HOST": "0.0.0.0",
        "LANGFLOW_PORT": "7860",
        "LANGFLOW_AUTO_LOGIN": "false",
        "LANGFLOW_WORKERS": "1",
    }.items() <= variables.items()
    assert variables["LANGFLOW_CONFIG_DIR"] and variables["HOME"] and variables["TMPDIR"]


def test_replicas_share_the_cache_and_the_build_queue_in_redis(objects: list[dict[str, Any]]):
    # lfx settings: cache_type and job_queue_type; the default queue lives in one process, so a
    # build polled on another replica would not be found (langflow/api/v1/chat.py).
    variables = literal_env(objects)
    assert (variables["LANGFLOW_CACHE_TYPE"], variables["LANGFLOW_JOB_QUEUE_TYPE"]) == ("redis", "redis")
    # the queue's and the rate limits' Redis URLs and the cache signing key come from the Secret
    refs = {name for name, item in env(objects).items() if "valueFrom" in item}
    assert {"LANGFLOW_REDIS_QUEUE_URL", "LANGFLOW_RATE_LIMIT_STORAGE_URI", "LANGFLOW_CACHE_SIGNING_KEY"} <= refs


def test_hardened_for_a_public_endpoint(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    for objects, origin in ((ide, "https://flows-dev.acme.io"), (runtime, "https://flows.acme.io")):
        assert {
            "LANGFLOW_ENABLE_SIGNUP": "false",
            "LANGFLOW_ACCESS_SECURE": "true",
            "LANGFLOW_REFRESH_SECURE": "true",
            "LANGFLOW_ENABLE_SUPERUSER_CLI": "false",
            "LANGFLOW_CUSTOM_COMPONENT_ADMIN_ONLY": "true",
            "LANGFLOW_CORS_ORIGINS": origin,
            "LANGFLOW_CORS_ALLOW_CREDENTIALS": "true",
            "DO_NOT_TRACK": "true",
            "LANGFLOW_STORE_ENVIRONMENT_VARIABLES": "false",
            "LANGFLOW_RATE_LIMIT_TRUST_PROXY": "true",
        }.items() <= literal_env(objects).items()


def test_runtime_creates_no_starter_projects_and_its_files_win(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    assert literal_env(runtime)["LANGFLOW_CREATE_STARTER_PROJECTS"] == "false"
    assert literal_env(runtime)["LANGFLOW_LOAD_FLOWS_OVERWRITE_ON_NAME_MATCH"] == "true"
    assert "LANGFLOW_CREATE_STARTER_PROJECTS" not in literal_env(ide)


def test_files_go_to_the_bucket_with_s3_storage(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    assert {
        "LANGFLOW_STORAGE_TYPE": "s3",
        "LANGFLOW_OBJECT_STORAGE_BUCKET_NAME": "centaurops-prod-files",
        "LANGFLOW_OBJECT_STORAGE_PREFIX": "uploads",
        # the S3 client of Langflow 1.13 (aiobotocore) reads the region from AWS_DEFAULT_REGION
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items() <= literal_env(runtime).items()
    # local storage: Langflow's default, nothing set
    assert not {"LANGFLOW_STORAGE_TYPE", "LANGFLOW_OBJECT_STORAGE_BUCKET_NAME"} & set(literal_env(ide))


SHARED_VOLUME = {"persistentVolumeClaim": {"claimName": "flow-files"}}


def test_local_storage_on_a_shared_volume_is_the_config_directory(chart: helm_python.Chart):
    objects = render_objects(
        chart,
        with_values(
            RUNTIME, storage={"type": "local", "s3": {"bucket": "", "prefix": "files", "region": ""}, "volume": SHARED_VOLUME}
        ),
    )
    app, spec = container(objects), pod(objects)["spec"]
    (mount,) = [m for m in app["volumeMounts"] if m["mountPath"] == literal_env(objects)["LANGFLOW_CONFIG_DIR"]]
    (volume,) = [v for v in spec["volumes"] if v["name"] == mount["name"]]
    assert volume == {"name": mount["name"], **SHARED_VOLUME}
    assert not mount.get("readOnly")
    assert "LANGFLOW_STORAGE_TYPE" not in literal_env(objects)  # Langflow's local storage, under the config directory


def test_a_volume_is_ignored_with_s3_storage(chart: helm_python.Chart):
    objects = render_objects(chart, with_values(RUNTIME, storage={**S3, "volume": SHARED_VOLUME}))
    volumes = {v["name"]: v for v in pod(objects)["spec"]["volumes"]}
    assert "emptyDir" in volumes["config"]


CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"


def test_the_cache_ca_is_a_config_map_mounted_read_only(chart: helm_python.Chart):
    objects = render_objects(chart, with_values(RUNTIME, cache={"caCertificate": CA_PEM}))
    (config_map,) = [c for c in of_kind(objects, "ConfigMap") if c["metadata"]["name"].endswith("-cache-ca")]
    assert config_map["data"] == {"ca.crt": CA_PEM}
    (mount,) = [m for m in container(objects)["volumeMounts"] if m["name"] == "cache-ca"]
    # The Secret's Redis URLs name this file (components/kubernetes/flow_platform.py CACHE_CA_FILE).
    assert mount["mountPath"] == "/etc/flow-platform/cache" and mount["readOnly"] is True
    (volume,) = [v for v in pod(objects)["spec"]["volumes"] if v["name"] == "cache-ca"]
    assert volume["configMap"]["name"] == config_map["metadata"]["name"]


def test_no_cache_ca_mounts_nothing(runtime: list[dict[str, Any]]):
    assert not [c for c in of_kind(runtime, "ConfigMap") if c["metadata"]["name"].endswith("-cache-ca")]
    assert "cache-ca" not in {v["name"] for v in pod(runtime)["spec"]["volumes"]}


def test_s3_storage_needs_a_bucket_and_a_region(chart: helm_python.Chart):
    for missing in ("bucket", "region"):
        storage = {"type": "s3", "s3": {**S3["s3"], missing: ""}}
        with pytest.raises(helm_python.HelmRenderError, match=r"storage.s3.bucket and storage.s3.region are required"):
            render_raw(chart, with_values(RUNTIME, storage=storage))


@pytest.mark.parametrize("url", ["", "http://flows.acme.io", "https://flows.acme.io/"])
def test_the_public_url_must_be_an_https_origin(chart: helm_python.Chart, url: str):
    with pytest.raises((helm_python.HelmRenderError, helm_python.HelmValuesError), match="publicUrl"):
        render_raw(chart, with_values(IDE, publicUrl=url))


@pytest.mark.parametrize("mode", ["ide", "runtime"])
def test_secrets_only_through_secret_key_refs(mode: str, request: pytest.FixtureRequest):
    objects: list[dict[str, Any]] = request.getfixturevalue(mode)
    expected = SECRET_ENV
    from_refs = {name: item for name, item in env(objects).items() if "valueFrom" in item}
    assert set(from_refs) == set(expected)
    for name, item in from_refs.items():
        assert "value" not in item
        assert item["valueFrom"] == {"secretKeyRef": {"name": SECRET, "key": expected[name], "optional": False}}
    # No Secret key (nor the variable it feeds) is ever a literal value.
    literals = literal_env(objects)
    secret_keys = set(SECRET_ENV.values())
    assert not set(literals) & (set(SECRET_ENV) | secret_keys)
    assert not any(key in value for value in literals.values() for key in secret_keys)
    assert of_kind(objects, "Secret") == []


def test_rendered_text_holds_no_credential(ide_raw: dict[str, str], runtime_raw: dict[str, str]):
    text = "\n".join([*ide_raw.values(), *runtime_raw.values()])
    for marker in ("postgresql://", "postgres://", "redis://", "rediss://", "kind: Secret"):
        assert marker not in text


def test_a_superuser_in_both_modes(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    # Langflow 1.13 refuses to start without one when auto-login is off (setup_superuser).
    for objects in (ide, runtime):
        assert literal_env(objects)["LANGFLOW_SUPERUSER"] == "admin"
        assert literal_env(objects)["LANGFLOW_AUTO_LOGIN"] == "false"


def test_extra_env_is_added_but_cannot_override_the_chart(chart: helm_python.Chart):
    extra = render_objects(chart, with_values(IDE, extraEnv={"LANGFLOW_LOG_LEVEL": "info", "TZ": "UTC"}))
    assert {"LANGFLOW_LOG_LEVEL": "info", "TZ": "UTC"}.items() <= literal_env(extra).items()
    for name in ("LANGFLOW_DATABASE_URL", "LANGFLOW_CACHE_SIGNING_KEY", "LANGFLOW_AUTO_LOGIN", "LANGFLOW_ENABLE_SIGNUP", "HOME"):
        with pytest.raises(helm_python.HelmRenderError, match=re.escape(f"extraEnv.{name} is set by the chart")):
            render_raw(chart, with_values(IDE, extraEnv={name: "x"}))


# --- Modes ------------------------------------------------------------------------------------


def test_runtime_is_backend_only_and_mounts_the_flows_read_only(runtime: list[dict[str, Any]]):
    variables = literal_env(runtime)
    assert variables["LANGFLOW_BACKEND_ONLY"] == "true"
    path = variables["LANGFLOW_LOAD_FLOWS_PATH"]
    mount = next(m for m in container(runtime)["volumeMounts"] if m["mountPath"] == path)
    assert mount["readOnly"] is True
    volume = next(v for v in pod(runtime)["spec"]["volumes"] if v["name"] == mount["name"])
    assert volume["configMap"]["name"] == "flow-platform-flows"
    assert volume["configMap"]["defaultMode"] == 0o444


def test_ide_serves_the_editor_and_mounts_no_flows(ide: list[dict[str, Any]], chart: helm_python.Chart):
    for objects in (ide, render_objects(chart, with_values(IDE, flows={"configMap": "flow-platform-flows"}))):
        variables = literal_env(objects)
        assert "LANGFLOW_BACKEND_ONLY" not in variables
        assert "LANGFLOW_LOAD_FLOWS_PATH" not in variables
        assert not any("configMap" in v for v in pod(objects)["spec"]["volumes"])


def test_a_change_of_flows_rolls_the_runtime_and_nothing_else_does(chart: helm_python.Chart):
    def template(mode: dict[str, Any], checksum: str, **changes: Any) -> dict[str, Any]:
        flows = {"configMap": "flow-platform-flows", "checksum": checksum}
        return pod(render_objects(chart, with_values(mode, flows=flows, **changes)))

    first, second = "a" * 64, "b" * 64
    assert template(RUNTIME, first)["metadata"]["annotations"] == {"checksum/flows": first}
    assert template(RUNTIME, first) == template(RUNTIME, first)
    assert template(RUNTIME, second) != template(RUNTIME, first)
    # Other annotations stay; they cannot replace the checksum.
    annotations = {"example.com/note": "x", "checksum/flows": "pinned"}
    assert template(RUNTIME, first, podAnnotations=annotations)["metadata"]["annotations"] == {
        "example.com/note": "x",
        "checksum/flows": first,
    }
    # ide loads no flows: nothing to roll for.
    assert "annotations" not in template(IDE, first)["metadata"]


def test_a_rollout_keeps_every_ready_replica_until_its_successor_is_ready(objects: list[dict[str, Any]]):
    spec = one(objects, "Deployment")["spec"]
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
    assert container(objects)["readinessProbe"]["httpGet"]["path"] == "/health_check"


def test_runtime_without_flows_mounts_nothing(chart: helm_python.Chart):
    objects = render_objects(chart, with_values(RUNTIME, flows={"configMap": ""}))
    assert literal_env(objects)["LANGFLOW_BACKEND_ONLY"] == "true"
    assert "LANGFLOW_LOAD_FLOWS_PATH" not in literal_env(objects)
    assert not any("configMap" in v for v in pod(objects)["spec"]["volumes"])


# --- Image ------------------------------------------------------------------------------------


def test_image_by_mode_and_tag(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    assert container(ide)["image"] == "langflowai/langflow:1.13.0"
    assert container(runtime)["image"] == "langflowai/langflow-backend:1.13.0"
    assert container(ide)["imagePullPolicy"] == "IfNotPresent"


def test_image_repository_digest_and_pull_policy(chart: helm_python.Chart):
    image = {"repository": "ghcr.io/acme/flows", "tag": "1.13.0", "digest": "", "pullPolicy": "Always"}
    custom = container(render_objects(chart, with_values(IDE, image=image)))
    assert (custom["image"], custom["imagePullPolicy"]) == ("ghcr.io/acme/flows:1.13.0", "Always")
    pinned = with_values(RUNTIME, image={"repository": "", "tag": "1.13.0", "digest": DIGEST, "pullPolicy": "IfNotPresent"})
    assert container(render_objects(chart, pinned))["image"] == f"langflowai/langflow-backend@{DIGEST}"
    # A digest alone is enough.
    digest_only = with_values(IDE, image={"repository": "", "tag": "", "digest": DIGEST, "pullPolicy": "IfNotPresent"})
    assert container(render_objects(chart, digest_only))["image"] == f"langflowai/langflow@{DIGEST}"


# --- Refused values ---------------------------------------------------------------------------


def test_an_empty_existing_secret_fails_the_render(chart: helm_python.Chart):
    with pytest.raises(helm_python.HelmRenderError, match="existingSecret is required"):
        render_raw(chart, with_values(IDE, existingSecret=""))
    with pytest.raises(helm_python.HelmRenderError, match="existingSecret is required"):
        render_raw(chart, {"mode": "runtime"})


@pytest.mark.parametrize("tag", ["latest", "Latest"])
def test_the_latest_tag_fails_the_render(chart: helm_python.Chart, tag: str):
    image = {"repository": "", "tag": tag, "digest": "", "pullPolicy": "IfNotPresent"}
    with pytest.raises(helm_python.HelmRenderError, match=re.escape('image.tag must not be "latest"')):
        render_raw(chart, with_values(IDE, image=image))


def test_no_tag_and_no_digest_fails_the_render(chart: helm_python.Chart):
    image = {"repository": "", "tag": "", "digest": "", "pullPolicy": "IfNotPresent"}
    with pytest.raises(helm_python.HelmRenderError, match=re.escape("set image.tag (a pinned version")):
        render_raw(chart, with_values(IDE, image=image))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"replicas": 2}, "additional properties 'replicas' not allowed"),
        ({"mode": "editor"}, "/mode"),
        ({"image": {"repository": "", "tag": "1.13.0", "digest": "sha256:abc", "pullPolicy": "IfNotPresent"}}, "/image/digest"),
        ({"image": {"repository": "", "tag": "1.13.0", "digest": "", "pullPolicy": "Sometimes"}}, "/image/pullPolicy"),
        # Helm merges the defaults in: only null removes the limits.
        ({"resources": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": None}}, "/resources"),
        ({"replicaCount": "2"}, "/replicaCount"),
        ({"serviceAccount": {"create": True, "name": "flow-platform", "token": True}}, "/serviceAccount"),
        ({"topologySpread": {"enabled": True, "maxSkew": 1, "whenUnsatisfiable": "Never"}}, "/topologySpread"),
        ({"extraEnv": {"LOG_LEVEL": 3}}, "/extraEnv"),
    ],
    ids=["unknown-top-level", "mode", "digest", "pull-policy", "no-limits", "replicas-type", "nested-unknown", "spread", "env"],
)
def test_the_schema_refuses_bad_values(chart: helm_python.Chart, changes: dict[str, Any], message: str):
    with pytest.raises(helm_python.HelmValuesError, match=message):
        render_raw(chart, with_values(IDE, **changes))


# --- Labels, service, determinism -------------------------------------------------------------


def test_labels_on_every_object(objects: list[dict[str, Any]]):
    mode = one(objects, "Deployment")["metadata"]["labels"]["app.kubernetes.io/component"]
    assert mode in ("ide", "runtime")
    for obj in objects:
        labels = obj["metadata"]["labels"]
        assert labels["app.kubernetes.io/name"] == "flow-platform"
        assert labels["app.kubernetes.io/instance"] == RELEASE
        assert labels["app.kubernetes.io/version"] == "1.13.0"
        assert labels["app.kubernetes.io/component"] == mode
        assert labels["app.kubernetes.io/managed-by"] == "Helm"
        assert labels["helm.sh/chart"] == "flow-platform-0.1.0"


def test_selectors_are_stable(objects: list[dict[str, Any]]):
    deployment = one(objects, "Deployment")
    assert deployment["spec"]["selector"] == {"matchLabels": SELECTOR}
    assert SELECTOR.items() <= pod(objects)["metadata"]["labels"].items()
    assert one(objects, "Service")["spec"]["selector"] == SELECTOR


def test_pod_labels_and_annotations_cannot_break_the_selector(runtime: list[dict[str, Any]], chart: helm_python.Chart):
    assert pod(runtime)["metadata"]["labels"]["team"] == "flows"
    hijack = {"app.kubernetes.io/name": "other", "azure.workload.identity/use": "true"}
    objects = render_objects(chart, with_values(IDE, podLabels=hijack, podAnnotations={"example.com/note": "x"}))
    template = pod(objects)["metadata"]
    assert template["labels"]["app.kubernetes.io/name"] == "flow-platform"
    assert template["labels"]["azure.workload.identity/use"] == "true"
    assert template["annotations"] == {"example.com/note": "x"}


def test_service_targets_the_http_port(ide: list[dict[str, Any]], runtime: list[dict[str, Any]]):
    for objects, port in ((ide, 80), (runtime, 8080)):
        service = one(objects, "Service")
        assert service["spec"]["type"] == "ClusterIP"
        assert service["spec"]["ports"] == [
            {"name": "http", "port": port, "targetPort": "http", "protocol": "TCP", "appProtocol": "http"}
        ]


def test_rendering_twice_is_byte_identical(chart: helm_python.Chart, ide_raw: dict[str, str], runtime_raw: dict[str, str]):
    assert render_raw(chart, IDE) == ide_raw
    assert render_raw(chart, RUNTIME) == runtime_raw
    # A fresh load of the chart renders the same bytes too.
    with helm_python.Chart.load(CHART_DIR) as again:
        assert render_raw(again, RUNTIME) == runtime_raw
