"""Building blocks of the config models: the base model, validators that name what is
allowed, and the value types several clouds share."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel

Environment = Literal["dev", "prod"]
Cloud = Literal["aws", "gcp", "azure"]


class Model(BaseModel):
    """Frozen, camelCase keys only, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", alias_generator=to_camel, strict=True)


def between(low: int, high: int):
    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}, got {value}")
        return value

    return AfterValidator(check)


def matching(pattern: str, example: str):
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"must look like {example}, got {value!r}")
        return value

    return AfterValidator(check)


def ipv4_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        raise ValueError(f"must be an IPv4 CIDR such as 10.0.0.0/16, got {value!r}") from None
    return str(network)


Problem = tuple[tuple[str | int, ...], str]

Cidr = Annotated[str, AfterValidator(ipv4_cidr)]
KubernetesVersion = Literal["1.33", "1.34", "1.35", "1.36"]
DnsLabel = Annotated[str, matching(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", "flow-platform")]
DnsName = Annotated[str, matching(r"(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", "flows.example.com")]
Email = Annotated[str, matching(r"[^@\s]+@([a-z0-9-]+\.)+[a-z]{2,63}", "platform@example.com")]


def _number_as_text(value: object) -> object:
    """YAML reads `cpuLimit: 2` as a number; a quantity is text."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


CpuQuantity = Annotated[str, BeforeValidator(_number_as_text), matching(r"\d+(\.\d+)?m?", "500m, 2, 1.5")]
MemoryQuantity = Annotated[str, BeforeValidator(_number_as_text), matching(r"\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)", "512Mi, 2Gi, 1G")]
HelmRepository = Annotated[
    str, matching(r"((https|oci)://[^\s]+)?", "https://charts.example.com, oci://registry.example.com/charts")
]
ChartVersion = Annotated[str, matching(r"v?\d+\.\d+\.\d+([-+][\w.]+)?", "4.13.3, v1.19.1")]
DbIdentifier = Annotated[str, matching(r"[a-z][a-z0-9_]{0,62}", "centaurops (lowercase, digits, _)")]
RedisVersion = Literal["7.0", "7.1"]
PostgresVersion = Literal["16", "17"]
