"""Flows as Langflow 1.13's API returns them (FlowRead), small enough to read."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ECHO = Path(__file__).resolve().parents[2] / "flows" / "echo.json"


def node(node_id: str, display_name: str, **template: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": "genericNode",
        "position": {"x": 10, "y": 20},
        "data": {"id": node_id, "type": node_id.split("-")[0], "node": {"display_name": display_name, "template": template}},
    }


def flow(flow_id: str, name: str, *nodes: dict[str, Any], endpoint_name: str | None = None, **fields: Any) -> dict[str, Any]:
    """What GET /api/v1/flows/ answers for one flow, with what each instance sets for itself."""
    return {
        "id": flow_id,
        "name": name,
        "description": "",
        "endpoint_name": endpoint_name,
        "data": {"nodes": list(nodes), "edges": [], "viewport": {"x": 0, "y": 0, "zoom": 1}},
        "is_component": False,
        "updated_at": "2026-11-23T17:00:00+00:00",
        "user_id": "0b0e7f3c-3c6d-4c83-a8e6-3a3c6f6d1f10",
        "folder_id": "5d1a4e2b-8e0b-4a55-9b8c-4c2d8f1a9e20",
        "workspace_id": None,
        "version_token": "7e3f1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6",
        **fields,
    }


def echo() -> dict[str, Any]:
    """The repository's echo flow, as the IDE would answer it."""
    shipped = json.loads(ECHO.read_text())
    return copy.deepcopy(
        {**shipped, "updated_at": "2026-11-23T17:00:00+00:00", "user_id": "0b0e7f3c-3c6d-4c83-a8e6-3a3c6f6d1f10"}
    )


def password(value: Any, **more: Any) -> dict[str, Any]:
    """A SecretStrInput as the IDE stores it: `password: true`."""
    return {"name": "api_key", "type": "str", "password": True, "load_from_db": False, "value": value, **more}
