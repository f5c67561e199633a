"""The options resources are registered with, which the plan does not record (it keeps `protect`
only): read from a mocked run of the whole program, as the engine would receive them."""

from __future__ import annotations

from typing import Any

import pulumi

from tests.plans import stack_config


def registered_options(stack: str, type_: str, **overrides: Any) -> dict[str, pulumi.ResourceOptions]:
    """The options of each resource of `type_` in `stack` (its stack file plus overrides), by name."""
    from components.config import settings_from_config
    from components.platform import Platform
    from components.testing.mocks import CloudMocks
    from preview.cli import PROJECT_DIR, project_name
    from preview.runner import run_program

    config = stack_config(stack, **overrides)
    found: dict[str, pulumi.ResourceOptions] = {}

    def record(args: pulumi.ResourceTransformationArgs) -> None:
        if args.type_ == type_:
            found[args.name] = args.opts

    def program() -> None:
        pulumi.runtime.register_stack_transformation(record)
        Platform(f"centaurops-{stack}", settings_from_config(config, stack))

    run_program(PROJECT_DIR, project=project_name(), stack=stack, config=config, mocks=CloudMocks(), program=program)
    return found


def alias_names(options: dict[str, pulumi.ResourceOptions]) -> dict[str, list[str]]:
    """The names each resource was known by before (its aliases), by name."""
    return {
        name: [alias.name for alias in opts.aliases or [] if isinstance(alias, pulumi.Alias) and isinstance(alias.name, str)]
        for name, opts in options.items()
    }
