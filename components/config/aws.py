"""AWS-only settings (`centaurops:aws`): their models, what prod changes, and the rules
that span them. Used when `centaurops:cloud` is `aws`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from . import access
from .types import Model, Problem, matching

if TYPE_CHECKING:
    from .schema import Settings

AddonVersion = Annotated[str, matching(r"v\d+\.\d+\.\d+-eksbuild\.\d+", "v1.21.1-eksbuild.1")]
AwsRegion = Annotated[str, matching(r"[a-z]{2}(-gov)?-[a-z]+-\d", "eu-west-1")]
AwsZone = Annotated[str, matching(r"[a-z]{2}(-gov)?-[a-z]+-\d[a-z]", "eu-west-1a")]
IamPrincipalArn = Annotated[
    str,
    matching(r"arn:aws[a-z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+", "arn:aws:iam::123456789012:role/platform-admin"),
]
SecurityGroupId = Annotated[str, matching(r"sg-[0-9a-f]{8}([0-9a-f]{9})?", "sg-0123456789abcdef0")]
InstanceType = Annotated[str, matching(r"[a-z][a-z0-9-]*\.[a-z0-9]+", "m7i.large")]


class AwsNodePool(Model):
    instance_types: Annotated[list[InstanceType], Field(min_length=1, max_length=10)] = Field(
        default_factory=lambda: ["t3.large"], description="EC2 instance types of the pool, most preferred first."
    )


class AwsNodePools(Model):
    system: AwsNodePool = Field(default_factory=AwsNodePool, description="Instance types of the system pool.")
    workload: AwsNodePool = Field(default_factory=AwsNodePool, description="Instance types of the workload pool.")


class EksAddonVersions(Model):
    vpc_cni: AddonVersion = Field(default="v1.21.1-eksbuild.1", description="Amazon VPC CNI add-on version.")
    coredns: AddonVersion = Field(default="v1.13.1-eksbuild.1", description="CoreDNS add-on version.")
    kube_proxy: AddonVersion = Field(default="v1.35.0-eksbuild.2", description="kube-proxy add-on version.")
    ebs_csi_driver: AddonVersion = Field(default="v1.53.0-eksbuild.1", description="Amazon EBS CSI driver add-on version.")
    pod_identity_agent: AddonVersion = Field(default="v1.3.10-eksbuild.1", description="EKS Pod Identity agent add-on version.")


class Aws(Model):
    region: AwsRegion = Field(default="us-east-1", description="AWS region of the whole environment.")
    availability_zones: list[AwsZone] = Field(
        default_factory=list,
        description="Zones to use, in order; empty means the region's a, b and c zones (first network.zoneCount).",
    )
    node_pools: AwsNodePools = Field(default_factory=AwsNodePools, description="EC2 instance types per node pool.")
    addon_versions: EksAddonVersions = Field(default_factory=EksAddonVersions, description="Pinned EKS add-on versions.")
    database_instance_class: Annotated[str, matching(r"db\.[a-z0-9]+\.[a-z0-9]+", "db.t4g.medium")] = Field(
        default="db.t4g.medium", description="RDS instance class."
    )
    cache_node_type: Annotated[str, matching(r"cache\.[a-z0-9]+\.[a-z0-9]+", "cache.t4g.small")] = Field(
        default="cache.t4g.small", description="ElastiCache node type."
    )
    admin_principal_arns: list[IamPrincipalArn] = Field(
        default_factory=list,
        description="IAM roles or users given cluster-admin (EKS access entries) and key administration, besides the deployer;"
        " list the CI identities here.",
    )
    developer_principal_arns: list[IamPrincipalArn] = Field(
        default_factory=list,
        description="IAM roles or users of developers (EKS access entries): read-only without Secrets in prod"
        " (AmazonEKSViewPolicy), edit everywhere in dev (AmazonEKSEditPolicy).",
    )
    preview_principal_arns: list[IamPrincipalArn] = Field(
        default_factory=list,
        description="IAM roles of the CI preview identities (bootstrap's E-preview, EKS access entries): read every object,"
        " Secrets included (AmazonEKSAdminViewPolicy), nothing writable; in every stack.",
    )
    private_access_security_group_ids: list[SecurityGroupId] = Field(
        default_factory=list,
        description="Security groups (of CI runners, bastions) admitted to the private API endpoint on 443.",
    )

    def zones(self, count: int) -> list[str]:
        names = self.availability_zones or [f"{self.region}{letter}" for letter in "abc"]
        return names[:count]


PROD_DEFAULTS: dict[str, Any] = {
    "nodePools": {
        "system": {"instanceTypes": ["m7i.large"]},
        "workload": {"instanceTypes": ["m7i.xlarge"]},
    },
    "databaseInstanceClass": "db.r7g.large",
    "cacheNodeType": "cache.r7g.large",
}

# Documented in docs/configuration.md (components/config/reference.py); each is enforced below.
RULES: tuple[tuple[str, str], ...] = (
    ("aws.availabilityZones", "when listed: at least `network.zoneCount` zones, all in `aws.region`"),
    *access.documented("aws", "adminPrincipalArns", "developerPrincipalArns", "previewPrincipalArns"),
)
PROD_RULES: tuple[tuple[str, str], ...] = ()


def rules(settings: Settings) -> Iterator[Problem]:
    aws, count = settings.aws, settings.network.zone_count
    if aws.availability_zones and len(aws.availability_zones) < count:
        yield (
            ("aws", "availabilityZones"),
            f"must list at least network.zoneCount ({count}) zones, got {len(aws.availability_zones)}",
        )
    for index, zone in enumerate(aws.availability_zones):
        if not zone.startswith(aws.region):
            yield ("aws", "availabilityZones", index), f"must be a zone of region {aws.region}, got {zone!r}"
    yield from access.rules(
        "aws",
        ("adminPrincipalArns", aws.admin_principal_arns),
        ("developerPrincipalArns", aws.developer_principal_arns),
        ("previewPrincipalArns", aws.preview_principal_arns),
    )
