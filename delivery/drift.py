"""`python -m delivery.drift REFRESH_JSON`: whether `pulumi refresh --preview-only --json`
found the stack's resources changed outside Pulumi, as `drifted=true|false` and
`summary=...` for `$GITHUB_OUTPUT`. Only the change summary's counts are read and
repeated: the JSON also holds resource state, which stays on the runner."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

UNCHANGED = "same"


def drift(preview: dict[str, Any]) -> dict[str, int]:
    """The operations a refresh would make, by kind; empty when nothing drifted.
    `changeSummary` counts steps by operation (pulumi/pulumi#2658, #3717)."""
    summary = preview.get("changeSummary")
    if not isinstance(summary, dict):
        raise ValueError("not the JSON of a Pulumi preview: no changeSummary")
    counts = {str(op): int(count) for op, count in summary.items()}
    return {op: count for op, count in sorted(counts.items()) if op != UNCHANGED and count > 0}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m delivery.drift REFRESH_JSON", file=sys.stderr)
        return 2
    try:
        changes = drift(json.loads(Path(args[0]).read_text()))
    except (OSError, ValueError) as error:
        print(f"error: {args[0]}: {error}", file=sys.stderr)
        return 2
    summary = ", ".join(f"{count} to {op}" for op, count in changes.items()) or "no changes"
    result = f"drifted={'true' if changes else 'false'}\nsummary={summary}\n"
    if "GITHUB_OUTPUT" in os.environ:
        with Path(os.environ["GITHUB_OUTPUT"]).open("a") as output:
            output.write(result)
    sys.stdout.write(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
