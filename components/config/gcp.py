"""Google Cloud-only settings (`centaurops:gcp`): their models, what prod changes, and the
rules that span them. Used when `centaurops:cloud` is `gcp`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from .types import Model, Problem, matching

if TYPE_CHECKING:
    from .schema import Settings

# https://cloud.google.com/resource-manager/docs/creating-managing-projects: 6 to 30
# characters, lowercase letters, digits and hyphens, starting with a letter.
ProjectId = Annotated[str, matching(r"([a-z][-a-z0-9]{4,28}[a-z0-9])?", "acme-flows-prod")]
GcpRegion = Annotated[str, matching(r"[a-z]+-[a-z]+\d+", "europe-west1")]


class Gcp(Model):
    project: ProjectId = Field(default="", description="Project the whole environment lives in (required on gcp).")
    region: GcpRegion = Field(default="us-central1", description="Region of the whole environment.")


PROD_DEFAULTS: dict[str, Any] = {}

# Documented in docs/configuration.md (components/config/reference.py); each is enforced below.
RULES: tuple[tuple[str, str], ...] = (("gcp.project", "set when `cloud` is `gcp`"),)
PROD_RULES: tuple[tuple[str, str], ...] = ()


def rules(settings: Settings) -> Iterator[Problem]:
    if not settings.gcp.project:
        yield ("gcp", "project"), "is required when cloud is gcp: the id of the project to build in, like acme-flows-prod"
