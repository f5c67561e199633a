"""centaurops: one environment per stack. Load the config, build the platform, export."""

import pulumi

from components.config import ConfigError, settings_from_pulumi
from components.platform import Platform, export_outputs

try:
    settings = settings_from_pulumi()
except ConfigError as error:
    # One line per problem, no traceback, and nothing registered.
    raise pulumi.RunError(str(error)) from None

export_outputs(Platform(f"centaurops-{pulumi.get_stack()}", settings))
