"""Which file of the flows directory holds which flow.

Langflow's loader gives a flow the id in its file, or the file's name when that is a UUID, and
matches it to a flow already in the runtime's database by endpoint name, then id, then name
(langflow/initial_setup/setup.py, upsert_flow_from_file and find_existing_flow). A flow keeps its
file for life: a file already holding its id keeps its name; a new flow's file is named after its
endpoint name (the name prod calls it by, as flows/echo.json), else after its name."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUFFIX = ".json"


@dataclass(frozen=True)
class Existing:
    """A flow file already in the directory."""

    path: Path
    flow_id: str | None  # None: not a flow file flowsync can read


def _file_flow_id(path: Path) -> str | None:
    stem_id = str(uuid.UUID(path.stem)) if _is_uuid(path.stem) else None
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # unreadable, not UTF-8, not JSON
        return stem_id
    found = content.get("id") if isinstance(content, dict) else None
    return stem_id or (str(found) if isinstance(found, str) and found else None)


def existing_files(directory: Path) -> list[Existing]:
    if not directory.is_dir():
        return []
    return [Existing(path, _file_flow_id(path)) for path in sorted(directory.glob(f"*{SUFFIX}"))]


def slug(text: str) -> str:
    """Lower case letters, digits, `-` and `_`: a file name on every system, and a readable one."""
    return re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-_")


def file_name(flow: dict[str, Any], taken_by_id: dict[str, str]) -> str:
    """The file of `flow`: the one that already holds its id, else its endpoint name's, else its name's."""
    flow_id = str(flow["id"])
    if flow_id in taken_by_id:
        return taken_by_id[flow_id]
    base = slug(str(flow.get("endpoint_name") or "")) or slug(str(flow.get("name") or "")) or flow_id
    if _is_uuid(base) and base != flow_id:
        base = flow_id  # the loader would take a UUID-shaped name for the flow's id
    return base + SUFFIX


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
