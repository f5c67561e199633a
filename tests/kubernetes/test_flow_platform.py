"""components/kubernetes/flow_platform.py: the app's Secret from the foundation, its flows,
and the values it passes to the chart."""

import base64
import json
import os
from dataclasses import replace
from pathlib import Path

import pulumi
import pytest

from components.foundation import CacheConnection, VolumeFiles
from components.kubernetes.flow_platform import (
    CACHE_CA_FILE,
    CACHE_DATABASES,
    cache_urls,
    file_storage_values,
    flows_checksum,
    read_flows,
    url_safe_base64,
)
from preview.cli import PROJECT_DIR, rendered_objects
from tests.plans import Evaluated, Plan, evaluated, plan_for

SECRET = "kubernetes:core/v1:Secret"


def app_release(plan: Plan) -> dict:
    return next(r for r in plan.of_type("kubernetes:helm.sh/v3:Release") if r["inputs"]["name"] == "flow-platform")


def test_secret_holds_the_connections_and_reveals_nothing(plan: Plan):
    # Both modes need the superuser: Langflow 1.13 will not start without one when auto-login is off.
    assert plan.one(SECRET)["inputs"]["stringData"] == {
        "DATABASE_URL": "[secret]",
        "REDIS_URL": "[secret]",
        "REDIS_QUEUE_URL": "[secret]",
        "RATE_LIMIT_STORAGE_URI": "[secret]",
        "SECRET_KEY": "[secret]",
        "CACHE_SIGNING_KEY": "[secret]",
        "SUPERUSER_PASSWORD": "[secret]",
    }


def test_the_secret_key_is_a_fernet_key_kept_in_state(plan: Plan):
    # Langflow 1.13 uses a key of 32+ characters as the Fernet key itself: 32 bytes, url-safe base64.
    key = plan.one("random:index/randomBytes:RandomBytes", "flow-platform-secret-key")
    assert key["inputs"]["length"] == 32
    assert key["urn"] in plan.one(SECRET)["dependencies"]
    for data in (bytes(range(32)), bytes(range(224, 256)), os.urandom(32), b"\xfb\xff" * 16):
        text = url_safe_base64(base64.b64encode(data).decode())
        assert text == base64.urlsafe_b64encode(data).decode()
        assert len(text) == 44 and base64.urlsafe_b64decode(text) == data


def test_replicas_get_the_cache_the_queue_and_the_rate_limits_in_separate_databases():
    assert CACHE_DATABASES == {"cache": 0, "jobs": 1, "rate_limits": 2}


def test_files_are_stored_in_the_foundations_bucket(plan: Plan):
    storage = app_release(plan)["inputs"]["values"]["storage"]
    bucket = plan.one("aws:s3/bucket:Bucket", "-bucket")
    assert storage["type"] == "s3"
    assert storage["s3"]["prefix"] == "files"
    assert storage["s3"]["region"] == "us-east-1"
    assert storage["s3"]["bucket"].startswith(bucket["name"])
    assert bucket["urn"] in app_release(plan)["dependencies"]


def test_the_public_url_is_the_ingress_host(dev: Plan):
    assert app_release(dev)["inputs"]["values"]["publicUrl"] == "https://flows-dev.example.com"
    other = plan_for("dev", ingress={"host": "flows.acme.io", "acmeEmail": "platform@acme.io"})
    assert app_release(other)["inputs"]["values"]["publicUrl"] == "https://flows.acme.io"


def test_chart_gets_the_secret_by_name_and_no_credential(plan: Plan):
    release = app_release(plan)
    values = release["inputs"]["values"]
    assert values["existingSecret"] == "flow-platform-env"
    assert plan.one(SECRET)["urn"] in release["dependencies"]
    text = str(values)
    assert "postgresql://" not in text and "rediss://" not in text and "[secret]" not in text


def test_local_chart_modes_and_placement(dev: Plan, prod: Plan):
    assert app_release(dev)["inputs"]["chart"] == "charts/flow-platform"
    dev_values, prod_values = app_release(dev)["inputs"]["values"], app_release(prod)["inputs"]["values"]
    assert (dev_values["mode"], prod_values["mode"]) == ("ide", "runtime")
    assert prod_values["autoscaling"]["enabled"] is True and prod_values["autoscaling"]["minReplicas"] >= 2
    for values in (dev_values, prod_values):
        assert values["nodeSelector"] == {"centaurops.io/pool": "workload"}
        assert values["tolerations"] == [
            {"key": "centaurops.io/workload", "operator": "Equal", "value": "true", "effect": "NoSchedule"}
        ]
        assert values["image"]["tag"] == "1.13.0"
        assert values["serviceAccount"]["name"] == "flow-platform"
        assert values["resources"] == {
            "requests": {"cpu": "500m", "memory": "1536Mi"},
            "limits": {"cpu": "2", "memory": "3Gi"},
        }


def test_runtime_loads_flows_from_a_config_map(dev: Plan, prod: Plan):
    assert app_release(dev)["inputs"]["values"]["flows"]["configMap"] == ""
    assert not dev.of_type("kubernetes:core/v1:ConfigMap")
    flows = prod.one("kubernetes:core/v1:ConfigMap")
    assert app_release(prod)["inputs"]["values"]["flows"]["configMap"] == flows["inputs"]["metadata"]["name"]


def test_the_shipped_example_flow_is_loaded_by_the_runtime(prod: Plan):
    flows = prod.one("kubernetes:core/v1:ConfigMap")["inputs"]["data"]
    assert set(flows) == {"echo.json"}
    assert json.loads(flows["echo.json"])["endpoint_name"] == "echo"
    assert prod.document["warnings"] == [w for w in prod.document["warnings"] if "flowsDir" not in w]


def test_a_runtime_with_no_flows_is_warned_about(tmp_path: Path):
    plan = plan_for("prod", workload={"flowsDir": str(tmp_path)})
    assert plan.one("kubernetes:core/v1:ConfigMap")["inputs"].get("data", {}) == {}
    assert (
        f"centaurops:workload.flowsDir: {tmp_path}/ holds no flow (*.json): the runtime will serve no flow;"
        " export flows from dev into it (flows/README.md)"
    ) in plan.document["warnings"]
    # the editor needs no flow files
    assert not [w for w in plan_for("dev").document["warnings"] if "flowsDir" in w]


def _runtime_pod_template(flows_dir: Path) -> dict:
    plan = plan_for("prod", workload={"flowsDir": str(flows_dir)})
    deployment = next(o for o in rendered_objects(plan.document) if o["kind"] == "Deployment")
    return deployment["spec"]["template"]


def test_a_change_of_flows_rolls_the_runtime_pods_and_unchanged_flows_do_not(tmp_path: Path):
    shipped = {p.name: p.read_text() for p in (PROJECT_DIR / "flows").glob("*.json")}
    echo = json.loads(shipped["echo.json"])
    # Plans are cached by their config: each state of flows/ is its own directory.
    states = {
        "before": shipped,
        "again": shipped,
        "changed": {**shipped, "echo.json": json.dumps({**echo, "description": "says it back, changed"}, indent=2)},
    }
    templates = {}
    for state, files in states.items():
        (tmp_path / state).mkdir()
        for name, text in files.items():
            (tmp_path / state / name).write_text(text)
        templates[state] = _runtime_pod_template(tmp_path / state)
    before, changed = templates["before"], templates["changed"]
    assert before["metadata"]["annotations"]["checksum/flows"] == flows_checksum(shipped)
    assert templates["again"] == before
    assert changed["metadata"]["annotations"]["checksum/flows"] != before["metadata"]["annotations"]["checksum/flows"]
    assert {**changed, "metadata": before["metadata"]} == before, "only the checksum may differ"


def test_the_flows_checksum_covers_names_and_contents():
    flows = {"a.json": "{}", "b.json": "[]"}
    assert flows_checksum(flows) == flows_checksum(dict(reversed(flows.items())))
    assert flows_checksum(flows) != flows_checksum({"a.json": "[]", "b.json": "{}"})
    assert flows_checksum(flows) != flows_checksum({"c.json": "{}", "b.json": "[]"})


def test_read_flows_takes_json_files_and_refuses_too_much(tmp_path: Path):
    (tmp_path / "a.json").write_text('{"name": "a"}')
    (tmp_path / "notes.md").write_text("not a flow")
    assert read_flows(tmp_path) == {"a.json": '{"name": "a"}'}
    assert read_flows(tmp_path / "missing") == {}
    (tmp_path / "big.json").write_text("x" * 1_000_001)
    import pulumi

    with pytest.raises(pulumi.RunError, match=r"^centaurops:workload.flowsDir: .* a ConfigMap holds 1 MB$"):
        read_flows(tmp_path)


def test_another_chart_from_a_repository():
    chart = {"repository": "https://charts.example.com", "name": "flows", "version": "2.1.0"}
    release = app_release(plan_for("dev", workload={"chart": chart}))["inputs"]
    assert (release["chart"], release["version"], release["repositoryOpts"]["repo"]) == (
        "flows",
        "2.1.0",
        "https://charts.example.com",
    )


def test_image_digest_is_passed_through():
    digest = "sha256:" + "a" * 64
    values = app_release(plan_for("dev", workload={"image": {"digest": digest}}))["inputs"]["values"]
    assert values["image"]["digest"] == digest


# --- how the cloud's cache and files reach the chart ---------------------------------------------


def _cache(**changes) -> CacheConnection:
    base = CacheConnection(host=pulumi.Output.from_input("10.3.0.4"), port=6378, password=pulumi.Output.secret("p@ss/word:1"))
    return replace(base, **changes)


def _urls(**changes) -> Evaluated:
    return evaluated(lambda: dict(cache_urls(_cache(**changes))))


def test_a_cache_with_several_databases_keeps_each_use_apart():
    urls = _urls()
    assert urls.values == {
        "REDIS_URL": "rediss://:p%40ss%2Fword%3A1@10.3.0.4:6378/0",
        "REDIS_QUEUE_URL": "rediss://:p%40ss%2Fword%3A1@10.3.0.4:6378/1",
        "RATE_LIMIT_STORAGE_URI": "rediss://:p%40ss%2Fword%3A1@10.3.0.4:6378/2",
    }
    assert all(urls.secret.values())


def test_a_cache_with_one_database_shares_it():
    assert {url.rsplit("/", 1)[1] for url in _urls(databases=1).values.values()} == {"0"}


def test_a_cache_signed_by_its_own_ca_is_verified_with_it():
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    urls = _urls(ca_certificate=pulumi.Output.from_input(pem)).values
    assert all(url.endswith(f"?ssl_ca_certs={CACHE_CA_FILE}") for url in urls.values())
    # The chart mounts the CA's ConfigMap where the URLs point (tests/charts: the cache CA).
    assert CACHE_CA_FILE == "/etc/flow-platform/cache/ca.crt"
    unnamed = _urls(ca_certificate=pulumi.Output.from_input(pem), verify_hostname=False).values
    assert all(url.endswith(f"?ssl_ca_certs={CACHE_CA_FILE}&ssl_check_hostname=false") for url in unnamed.values())


def test_a_url_for_a_database_the_server_lacks_is_refused():
    with pytest.raises(ValueError, match="outside the server's 1 database"):
        evaluated(lambda: {"url": _cache(databases=1).url(1)})


def test_files_on_a_volume_are_local_storage_on_it():
    volume = {"csi": {"driver": "gcsfuse.csi.storage.gke.io", "volumeAttributes": {"bucketName": "files"}}}
    values = file_storage_values(VolumeFiles(volume=volume, pod_annotations={"gke-gcsfuse/volumes": "true"}))
    assert values["type"] == "local"
    assert values["volume"] == volume
