"""The GitHub Actions workflows (.github/workflows, .github/actions): least privilege,
pinned actions, the fork flow kept away from secrets, and deploys that never cancel an `up`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from delivery.stack_cloud import CLOUDS
from preview.cli import PROJECT_DIR

GITHUB = PROJECT_DIR / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ACTIONS = sorted((GITHUB / "actions").glob("*/action.yml"))
STACK_SETUP = "./.github/actions/stack-setup"
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
TAG_COMMENT = re.compile(r"uses: \S+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
# The scopes a job may write, each for one thing: the cloud login, the plan comment, the drift issue.
WRITABLE = {"id-token", "pull-requests", "issues"}


def load(path: Path) -> dict[Any, Any]:
    return yaml.safe_load(path.read_text())


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True.
    return workflow.get("on") or workflow[True]


def steps(path: Path) -> list[dict[str, Any]]:
    document = load(path)
    if "runs" in document:
        return document["runs"].get("steps", [])
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def jobs_using(action: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path.name, name, job)
        for path in WORKFLOWS
        for name, job in load(path)["jobs"].items()
        if any(step.get("uses", "").startswith(action) for step in job.get("steps", []))
    ]


def workflow(name: str) -> dict[Any, Any]:
    return load(GITHUB / "workflows" / name)


def test_the_workflows_are_there() -> None:
    assert {"deploy.yml", "drift.yml", "fork-preview-comment.yml", "preview.yml"} <= {p.name for p in WORKFLOWS}
    assert "stack-setup" in {p.parent.name for p in ACTIONS}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_permission_by_default_and_few_per_job(path: Path) -> None:
    document = load(path)
    assert document["permissions"] == {}
    for name, job in document["jobs"].items():
        granted = job.get("permissions")
        assert isinstance(granted, dict), f"{path.name}: job {name} must list its permissions"
        assert set(granted.values()) <= {"read", "write"}, f"{path.name}: {name}"
        written = {scope for scope, level in granted.items() if level == "write"}
        assert written <= WRITABLE, f"{path.name}: job {name} writes {written - WRITABLE}"


@pytest.mark.parametrize("path", WORKFLOWS + ACTIONS, ids=lambda p: str(p.relative_to(GITHUB)))
def test_every_action_is_pinned_by_commit_with_its_tag_in_a_comment(path: Path) -> None:
    for step in steps(path):
        uses = step.get("uses")
        if uses is None or uses == STACK_SETUP:
            continue
        assert PINNED.fullmatch(uses), f"{path.name}: {uses} is not pinned by a full commit SHA"
    for line in path.read_text().splitlines():
        if "uses:" in line and STACK_SETUP not in line:
            assert TAG_COMMENT.search(line.strip()), f"{path.name}: {line.strip()!r} lacks its tag as a comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_runs_on_pull_request_target(path: Path) -> None:
    assert "pull_request_target" not in triggers(load(path))
    assert "pull_request_target" not in path.read_text()


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_leave_no_credentials_behind(path: Path) -> None:
    checkouts = [step for step in steps(path) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}: {step}"


def test_deploys_wait_for_each_other_per_stack_and_never_cancel_a_running_up() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    groups = {}
    for name, job in jobs.items():
        (up,) = [step for step in job["steps"] if step.get("uses", "").startswith("pulumi/actions@")]
        stack = up["with"]["stack-name"]
        assert up["with"]["command"] == "up"
        assert job["concurrency"]["cancel-in-progress"] is False, name
        groups[stack] = job["concurrency"]["group"]
        assert stack in groups[stack]
    assert set(groups) == {"dev", "prod"}
    assert len(set(groups.values())) == 2, "one group per stack"
    assert "concurrency" not in workflow("deploy.yml"), "a workflow-wide group would serialise dev behind prod's approval"


def test_main_deploys_dev_then_prod_after_approval_in_the_prod_environment() -> None:
    deploy = workflow("deploy.yml")
    assert triggers(deploy) == {"push": {"branches": ["main"]}}
    jobs = deploy["jobs"]
    assert jobs["dev"]["environment"] == "dev"
    assert jobs["prod"]["environment"] == "prod"
    assert jobs["prod"]["needs"] == "dev"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_the_policy_pack_runs_with_every_preview_and_up(path: Path) -> None:
    for step in steps(path):
        if step.get("uses", "").startswith("pulumi/actions@") and step.get("with", {}).get("command") in {"preview", "up"}:
            assert step["with"]["policyPacks"] == "policy/pack"
        for line in step.get("run", "").splitlines():
            if re.match(r"\s*pulumi (preview|up)\b", line):
                assert "--policy-pack policy/pack" in line, line


def test_each_cloud_has_its_login_step() -> None:
    setup = GITHUB / "actions" / "stack-setup" / "action.yml"
    logins = {}
    for step in steps(setup):
        match = re.fullmatch(r"steps\.stack\.outputs\.cloud == '(\w+)'", step.get("if", ""))
        if match and "uses" in step:
            logins.setdefault(match[1], []).append(step["uses"].split("@")[0])
    assert set(logins) == set(CLOUDS)
    assert "aws-actions/configure-aws-credentials" in logins["aws"]
    assert "google-github-actions/auth" in logins["gcp"]
    assert "Azure/login" in logins["azure"]
    check = next(step["run"] for step in steps(setup) if step.get("name") == "Check the cloud's variables")
    assert {cloud for cloud in CLOUDS if f"\n  {cloud}) required=" in check} == set(CLOUDS)


def test_jobs_that_sign_in_do_so_from_an_environment_with_an_oidc_token() -> None:
    signing_in = jobs_using(STACK_SETUP)
    assert {(file, name) for file, name, _ in signing_in} >= {
        ("preview.yml", "preview"),
        ("deploy.yml", "dev"),
        ("deploy.yml", "prod"),
        ("drift.yml", "refresh"),
    }
    for file, name, job in signing_in:
        assert job["permissions"].get("id-token") == "write", f"{file}: {name}"
        assert job["environment"], f"{file}: {name}"
        assert "secrets.AWS" not in str(job) and "secrets.AZURE" not in str(job) and "secrets.GCP" not in str(job)


def test_pull_requests_get_a_real_preview_from_this_repository_and_an_offline_diff_from_forks() -> None:
    jobs = workflow("preview.yml")["jobs"]
    same_repository = "github.event.pull_request.head.repo.full_name == github.repository"
    preview = jobs["preview"]
    assert preview["if"] == same_repository
    assert preview["environment"] == "${{ matrix.stack }}-preview"
    assert preview["permissions"] == {"contents": "read", "id-token": "write"}, "the job running the code cannot write"
    runs = "\n".join(step.get("run", "") for step in preview["steps"])
    assert 'pulumi preview --stack "$STACK" --policy-pack policy/pack --diff' in runs
    assert 'python -m delivery.pr_comment --stack "$STACK" --preview-output' in runs

    comment = jobs["comment"]
    assert comment["if"] == f"!cancelled() && {same_repository}", "a failed preview is posted too, a cancelled one is not"
    assert comment["needs"] == "preview"
    assert comment["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert "post-stack-comments.js" in str(comment)

    fork = jobs["offline-diff"]
    assert fork["if"] == "github.event.pull_request.head.repo.full_name != github.repository"
    assert fork["permissions"] == {"contents": "read"}
    assert "environment" not in fork
    assert "secrets." not in str(fork)
    (upload,) = [step for step in fork["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["name"] == "fork-preview"


def test_the_fork_comment_is_posted_by_trusted_code_from_checked_data() -> None:
    poster = workflow("fork-preview-comment.yml")
    assert triggers(poster) == {"workflow_run": {"workflows": [workflow("preview.yml")["name"]], "types": ["completed"]}}
    (job,) = poster["jobs"].values()
    assert "head_repository.full_name != github.repository" in job["if"]
    assert "conclusion == 'success'" in job["if"]
    (checkout,) = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]
    assert set(checkout["with"]) == {"persist-credentials"}, "the default branch's code, never the fork's"
    (download,) = [step for step in job["steps"] if step.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert download["with"]["path"].startswith("${{ runner.temp }}"), "outside the checked-out code"
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs and all(run.startswith("python3 -m delivery.fork_post ") for run in runs)
    (post,) = [step for step in job["steps"] if step.get("uses", "").startswith("actions/github-script@")]
    script = post["with"]["script"]
    assert "pull.head.sha !== process.env.HEAD_SHA" in script
    assert script.index("return;") < script.index("require('./.github/scripts/post-stack-comments.js')")
    assert "${{" not in script, "nothing interpolated into the script"


def test_drift_is_checked_read_only_and_reported_by_a_job_without_cloud_access() -> None:
    drift = workflow("drift.yml")
    assert "schedule" in triggers(drift)
    refresh, report = drift["jobs"]["refresh"], drift["jobs"]["report"]
    assert refresh["environment"] == "prod-preview"
    runs = "\n".join(step.get("run", "") for step in refresh["steps"])
    assert re.search(r"pulumi refresh --stack prod --preview-only --json", runs)
    assert all("--preview-only" in line for line in runs.splitlines() if line.startswith("pulumi refresh"))
    assert report["permissions"] == {"issues": "write"}
    assert STACK_SETUP not in str(report)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_that_can_write_to_the_repository_run_reviewed_code_only(path: Path) -> None:
    # A pull request's own checkout (the default ref of a pull_request run) must not run beside a token
    # that writes comments or issues: such a job checks out the base commit, or the default branch.
    document = load(path)
    pull_request = "pull_request" in triggers(document)
    for name, job in document["jobs"].items():
        writes = {scope for scope, level in (job.get("permissions") or {}).items() if level == "write"} - {"id-token"}
        checkouts = [s for s in job.get("steps", []) if s.get("uses", "").startswith("actions/checkout@")]
        if not (writes and pull_request and checkouts):
            continue
        for step in checkouts:
            assert step.get("with", {}).get("ref") == "${{ github.event.pull_request.base.sha }}", (name, step)


def test_azure_jobs_let_the_key_vault_secrets_provider_use_the_cli_login() -> None:
    # Without it the azurekeyvault:// provider tries environment credentials, which Azure/login does not set.
    azure = [s for s in steps(GITHUB / "actions" / "stack-setup" / "action.yml") if "'azure'" in str(s.get("if", ""))]
    assert any('AZURE_KEYVAULT_AUTH_VIA_CLI=true" >> "$GITHUB_ENV"' in s.get("run", "") for s in azure)


def test_jobs_that_enforce_the_policy_pack_install_its_virtualenv_first() -> None:
    # The pack's virtualenv is the one `make policy-pack` builds, where PulumiPolicy.yaml looks for it.
    pack = yaml.safe_load((PROJECT_DIR / "policy" / "pack" / "PulumiPolicy.yaml").read_text())
    venv = (PROJECT_DIR / "policy" / "pack" / pack["runtime"]["options"]["virtualenv"]).resolve().relative_to(PROJECT_DIR)
    makefile = (PROJECT_DIR / "Makefile").read_text()
    assert f"POLICY_VENV := {venv}\n" in makefile
    assert "policy-pack: $(POLICY_VENV)/.installed" in makefile
    assert "$(POLICY_VENV)/bin/python -m pip install --quiet -r policy/pack/requirements.txt" in makefile
    runs = [s.get("run", "") for s in steps(GITHUB / "actions" / "stack-setup" / "action.yml")]
    assert "make policy-pack" in runs
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            uses = [s.get("uses", "") for s in job.get("steps", [])]
            text = yaml.safe_dump(job)
            if "policy/pack" in text:
                assert STACK_SETUP in uses, (path.name, "runs the policy pack without stack-setup")
