"""Reading the problems a config map gives."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import ConfigError, settings_from_config
from tests.plans import config_map


def problems(values: dict[str, Any], stack: str = "dev") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        settings_from_config(config_map(values), stack)
    return caught.value.problems
