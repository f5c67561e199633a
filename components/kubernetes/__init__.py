"""The cloud-neutral Kubernetes layer: add-ons, the workload, TLS and network policies,
fed only by a foundation's `FoundationResult`."""

from .layer import KubernetesLayer

__all__ = ["KubernetesLayer"]
