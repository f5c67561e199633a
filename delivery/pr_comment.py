"""The pull request comment of one stack's plan diff: found again by its hidden marker and
edited in place, and never over GitHub's size limit (a long diff is cut at a line, its
summary kept, and the comment says where the full text is)."""

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


def marker(stack: str) -> str:
    """The hidden first line that lets the poster find this stack's comment again."""
    if not STACK_NAME.fullmatch(stack):
        raise ValueError(f"not a stack name: {stack!r}")
    return f"{MARKER_PREFIX}{stack} -->"


def comment_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _neutralised(diff: str) -> str:
    """The diff with no HTML comment openers: text from a fork cannot plant another stack's marker."""
    return diff.replace("<!--", "&lt;!--")


def _cut(line: str, room: int) -> str:
    """`line` shortened to at most `room` UTF-16 units."""
    while comment_length(line) > room:
        line = line[: max(0, len(line) - (comment_length(line) - room))]
    return line


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
    footer = f"\n> **Cut to fit a comment:** {{shown}} of {len(lines)} lines shown. The full diff: {full_text}.\n"
    room = budget - comment_length(head) - 1 - comment_length(footer.format(shown=len(lines)))
    kept: list[str] = []
    for line in lines:
        cost = comment_length(line) + 1
        if cost > room:
            if not kept:
                kept.append(_cut(line, room - 1))
            break
        kept.append(line)
        room -= cost
    return "\n".join([head, *kept]) + "\n" + footer.format(shown=len(kept))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m delivery.pr_comment", description=build_comment.__doc__)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--diff", type=Path, required=True, help="the Markdown diff (python -m preview STACK --diff-against ...)")
    parser.add_argument("--full-text", required=True, help="where readers find the whole diff (e.g. an artifact's link)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sys.stdout.write(build_comment(args.stack, args.diff.read_text(encoding="utf-8"), full_text=args.full_text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
