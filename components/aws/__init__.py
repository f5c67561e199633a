"""The AWS foundation: VPC, EKS with node pools, RDS PostgreSQL, ElastiCache Redis, S3."""

from .foundation import AwsFoundation

__all__ = ["AwsFoundation"]
