"""`python -m preview`, run the way a user runs it: bad input is one line per problem, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pulumi
import pytest

from preview import runner
from preview.cli import EXIT_BAD_INPUT, PROJECT_DIR, preview_plan
from tests.plans import stack_config

TOP_LEVEL_KEYS = (
    "addons, aws, azure, cache, cloud, cluster, database, environment, gcp, ingress, network, nodePools, objectStore, workload"
)


def run_preview(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "preview", *map(str, args)],
        cwd=PROJECT_DIR,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], lines: list[str], out: Path) -> None:
    """Exit 2, exactly `lines` on stderr, nothing on stdout, no traceback, nothing written."""
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    assert result.stderr.splitlines() == lines
    assert result.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize(
    ("stack", "stack_file", "lines"),
    [
        (
            "dev",
            "config:\n"
            "  centaurops:database:\n"
            "    backupRetentionDays: 0\n"
            "  centaurops:network:\n"
            "    zoneCount: 4\n"
            "  centaurops:databse:\n"
            "    storageGb: 50\n",
            [
                "error: centaurops:network.zoneCount: must be between 2 and 3, got 4",
                "error: centaurops:database.backupRetentionDays: must be between 1 and 35, got 0",
                f"error: centaurops:databse: unknown key; allowed keys: {TOP_LEVEL_KEYS}",
            ],
        ),
        (
            "staging",
            "config:\n  centaurops:cloud: aws\n",
            [
                "error: centaurops:environment: is required because stack 'staging' is neither dev nor prod; allowed: dev, prod",
            ],
        ),
        (
            "prod",
            "config:\n"
            "  centaurops:database:\n"
            "    multiAz: false\n"
            "  centaurops:nodePools:\n"
            "    workload:\n"
            "      capacityType: spot\n",
            [
                "error: centaurops:nodePools.workload.capacityType: must be onDemand in prod (spot is for dev), got 'spot'",
                "error: centaurops:database.multiAz: must be true in prod, got false",
            ],
        ),
    ],
    ids=["bad-values", "no-environment", "prod-rules"],
)
def test_bad_config_is_one_line_per_problem_and_exit_2(tmp_path: Path, stack: str, stack_file: str, lines: list[str]) -> None:
    path = tmp_path / f"Pulumi.{stack}.yaml"
    path.write_text(stack_file)
    out = tmp_path / "out"
    assert_refused(run_preview(stack, "--stack-file", path, "--out", out), lines, out)


def test_malformed_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text("config:\n  centaurops:network:\n    zoneCount: 3\n   cidr: 10.0.0.0/16\n")
    out = tmp_path / "out"
    result = run_preview("dev", "--stack-file", path, "--out", out)
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {path}: malformed YAML (line 4, column 4): ")
    assert_refused(result, [line], out)


def test_a_missing_stack_file_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_preview("no-such-stack", "--out", out)
    assert_refused(result, [f"error: {PROJECT_DIR / 'Pulumi.no-such-stack.yaml'}: no such stack file"], out)


def test_preview_of_dev_prints_the_tree_and_writes_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_preview("dev", "--out", out)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr
    plan = json.loads((out / "plan.json").read_text())
    lines = result.stdout.splitlines()
    assert lines[0] == "Previewing stack 'dev' (aws) offline, under mocks:"
    assert any(line.split()[-2:] == ["pulumi:pulumi:Stack", "centaurops-dev"] for line in lines)
    assert "Resources:" in lines
    count = lines[lines.index("Resources:") + 1]
    assert count.startswith(f"    + {len(plan['resources'])} to create (")
    assert len(plan["resources"]) > 1
    assert (plan["stack"], plan["cloud"]) == ("dev", "aws")
    assert (out / "manifests").is_dir()
    assert lines[-1] == f"Wrote {out / 'plan.json'} and {out / 'manifests'}/"


def test_preview_prints_the_programs_warnings_and_keeps_them_in_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_preview("prod", "--out", out)
    assert result.returncode == 0, result.stderr
    plan = json.loads((out / "plan.json").read_text())
    assert plan["warnings"]
    assert result.stderr.splitlines() == [f"warning: {warning}" for warning in plan["warnings"]]
    assert result.stderr.startswith("warning: centaurops:ingress.host: flows.example.com is a placeholder")


def test_bad_config_registers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process: the program refuses its config before registering any resource."""
    runs: list[runner.ProgramRun] = []

    class RecordedRun(runner.ProgramRun):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            runs.append(self)

    monkeypatch.setattr(runner, "ProgramRun", RecordedRun)
    config = stack_config("prod", database={"multiAz": False, "backupRetentionDays": 0})
    with pytest.raises(pulumi.RunError) as caught:
        preview_plan("prod", config)
    assert str(caught.value).splitlines() == [
        "centaurops:database.backupRetentionDays: must be between 1 and 35, got 0",
    ]
    assert len(runs) == 1
    # Only the stack itself, which the engine registers before the program runs.
    assert [r.type for r in runs[0].resources] == ["pulumi:pulumi:Stack"]


# A program that forgets its Kubernetes provider, run through the command line (the
# program is swapped in; everything else is `python -m preview`).
FORGETS_ITS_PROVIDER = """
import functools, sys
import pulumi_kubernetes as k8s
from preview import cli
from preview.runner import run_program

def program():
    k8s.core.v1.ConfigMap("settings", metadata={"name": "settings", "namespace": "flows"}, data={"a": "b"})

cli.run_program = functools.partial(run_program, program=program)
sys.exit(cli.main(sys.argv[1:]))
"""


def run_forgetful_preview(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", FORGETS_ITS_PROVIDER, *map(str, args)],
        cwd=PROJECT_DIR,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def test_a_resource_falling_back_to_the_disabled_default_provider_is_one_line_and_exit_1(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # The shipped dev stack file disables the default kubernetes provider.
    result = run_forgetful_preview("dev", "--out", out)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: kubernetes:core/v1:ConfigMap 'settings' has no explicit provider, and the stack disables"
        " the default kubernetes provider (pulumi:disable-default-providers)"
    ]
    assert result.stdout == ""
    assert not out.exists()


def test_the_same_program_previews_when_the_stack_keeps_the_default_provider(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text("config:\n  centaurops:cloud: aws\n")
    out = tmp_path / "out"
    result = run_forgetful_preview("dev", "--stack-file", path, "--out", out)
    assert result.returncode == 0, result.stderr
    plan = json.loads((out / "plan.json").read_text())
    (config_map,) = [r for r in plan["resources"] if r["type"] == "kubernetes:core/v1:ConfigMap"]
    assert config_map["provider"] == ""
    assert [p.name for p in (out / "manifests").iterdir()] == ["configmap-flows-settings.yaml"]
