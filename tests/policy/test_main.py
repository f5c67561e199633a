"""`python -m policy`: one line per violation, exit codes, and one line for bad input."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from policy.__main__ import main
from preview.cli import PROJECT_DIR
from tests.policy.plans import document, one


def write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value))
    return path


def unlimited(doc: dict[str, Any]) -> dict[str, Any]:
    """The plan with one workloads-hardened violation: the flow platform without a memory limit."""
    (release,) = [r for r in doc["resources"] if r["name"].endswith("-flow-platform") and r["type"].endswith("Release")]
    del release["inputs"]["values"]["resources"]["limits"]
    return doc


def test_a_clean_plan_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write(tmp_path / "plan.json", document("prod", "aws"))
    config = write(tmp_path / "config.json", {"workloads-hardened": "disabled"})
    assert main([str(plan), "--config", str(config)]) == 0
    assert capsys.readouterr().out == f"{plan}: 0 violation(s), 0 mandatory\n"


def test_mandatory_violations_exit_1_with_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = document("prod", "azure")
    # The blob account back on platform-managed keys: the one violation.
    one(doc, "azure-native:storage:StorageAccount", "-blob")["inputs"]["encryption"]["keySource"] = "Microsoft.Storage"
    plan = write(tmp_path / "plan.json", doc)
    config = write(tmp_path / "config.json", {"workloads-hardened": "disabled"})
    assert main([str(plan), "--config", str(config)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"{plan}: 1 violation(s), 1 mandatory"
    blob = next(r["urn"] for r in doc["resources"] if r["name"] == "centaurops-prod-blob")
    assert (
        f"mandatory customer-managed-keys {blob}: encryption.keySource must be 'Microsoft.Keyvault', got 'Microsoft.Storage'"
        in lines
    )


def test_advisory_violations_are_printed_but_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write(tmp_path / "plan.json", document("prod", "azure"))
    config = write(tmp_path / "config.json", {"all": "advisory"})
    assert main([str(plan), "--config", str(config)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].endswith(" 0 mandatory")
    assert all(line.startswith("advisory ") for line in out[:-1])


def test_several_plans_are_checked_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plans = [write(tmp_path / f"{stack}.json", unlimited(document(stack, "gcp"))) for stack in ("dev", "prod")]
    config = write(tmp_path / "config.json", {"workloads-hardened": "advisory"})
    assert main([*map(str, plans), "--config", str(config)]) == 0
    summaries = [line for line in capsys.readouterr().out.splitlines() if line.startswith(str(tmp_path))]
    assert summaries == [f"{plans[0]}: 1 violation(s), 0 mandatory", f"{plans[1]}: 1 violation(s), 0 mandatory"]


def test_bad_input_is_one_line_on_stderr_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nothing.json")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'nothing.json'}: cannot read the plan: No such file or directory\n"
    plan = write(tmp_path / "plan.json", document("dev", "aws"))
    config = write(tmp_path / "config.json", {"data-privat": "advisory"})
    assert main([str(plan), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {config}: unknown policy data-privat (known: ")
    assert err.count("\n") == 1


def test_it_runs_as_a_module(tmp_path: Path) -> None:
    plan = write(tmp_path / "plan.json", unlimited(document("prod", "aws")))
    run = subprocess.run(
        [sys.executable, "-m", "policy", str(plan)], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert "mandatory workloads-hardened " in run.stdout
    assert run.stderr == ""
