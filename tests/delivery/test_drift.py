"""delivery.drift: drift is any operation a refresh would make."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from delivery.drift import drift
from preview.cli import PROJECT_DIR


def test_a_stack_as_deployed_has_no_drift() -> None:
    assert drift({"steps": [], "changeSummary": {"same": 160}}) == {}


def test_every_operation_but_same_is_drift() -> None:
    assert drift({"changeSummary": {"same": 150, "update": 3, "delete": 1, "create": 0}}) == {"delete": 1, "update": 3}


def test_output_that_is_not_a_preview_is_an_error() -> None:
    with pytest.raises(ValueError, match="no changeSummary"):
        drift({"steps": []})


def test_the_command_writes_the_outputs_the_report_job_reads(tmp_path: Path) -> None:
    refresh = tmp_path / "refresh.json"
    refresh.write_text(json.dumps({"changeSummary": {"same": 10, "update": 2}}))
    output = tmp_path / "github-output"
    run = subprocess.run(
        [sys.executable, "-m", "delivery.drift", str(refresh)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_OUTPUT": str(output)},
    )
    assert run.returncode == 0, run.stderr
    assert output.read_text() == "drifted=true\nsummary=2 to update\n"

    refresh.write_text("not json")
    broken = subprocess.run([sys.executable, "-m", "delivery.drift", str(refresh)], cwd=PROJECT_DIR, capture_output=True)
    assert broken.returncode == 2
