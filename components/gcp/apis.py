"""The Google APIs the foundation uses, enabled first: every other resource waits for them.

Destroying the stack leaves them enabled (`disable_on_destroy=False`): other workloads of
the project may use them, and disabling an API deletes what it manages."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

SERVICES = (
    "cloudresourcemanager.googleapis.com",  # project IAM bindings, the project number
    "serviceusage.googleapis.com",
    "iam.googleapis.com",  # the node service account
    "compute.googleapis.com",  # VPC, subnets, router, NAT
    "container.googleapis.com",  # GKE
    "servicenetworking.googleapis.com",  # private services access for Cloud SQL and Memorystore
    "dns.googleapis.com",  # the private googleapis.com zone
    "cloudkms.googleapis.com",  # customer-managed keys
    "sqladmin.googleapis.com",  # Cloud SQL
    "redis.googleapis.com",  # Memorystore for Redis
    "storage.googleapis.com",  # the bucket
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "artifactregistry.googleapis.com",  # image pulls by the nodes' service account
)


class ProjectApis(pulumi.ComponentResource):
    services: list[gcp.projects.Service]

    def __init__(self, name: str, *, project: str, opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:gcp:ProjectApis", name, None, opts)
        self.services = [
            gcp.projects.Service(
                f"{name}-{service.split('.')[0]}",
                project=project,
                service=service,
                disable_on_destroy=False,
                disable_dependent_services=False,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for service in SERVICES
        ]
        self.register_outputs({"services": [s.service for s in self.services]})
