"""Secrets written into a flow's components. A credential belongs in a global variable of the
instance, which the flow names; a literal one in a component field would land in Git."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# How Langflow 1.13 tells a field's value is secret when it scrubs a flow for export
# (langflow/utils/flow_secrets.py, _strip_template_field_value): the field is a password
# input (`password: true`) or its name says so (_is_secret_name, with these words); and a
# field bound to a global variable (`load_from_db: true`) holds the variable's name, not
# the secret, which the runtime looks up when it builds the component
# (lfx/interface/initialize/loading.py, update_params_with_load_from_db_fields).
SECRET_NAME_PARTS = frozenset({"credential", "credentials", "passwd", "password", "secret"})
SECRET_COMPOUND_NAMES = frozenset(
    {
        "access_key",
        "api_key",
        "apikey",
        "authorization",
        "client_secret",
        "connection_string",
        "cookie",
        "database_uri",
        "database_url",
        "dsn",
        "private_key",
        "proxy_authorization",
        "set_cookie",
    }
)


@dataclass(frozen=True)
class Secret:
    component: str  # the node's display name
    node_id: str
    field: str

    def __str__(self) -> str:
        return f"component {self.component!r} ({self.node_id}) field {self.field!r}"


def _normalised_name(value: object) -> str:
    """snake, kebab and camel case as one (flow_secrets._normalized_secret_name)."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(value or ""))
    return re.sub(r"[^a-zA-Z0-9]+", "_", name).strip("_").lower()


def is_secret_name(value: object) -> bool:
    """flow_secrets._is_secret_name."""
    name = _normalised_name(value)
    if name in SECRET_COMPOUND_NAMES:
        return True
    parts = set(name.split("_"))
    return bool(parts & SECRET_NAME_PARTS) or name == "token" or name.endswith("_token") or {"api", "key"} <= parts


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every node of a flow's data, group nodes' inner flows included."""
    todo = [data]
    while todo:
        current = todo.pop()
        nodes = current.get("nodes") if isinstance(current, dict) else None
        for node in nodes if isinstance(nodes, list) else []:
            inner = node.get("data", {}).get("node") if isinstance(node, dict) and isinstance(node.get("data"), dict) else None
            if not isinstance(inner, dict):
                continue
            yield node
            if isinstance(inner.get("flow"), dict):
                todo.append(inner["flow"].get("data"))


def literal_secrets(flow: dict[str, Any]) -> list[Secret]:
    """The component fields of `flow` that hold a secret value rather than a global variable's name."""
    found = []
    for node in _nodes(flow.get("data")):
        inner = node["data"]["node"]
        template = inner.get("template")
        for key, field in template.items() if isinstance(template, dict) else ():
            if not isinstance(field, dict) or field.get("load_from_db"):
                continue
            secret = field.get("password") or is_secret_name(field.get("name", key))
            if secret and field.get("value") not in (None, ""):
                component = inner.get("display_name") or node["data"].get("type") or "?"
                found.append(Secret(str(component), str(node.get("id", "?")), str(key)))
    return found
