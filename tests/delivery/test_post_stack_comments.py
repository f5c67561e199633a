""".github/scripts/post-stack-comments.js, run by Node against a stand-in for github-script's
Octokit: edits this workflow's own comment found on any page, never a person's, and refuses
a comment with no marker or over GitHub's limit."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from delivery.pr_comment import COMMENT_LIMIT, marker
from preview.cli import PROJECT_DIR

SCRIPT = PROJECT_DIR / ".github" / "scripts" / "post-stack-comments.js"
HARNESS = """
const post = require(process.argv[1]);
const existing = JSON.parse(process.argv[3]);
const calls = [];
const github = {
  paginate: async (method, params) => { calls.push({ call: 'paginate', method: method.name, params }); return existing; },
  rest: { issues: {
    listComments: async function listComments() { throw new Error('must be paginated'); },
    updateComment: async (params) => { calls.push({ call: 'update', params }); },
    createComment: async (params) => { calls.push({ call: 'create', params }); },
  } },
};
const core = { info: () => {} };
post({ github, context: { repo: { owner: 'o', repo: 'r' } }, core }, { issueNumber: 7, dir: process.argv[2] })
  .then(() => console.log(JSON.stringify(calls)), (error) => { console.error(error.message); process.exit(1); });
"""
BOT = {"login": "github-actions[bot]"}


def run(comments: Path, existing: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the poster runs under Node in GitHub Actions and is tested with it")
    return subprocess.run(
        [node, "-e", HARNESS, str(SCRIPT), str(comments), json.dumps(existing)], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def comments(tmp_path: Path) -> Path:
    for stack in ("dev", "prod"):
        (tmp_path / f"{stack}.md").write_text(f"{marker(stack)}\n### {stack}\n")
    (tmp_path / "prod.txt").write_text("the full output, not a comment")
    return tmp_path


def test_edits_its_own_comment_from_any_page_and_creates_the_missing_one(comments: Path) -> None:
    people = [{"id": i, "user": {"login": f"person{i}"}, "body": "lgtm"} for i in range(40)]
    planted = {"id": 100, "user": {"login": "person1"}, "body": f"{marker('dev')}\nmine now"}
    own = {"id": 200, "user": BOT, "body": f"{marker('prod')}\nan older preview"}
    result = run(comments, [*people, planted, own])
    assert result.returncode == 0, result.stderr
    calls = json.loads(result.stdout)
    assert calls[0] == {
        "call": "paginate",
        "method": "listComments",
        "params": {"owner": "o", "repo": "r", "issue_number": 7, "per_page": 100},
    }
    assert calls[1:] == [
        {"call": "create", "params": {"owner": "o", "repo": "r", "issue_number": 7, "body": f"{marker('dev')}\n### dev\n"}},
        {"call": "update", "params": {"owner": "o", "repo": "r", "comment_id": 200, "body": f"{marker('prod')}\n### prod\n"}},
    ]


def test_another_stacks_comment_is_not_taken_for_this_one(comments: Path) -> None:
    (comments / "prod.md").unlink()
    # "dev" is a prefix of "dev-eu": the marker's closing "-->" keeps them apart
    other = {"id": 300, "user": BOT, "body": f"{marker('dev-eu')}\nanother stack"}
    calls = json.loads(run(comments, [other]).stdout)
    assert [call["call"] for call in calls] == ["paginate", "create"]


def test_refuses_a_comment_without_a_marker(comments: Path) -> None:
    (comments / "dev.md").write_text("### no marker\n")
    result = run(comments, [])
    assert result.returncode == 1
    assert "dev.md: does not start with a stack's marker" in result.stderr


def test_refuses_a_comment_over_the_limit(comments: Path) -> None:
    (comments / "dev.md").write_text(f"{marker('dev')}\n" + "x" * COMMENT_LIMIT)
    result = run(comments, [])
    assert result.returncode == 1
    assert f"over GitHub's {COMMENT_LIMIT}" in result.stderr
    assert "paginate" not in result.stdout, "nothing posted"


def test_refuses_to_post_nothing(tmp_path: Path) -> None:
    result = run(tmp_path, [])
    assert result.returncode == 1
    assert "no comment to post" in result.stderr
