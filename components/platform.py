"""The whole environment of one stack: the chosen cloud's foundation, then the
cloud-neutral Kubernetes layer fed only by the foundation's result."""

from __future__ import annotations

import importlib

import pulumi

from .config import Settings
from .foundation import FoundationResult
from .kubernetes import KubernetesLayer

# Imported by name so that a stack loads only its own cloud's SDK.
FOUNDATIONS = {
    "aws": ("components.aws", "AwsFoundation"),
    "gcp": ("components.gcp", "GcpFoundation"),
    "azure": ("components.azure", "AzureFoundation"),
}


def standard_tags(settings: Settings) -> dict[str, str]:
    return {
        "project": pulumi.get_project(),
        "stack": pulumi.get_stack(),
        "environment": settings.environment,
        "managed-by": "pulumi",
    }


class Platform(pulumi.ComponentResource):
    foundation: FoundationResult

    def __init__(self, name: str, settings: Settings, opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:platform:Platform", name, None, opts)
        module_name, class_name = FOUNDATIONS[settings.cloud]
        foundation_class = getattr(importlib.import_module(module_name), class_name)
        foundation = foundation_class(name, settings, standard_tags(settings), opts=pulumi.ResourceOptions(parent=self))
        self.foundation = foundation.result
        self.host = settings.ingress.host
        KubernetesLayer(name, foundation=self.foundation, settings=settings, opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"clusterName": self.foundation.cluster_name})


def export_outputs(platform: Platform) -> None:
    """Stack outputs: what operators and other stacks need; credentials stay secret."""
    result = platform.foundation
    pulumi.export("cloud", result.cloud)
    pulumi.export("clusterName", result.cluster_name)
    pulumi.export("kubernetesVersion", result.kubernetes_version)
    pulumi.export("kubeconfig", result.kubeconfig)
    pulumi.export("databaseHost", result.database.host)
    pulumi.export("databaseUrl", result.database.url)
    pulumi.export("cacheHost", result.cache.host)
    pulumi.export("cacheUrl", result.cache.url())
    pulumi.export("objectStoreUrl", result.object_store.url)
    pulumi.export("url", f"https://{platform.host}")
