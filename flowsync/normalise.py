"""A flow as the repository keeps it: what Langflow sets per instance or per look at the canvas
removed, keys sorted, nodes and edges in id order, two-space indentation, a final newline. The same
flow always gives the same bytes, so a pull request shows only what really changed."""

from __future__ import annotations

import json
from typing import Any

# Columns of a flow (langflow/services/database/models/flow/model.py, FlowRead and Flow) that
# each instance sets for itself: when it was saved, by and for whom, in which project and
# workspace, and the token rotated on every save. The runtime's loader sets its own owner,
# project and time (langflow/initial_setup/setup.py, upsert_flow_from_file).
INSTANCE_FIELDS = frozenset({"updated_at", "user_id", "folder_id", "workspace_id", "version_token"})
# The canvas' pan and zoom when the flow was last saved (data.viewport).
VIEW_FIELDS = frozenset({"viewport"})
# What the editor stores about the look at a node or edge, not the flow: selection, a drag in
# progress, the size the browser measured and the position derived from its parent's (React
# Flow's node fields; Langflow lists them among _CANVAS_LAYOUT_KEYS in
# langflow/utils/flow_secrets.py). `position`, `width` and `height` are where the author put
# and sized a node: kept.
ELEMENT_VIEW_FIELDS = frozenset({"selected", "dragging", "measured", "positionAbsolute"})


def _elements(items: Any) -> Any:
    if not isinstance(items, list):
        return items
    kept = [{k: v for k, v in item.items() if k not in ELEMENT_VIEW_FIELDS} if isinstance(item, dict) else item for item in items]
    if all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in kept):
        kept.sort(key=lambda item: item["id"])
    return kept


def _graph(data: Any) -> Any:
    """data.nodes and data.edges, and those of every group node's inner flow."""
    if not isinstance(data, dict):
        return data
    graph = {k: v for k, v in data.items() if k not in VIEW_FIELDS}
    for key in ("nodes", "edges"):
        if key in graph:
            graph[key] = _elements(graph[key])
    for node in graph.get("nodes") or []:
        inner = node.get("data", {}).get("node") if isinstance(node, dict) and isinstance(node.get("data"), dict) else None
        if isinstance(inner, dict) and isinstance(inner.get("flow"), dict) and "data" in inner["flow"]:
            inner["flow"] = {**inner["flow"], "data": _graph(inner["flow"]["data"])}
    return graph


def normalise(flow: dict[str, Any]) -> dict[str, Any]:
    """`flow` without what changes when nothing about it does (a new copy)."""
    kept = json.loads(json.dumps(flow))
    kept = {k: v for k, v in kept.items() if k not in INSTANCE_FIELDS}
    if "data" in kept:
        kept["data"] = _graph(kept["data"])
    return kept


def render(flow: dict[str, Any]) -> str:
    """The file's text: normalised, keys sorted, indented by two, UTF-8 as is, newline-terminated."""
    return json.dumps(normalise(flow), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
