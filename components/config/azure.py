"""Azure-only settings (`centaurops:azure`): their models, what prod changes, and the rules
that span them. Used when `centaurops:cloud` is `azure`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from .types import Model, Problem, matching

if TYPE_CHECKING:
    from .schema import Settings

AzureLocation = Annotated[str, matching(r"[a-z]+[a-z0-9]*", "westeurope")]


class Azure(Model):
    location: AzureLocation = Field(default="westeurope", description="Azure region of the whole environment.")


PROD_DEFAULTS: dict[str, Any] = {}

# Documented in docs/configuration.md (components/config/reference.py); each is enforced below.
RULES: tuple[tuple[str, str], ...] = ()
PROD_RULES: tuple[tuple[str, str], ...] = ()


def rules(settings: Settings) -> Iterator[Problem]:
    yield from ()
