"""bootstrap/github.py: the exact subject each CI identity accepts, as GitHub writes it."""

from __future__ import annotations

from bootstrap.config import GitHub
from bootstrap.github import ISSUER, ci_identities, subject


def test_subjects_follow_githubs_formats() -> None:
    github = GitHub.model_validate({"repository": "Acme/Flow-Platform", "branch": "release/v2", "prodEnvironment": "production"})
    assert subject(github, "preview") == "repo:Acme/Flow-Platform:pull_request"
    assert subject(github, "dev") == "repo:Acme/Flow-Platform:ref:refs/heads/release/v2"
    assert subject(github, "prod") == "repo:Acme/Flow-Platform:environment:production"
    assert ISSUER == "https://token.actions.githubusercontent.com"


def test_an_account_gets_preview_and_a_deploy_identity_per_environment() -> None:
    github = GitHub.model_validate({"repository": "acme/flows"})
    assert [(i.name, i.deploys) for i in ci_identities(github, ["prod"])] == [("preview", False), ("prod", True)]
    assert [i.name for i in ci_identities(github, ["prod", "dev"])] == ["preview", "dev", "prod"]
