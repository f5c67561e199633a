"""centaurops bootstrap: the state backend, the secrets keys and the CI identities of one
cloud account, project or subscription. Load the config, build the cloud's part, export."""

import importlib
import sys
from pathlib import Path

import pulumi

# Pulumi puts this directory on the path; the program is the `bootstrap` package of the
# repository (and reuses components/config's model base), so the repository root takes its
# place: left there, bootstrap/azure.py would shadow any top-level `azure` package.
HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent), *(entry for entry in sys.path if not entry or Path(entry).resolve() != HERE)]

from bootstrap.config import ConfigError, settings_from_pulumi  # noqa: E402 - after the path is set

try:
    settings = settings_from_pulumi()
except ConfigError as error:
    # One line per problem, no traceback, and nothing registered.
    raise pulumi.RunError(str(error)) from None

# Each cloud's module and component; only the chosen cloud's SDK is loaded.
COMPONENTS = {"aws": "AwsBootstrap", "gcp": "GcpBootstrap", "azure": "AzureBootstrap"}
component = getattr(importlib.import_module(f"bootstrap.{settings.cloud}"), COMPONENTS[settings.cloud])
built = component(f"centaurops-{pulumi.get_stack()}", settings)
pulumi.export("cloud", settings.cloud)
for key, value in built.outputs.items():
    pulumi.export(key, value)
