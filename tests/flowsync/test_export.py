"""flowsync/export.py: flows written once and for all, secrets refused, gone flows reported or pruned."""

from __future__ import annotations

import json
from pathlib import Path

from flowsync.export import export

from .flows import echo, flow, node, password

A = "4f0a8d3e-6c1b-4d2a-9e57-1b2c3d4e5f64"
B = "4f0a8d3e-6c1b-4d2a-9e57-1b2c3d4e5f65"


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_a_second_export_of_unchanged_flows_writes_the_same_bytes_and_touches_nothing(tmp_path: Path):
    flows = [echo(), flow(A, "Support", endpoint_name="support")]
    first = export(flows, tmp_path, prune=False)
    assert not first.refused
    written = _files(tmp_path)
    assert set(written) == {"echo.json", "support.json"}
    times = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    # As another instance answers them: other owner, project, times, view.
    again = [f | {"updated_at": "2030-01-01T00:00:00+00:00", "folder_id": B} for f in flows]
    second = export(again, tmp_path, prune=False)
    assert _files(tmp_path) == written
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == times
    assert sorted(second.done) == [f"unchanged {tmp_path / 'echo.json'}", f"unchanged {tmp_path / 'support.json'}"]


def test_a_flow_with_a_literal_secret_is_refused_and_its_file_left_as_it_was(tmp_path: Path):
    clean = flow(A, "Model", node("LanguageModelComponent-x1", "Language Model", api_key=password("OPENAI", load_from_db=True)))
    export([clean], tmp_path, prune=False)
    before = _files(tmp_path)
    leaked = flow(A, "Model", node("LanguageModelComponent-x1", "Language Model", api_key=password("sk-live-123")))
    outcome = export([leaked, echo()], tmp_path, prune=True)
    assert outcome.refused == [
        f"flow 'Model' ({A}): component 'Language Model' (LanguageModelComponent-x1) field 'api_key' holds a literal secret;"
        " bind it to a global variable in the IDE. Not written"
    ]
    assert _files(tmp_path)["model.json"] == before["model.json"], "the refused flow's file was changed or pruned"
    assert "echo.json" in _files(tmp_path), "the other flows are still written"
    assert b"sk-live-123" not in b"".join(_files(tmp_path).values())


def test_a_new_refused_flow_writes_nothing(tmp_path: Path):
    leaked = flow(A, "Model", node("LanguageModelComponent-x1", "Language Model", api_key=password("sk-live-123")))
    assert export([leaked], tmp_path, prune=False).refused
    assert _files(tmp_path) == {}


def test_a_renamed_flow_keeps_its_file(tmp_path: Path):
    export([flow(A, "Support", endpoint_name="support")], tmp_path, prune=False)
    export([flow(A, "Helpdesk", endpoint_name="helpdesk")], tmp_path, prune=False)
    assert list(_files(tmp_path)) == ["support.json"]
    assert json.loads((tmp_path / "support.json").read_text())["endpoint_name"] == "helpdesk"


def test_flows_gone_from_the_ide_are_reported_and_pruned_only_when_asked(tmp_path: Path):
    export([echo(), flow(A, "Support", endpoint_name="support")], tmp_path, prune=False)
    (tmp_path / "notes.json").write_text("[]")
    kept = export([echo()], tmp_path, prune=False)
    assert f"{tmp_path / 'support.json'}: flow {A} is no longer exported; kept (--prune deletes it)" in kept.done
    assert f"{tmp_path / 'notes.json'}: not a flow (no id); left as it is" in kept.done
    assert (tmp_path / "support.json").exists()
    pruned = export([echo()], tmp_path, prune=True)
    assert f"deleted {tmp_path / 'support.json'}: flow {A} is no longer exported" in pruned.done
    assert set(_files(tmp_path)) == {"echo.json", "notes.json"}


def test_two_flows_wanting_one_file_the_second_is_refused(tmp_path: Path):
    outcome = export([flow(A, "Support"), flow(B, "support")], tmp_path, prune=False)
    assert outcome.refused == [
        f"flow 'support' ({B}): its file support.json holds flow {A}; give it an endpoint name of its own. Not written"
    ]
    assert json.loads((tmp_path / "support.json").read_text())["id"] == A
