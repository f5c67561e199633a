"""A fork's pull request end to end, offline: the no-secret job's script turns the base's
and the head's plans into the artifact (delivery.fork_artifact), and the trusted side
(delivery.fork_post) accepts it and builds the comments, or refuses a tampered one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from delivery.fork_artifact import DIFF, HEAD_SHA, PR_NUMBER
from delivery.fork_post import MAX_DIFF_BYTES, ArtifactError, project_stacks, read_artifact
from delivery.pr_comment import BUDGET, comment_length, marker
from preview.cli import PROJECT_DIR
from preview.diff import markdown_diff

SHA = "0123456789abcdef0123456789abcdef01234567"
RUN_URL = "https://github.example/o/r/actions/runs/42"


def run_module(module: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=PROJECT_DIR, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory, dev_plan: dict[str, Any], prod_plan: dict[str, Any], large_change) -> Path:
    """As the no-secret job lays them out: base/STACK/plan.json and head/STACK/plan.json."""
    root = tmp_path_factory.mktemp("plans")
    sides = {"base": {"dev": dev_plan, "prod": prod_plan}, "head": {"dev": dev_plan, "prod": large_change}}
    for side, documents in sides.items():
        for stack, document in documents.items():
            (root / side / stack).mkdir(parents=True)
            (root / side / stack / "plan.json").write_text(json.dumps(document))
    return root


@pytest.fixture(scope="module")
def artifact(tmp_path_factory: pytest.TempPathFactory, plans: Path) -> Path:
    out = tmp_path_factory.mktemp("artifact") / "fork-preview"
    args = ["--pr-number", "17", "--head-sha", SHA, "--plans", str(plans), "--stack", "dev", "--stack", "prod", "--out", str(out)]
    run = run_module("delivery.fork_artifact", *args)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture
def copy(tmp_path: Path, artifact: Path) -> Path:
    """A copy of the artifact to tamper with."""
    return Path(shutil.copytree(artifact, tmp_path / "fork-preview"))


def test_the_no_secret_job_writes_the_diff_stack_and_number(artifact: Path, dev_plan, prod_plan, large_change) -> None:
    assert sorted(str(p.relative_to(artifact)) for p in artifact.rglob("*")) == [
        "dev",
        f"dev/{DIFF}",
        HEAD_SHA,
        PR_NUMBER,
        "prod",
        f"prod/{DIFF}",
    ]
    assert (artifact / PR_NUMBER).read_text() == "17\n"
    assert (artifact / HEAD_SHA).read_text() == f"{SHA}\n"
    assert (artifact / "dev" / DIFF).read_text() == markdown_diff(dev_plan, dev_plan)
    assert (artifact / "prod" / DIFF).read_text() == markdown_diff(prod_plan, large_change)


def test_the_trusted_side_accepts_it_and_posts_one_comment_per_stack(artifact: Path, tmp_path: Path) -> None:
    preview = read_artifact(artifact, head_sha=SHA, stacks=project_stacks())
    assert (preview.pr_number, preview.head_sha, sorted(preview.diffs)) == (17, SHA, ["dev", "prod"])

    output = tmp_path / "github-output"
    comments = tmp_path / "comments"
    args = [str(artifact), "--head-sha", SHA, "--run-url", RUN_URL, "--artifact-name", "fork-preview", "--out", str(comments)]
    run = run_module("delivery.fork_post", *args, env={"GITHUB_OUTPUT": str(output)})
    assert run.returncode == 0, run.stderr
    assert output.read_text() == "pr-number=17\n"
    assert sorted(p.name for p in comments.iterdir()) == ["dev.md", "prod.md"]
    for stack in ("dev", "prod"):
        comment = (comments / f"{stack}.md").read_text()
        assert comment.startswith(marker(stack) + "\n")
        assert comment_length(comment) <= BUDGET
    # prod's diff is over the limit: cut, pointing to the run that holds the whole diff
    assert f"The full diff: artifact `fork-preview` of [the run that built it]({RUN_URL})." in (comments / "prod.md").read_text()


def test_the_stacks_are_those_of_the_trusted_checkout() -> None:
    assert project_stacks() == {"dev", "prod"}


def _write(path: Path, content: str | bytes) -> None:
    path.write_bytes(content.encode() if isinstance(content, str) else content)


@pytest.mark.parametrize("number", ["17; curl evil", "0", "-1", "1e3", "0x11", "１７", "17 17", "", "12345678901"])
def test_a_pull_request_number_that_is_not_a_number_is_refused(copy: Path, number: str) -> None:
    _write(copy / PR_NUMBER, number + "\n")
    with pytest.raises(ArtifactError, match=PR_NUMBER):
        read_artifact(copy, head_sha=SHA, stacks=project_stacks())


def test_an_oversize_diff_is_refused_before_it_is_read(copy: Path) -> None:
    _write(copy / "prod" / DIFF, "x" * (MAX_DIFF_BYTES + 1))
    with pytest.raises(ArtifactError, match=rf"diff.md: {MAX_DIFF_BYTES + 1} bytes, more than {MAX_DIFF_BYTES}"):
        read_artifact(copy, head_sha=SHA, stacks=project_stacks())


@pytest.mark.parametrize("extra", ["run.sh", ".bashrc", "staging", "prod/run.sh", "dev/.git"])
def test_an_unexpected_file_is_refused(copy: Path, extra: str) -> None:
    _write(copy / extra, "echo pwned\n")
    with pytest.raises(ArtifactError, match=r"unexpected entries|expected only"):
        read_artifact(copy, head_sha=SHA, stacks=project_stacks())


def test_a_link_is_refused(copy: Path) -> None:
    (copy / "prod" / DIFF).unlink()
    (copy / "prod" / DIFF).symlink_to("/etc/passwd")
    with pytest.raises(ArtifactError, match="not a regular file"):
        read_artifact(copy, head_sha=SHA, stacks=project_stacks())


def test_a_linked_stack_directory_is_refused(copy: Path, tmp_path: Path) -> None:
    shutil.rmtree(copy / "dev")
    (copy / "dev").symlink_to(tmp_path)
    with pytest.raises(ArtifactError, match="dev: not a directory"):
        read_artifact(copy, head_sha=SHA, stacks=project_stacks())


def test_an_artifact_of_another_commit_is_refused(copy: Path) -> None:
    with pytest.raises(ArtifactError, match="is not the commit of the run"):
        read_artifact(copy, head_sha="f" * 40, stacks=project_stacks())


@pytest.mark.parametrize("name", [PR_NUMBER, HEAD_SHA])
def test_a_missing_file_is_refused(copy: Path, name: str) -> None:
    (copy / name).unlink()
    with pytest.raises(ArtifactError, match=f"{name}: missing"):
        read_artifact(copy, head_sha=SHA, stacks=project_stacks())


def test_a_diff_that_is_not_text_is_refused(copy: Path) -> None:
    _write(copy / "dev" / DIFF, b"\xff\xfe")
    with pytest.raises(ArtifactError, match="not UTF-8"):
        read_artifact(copy, head_sha=SHA, stacks=project_stacks())


def test_an_artifact_without_a_stack_is_refused(copy: Path) -> None:
    shutil.rmtree(copy / "dev")
    shutil.rmtree(copy / "prod")
    with pytest.raises(ArtifactError, match="no stack's diff"):
        read_artifact(copy, head_sha=SHA, stacks=project_stacks())


def test_a_refused_artifact_posts_nothing(copy: Path, tmp_path: Path) -> None:
    _write(copy / PR_NUMBER, "17 && curl evil\n")
    output, comments = tmp_path / "github-output", tmp_path / "comments"
    args = [str(copy), "--head-sha", SHA, "--run-url", RUN_URL, "--artifact-name", "fork-preview", "--out", str(comments)]
    run = run_module("delivery.fork_post", *args, env={"GITHUB_OUTPUT": str(output)})
    assert run.returncode == 1
    assert "the artifact was refused, nothing is posted: pr-number" in run.stderr
    assert not output.exists()
    assert not comments.exists()


def test_the_trusted_side_needs_nothing_installed(artifact: Path, tmp_path: Path) -> None:
    """The posting job runs the runner's own python3 and installs nothing: no site-packages here."""
    args = [str(artifact), "--head-sha", SHA, "--run-url", RUN_URL, "--artifact-name", "fork-preview", "--out", str(tmp_path)]
    run = subprocess.run(
        [sys.executable, "-S", "-m", "delivery.fork_post", *args], cwd=PROJECT_DIR, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "pr-number=17\n"
