"""The Google Cloud foundation: VPC, GKE with node pools, Cloud SQL PostgreSQL, Memorystore Redis, GCS."""

from .foundation import GcpFoundation

__all__ = ["GcpFoundation"]
