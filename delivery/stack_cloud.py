"""`python -m delivery.stack_cloud STACK`: the cloud a stack is built on
(`centaurops:cloud` in its stack file, aws when unset), as `cloud=NAME` for
`$GITHUB_OUTPUT`: the workflows pick the cloud's login step by it."""

from __future__ import annotations

import sys
import typing
from pathlib import Path

from components.config.types import Cloud
from preview.stackfile import StackFileError, read_stack_config

from .pr_comment import marker

PROJECT_DIR = Path(__file__).resolve().parent.parent
CLOUDS: tuple[str, ...] = typing.get_args(Cloud)
DEFAULT_CLOUD = "aws"


def stack_cloud(stack: str, project_dir: Path = PROJECT_DIR) -> str:
    marker(stack)  # a stack name, not a path
    cloud = read_stack_config(project_dir / f"Pulumi.{stack}.yaml").get("centaurops:cloud", DEFAULT_CLOUD)
    if cloud not in CLOUDS:
        raise StackFileError(f"Pulumi.{stack}.yaml: centaurops:cloud must be one of {', '.join(CLOUDS)}, got {cloud!r}")
    return cloud


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m delivery.stack_cloud STACK", file=sys.stderr)
        return 2
    try:
        print(f"cloud={stack_cloud(args[0])}")
    except (StackFileError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
