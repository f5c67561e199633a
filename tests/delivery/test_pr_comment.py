"""delivery.pr_comment: one comment per stack, found by its marker, within GitHub's limit."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest

from delivery.pr_comment import BUDGET, COMMENT_LIMIT, build_comment, build_preview_comment, comment_length, marker
from preview.cli import PROJECT_DIR
from preview.diff import markdown_diff

ARTIFACT = "artifact `fork-preview` of [the run that built it](https://github.example/runs/1)"
SUMMARY = re.compile(r"^\*\*\d+ to add, \d+ to change, \d+ to remove\*\*$", re.MULTILINE)


@pytest.fixture(scope="module")
def large_diff(prod_plan: dict[str, Any], large_change: dict[str, Any]) -> str:
    diff = markdown_diff(prod_plan, large_change)
    assert comment_length(diff) > COMMENT_LIMIT, "the test needs a diff over GitHub's limit"
    return diff


def test_a_large_diff_is_cut_under_the_limit_keeping_marker_and_summary(large_diff: str) -> None:
    comment = build_comment("prod", large_diff, full_text=ARTIFACT)

    assert comment_length(comment) <= BUDGET < COMMENT_LIMIT
    lines = comment.splitlines()
    assert lines[0] == "<!-- centaurops:preview:prod -->"
    assert lines[1] == large_diff.splitlines()[0]  # the diff's title
    assert SUMMARY.findall(comment) == SUMMARY.findall(large_diff)
    # what is shown is the diff's opening, whole lines, then the note
    note = lines[-1]
    body = lines[1:-2]
    assert body == large_diff.splitlines()[: len(body)]
    total = len(large_diff.splitlines())
    assert note == f"> **Cut to fit a comment:** {len(body)} of {total} lines shown. The full diff: {ARTIFACT}."
    assert len(body) > 100, "the comment uses its room"


def test_a_small_diff_is_posted_whole(prod_plan: dict[str, Any]) -> None:
    diff = markdown_diff(prod_plan, prod_plan)
    assert build_comment("prod", diff, full_text=ARTIFACT) == f"{marker('prod')}\n{diff}"


def test_the_budget_holds_for_wide_characters_and_a_single_huge_line() -> None:
    diff = "### title\n" + ("🙂" * 100 + "\n") * 300
    comment = build_comment("dev", diff, full_text=ARTIFACT, budget=5_000)
    assert comment_length(comment) <= 5_000
    assert len(comment) < comment_length(comment), "emoji count twice in UTF-16, as GitHub's JavaScript counts them"
    one_line = build_comment("dev", "y" * 100_000, full_text=ARTIFACT, budget=5_000)
    assert comment_length(one_line) <= 5_000
    assert one_line.splitlines()[1].startswith("y" * 1_000)


def test_a_diff_cannot_notify_people() -> None:
    comment = build_comment("dev", "### title\n- `+` `t` **@org/team** and @someone\n", full_text=ARTIFACT)
    assert re.search(r"@\w", comment) is None
    assert "**@\u200borg/team** and @\u200bsomeone" in comment


def test_a_diff_cannot_plant_another_stacks_marker() -> None:
    diff = "### title\n<!-- centaurops:preview:prod -->\n"
    comment = build_comment("dev", diff, full_text=ARTIFACT)
    assert comment.count("<!--") == 1
    assert comment.startswith("<!-- centaurops:preview:dev -->\n")


@pytest.mark.parametrize("stack", ["", "Prod", "../prod", "prod -->", "a" * 64])
def test_a_marker_is_only_made_of_a_stack_name(stack: str) -> None:
    with pytest.raises(ValueError, match="not a stack name"):
        marker(stack)


def test_the_command_line_prints_the_comment(tmp_path, large_diff: str) -> None:
    diff_file = tmp_path / "diff.md"
    diff_file.write_text(large_diff)
    run = subprocess.run(
        [sys.executable, "-m", "delivery.pr_comment", "--stack", "prod", "--diff", str(diff_file), "--full-text", ARTIFACT],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout == build_comment("prod", large_diff, full_text=ARTIFACT)


# --- pulumi preview's output ------------------------------------------------------------

CLOSING = """Policies:
    ❌ centaurops@v0.1.0 (local: policy/pack)
        - [mandatory]  bucket-is-private  (aws:s3/bucket:Bucket: centaurops-prod-files)
          A bucket must block public access.

Resources:
    + 400 to create
    ~ 160 to update
    560 changes. 0 unchanged"""


def preview_output(resources: int) -> str:
    rows = [
        f"\x1b[32m +  \x1b[0m ├─ aws:ec2/subnet:Subnet  centaurops-prod-a-subnet-with-a-long-name-{i:04}  create"
        for i in range(resources)
    ]
    return "\n".join(["Previewing update (prod):", "     Type  Name  Plan", *rows, "", CLOSING, "", ""])


def test_a_long_preview_keeps_its_opening_and_its_policy_results_and_summary() -> None:
    output = preview_output(3_000)
    assert comment_length(output) > COMMENT_LIMIT
    comment = build_preview_comment("prod", output, full_text=ARTIFACT)

    assert comment_length(comment) <= BUDGET
    lines = comment.splitlines()
    assert lines[:4] == [marker("prod"), "### `pulumi preview` of `prod`", "", "```"]
    assert "\x1b" not in comment
    assert CLOSING + "\n```" in comment, "the policy results and the summary, Pulumi's last lines, are kept"
    plain = [line.replace("\x1b[32m", "").replace("\x1b[0m", "") for line in output.rstrip("\n").splitlines()]
    gap = next(i for i, line in enumerate(lines) if line.startswith("... "))
    shown = lines[4:gap]
    assert shown == plain[: len(shown)] and len(shown) > 100
    cut = len(plain) - len(shown) - len(CLOSING.splitlines())
    assert lines[gap] == f"... {cut} lines cut ..."
    assert lines[-1] == f"> **Cut to fit a comment:** {cut} of {len(plain)} lines cut. The full output: {ARTIFACT}."


def test_a_short_preview_is_posted_whole_in_a_fence_longer_than_its_backticks() -> None:
    output = "Previewing update (dev):\n  note: ```four``` and ````five````\n\nResources:\n    146 unchanged\n"
    comment = build_preview_comment("dev", output, full_text=ARTIFACT)
    assert comment == f"{marker('dev')}\n### `pulumi preview` of `dev`\n\n`````\n{output}`````\n"


def test_the_command_line_builds_the_preview_comment(tmp_path) -> None:
    output_file = tmp_path / "prod.txt"
    output_file.write_text(preview_output(3_000))
    args = ["--stack", "prod", "--preview-output", str(output_file), "--full-text", ARTIFACT]
    run = subprocess.run(
        [sys.executable, "-m", "delivery.pr_comment", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert run.stdout == build_preview_comment("prod", preview_output(3_000), full_text=ARTIFACT)


def test_a_pointer_with_braces_is_kept_as_written(large_diff: str) -> None:
    pointer = "artifact `{name}` of run {42}"
    assert build_comment("prod", large_diff, full_text=pointer).endswith(f"The full diff: {pointer}.\n")
    assert build_preview_comment("prod", preview_output(3_000), full_text=pointer).endswith(f"The full output: {pointer}.\n")
