"""Realistic mocked cloud outputs, for the offline preview and for tests.

Platform teams can reuse `CloudMocks` to run their own programs built on these
components under `pulumi.runtime.set_mocks`: every output the components consume
(endpoints, ARNs, certificate data, ids) and every invoke they make (who is deploying)
comes back shaped like the real thing. Each cloud's mocks live in their own module
(`aws.py`, `gcp.py`, `azure.py`); none imports a cloud SDK.
Values are derived from resource names, so two runs give identical plans.
"""

from __future__ import annotations

from typing import Any

import pulumi

from .aws import ACCOUNT_ID, DEFAULT_REGION, DEPLOYER_ROLE, DEPLOYER_SESSION, AwsMocks
from .azure import AzureMocks
from .base import FAKE_CA_PEM, ProviderMocks, RandomMocks, digest, random_bytes, random_password
from .gcp import GcpMocks

__all__ = [
    "ACCOUNT_ID",
    "DEFAULT_REGION",
    "DEPLOYER_ROLE",
    "DEPLOYER_SESSION",
    "FAKE_CA_PEM",
    "AwsMocks",
    "AzureMocks",
    "CloudMocks",
    "GcpMocks",
    "ProviderMocks",
    "digest",
    "random_bytes",
    "random_password",
]


class CloudMocks(pulumi.runtime.Mocks):
    """Mocks for every cloud's resources, random and Kubernetes, dispatched by type token."""

    def __init__(self, aws: AwsMocks | None = None, gcp: GcpMocks | None = None, azure: AzureMocks | None = None):
        self.providers: tuple[ProviderMocks, ...] = (
            aws or AwsMocks(),
            gcp or GcpMocks(),
            azure or AzureMocks(),
            RandomMocks(),
        )
        self._resources = {typ: handler for p in self.providers for typ, handler in p.resources().items()}
        self._invokes = {token: handler for p in self.providers for token, handler in p.invokes().items()}

    def _provider_of(self, typ: str) -> ProviderMocks | None:
        package = typ.split(":", 1)[0]
        return next((p for p in self.providers if p.package == package), None)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        outputs = dict(args.inputs)
        handler = self._resources.get(args.typ)
        if handler:
            outputs.update(handler(args.name, args.inputs))
        provider = self._provider_of(args.typ)
        if provider is None:
            return str(outputs.get("id") or digest(args.name)), outputs
        provider.complete(args.typ, args.name, outputs)
        return provider.resource_id(args.typ, args.name, outputs), outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        handler = self._invokes.get(args.token)
        if handler is None:
            # An answer of {} would hand the program None for every field: fail loudly instead.
            raise NotImplementedError(f"CloudMocks has no answer for the invoke {args.token}")
        # No failures: an empty list (the SDK's mock monitor iterates it; None would raise).
        return handler(args.args), []
