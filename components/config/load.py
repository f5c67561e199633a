"""Parse the `centaurops:` config of a stack, once, into `Settings`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from .defaults import deep_merge, environment_defaults
from .errors import NAMESPACE, ConfigError, config_key, problems_from
from .placeholders import placeholders
from .rules import check, reachability
from .schema import Settings

ENVIRONMENTS = ("dev", "prod")


def decode_value(value: Any) -> Any:
    """Pulumi hands structured values over as JSON text; plain values stay strings."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def settings_from_config(config: Mapping[str, Any], stack: str) -> Settings:
    """Validate every `centaurops:*` entry of a Pulumi config map for `stack`.

    Raises ConfigError listing every problem, one line each, before anything is built.
    """
    prefix = f"{NAMESPACE}:"
    raw = {key[len(prefix) :]: decode_value(value) for key, value in config.items() if key.startswith(prefix)}
    environment = raw.get("environment")
    if environment is None:
        if stack not in ENVIRONMENTS:
            reason = f"is required because stack '{stack}' is neither dev nor prod; allowed: dev, prod"
            raise ConfigError([f"{config_key(['environment'])}: {reason}"])
        raw["environment"] = environment = stack
    merged = deep_merge(environment_defaults(str(environment)), raw)
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as error:
        raise ConfigError(problems_from(error, Settings)) from None
    problems = [f"{config_key(path)}: {message}" for path, message in check(settings)]
    if problems:
        raise ConfigError(problems)
    return settings


def running_under_mocks() -> bool:
    """True when the program runs offline (the preview, tests), not under a real engine."""
    from pulumi.runtime.mocks import MockMonitor
    from pulumi.runtime.settings import get_monitor

    return isinstance(get_monitor(), MockMonitor)


def settings_from_pulumi() -> Settings:
    """The running program's settings, from the config the Pulumi engine passed in.

    Beyond `settings_from_config`, the stack must be deployable: its API reachable by
    whoever runs `pulumi up`, and no placeholders (documentation domains and address
    ranges). A real engine refuses placeholders; run offline under mocks (the preview,
    tests) they are only warned about, so the shipped stack files preview out of the box."""
    import pulumi
    from pulumi.runtime import config as runtime_config

    config = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    settings = settings_from_config(config, pulumi.get_stack())
    unreachable = [f"{config_key(path)}: {message}" for path, message in reachability(settings)]
    found = [f"{config_key(path)}: {message}" for path, message in placeholders(settings)]
    offline = running_under_mocks()
    if unreachable or (found and not offline):
        raise ConfigError(unreachable + ([] if offline else found))
    for line in found:
        pulumi.log.warn(f"{line} (`pulumi up` refuses it)")
    return settings
