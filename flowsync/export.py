"""One export: each flow refused, written or left as it is, and what is in the directory that
the IDE no longer has."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import existing_files, file_name
from .normalise import render
from .secrets import literal_secrets


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)  # what was written, kept or deleted
    refused: list[str] = field(default_factory=list)  # one line per flow not written, and why


def _label(flow: dict[str, Any]) -> str:
    return f"flow {flow.get('name')!r} ({flow['id']})"


def _write(path: Path, text: str) -> None:
    """Whole or not at all: a reader never sees half a flow."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8", newline="\n")
    partial.replace(path)


def export(flows: list[dict[str, Any]], directory: Path, *, prune: bool) -> Outcome:
    """Write each flow of `flows` without a literal secret into `directory`; with `prune`, delete
    the files of flows no longer exported."""
    outcome = Outcome()
    existing = existing_files(directory)
    # Two files with one id (a copy): the first by name is the flow's.
    holder = {e.flow_id: e.path.name for e in reversed(existing) if e.flow_id}
    exported: dict[str, str] = {}  # file name -> flow id
    seen: set[str] = set()
    directory.mkdir(parents=True, exist_ok=True)
    for flow in sorted(flows, key=lambda f: str(f["id"])):
        flow_id = str(flow["id"])
        seen.add(flow_id)
        secrets = literal_secrets(flow)
        if secrets:
            outcome.refused += [
                f"{_label(flow)}: {secret} holds a literal secret; bind it to a global variable in the IDE. Not written"
                for secret in secrets
            ]
            continue
        name = file_name(flow, holder)
        owner = exported.get(name) or next((i for i, n in holder.items() if n == name and i != flow_id), None)
        if owner is not None and owner != flow_id:
            outcome.refused.append(
                f"{_label(flow)}: its file {name} holds flow {owner}; give it an endpoint name of its own. Not written"
            )
            continue
        exported[name] = flow_id
        path = directory / name
        text = render(flow)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            outcome.done.append(f"unchanged {path}")
        else:
            _write(path, text)
            outcome.done.append(f"wrote {path} ({_label(flow)})")
    for entry in existing:
        if entry.flow_id is None:
            outcome.done.append(f"{entry.path}: not a flow (no id); left as it is")
        elif entry.flow_id not in seen and entry.path.name not in exported:
            if prune:
                entry.path.unlink()
                outcome.done.append(f"deleted {entry.path}: flow {entry.flow_id} is no longer exported")
            else:
                outcome.done.append(f"{entry.path}: flow {entry.flow_id} is no longer exported; kept (--prune deletes it)")
    return outcome
