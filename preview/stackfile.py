"""Reading a `Pulumi.<stack>.yaml` into the config map the Pulumi engine would pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


class StackFileError(Exception):
    """A stack file that cannot be read; the message is one printable line."""


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _StrictLoader(yaml.SafeLoader):
    """Refuses a mapping that repeats a key, as Pulumi's own YAML parser does (PyYAML
    would silently keep the last value)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[arg-type]
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise _DuplicateKey(problem=f"duplicate key {key!r} (first at line {first})", problem_mark=key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def read_stack_config(path: Path) -> dict[str, str]:
    """`config:` of a stack file as Pulumi hands it to a program: structured values as
    JSON text, scalars as strings."""
    try:
        document = yaml.load(path.read_text(), Loader=_StrictLoader)
    except FileNotFoundError:
        raise StackFileError(f"{path}: no such stack file") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise StackFileError(f"{path}: malformed YAML{where}: {problem}") from None
    if document is None:
        return {}
    config = document.get("config") if isinstance(document, dict) else None
    if not isinstance(document, dict) or not isinstance(config, (dict, type(None))):
        raise StackFileError(f"{path}: must be a mapping with a 'config:' mapping of keys")
    return {str(key): _as_config_text(value) for key, value in (config or {}).items()}


def _as_config_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
