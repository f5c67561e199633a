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


def project_name() -> str:
    return yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())["name"]


def preview_plan(stack: str, config: dict[str, str]) -> dict[str, Any]:
    """Run the program for `stack` with `config` under mocks; the plan document.

    Raises pulumi.RunError when the program rejects its config."""
    run = run_program(PROJECT_DIR, project=project_name(), stack=stack, config=config, mocks=CloudMocks())
    cloud = next((o for k, o in run.outputs.items() if k == "cloud"), config.get("centaurops:cloud", "aws"))
    plan = plan_document(run, str(cloud))
    for release in plan["charts"]:
        release["rendered"] = local_chart(release, PROJECT_DIR) is not None
    return plan


def rendered_objects(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every object of the plan's local charts, rendered offline."""
    objects = []
    for release in plan["charts"]:
        chart_dir = local_chart(release, PROJECT_DIR)
        if chart_dir is not None:
            objects += render(chart_dir, release)
    return objects


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m preview",
        description="Show what `pulumi up` would create for a stack, offline: no Pulumi CLI, credentials or network.",
    )
    parser.add_argument("stack", help="stack name: dev, prod, or any stack with a stack file")
    parser.add_argument("--cloud", choices=["aws", "gcp", "azure"], help="build the stack on this cloud instead")
    parser.add_argument("--stack-file", type=Path, help="stack file to read (default: Pulumi.STACK.yaml)")
    parser.add_argument("--out", type=Path, help="directory for plan.json and manifests/ (default: out/STACK)")
    parser.add_argument("--diff-against", type=Path, metavar="OLD_PLAN_JSON", help="print a Markdown diff against an older plan")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stack_file = args.stack_file or PROJECT_DIR / f"Pulumi.{args.stack}.yaml"
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
        config["centaurops:cloud"] = args.cloud
    try:
        plan = preview_plan(args.stack, config)
    except pulumi.RunError as error:
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DefaultProviderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for warning in plan["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    out_dir = args.out or PROJECT_DIR / "out" / args.stack
    write_outputs(plan, out_dir, rendered_objects(plan))
    if old_plan is not None:
        print(markdown_diff(old_plan, plan), end="")
    else:
        print(f"Previewing stack '{args.stack}' ({plan['cloud']}) offline, under mocks:\n")
        print(render_tree(plan))
        print(f"\nWrote {out_dir / 'plan.json'} and {out_dir / 'manifests'}/")
    return 0
