"""bootstrap/github.py: the exact subject each CI identity accepts, as GitHub writes it."""

from __future__ import annotations

from bootstrap.config import GitHub
from bootstrap.github import ISSUER, ci_identities, subject


def test_subjects_are_githubs_environment_subjects() -> None:
    github = GitHub.model_validate({"repository": "Acme/Flow-Platform"})
    # https://docs.github.com/en/actions/reference/security/oidc, "Filtering for a specific environment".
    assert subject(github, "prod-preview") == "repo:Acme/Flow-Platform:environment:prod-preview"
    assert ISSUER == "https://token.actions.githubusercontent.com"


def test_each_environment_gets_a_preview_and_a_deploy_identity_of_its_own() -> None:
    github = GitHub.model_validate({"repository": "acme/flows"})
    found = [(i.name, i.environment, i.deploys, i.subject) for i in ci_identities(github, ["dev", "prod"])]
    assert found == [
        ("dev-preview", "dev", False, "repo:acme/flows:environment:dev-preview"),
        ("dev", "dev", True, "repo:acme/flows:environment:dev"),
        ("prod-preview", "prod", False, "repo:acme/flows:environment:prod-preview"),
        ("prod", "prod", True, "repo:acme/flows:environment:prod"),
    ]
    assert [i.name for i in ci_identities(github, ["prod"])] == ["prod-preview", "prod"]
    assert [i.sid for i in ci_identities(github, ["prod"])] == ["ProdPreview", "Prod"]
