"""Runtime mode (prod): the flows of the repository, loaded at start, run with an API key;
the replicas share one cache."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from .conftest import Platform
from .instance import message_texts

# Langflow's readiness check writes and reads the chat cache under this key
# (langflow/api/health_check_router.py, _probe_services: chat.set_cache("health_check", ...);
# the Redis cache namespaces it as langflow:cache:<key>, services/cache/service.py).
HEALTH_CHECK = "/health_check"
# flows/echo.json answers with the message it is sent: it needs no model provider.
ECHO = "echo.json"
CACHE_KEY = "langflow:cache:health_check"
# What a replica logs when it reads an entry signed with another key
# (langflow/services/cache/service.py, RedisCache.get).
FOREIGN_ENTRY = "invalid integrity tag"


def _flows(platform: Platform) -> dict[str, dict[str, Any]]:
    """The flow files the runtime loads: the ConfigMap mounted at LANGFLOW_LOAD_FLOWS_PATH."""
    path = platform.env.get("LANGFLOW_LOAD_FLOWS_PATH")
    assert path, "the runtime Deployment sets no LANGFLOW_LOAD_FLOWS_PATH"
    mounts = [m for m in platform.workload.mounts if m.path == path]
    assert mounts, f"nothing is mounted at LANGFLOW_LOAD_FLOWS_PATH={path}"
    files = {name: json.loads(text) for name, text in mounts[0].files.items() if name.endswith(".json")}
    assert files, f"the flows ConfigMap mounted at {path} holds no flow: the repository's flows/ has no .json file"
    return files


def _flow_id(filename: str, flow: dict[str, Any]) -> str:
    """The id Langflow gives a loaded flow: the file name when it is a UUID, else the file's id
    (langflow/initial_setup/setup.py, upsert_flow_from_file)."""
    stem = filename.removesuffix(".json")
    try:
        return str(uuid.UUID(stem))
    except ValueError:
        return str(flow["id"])


def test_the_example_flows_are_loaded(runtime_platform: Platform):
    platform = runtime_platform
    for filename, flow in _flows(platform).items():
        flow_id = _flow_id(filename, flow)
        for instance in platform.instances:
            response = instance.request("GET", f"/api/v1/flows/{flow_id}", headers=platform.bearer())
            detail = f"HTTP {response.status_code} {response.text[:300]}"
            assert response.status_code == 200, f"{instance.name}: flow {filename} ({flow_id}) not loaded: {detail}"
            assert response.json()["name"] == flow.get("name", response.json()["name"])


def test_the_example_flows_run_with_an_api_key(runtime_platform: Platform):
    platform = runtime_platform
    created = platform.first.request("POST", "/api/v1/api_key/", json={"name": "e2e-run"}, headers=platform.bearer())
    assert created.status_code == 200, f"POST /api/v1/api_key/: HTTP {created.status_code} {created.text[:500]}"
    key = created.json()["api_key"]
    for filename, flow in _flows(platform).items():
        # By its endpoint name when it has one, as README's example calls it.
        target = flow.get("endpoint_name") or _flow_id(filename, flow)
        for instance in platform.instances:
            response = instance.request(
                "POST",
                f"/api/v1/run/{target}",
                json={"input_value": "hello from the e2e test", "input_type": "chat", "output_type": "chat"},
                headers={"x-api-key": key},
            )
            detail = f"HTTP {response.status_code} {response.text[:800]}"
            assert response.status_code == 200, f"{instance.name} run {filename}: {detail}"
            texts = message_texts(response.json().get("outputs"))
            assert texts, f"{instance.name} run {filename}: no message in the outputs: {response.text[:800]}"
            if filename == ECHO:
                assert "hello from the e2e test" in texts, f"{instance.name}: the echo flow answered {texts}"


def test_the_repository_ships_the_echo_flow(prod_platform: Platform):
    assert ECHO in _flows(prod_platform)


def test_the_replicas_read_each_others_cache_entries(runtime_platform: Platform):
    platform = runtime_platform
    first, second = platform.instances[:2]
    redis = platform.redis_client()
    redis.delete(CACHE_KEY)
    assert first.request("GET", HEALTH_CHECK).status_code == 200, f"{first.name} {HEALTH_CHECK} failed"
    written = redis.get(CACHE_KEY)
    assert written, f"{first.name} wrote no {CACHE_KEY} into the shared Redis"
    # The second replica's check reads the first one's entry before writing its own, and
    # the first then reads the second's.
    assert second.request("GET", HEALTH_CHECK).status_code == 200, f"{second.name} {HEALTH_CHECK} failed"
    assert first.request("GET", HEALTH_CHECK).status_code == 200, f"{first.name} {HEALTH_CHECK} failed"
    time.sleep(1)  # let the log lines land
    rejected = [
        f"{instance.name}: {line.strip()}"
        for instance in (first, second)
        for line in instance.log_text().splitlines()
        if FOREIGN_ENTRY in line
    ]
    assert not rejected, (
        f"{len(rejected)} cache entries written by one replica were refused by the other "
        f"(each signs with its own key unless LANGFLOW_CACHE_SIGNING_KEY is shared):\n" + "\n".join(rejected[:5])
    )


def test_a_build_started_on_one_replica_is_polled_on_another(runtime_platform: Platform):
    # The editor's build API: POST .../build/{flow}/flow answers a job id, and the events are
    # polled next, through the load balancer, so on any replica. With Langflow's default
    # in-process queue the other replica answers 404 (langflow/api/v1/chat.py).
    platform = runtime_platform
    first, second = platform.instances[:2]
    flow = _flows(platform)[ECHO]
    started = first.request(
        "POST",
        f"/api/v1/build/{_flow_id(ECHO, flow)}/flow",
        json={"inputs": {"input_value": "polled elsewhere"}},
        headers=platform.bearer(),
    )
    assert started.status_code == 200, f"{first.name} build: HTTP {started.status_code} {started.text[:500]}"
    job = started.json()["job_id"]
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(e.get("event") == "end" for e in events):
        polled = second.request(
            "GET", f"/api/v1/build/{job}/events", params={"event_delivery": "polling"}, headers=platform.bearer()
        )
        assert polled.status_code == 200, (
            f"{second.name} events of {first.name}'s job: HTTP {polled.status_code} {polled.text[:300]}"
        )
        events += [json.loads(line) for line in polled.text.splitlines() if line.strip()]
    kinds = [e.get("event") for e in events]
    assert "end" in kinds, f"{second.name} never saw the build end; events: {kinds}"
    assert "error" not in kinds, f"the build failed: {[e for e in events if e.get('event') == 'error'][:2]}"
    assert "polled elsewhere" in json.dumps(events), "the build's events do not carry the message"
