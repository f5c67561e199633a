"""Reading a `Pulumi.<stack>.yaml` into the config map the Pulumi engine would pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


class StackFileError(Exception):
    """A stack file that cannot be read; the message is one printable line."""


def read_stack_config(path: Path) -> dict[str, str]:
    """`config:` of a stack file as Pulumi hands it to a program: structured values as
    JSON text, scalars as strings."""
    try:
        document = yaml.safe_load(path.read_text())
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
