"""Who GitHub Actions says a workflow is: the OIDC issuer, and the exact subject (`sub`)
each CI identity accepts.

The unit is the GitHub environment, as in the workflows (.github/workflows, docs/delivery.md):
every job that signs in to a cloud names one, because the environment scopes the variables
per stack and carries the protection rules. GitHub's OIDC reference ("Filtering for a specific
environment", https://docs.github.com/en/actions/reference/security/oidc): a job that
references an environment gets `sub` = `repo:OWNER/REPO:environment:NAME`, whatever its
event or branch. So, per environment E of the account (dev, prod):

- `E-preview`: trusts `repo:OWNER/REPO:environment:E-preview` (preview.yml's
  `${{ matrix.stack }}-preview`, drift.yml's `prod-preview`); reads the cloud, reads E's
  state, decrypts with E's secrets key;
- `E`: trusts `repo:OWNER/REPO:environment:E` (deploy.yml's jobs `dev` and `prod`); deploys E.

What may run a job in an environment is GitHub's to enforce (deployment branches, required
reviewers), before it issues the token: docs/bootstrap.md says how to set them. The names are
not configurable: the workflows hardcode the stack names and `STACK-preview`
(tests/bootstrap/test_github_environments.py ties both sides). Each subject is compared
whole (no wildcard): any other environment or repository gets a different subject and is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import GitHub

ISSUER = "https://token.actions.githubusercontent.com"
PREVIEW_SUFFIX = "-preview"


@dataclass(frozen=True)
class CiIdentity:
    name: str  # the GitHub environment it trusts: dev-preview, dev, prod-preview, prod
    environment: str  # the stack whose state and key it uses: dev, prod
    subject: str
    # Deploys its environment (dev, prod), or only previews it (dev-preview, prod-preview).
    deploys: bool

    @property
    def sid(self) -> str:
        """The name as an IAM statement id takes it (letters and digits): DevPreview, Prod."""
        return "".join(part.capitalize() for part in self.name.split("-"))


def subject(github: GitHub, environment_name: str) -> str:
    return f"repo:{github.repository}:environment:{environment_name}"


def ci_identities(github: GitHub, environments: Sequence[str]) -> list[CiIdentity]:
    """A preview and a deploy identity for each environment of this account, in its order."""
    identities = []
    for environment in environments:
        for name, deploys in ((f"{environment}{PREVIEW_SUFFIX}", False), (environment, True)):
            identities.append(CiIdentity(name=name, environment=environment, subject=subject(github, name), deploys=deploys))
    return identities
