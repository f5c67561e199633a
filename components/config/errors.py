"""Turning validation failures into one line per problem, naming the full config key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

NAMESPACE = "centaurops"


class ConfigError(Exception):
    """Stack configuration is invalid; `problems` holds one printable line each."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def config_key(path: Sequence[str | int], namespace: str = NAMESPACE) -> str:
    """`("database", "backupRetentionDays")` -> `centaurops:database.backupRetentionDays`."""
    if not path:
        return namespace
    text = f"{namespace}:{path[0]}"
    for part in path[1:]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _model_at(root: type[BaseModel], path: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that owns the mapping at `path` (for listing its allowed keys)."""
    model: type[BaseModel] = root
    for part in path:
        if isinstance(part, int):
            continue
        field = next((f for f in model.model_fields.values() if f.alias == part), None)
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def _describe(error: Any, root: type[BaseModel]) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    got = f", got {value!r}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        owner = _model_at(root, error["loc"][:-1])
        allowed = ", ".join(sorted(f.alias or n for n, f in owner.model_fields.items())) if owner else "none"
        return f"unknown key; allowed keys: {allowed}"
    if kind == "literal_error":
        # YAML reads an unquoted 1.30 as the number 1.3.
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        hint = " (a number: write the value in quotes)" if number and "'" in str(ctx["expected"]) else ""
        return f"must be one of {ctx['expected']}{got}{hint}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number{got}"
    if kind in ("bool_parsing", "bool_type"):
        return f"must be true or false{got}"
    if kind in ("string_type",):
        return f"must be a string{got}"
    if kind in ("list_type",):
        return f"must be a list{got}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a mapping of keys{got}"
    if kind == "too_short":
        return f"must have at least {ctx['min_length']} item(s){got}"
    if kind == "too_long":
        return f"must have at most {ctx['max_length']} item(s){got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg'][:1].lower()}{error['msg'][1:]}{got}"


def problems_from(error: ValidationError, root: type[BaseModel], namespace: str = NAMESPACE) -> list[str]:
    return [f"{config_key(e['loc'], namespace)}: {_describe(e, root)}" for e in error.errors()]
