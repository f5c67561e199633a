"""The pull request comment of one stack's plan (the offline diff of a fork's pull request,
or `pulumi preview`'s output): found again by its hidden marker and edited in place, and
never over GitHub's size limit (a long text is cut at a line, its summary kept, and the
comment says where the full text is)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# GitHub refuses a longer comment body: "body is too long (maximum is 65536 characters)"
# (the REST API's error, quoted in peter-evans/create-issue-from-file#1049 and
# mshick/add-pr-comment#93). Counted in UTF-16 code units below, as JavaScript does: never
# fewer than Python's characters, so a body within it is within GitHub's count either way.
COMMENT_LIMIT = 65_536
# What the comment may use: the rest is slack for the poster and for a count that differs.
BUDGET = 60_000
STACK_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
MARKER_PREFIX = "<!-- centaurops:preview:"
# Where `pulumi preview`'s closing part starts: policy results, then the resource summary.
CLOSING_SECTIONS = ("Policies:", "Policy Violations:", "Resources:")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def marker(stack: str) -> str:
    """The hidden first line that lets the poster find this stack's comment again."""
    if not STACK_NAME.fullmatch(stack):
        raise ValueError(f"not a stack name: {stack!r}")
    return f"{MARKER_PREFIX}{stack} -->"


def comment_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _neutralised(diff: str) -> str:
    """The diff with no HTML comment opener and no @-mention: names from a fork's code can
    neither plant another stack's marker nor make the bot notify people."""
    return _MENTION.sub("@\u200b", diff.replace("<!--", "&lt;!--"))


def _cut(line: str, room: int) -> str:
    """`line` shortened to at most `room` UTF-16 units."""
    while comment_length(line) > room:
        line = line[: max(0, len(line) - (comment_length(line) - room))]
    return line


def _fitting(lines: list[str], room: int) -> list[str]:
    """The first of `lines` that fit in `room` UTF-16 units with their line breaks; a
    first line too long on its own is cut."""
    kept: list[str] = []
    for line in lines:
        cost = comment_length(line) + 1
        if cost > room:
            if not kept and room > 1:
                kept.append(_cut(line, room - 1))
            break
        kept.append(line)
        room -= cost
    return kept


def build_comment(stack: str, diff: str, *, full_text: str, budget: int = BUDGET) -> str:
    """The comment for `stack`: its marker, then the diff; when that is over `budget`, the
    diff's opening (its title and the `**N to add, ...**` summary) and as many whole lines
    as fit, then a note naming `full_text`, where the whole diff is."""
    head = marker(stack)
    body = _neutralised(diff).rstrip("\n")
    whole = f"{head}\n{body}\n"
    if comment_length(whole) <= budget:
        return whole
    lines = body.splitlines()

    def footer(shown: int) -> str:
        return f"\n> **Cut to fit a comment:** {shown} of {len(lines)} lines shown. The full diff: {full_text}.\n"

    kept = _fitting(lines, budget - comment_length(head) - 1 - comment_length(footer(len(lines))))
    return "\n".join([head, *kept]) + "\n" + footer(len(kept))


def build_preview_comment(stack: str, output: str, *, full_text: str, budget: int = BUDGET) -> str:
    """`pulumi preview`'s output for `stack`, in a code block under its marker; when that is
    over `budget`, the output's opening and its closing part (from the policy results or
    the `Resources:` summary on, which Pulumi prints last), the lines between them cut, and
    a note naming `full_text`, where the whole output is."""
    text = _ANSI.sub("", output).rstrip("\n")
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    opening = [marker(stack), f"### `pulumi preview` of `{stack}`", "", fence]
    lines = text.splitlines()
    whole = "\n".join([*opening, *lines, fence]) + "\n"
    if comment_length(whole) <= budget:
        return whole
    ends = [i for i, line in enumerate(lines) if line.startswith(CLOSING_SECTIONS)]
    start = ends[0] if ends else len(lines)
    tail = _fitting(lines[start:], budget // 2)

    def comment(head: list[str], cut: int) -> str:
        note = f"> **Cut to fit a comment:** {cut} of {len(lines)} lines cut. The full output: {full_text}.\n"
        return "\n".join([*opening, *head, f"... {cut} lines cut ...", *tail, fence]) + "\n\n" + note

    head = _fitting(lines[:start], budget - comment_length(comment([], len(lines))))
    return comment(head, len(lines) - len(head) - len(tail))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m delivery.pr_comment", description="Print the pull request comment of one stack's plan."
    )
    parser.add_argument("--stack", required=True)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--diff", type=Path, help="the offline Markdown diff (python -m preview STACK --diff-against ...)")
    source.add_argument("--preview-output", type=Path, help="what `pulumi preview` printed")
    parser.add_argument("--full-text", required=True, help="where readers find the whole text (e.g. an artifact's link)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.diff is not None:
        comment = build_comment(args.stack, args.diff.read_text(encoding="utf-8"), full_text=args.full_text)
    else:
        output = args.preview_output.read_text(encoding="utf-8", errors="replace")
        comment = build_preview_comment(args.stack, output, full_text=args.full_text)
    sys.stdout.write(comment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
