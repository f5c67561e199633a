"""What every cloud's mocks share: deterministic values, and the shape of one provider's mocks.

Values are derived from resource names, so two runs give identical plans.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

# Outputs of a resource type beyond its inputs, from its logical name and inputs.
ResourceHandler = Callable[[str, dict[str, Any]], dict[str, Any]]
# The answer to an invoke, from its arguments.
InvokeHandler = Callable[[dict[str, Any]], dict[str, Any]]

FAKE_CA_PEM = (
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYWNtZS1tb2NrLWNsdXN0ZXItY2EwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n"
)


def digest(text: str, length: int = 17) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


class ProviderMocks:
    """The mocked outputs and invokes of one provider (one cloud, or random).

    `resources` maps a resource type token to its handler, `invokes` an invoke token to
    its answer. `complete` fills what the provider computes for every resource of its
    package (auto-names, ARNs, self links) once the type's own handler has run."""

    package: str = ""

    def resources(self) -> Mapping[str, ResourceHandler]:
        return {}

    def invokes(self) -> Mapping[str, InvokeHandler]:
        return {}

    def complete(self, typ: str, name: str, outputs: dict[str, Any]) -> None:
        """Add what the provider computes for any of its resources; `outputs` is edited in place."""

    def resource_id(self, typ: str, name: str, outputs: dict[str, Any]) -> str:
        return str(outputs.get("id") or digest(name))


def random_password(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    length = int(inputs.get("length", 32))
    return {"result": (digest(name, 64) * 4)[:length]}


def random_bytes(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    data = (hashlib.sha256(name.encode()).digest() * 8)[: int(inputs.get("length", 32))]
    return {"base64": base64.b64encode(data).decode(), "hex": data.hex()}


class RandomMocks(ProviderMocks):
    package = "random"

    def resources(self) -> Mapping[str, ResourceHandler]:
        return {
            "random:index/randomPassword:RandomPassword": random_password,
            "random:index/randomBytes:RandomBytes": random_bytes,
        }
