"""flowsync/cli.py against a stand-in for Langflow's API: what it reads, writes and says, each
failure in one line, the key never shown."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from flowsync.cli import main
from flowsync.client import ApiError, Client

from .flows import echo, flow, node, password

KEY = "sk-lf-test-key-never-shown"
PROJECT = "5d1a4e2b-8e0b-4a55-9b8c-4c2d8f1a9e20"
OTHER = "6e2b5f3c-9f1c-4b66-8c9d-5d3e9f2b0f31"
A = "4f0a8d3e-6c1b-4d2a-9e57-1b2c3d4e5f66"


@dataclass
class Api:
    """What each path answers (status, body); the x-api-key of each request."""

    routes: dict[str, tuple[int, Any]] = field(default_factory=dict)
    keys: list[str | None] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def api() -> Iterator[Api]:
    state = Api()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.keys.append(self.headers.get("x-api-key"))
            status, body = state.routes.get(urlsplit(self.path).path, (404, {"detail": "Not Found"}))
            text = body if isinstance(body, str) else json.dumps(body)
            self.send_response(status)
            self.send_header("content-type", "text/html" if isinstance(body, str) else "application/json")
            self.end_headers()
            self.wfile.write(text.encode())

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    state.routes["/api/v1/projects/"] = (200, [{"id": PROJECT, "name": "Support"}, {"id": OTHER, "name": "Sandbox"}])
    state.routes["/api/v1/flows/"] = (
        200,
        [
            echo() | {"folder_id": PROJECT},
            flow(A, "Draft", endpoint_name="draft", folder_id=OTHER),
            flow("4f0a8d3e-6c1b-4d2a-9e57-1b2c3d4e5f67", "Saved component", is_component=True, folder_id=PROJECT),
        ],
    )
    yield state
    server.shutdown()
    server.server_close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["export", *args])
    out, err = capsys.readouterr()
    assert KEY not in out + err, "the API key was printed"
    return code, out, err


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LANGFLOW_API_KEY", KEY)
    return KEY


def test_exports_every_flow_but_saved_components_with_the_key_in_its_header(api: Api, key: str, tmp_path: Path, capsys):
    code, out, err = run(capsys, "--url", api.url + "/", "--out", str(tmp_path))
    assert (code, err) == (0, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.json", "echo.json"]
    assert set(api.keys) == {key}
    assert f"wrote {tmp_path / 'echo.json'}" in out


def test_a_project_narrows_the_export(api: Api, key: str, tmp_path: Path, capsys):
    code, _, err = run(capsys, "--url", api.url, "--project", "Support", "--out", str(tmp_path))
    assert (code, err) == (0, "")
    assert [p.name for p in tmp_path.iterdir()] == ["echo.json"]


def test_an_unknown_project_is_one_line_naming_the_projects(api: Api, key: str, tmp_path: Path, capsys):
    code, _, err = run(capsys, "--url", api.url, "--project", "Nope", "--out", str(tmp_path))
    assert code == 1
    assert err == f"error: no project named 'Nope' in {api.url}; its projects: 'Sandbox', 'Support'\n"
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


def test_a_flow_with_a_literal_secret_fails_the_command(api: Api, key: str, tmp_path: Path, capsys):
    leaked = flow(A, "Model", node("LanguageModelComponent-x1", "Language Model", api_key=password("sk-live-123")))
    api.routes["/api/v1/flows/"] = (200, [leaked, echo()])
    code, _, err = run(capsys, "--url", api.url, "--out", str(tmp_path))
    assert code == 1
    assert err.splitlines() == [
        f"error: flow 'Model' ({A}): component 'Language Model' (LanguageModelComponent-x1) field 'api_key' holds a literal"
        " secret; bind it to a global variable in the IDE. Not written"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["echo.json"]


def test_a_refused_key_is_one_line(api: Api, key: str, tmp_path: Path, capsys):
    api.routes["/api/v1/flows/"] = (403, {"detail": "Invalid or missing API key"})
    code, _, err = run(capsys, "--url", api.url, "--out", str(tmp_path))
    assert (code, err) == (1, f"error: {api.url} refused the API key (HTTP 403 on GET /api/v1/flows/)\n")


def test_something_else_than_langflow_is_one_line(api: Api, key: str, tmp_path: Path, capsys):
    api.routes["/api/v1/flows/"] = (200, "<html>a login page</html>")
    code, _, err = run(capsys, "--url", api.url, "--out", str(tmp_path))
    assert code == 1
    assert err == f"error: GET {api.url}/api/v1/flows/ did not answer with JSON (text/html): is {api.url} a Langflow?\n"


def test_an_unreachable_url_is_one_line(key: str, tmp_path: Path, capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = run(capsys, "--url", f"http://127.0.0.1:{port}", "--out", str(tmp_path))
    assert (code, err) == (1, f"error: cannot reach http://127.0.0.1:{port}: [Errno 111] Connection refused\n")


def test_a_server_error_is_one_line(api: Api, key: str, tmp_path: Path, capsys):
    api.routes["/api/v1/flows/"] = (500, {"detail": "An internal error occurred while listing flows."})
    code, _, err = run(capsys, "--url", api.url, "--out", str(tmp_path))
    assert code == 1
    assert err == (
        f'error: GET {api.url}/api/v1/flows/: HTTP 500 \'{{"detail": "An internal error occurred while listing flows."}}\'\n'
    )


def test_a_server_that_never_answers_times_out_in_one_line(key: str):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(ApiError, match=rf"^cannot reach {url}: timed out$"):
            Client(url, key, timeout=0.5).flows()


def test_a_url_that_is_not_http_is_a_usage_error(key: str, capsys):
    assert run(capsys, "--url", "flows-dev.example.com") == (
        2,
        "",
        "error: --url must be an http:// or https:// origin, got 'flows-dev.example.com'\n",
    )


def test_no_key_is_one_line_from_the_command_line(tmp_path: Path):
    # As a user runs it: python -m flowsync, with no key in the environment.
    result = subprocess.run(
        [sys.executable, "-m", "flowsync", "export", "--url", "http://127.0.0.1:9", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "error: LANGFLOW_API_KEY is not set: export the API key of the flows' owner in it (never on the command line)\n"
    )


def test_the_key_can_come_from_another_variable(api: Api, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys):
    monkeypatch.delenv("LANGFLOW_API_KEY", raising=False)
    monkeypatch.setenv("DEV_LANGFLOW_KEY", KEY)
    code, _, err = run(capsys, "--url", api.url, "--api-key-env", "DEV_LANGFLOW_KEY", "--out", str(tmp_path))
    assert (code, err) == (0, "")
    assert set(api.keys) == {KEY}
