"""The Azure foundation: VNet with NAT, AKS with node pools, PostgreSQL Flexible Server,
Azure Managed Redis, Blob storage and an Azure Files share, all private."""

from .foundation import AzureFoundation

__all__ = ["AzureFoundation"]
