"""`python -m preview STACK`: the offline preview's command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pulumi
import yaml

from components.testing.mocks import CloudMocks

from .charts import local_chart, render
from .diff import markdown_diff
from .plan import plan_document, render_tree, write_outputs
from .runner import DefaultProviderError, run_program
from .stackfile import StackFileError, read_stack_config

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXIT_BAD_INPUT = 2


def project_name(project_dir: Path = PROJECT_DIR) -> str:
    return yaml.safe_load((project_dir / "Pulumi.yaml").read_text())["name"]


def preview_plan(stack: str, config: dict[str, str], project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """Run the program of `project_dir` (the main program by default) for `stack` with
    `config` under mocks; the plan document.

    Raises pulumi.RunError when the program rejects its config."""
    name = project_name(project_dir)
    run = run_program(project_dir, project=name, stack=stack, config=config, mocks=CloudMocks())
    cloud = next((o for k, o in run.outputs.items() if k == "cloud"), config.get(f"{name}:cloud", "aws"))
    plan = plan_document(run, str(cloud))
    for release in plan["charts"]:
        release["rendered"] = local_chart(release, project_dir) is not None
    return plan


def rendered_objects(plan: dict[str, Any], project_dir: Path = PROJECT_DIR) -> list[dict[str, Any]]:
    """Every object of the plan's local charts, rendered offline."""
    objects = []
    for release in plan["charts"]:
        chart_dir = local_chart(release, project_dir)
        if chart_dir is not None:
            objects += render(chart_dir, release)
    return objects


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m preview",
        description="Show what `pulumi up` would create for a stack, offline: no Pulumi CLI, credentials or network.",
    )
    parser.add_argument("stack", help="stack name: dev, prod, or any stack with a stack file")
    parser.add_argument(
        "--project",
        type=Path,
        default=Path(),
        help="another Pulumi project of this repository to preview, e.g. bootstrap (default: the main program)",
    )
    parser.add_argument("--cloud", choices=["aws", "gcp", "azure"], help="build the stack on this cloud instead")
    parser.add_argument("--stack-file", type=Path, help="stack file to read (default: the project's Pulumi.STACK.yaml)")
    parser.add_argument("--out", type=Path, help="directory for plan.json and manifests/ (default: out/[PROJECT/]STACK)")
    parser.add_argument("--diff-against", type=Path, metavar="OLD_PLAN_JSON", help="print a Markdown diff against an older plan")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project_dir = (PROJECT_DIR / args.project).resolve()
    if not (project_dir / "Pulumi.yaml").is_file():
        print(f"error: --project {args.project}: no Pulumi.yaml in {project_dir}", file=sys.stderr)
        return EXIT_BAD_INPUT
    stack_file = args.stack_file or project_dir / f"Pulumi.{args.stack}.yaml"
    try:
        config = read_stack_config(stack_file)
        old_plan = json.loads(args.diff_against.read_text()) if args.diff_against else None
    except StackFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, json.JSONDecodeError) as error:
        print(f"error: --diff-against {args.diff_against}: cannot read a plan: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.cloud:
        config[f"{project_name(project_dir)}:cloud"] = args.cloud
    try:
        plan = preview_plan(args.stack, config, project_dir)
    except pulumi.RunError as error:
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DefaultProviderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for warning in plan["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    # Another project's plans go under out/<project>/, apart from the main program's stacks.
    subdir = [] if project_dir == PROJECT_DIR else [project_dir.name]
    out_dir = args.out or PROJECT_DIR.joinpath("out", *subdir, args.stack)
    write_outputs(plan, out_dir, rendered_objects(plan, project_dir))
    if old_plan is not None:
        print(markdown_diff(old_plan, plan), end="")
    else:
        print(f"Previewing stack '{args.stack}' ({plan['cloud']}) offline, under mocks:\n")
        print(render_tree(plan))
        print(f"\nWrote {out_dir / 'plan.json'} and {out_dir / 'manifests'}/")
    return 0
