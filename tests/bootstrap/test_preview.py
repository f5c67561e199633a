"""`python -m preview STACK --project bootstrap`: the bootstrap program previewed offline like the main one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from preview.cli import EXIT_BAD_INPUT, main

COMPONENTS = {"aws": "AwsBootstrap", "gcp": "GcpBootstrap", "azure": "AzureBootstrap"}


@pytest.mark.parametrize("cloud", sorted(COMPONENTS))
def test_each_cloud_previews_its_tree_and_writes_its_plan(cloud: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([cloud, "--project", "bootstrap", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr()
    assert f"Previewing stack '{cloud}' ({cloud}) offline, under mocks:" in printed.out
    assert f"centaurops:bootstrap:{COMPONENTS[cloud]}" in printed.out
    # The shipped stack file's placeholders are warned about, not refused, offline.
    assert "github.repository: octo-org/octo-repo is a documentation placeholder" in printed.err
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert (plan["project"], plan["stack"], plan["cloud"]) == ("centaurops-bootstrap", cloud, cloud)
    # Only the chosen cloud's resources, each child of the one component.
    component = next(r for r in plan["resources"] if r["type"] == f"centaurops:bootstrap:{COMPONENTS[cloud]}")
    packages = {r["type"].split(":")[0] for r in plan["resources"] if r["custom"]}
    assert packages <= {"aws" if cloud == "aws" else "gcp" if cloud == "gcp" else "azure-native", "random", "pulumi"}
    assert all(r["parent"] == component["urn"] for r in plan["resources"] if r["custom"])


def test_a_project_without_pulumi_yaml_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["aws", "--project", "docs", "--out", str(tmp_path / "out")]) == EXIT_BAD_INPUT
    printed = capsys.readouterr()
    assert printed.err.startswith("error: --project docs: no Pulumi.yaml in ")
    assert len(printed.err.splitlines()) == 1
    assert not (tmp_path / "out").exists()
