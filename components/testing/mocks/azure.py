"""Mocked Azure outputs and invokes: shaped like the real ones, derived from resource names."""

from __future__ import annotations

from .base import ProviderMocks

SUBSCRIPTION_ID = "4f1c2b7e-8d3a-4e5f-9a6b-0c1d2e3f4a5b"
TENANT_ID = "7a9b8c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
DEFAULT_LOCATION = "westeurope"


class AzureMocks(ProviderMocks):
    """Mocks for the Azure resources the components create and the invokes they make."""

    package = "azure-native"

    def __init__(self, subscription_id: str = SUBSCRIPTION_ID, tenant_id: str = TENANT_ID, location: str = DEFAULT_LOCATION):
        self.subscription_id = subscription_id
        self.tenant_id = tenant_id
        self.location = location
