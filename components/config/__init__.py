"""Stack configuration: one typed, validated tree under the `centaurops:` namespace."""

from .errors import ConfigError
from .load import settings_from_config, settings_from_pulumi
from .schema import Settings

__all__ = ["ConfigError", "Settings", "settings_from_config", "settings_from_pulumi"]
