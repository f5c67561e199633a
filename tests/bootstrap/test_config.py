"""bootstrap/config.py: a bad bootstrap config is one line per problem naming the key, before anything is built."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bootstrap.config import ConfigError, placeholders, settings_from_config
from preview.cli import EXIT_BAD_INPUT, PROJECT_DIR
from tests.bootstrap.stacks import BOOTSTRAP_DIR, bootstrap_config

VALID = {
    "centaurops-bootstrap:cloud": "aws",
    "centaurops-bootstrap:github": '{"repository": "acme/flows"}',
    "centaurops-bootstrap:aws": '{"accountId": "111122223333"}',
}


def problems(config: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        settings_from_config(config)
    return raised.value.problems


def test_defaults_bootstrap_dev_and_prod() -> None:
    settings = settings_from_config(VALID)
    assert settings.environments == ["dev", "prod"]


@pytest.mark.parametrize("key", ["branch", "prodEnvironment"])
def test_the_environment_names_are_the_workflows_not_settings(key: str) -> None:
    # The workflows hardcode the stack names and STACK-preview: a setting here could only disagree.
    (line,) = problems({**VALID, "centaurops-bootstrap:github": f'{{"repository": "acme/flows", "{key}": "x"}}'})
    assert line.startswith(f"centaurops-bootstrap:github.{key}: unknown key")


@pytest.mark.parametrize(
    ("override", "line"),
    [
        (
            {"centaurops-bootstrap:github": '{"repository": "octo-org/*"}'},
            "centaurops-bootstrap:github.repository: must look like octo-org/octo-repo, got 'octo-org/*'",
        ),
        (
            {"centaurops-bootstrap:github": '{"repository": "acme/flows:ref:refs/heads/x"}'},
            "centaurops-bootstrap:github.repository: must look like octo-org/octo-repo, got 'acme/flows:ref:refs/heads/x'",
        ),
        ({"centaurops-bootstrap:github": "{}"}, "centaurops-bootstrap:github.repository: is required"),
        (
            {"centaurops-bootstrap:aws": "{}"},
            "centaurops-bootstrap:aws.accountId: is required when cloud is aws: the 12-digit account id to bootstrap",
        ),
        (
            {"centaurops-bootstrap:aws": '{"accountId": 111122223333}'},
            "centaurops-bootstrap:aws.accountId: must be a string, got 111122223333",
        ),
        (
            {"centaurops-bootstrap:environments": '["dev", "staging"]'},
            "centaurops-bootstrap:environments[1]: must be one of 'dev' or 'prod', got 'staging'",
        ),
        (
            {"centaurops-bootstrap:environments": '["dev", "dev"]'},
            "centaurops-bootstrap:environments: must list each environment once, got ['dev', 'dev']",
        ),
        (
            {"centaurops-bootstrap:cloud": "oci"},
            "centaurops-bootstrap:cloud: must be one of 'aws', 'gcp' or 'azure', got 'oci'",
        ),
    ],
)
def test_each_problem_is_one_line_naming_the_key(override: dict[str, str], line: str) -> None:
    assert problems({**VALID, **override}) == [line]


def test_unknown_key_lists_the_allowed_ones() -> None:
    (line,) = problems({**VALID, "centaurops-bootstrap:enviroments": '["dev"]'})
    allowed = "aws, azure, cloud, environments, gcp, github"
    assert line == f"centaurops-bootstrap:enviroments: unknown key; allowed keys: {allowed}"


def test_a_cloud_needs_only_its_own_account_key() -> None:
    settings = settings_from_config(
        {**VALID, "centaurops-bootstrap:cloud": "gcp", "centaurops-bootstrap:gcp": '{"project": "acme-ci"}'}
    )
    assert settings.gcp.project == "acme-ci"
    assert problems({**VALID, "centaurops-bootstrap:cloud": "azure"}) == [
        "centaurops-bootstrap:azure.subscriptionId: is required when cloud is azure: the subscription id to bootstrap"
    ]


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_shipped_stack_files_hold_placeholders_pulumi_up_refuses(cloud: str) -> None:
    settings = settings_from_config(bootstrap_config(cloud))
    found = dict(placeholders(settings))
    account_key = {"aws": ("aws", "accountId"), "gcp": ("gcp", "project"), "azure": ("azure", "subscriptionId")}[cloud]
    assert set(found) == {("github", "repository"), account_key}


def test_preview_refuses_a_bad_bootstrap_config_with_one_line_each(tmp_path: Path) -> None:
    stack_file = tmp_path / "Pulumi.aws.yaml"
    stack_file.write_text(
        "config:\n"
        "  centaurops-bootstrap:cloud: aws\n"
        "  centaurops-bootstrap:github:\n"
        "    repository: acme/*\n"
        "  centaurops-bootstrap:aws:\n"
        "    region: us-east-1\n"
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "preview", "aws", "--project", "bootstrap", "--stack-file", stack_file, "--out", out],
        cwd=PROJECT_DIR,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    assert result.stderr.splitlines() == [
        "error: centaurops-bootstrap:github.repository: must look like octo-org/octo-repo, got 'acme/*'"
    ]
    assert result.stdout == ""
    assert not out.exists()
    assert BOOTSTRAP_DIR.is_dir()
