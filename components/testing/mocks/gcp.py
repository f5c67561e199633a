"""Mocked Google Cloud outputs and invokes: shaped like the real ones, derived from resource names."""

from __future__ import annotations

from .base import ProviderMocks

PROJECT = "acme-flows-dev"
PROJECT_NUMBER = "123456789012"
DEFAULT_REGION = "us-central1"


class GcpMocks(ProviderMocks):
    """Mocks for the Google Cloud resources the components create and the invokes they make."""

    package = "gcp"

    def __init__(self, project: str = PROJECT, project_number: str = PROJECT_NUMBER, region: str = DEFAULT_REGION):
        self.project = project
        self.project_number = project_number
        self.region = region
