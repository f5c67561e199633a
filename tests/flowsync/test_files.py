"""flowsync/files.py: a flow's file name is stable and means to Langflow's loader what it should."""

from __future__ import annotations

import json
from pathlib import Path

from flowsync.files import existing_files, file_name, slug

from .flows import flow

ID = "4f0a8d3e-6c1b-4d2a-9e57-1b2c3d4e5f63"


def test_a_new_flow_is_named_after_its_endpoint_name_else_its_name():
    assert file_name(flow(ID, "Support bot", endpoint_name="support"), {}) == "support.json"
    assert file_name(flow(ID, "Support bot: EU / FR"), {}) == "support-bot-eu-fr.json"
    assert file_name(flow(ID, "???"), {}) == f"{ID}.json"


def test_a_flow_keeps_the_file_that_holds_its_id():
    renamed = flow(ID, "Support bot v2", endpoint_name="support-v2")
    assert file_name(renamed, {ID: "support.json"}) == "support.json"


def test_a_uuid_shaped_name_never_becomes_another_flows_id():
    # The loader takes a file name that is a UUID for the flow's id (upsert_flow_from_file).
    other = "9a9a9a9a-9a9a-4a9a-8a9a-9a9a9a9a9a9a"
    assert file_name(flow(ID, other), {}) == f"{ID}.json"


def test_existing_files_by_id_in_the_file_or_in_the_name(tmp_path: Path):
    (tmp_path / "echo.json").write_text(json.dumps({"id": ID, "name": "Echo"}))
    named = "9a9a9a9a-9a9a-4a9a-8a9a-9a9a9a9a9a9a"
    (tmp_path / f"{named}.json").write_text(json.dumps({"id": ID, "name": "Named by its file"}))
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "latin1.json").write_bytes('{"id": "é"}'.encode("latin-1"))
    (tmp_path / "README.md").write_text("not a flow")
    found = {e.path.name: e.flow_id for e in existing_files(tmp_path)}
    assert found == {"broken.json": None, "echo.json": ID, "latin1.json": None, f"{named}.json": named}
    assert existing_files(tmp_path / "missing") == []


def test_slug():
    assert slug("  Hello, World_2!  ") == "hello-world_2"
