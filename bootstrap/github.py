"""Who GitHub Actions says a workflow is: the OIDC issuer, and the exact subject (`sub`)
each CI identity accepts.

GitHub's OIDC reference ("Example subject claims"): a job that references an environment
gets `repo:OWNER/REPO:environment:NAME`; otherwise a `pull_request` event gets
`repo:OWNER/REPO:pull_request`, and a push `repo:OWNER/REPO:ref:refs/heads/BRANCH`. So:

- `preview`: pull requests of this repository, in jobs without an environment;
- `dev`: pushes to the deploy branch, in jobs without an environment;
- `prod`: jobs of the prod environment only, whose protection rules (reviewers, the
  branches allowed to deploy) GitHub enforces before it issues the token.

Each is compared whole (no wildcard): any other event, branch, environment or repository
gets a different subject and is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import GitHub

ISSUER = "https://token.actions.githubusercontent.com"
IDENTITIES = ("preview", "dev", "prod")


@dataclass(frozen=True)
class CiIdentity:
    name: str  # preview, dev or prod
    subject: str
    # Deploys an environment (dev, prod), or only previews (preview).
    deploys: bool


def subject(github: GitHub, identity: str) -> str:
    repo = f"repo:{github.repository}"
    if identity == "preview":
        return f"{repo}:pull_request"
    if identity == "dev":
        return f"{repo}:ref:refs/heads/{github.branch}"
    return f"{repo}:environment:{github.prod_environment}"


def ci_identities(github: GitHub, environments: Sequence[str]) -> list[CiIdentity]:
    """The preview identity, and a deploy identity for each environment of this account."""
    names = ["preview", *(e for e in IDENTITIES[1:] if e in environments)]
    return [CiIdentity(name=name, subject=subject(github, name), deploys=name != "preview") for name in names]
