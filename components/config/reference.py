"""`python -m components.config.reference`: the Markdown reference of every `centaurops:` key.

Generated from the models in `schema.py` and from the settings an empty `dev` and an
empty `prod` stack get, so the reference cannot drift from the code
(tests/config/test_reference.py checks that docs/configuration.md is its output):

    venv/bin/python -m components.config.reference > docs/configuration.md
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from .defaults import CLOUD_SETTINGS
from .errors import NAMESPACE
from .load import settings_from_config
from .schema import Settings
from .types import ipv4_cidr

REGENERATE = "venv/bin/python -m components.config.reference > docs/configuration.md"

# Rules that span several keys, or that only prod enforces (components/config/rules.py).
# Each is `(key, rule)`; tests/config/test_reference.py checks that each is enforced.
RULES: tuple[tuple[str, str], ...] = (
    ("nodePools.<pool>.minSize", "at most `maxSize`"),
    ("nodePools.<pool>.desiredSize", "between `minSize` and `maxSize`"),
    ("network.cidr", "a /16 to /20 network"),
    ("cluster.publicAccessCidrs", "listed when, and only when, `endpointPublicAccess` is true"),
    ("database.maxStorageGb", "at least `storageGb`"),
    ("cache.replicas", "at least 1 when `automaticFailover` is true"),
    ("workload.autoscaling.minReplicas", "at most `maxReplicas` when `enabled` is true"),
    ("workload.resources.cpuRequest", "at most `cpuLimit`"),
    ("workload.resources.memoryRequest", "at most `memoryLimit`"),
    ("workload.chart.version", "set, with `chart.name`, when `chart.repository` is set (a published chart is pinned)"),
    *(rule for module in CLOUD_SETTINGS.values() for rule in module.RULES),
)
PROD_RULES: tuple[tuple[str, str], ...] = (
    ("nodePools.<pool>.capacityType", "`onDemand` (spot is for dev)"),
    ("nodePools.<pool>.minSize", "at least 2 (survive a node loss)"),
    ("cluster.publicAccessCidrs", "never `0.0.0.0/0` (the whole internet)"),
    ("database.multiAz", "true"),
    ("database.deletionProtection", "true"),
    ("database.backupRetentionDays", "at least 14"),
    ("cache.automaticFailover", "true (so `cache.replicas` at least 1)"),
    ("cache.snapshotRetentionDays", "at least 1"),
    ("workload.mode", "`runtime` (the editor is for dev)"),
    ("workload.replicas", "at least 2 unless `autoscaling.enabled` is true"),
    ("workload.autoscaling.minReplicas", "at least 2 when `autoscaling.enabled` is true"),
    ("ingress.acmeServer", "`production` (staging certificates are untrusted)"),
    ("ingress.controllerReplicas", "at least 2 (survive a node loss)"),
    *(rule for module in CLOUD_SETTINGS.values() for rule in module.PROD_RULES),
)


@dataclass(frozen=True)
class Row:
    key: str
    allowed: str
    dev: str
    prod: str
    description: str


def _closure(func: Callable[..., Any]) -> dict[str, Any]:
    """The variables a validator made by `_between` / `_matching` closes over."""
    cells = getattr(func, "__closure__", None) or ()
    return dict(zip(func.__code__.co_freevars, (cell.cell_contents for cell in cells), strict=False))


def _as_yaml(value: Any) -> str:
    """`value` the way it is written in a stack file (quoted where YAML would misread it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        try:
            plain = bool(value) and yaml.safe_load(value) == value
        except yaml.YAMLError:
            plain = False
        return value if plain else json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_as_yaml(item) for item in value) + "]"
    return str(value)


def _example(text: str) -> str:
    """The example of a `_matching` validator in Markdown: each comma-separated example as
    code, a trailing parenthesis as prose.

    `centaurops (lowercase, digits, _)` -> `centaurops` (lowercase, digits, _);
    `500m, 2, 1Gi` -> `500m`, `2` or `1Gi`; `sha256:<64 hex digits>` -> one code span.
    """
    match = re.fullmatch(r"(?P<code>.*?)(?: (?P<note>\(.*\)))?", text)
    assert match is not None  # matches any text
    *others, last = [f"`{code}`" for code in match["code"].split(", ")]
    words = f"{', '.join(others)} or {last}" if others else last
    return f"{words} {match['note']}" if match["note"] else words


def _allowed(annotation: Any, metadata: Sequence[Any] = ()) -> str:
    """What a field accepts, in words, from its type and validators."""
    if typing.get_origin(annotation) is Annotated:
        base, *extra = typing.get_args(annotation)
        return _allowed(base, [*extra, *metadata])
    if typing.get_origin(annotation) is Literal:
        return "one of " + ", ".join(f"`{_as_yaml(value)}`" for value in typing.get_args(annotation))
    if typing.get_origin(annotation) is list:
        low = next((m.min_length for m in metadata if hasattr(m, "min_length")), None)
        high = next((m.max_length for m in metadata if hasattr(m, "max_length")), None)
        size = f" ({low} to {high} items)" if low is not None and high is not None else ""
        return f"list{size} of: {_allowed(typing.get_args(annotation)[0])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping of the keys below"
    if annotation is bool:
        return "`true` or `false`"
    for item in metadata:
        if not isinstance(item, AfterValidator):
            continue
        if item.func is ipv4_cidr:
            return "IPv4 CIDR like `10.0.0.0/16`"
        free = _closure(item.func)
        if "low" in free and "high" in free:
            return f"whole number, {free['low']} to {free['high']}"
        if "example" in free:
            empty = ", or empty" if free["compiled"].fullmatch("") else ""
            return f"text like {_example(free['example'])}{empty}"
    return {int: "whole number", str: "text"}.get(annotation, str(annotation))


def _default(values: Mapping[str, Any], path: Sequence[str]) -> Any:
    for part in path:
        values = values[part]
    return values


def _rows(model: type[BaseModel], path: tuple[str, ...], dev: Mapping[str, Any], prod: Mapping[str, Any]) -> Iterator[Row]:
    for name, field in model.model_fields.items():
        alias = field.alias or name
        key = (*path, alias)
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if path:
                yield Row(".".join(key), _allowed(annotation), "", "", field.description or "")
            yield from _rows(annotation, key, dev, prod)
            continue
        yield _leaf(field, key, dev, prod)


def _leaf(field: FieldInfo, key: tuple[str, ...], dev: Mapping[str, Any], prod: Mapping[str, Any]) -> Row:
    dev_value, prod_value = _default(dev, key), _default(prod, key)
    dev_text, prod_text = f"`{_as_yaml(dev_value)}`", f"`{_as_yaml(prod_value)}`"
    if prod_value != dev_value:
        prod_text = f"**{prod_text}**"
    return Row(".".join(key), _allowed(field.annotation, field.metadata), dev_text, prod_text, field.description or "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _rule_list(rules: Sequence[tuple[str, str]]) -> list[str]:
    return [f"- `{key}`: {rule}" for key, rule in rules]


def markdown() -> str:
    """The whole reference, as Markdown."""
    dev = settings_from_config({}, "dev").model_dump(by_alias=True)
    prod = settings_from_config({}, "prod").model_dump(by_alias=True)
    lines = [
        "# Stack configuration",
        "",
        "<!-- Generated from components/config/schema.py; do not edit. Regenerate with:",
        f"     {REGENERATE} -->",
        "",
        f"Every setting of a stack lives under the `{NAMESPACE}:` namespace of its stack file",
        f"(`Pulumi.<stack>.yaml`). Each section below is one config key (`{NAMESPACE}:network`, ...);",
        "nested keys are written as a YAML mapping under it. Keys are camelCase; an unknown or",
        "misspelled key is an error, as is any value outside what the table allows: the program",
        "stops before creating anything, with one line per problem naming the key.",
        "",
        "Stack files only say what differs. A stack named `dev` or `prod` is that environment;",
        f"any other stack sets `{NAMESPACE}:environment`. The environment picks the defaults:",
        "`dev` is small and cheap, `prod` is highly available and protected (a **bold** prod",
        "default differs from dev). A value in the stack file replaces the default; mappings",
        "merge key by key, lists are replaced whole.",
        "",
        "```yaml",
        "config:",
        f"  {NAMESPACE}:environment: prod    # only for a stack not named dev or prod",
        f"  {NAMESPACE}:network:",
        "    cidr: 10.20.0.0/16",
        "```",
        "",
        "Rules across keys, in every environment:",
        "",
        *_rule_list(RULES),
        "",
        "Rules of prod (checked whatever the stack file says):",
        "",
        *_rule_list(PROD_RULES),
        "",
        "Before it deploys anything (`pulumi up`, and the offline preview), the program also checks",
        "that the stack can be deployed from where it runs:",
        "",
        "- `cluster.privateAccessCidrs`: the API must be reachable by whoever runs `pulumi up`, which",
        "  deploys the Kubernetes layer through it: `endpointPublicAccess: true` with",
        "  `publicAccessCidrs`, or a private endpoint admitting `privateAccessCidrs` (or, on AWS,",
        "  `aws.privateAccessSecurityGroupIds`) on 443",
        "- placeholders: a documentation domain (RFC 2606 and RFC 6761: `example.com`, `.test`, ...)",
        "  in `ingress.host` or `ingress.acmeEmail`, or a documentation address range (RFC 5737:",
        "  `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`) in `cluster.publicAccessCidrs`,",
        "  `cluster.privateAccessCidrs` or `ingress.allowedSourceCidrs`: `pulumi up` refuses each,",
        "  naming what to set; the offline preview only warns, so the shipped stack files preview",
        "  out of the box",
    ]
    for name, field in Settings.model_fields.items():
        alias = field.alias or name
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows = list(_rows(annotation, (alias,), dev, prod))
        else:
            rows = [_leaf(field, (alias,), dev, prod)]
        lines += ["", f"## `{NAMESPACE}:{alias}`", "", field.description or "", ""]
        lines += ["| Key | Allowed values | dev default | prod default | Description |", "| --- | --- | --- | --- | --- |"]
        lines += [
            "| " + " | ".join(_cell(text) for text in (f"`{r.key}`", r.allowed, r.dev, r.prod, r.description)) + " |"
            for r in rows
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
