"""centaurops: reusable Pulumi components for a production-grade AI flow platform."""
