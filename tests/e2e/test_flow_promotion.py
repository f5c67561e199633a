"""Flows promoted through Git (docs/flows.md): a flow built in the dev IDE is exported by
`python -m flowsync` into a flows directory, a flow holding a literal secret is refused, a second
export is byte-identical; a runtime rendered from that directory (the ConfigMap the program makes
of it) runs the flow with an API key; a change made in the IDE reaches the runtime through a new
replica while the old one keeps answering."""

from __future__ import annotations

import copy
import difflib
import json
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from preview.cli import PROJECT_DIR

from .conftest import FIGURES, LANGFLOW_VENV, Platform, Platforms
from .deployment import render, workload
from .instance import message_texts

PROJECT = "Promoted"
ENDPOINT = "echo-promoted"
FILE = f"{ENDPOINT}.json"
# What the echo flow's output component calls its sender, before and after the change in the IDE.
SENDER_V1, SENDER_V2 = "Promoted v1", "Promoted v2"
LITERAL_SECRET = "sk-e2e-literal-secret-0123456789"
# A starter project of the installed Langflow with a model component: its `api_key` is a
# SecretStrInput (password: true), which the IDE stores in the flow.
STARTER = "Basic Prompting.json"


def _echo(flow_id: str, sender: str) -> dict[str, Any]:
    """The repository's echo flow under another id, name and endpoint, its answer signed `sender`."""
    flow = json.loads((PROJECT_DIR / "flows" / "echo.json").read_text())
    flow |= {"id": flow_id, "name": "Echo promoted", "endpoint_name": ENDPOINT}
    for node in flow["data"]["nodes"]:
        if node["id"].startswith("ChatOutput"):
            node["data"]["node"]["template"]["sender_name"]["value"] = sender
    return flow


def _leaky() -> dict[str, Any]:
    starter = next(LANGFLOW_VENV.glob(f"lib/python3*/site-packages/langflow/initial_setup/starter_projects/{STARTER}"))
    flow = json.loads(starter.read_text())
    flow |= {"id": str(uuid.uuid4()), "name": "Leaky", "endpoint_name": "leaky"}
    model = next(n for n in flow["data"]["nodes"] if n["id"].startswith("LanguageModelComponent"))
    field = model["data"]["node"]["template"]["api_key"]
    assert field["password"] is True, f"{STARTER}: the model's api_key is no longer a password input: {field}"
    field |= {"value": LITERAL_SECRET, "load_from_db": False}
    return flow


def _ok(response, what: str) -> Any:
    assert response.status_code in (200, 201), f"{what}: HTTP {response.status_code} {response.text[:500]}"
    return response.json()


def _api_key(platform: Platform) -> str:
    created = platform.first.request("POST", "/api/v1/api_key/", json={"name": "e2e-flowsync"}, headers=platform.bearer())
    return _ok(created, f"{platform.stack}: POST /api/v1/api_key/")["api_key"]


def flowsync(platform: Platform, key: str, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as a platform engineer runs it, the key in its environment."""
    result = subprocess.run(
        [sys.executable, "-m", "flowsync", "export", "--url", platform.first.url(""), "--out", str(out), *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANGFLOW_API_KEY": key},
        cwd=PROJECT_DIR,
        timeout=120,
        check=False,
    )
    assert key not in result.stdout + result.stderr, "flowsync printed the API key"
    assert "Traceback" not in result.stderr, result.stderr
    return result


class Promotion:
    """The dev IDE with the flows built in it, and where they are exported."""

    def __init__(self, dev: Platform, directory: Path):
        self.dev, self.directory = dev, directory
        self.flow_id = str(uuid.uuid4())
        self.key = _api_key(dev)
        headers = dev.bearer()
        project = _ok(dev.first.request("POST", "/api/v1/projects/", json={"name": PROJECT}, headers=headers), "new project")
        self.project_id = project["id"]
        flow = _echo(self.flow_id, SENDER_V1) | {"folder_id": self.project_id}
        _ok(dev.first.request("POST", "/api/v1/flows/", json=flow, headers=headers), "create the echo variant")
        _ok(dev.first.request("POST", "/api/v1/flows/", json=_leaky(), headers=headers), "create the leaky flow")

    @property
    def exported(self) -> Path:
        return self.directory / "flows"


@pytest.fixture(scope="module")
def promotion(dev_platform: Platform, work_dir: Path) -> Promotion:
    directory = work_dir / "promotion"
    directory.mkdir()
    return Promotion(dev_platform, directory)


def test_the_export_refuses_the_flow_with_a_literal_secret_and_writes_the_others(promotion: Promotion):
    out = promotion.directory / "everything"
    result = flowsync(promotion.dev, promotion.key, out)
    assert result.returncode == 1, f"exit {result.returncode}; stderr: {result.stderr}"
    refused = result.stderr.splitlines()
    assert len(refused) == 1, refused
    assert refused[0].startswith("error: flow 'Leaky' (") and "field 'api_key' holds a literal secret" in refused[0]
    assert "LanguageModelComponent-" in refused[0], refused[0]
    files = {p.name: p.read_text() for p in out.iterdir()}
    assert FILE in files and "leaky.json" not in files, sorted(files)
    assert not [name for name, text in files.items() if LITERAL_SECRET in text]


def test_a_second_export_of_the_project_is_byte_identical(promotion: Promotion):
    first = flowsync(promotion.dev, promotion.key, promotion.exported, "--project", PROJECT)
    assert (first.returncode, first.stderr) == (0, ""), first.stderr
    written = {p.name: p.read_bytes() for p in promotion.exported.iterdir()}
    assert list(written) == [FILE]
    assert json.loads(written[FILE])["id"] == promotion.flow_id
    second = flowsync(promotion.dev, promotion.key, promotion.exported, "--project", PROJECT)
    assert (second.returncode, second.stderr) == (0, ""), second.stderr
    assert {p.name: p.read_bytes() for p in promotion.exported.iterdir()} == written
    assert second.stdout == f"unchanged {promotion.exported / FILE}\n"


@pytest.fixture(scope="module")
def runtime(platforms: Platforms, promotion: Promotion) -> Platform:
    """prod, one replica, its flows directory the export (workload.flowsDir): the ConfigMap, the
    mount and LANGFLOW_LOAD_FLOWS_PATH as the program and the chart make them."""
    if not (promotion.exported / FILE).exists():
        pytest.fail("the export test did not write the flow")
    return platforms.variant("prod-promoted", "prod", replicas=1, workload={"flowsDir": str(promotion.exported)})


def _run(platform: Platform, instance_index: int, key: str, message: str):
    return platform.instances[instance_index].request(
        "POST",
        f"/api/v1/run/{ENDPOINT}",
        json={"input_value": message, "input_type": "chat", "output_type": "chat"},
        headers={"x-api-key": key},
        timeout=30,
    )


def test_the_exported_flow_runs_on_the_runtime_with_an_api_key(runtime: Platform, promotion: Promotion):
    loaded = runtime.first.request("GET", f"/api/v1/flows/{promotion.flow_id}", headers=runtime.bearer())
    assert _ok(loaded, "the promoted flow, by its dev id")["endpoint_name"] == ENDPOINT
    response = _run(runtime, 0, _api_key(runtime), "hello promoted")
    assert response.status_code == 200, f"run {ENDPOINT}: HTTP {response.status_code} {response.text[:800]}"
    assert "hello promoted" in message_texts(response.json().get("outputs")), response.text[:800]
    assert SENDER_V1 in response.text, f"the answer is not signed {SENDER_V1!r}: {response.text[:800]}"


def _changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_a_change_in_the_ide_rolls_onto_a_new_replica_while_the_old_one_answers(runtime: Platform, promotion: Promotion):
    dev, path = promotion.dev, promotion.exported / FILE
    before = path.read_text()
    stored = _ok(dev.first.request("GET", f"/api/v1/flows/{promotion.flow_id}", headers=dev.bearer()), "read the flow")
    data = copy.deepcopy(stored["data"])
    for node in data["nodes"]:
        if node["id"].startswith("ChatOutput"):
            node["data"]["node"]["template"]["sender_name"]["value"] = SENDER_V2
    changed = dev.first.request("PATCH", f"/api/v1/flows/{promotion.flow_id}", json={"data": data}, headers=dev.bearer())
    _ok(changed, "change the flow in the IDE")
    result = flowsync(dev, promotion.key, promotion.exported, "--project", PROJECT)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    # What the pull request shows: the one value changed, nothing the IDE touched on saving.
    assert _changed_lines(before, path.read_text()) == [
        f'-                "value": "{SENDER_V1}"',
        f'+                "value": "{SENDER_V2}"',
    ]

    # The deploy: the program renders the new ConfigMap; the Deployment's template changed
    # (its flows checksum), so a new pod starts beside the old one, which keeps serving
    # until the new one is ready (maxUnavailable 0), then goes.
    plan, objects = render("prod", workload={"flowsDir": str(promotion.exported)})
    rolled = workload("prod", plan, objects)
    mounted = next(m for m in rolled.mounts if m.path == runtime.env["LANGFLOW_LOAD_FLOWS_PATH"])
    assert mounted.files[FILE] == path.read_text()
    key = _api_key(runtime)
    answers: list[int] = []
    done = threading.Event()

    def serve_meanwhile() -> None:
        while not done.is_set():
            try:
                answers.append(_run(runtime, 0, key, "during the rollout").status_code)
            except OSError:
                answers.append(0)
            time.sleep(1)

    poller = threading.Thread(target=serve_meanwhile, daemon=True)
    poller.start()
    try:
        runtime.start_replica(rolled)
    finally:
        done.set()
        poller.join(timeout=60)
    # The new replica takes a minute to start: the old one answered all along, not once.
    assert len(answers) >= 5 and set(answers) == {200}, f"the old replica's runs during the rollout: {answers}"
    FIGURES.append(f"rollout: {len(answers)} runs answered by {runtime.first.name} while {runtime.instances[1].name} started")
    runtime.instances[0].stop()

    response = _run(runtime, 1, key, "after the rollout")
    assert response.status_code == 200, f"run on the new replica: HTTP {response.status_code} {response.text[:800]}"
    assert "after the rollout" in message_texts(response.json().get("outputs")), response.text[:800]
    assert SENDER_V2 in response.text, f"the new replica does not run the changed flow: {response.text[:800]}"
