"""The artifact a fork's pull request hands over: run in a job with no secrets and a
read-only token (fork code may run there), it compares the offline plans of the base and
the head of each stack. What it writes is untrusted by whoever reads it
(`delivery.fork_post` checks every byte before a comment is posted).

Layout, one directory per stack:

    pr-number        the pull request's number
    head-sha         the commit the plans were built from (the pull request's head)
    STACK/diff.md    the Markdown diff of STACK's plans (preview.diff)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from preview.diff import markdown_diff

from .pr_comment import marker

PR_NUMBER = "pr-number"
HEAD_SHA = "head-sha"
DIFF = "diff.md"


def write_artifact(out: Path, *, pr_number: int, head_sha: str, diffs: dict[str, str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / PR_NUMBER).write_text(f"{pr_number}\n")
    (out / HEAD_SHA).write_text(f"{head_sha}\n")
    for stack, diff in diffs.items():
        marker(stack)  # a stack name, safe as a directory name
        (out / stack).mkdir(exist_ok=True)
        (out / stack / DIFF).write_text(diff, encoding="utf-8")


def plan_diffs(plans: Path, stacks: list[str]) -> dict[str, str]:
    """`plans/base/STACK/plan.json` against `plans/head/STACK/plan.json`, per stack."""

    def read(side: str, stack: str) -> dict:
        return json.loads((plans / side / stack / "plan.json").read_text())

    return {stack: markdown_diff(read("base", stack), read("head", stack)) for stack in stacks}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m delivery.fork_artifact", description="Write the artifact of a fork's pull request."
    )
    parser.add_argument("--pr-number", type=int, required=True)
    parser.add_argument("--head-sha", required=True)
    parser.add_argument("--plans", type=Path, required=True, help="holds base/STACK/plan.json and head/STACK/plan.json")
    parser.add_argument("--stack", action="append", required=True, help="a stack to compare (repeat)")
    parser.add_argument("--out", type=Path, required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    write_artifact(args.out, pr_number=args.pr_number, head_sha=args.head_sha, diffs=plan_diffs(args.plans, args.stack))
    return 0


if __name__ == "__main__":
    sys.exit(main())
