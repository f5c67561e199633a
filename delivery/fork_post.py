"""The trusted side of a fork's pull request: reads the artifact its no-secret job uploaded
(`delivery.fork_artifact`), as data from a stranger: only the expected files, no links,
each within its size, the pull request's number a number, the commit the one the
`workflow_run` event names. Nothing in it is run. Writes one comment per stack for the
poster (`.github/workflows/fork-preview-comment.yml`) and hands it the pull request's
number, which the poster checks once more against the pull request itself.

Standard library only: the job that posts installs nothing."""

from __future__ import annotations

import argparse
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from .fork_artifact import DIFF, HEAD_SHA, PR_NUMBER
from .pr_comment import build_comment

PROJECT_DIR = Path(__file__).resolve().parent.parent
# preview.diff writes about 150 characters per changed resource: a megabyte is thousands of them.
MAX_DIFF_BYTES = 1 << 20
MAX_LINE_BYTES = 64
PR_NUMBER_TEXT = re.compile(r"[1-9][0-9]{0,9}")
SHA = re.compile(r"[0-9a-f]{40}")


class ArtifactError(ValueError):
    """The artifact is not what the no-secret job writes; nothing is posted."""


@dataclass(frozen=True)
class ForkPreview:
    pr_number: int
    head_sha: str
    diffs: dict[str, str]


def project_stacks(project_dir: Path = PROJECT_DIR) -> set[str]:
    """The stacks of the trusted checkout: one per `Pulumi.<stack>.yaml`."""
    return {path.name.removeprefix("Pulumi.").removesuffix(".yaml") for path in project_dir.glob("Pulumi.*.yaml")}


def _regular_file(path: Path, limit: int) -> bytes:
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise ArtifactError(f"{path.name}: not a regular file")
    if info.st_size > limit:
        raise ArtifactError(f"{path.name}: {info.st_size} bytes, more than {limit}")
    return path.read_bytes()


def _line(path: Path, pattern: re.Pattern[str]) -> str:
    raw = _regular_file(path, MAX_LINE_BYTES)
    try:
        text = raw.decode("ascii").removesuffix("\n")
    except UnicodeDecodeError:
        raise ArtifactError(f"{path.name}: not ASCII") from None
    if not pattern.fullmatch(text):
        raise ArtifactError(f"{path.name}: {text!r} is not of the form {pattern.pattern}")
    return text


def _directory(path: Path) -> list[Path]:
    if not stat.S_ISDIR(path.lstat().st_mode):
        raise ArtifactError(f"{path.name}: not a directory")
    return sorted(path.iterdir())


def read_artifact(root: Path, *, head_sha: str, stacks: set[str]) -> ForkPreview:
    """The artifact at `root`, checked; `head_sha` is the `workflow_run` event's, `stacks`
    those of the trusted checkout. Raises ArtifactError on anything unexpected."""
    entries = {path.name: path for path in _directory(root)}
    unexpected = sorted(set(entries) - {PR_NUMBER, HEAD_SHA} - stacks)
    if unexpected:
        raise ArtifactError(f"unexpected entries: {', '.join(map(repr, unexpected))}")
    for required in (PR_NUMBER, HEAD_SHA):
        if required not in entries:
            raise ArtifactError(f"{required}: missing")
    pr_number = int(_line(entries[PR_NUMBER], PR_NUMBER_TEXT))
    claimed_sha = _line(entries[HEAD_SHA], SHA)
    if claimed_sha != head_sha:
        raise ArtifactError(f"{HEAD_SHA}: {claimed_sha} is not the commit of the run that uploaded it ({head_sha})")
    diffs = {}
    for stack in sorted(set(entries) & stacks):
        files = _directory(entries[stack])
        if [path.name for path in files] != [DIFF]:
            raise ArtifactError(f"{stack}/: holds {[path.name for path in files]}, expected only {DIFF}")
        try:
            diffs[stack] = _regular_file(files[0], MAX_DIFF_BYTES).decode("utf-8")
        except UnicodeDecodeError:
            raise ArtifactError(f"{stack}/{DIFF}: not UTF-8") from None
    if not diffs:
        raise ArtifactError("no stack's diff")
    return ForkPreview(pr_number=pr_number, head_sha=claimed_sha, diffs=diffs)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m delivery.fork_post", description=read_artifact.__doc__)
    parser.add_argument("artifact", type=Path, help="where the artifact was downloaded")
    parser.add_argument("--head-sha", required=True, help="github.event.workflow_run.head_sha")
    parser.add_argument("--run-url", required=True, help="github.event.workflow_run.html_url: where the artifact is")
    parser.add_argument("--artifact-name", required=True)
    parser.add_argument("--out", type=Path, required=True, help="directory for one STACK.md comment per stack")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        preview = read_artifact(args.artifact, head_sha=args.head_sha, stacks=project_stacks())
    except ArtifactError as error:
        print(f"error: the artifact was refused, nothing is posted: {error}", file=sys.stderr)
        return 1
    full_text = f"artifact `{args.artifact_name}` of [the run that built it]({args.run_url})"
    args.out.mkdir(parents=True, exist_ok=True)
    for stack, diff in preview.diffs.items():
        (args.out / f"{stack}.md").write_text(build_comment(stack, diff, full_text=full_text), encoding="utf-8")
    result = f"pr-number={preview.pr_number}\n"
    if "GITHUB_OUTPUT" in os.environ:
        with Path(os.environ["GITHUB_OUTPUT"]).open("a") as output:
            output.write(result)
    else:
        sys.stdout.write(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
