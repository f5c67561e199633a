"""delivery.stack_cloud: the workflows sign in to the cloud the stack file names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from delivery.stack_cloud import CLOUDS, stack_cloud
from preview.cli import PROJECT_DIR
from preview.stackfile import StackFileError


def stack_file(directory: Path, stack: str, body: str) -> Path:
    path = directory / f"Pulumi.{stack}.yaml"
    path.write_text(body)
    return path


def test_the_shipped_stacks_name_their_cloud() -> None:
    assert stack_cloud("dev") == "aws"
    assert stack_cloud("prod") == "aws"


@pytest.mark.parametrize("cloud", CLOUDS)
def test_each_cloud_is_read_from_the_stack_file(tmp_path: Path, cloud: str) -> None:
    stack_file(tmp_path, "qa", f"config:\n  centaurops:cloud: {cloud}\n")
    assert stack_cloud("qa", tmp_path) == cloud


def test_a_stack_file_without_a_cloud_is_on_aws(tmp_path: Path) -> None:
    stack_file(tmp_path, "qa", "config:\n  centaurops:environment: dev\n")
    assert stack_cloud("qa", tmp_path) == "aws"


def test_an_unknown_cloud_is_refused(tmp_path: Path) -> None:
    stack_file(tmp_path, "qa", "config:\n  centaurops:cloud: oracle\n")
    with pytest.raises(StackFileError, match="centaurops:cloud must be one of aws, gcp, azure, got 'oracle'"):
        stack_cloud("qa", tmp_path)


def test_a_stack_name_is_not_a_path(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a stack name"):
        stack_cloud("../etc/x", tmp_path)


def test_the_command_prints_the_output_line() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "delivery.stack_cloud", "prod"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert run.stdout == "cloud=aws\n"
    missing = subprocess.run(
        [sys.executable, "-m", "delivery.stack_cloud", "staging"], cwd=PROJECT_DIR, capture_output=True, text=True
    )
    assert missing.returncode == 2
    assert "no such stack file" in missing.stderr
