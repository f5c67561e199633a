"""Who may reach the private API endpoint: a security group of the control plane's
network interfaces, admitting the deployers' networks and security groups on 443.

`pulumi up` deploys the Kubernetes layer through the API. With the public endpoint off,
only what this group admits can do that, which is why the config refuses a private
endpoint that admits nobody (centaurops:cluster.privateAccessCidrs)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from ..config.schema import Cluster

API_PORT = 443


class ApiAccess(pulumi.ComponentResource):
    """The group exists (empty) even when nothing is admitted, so that admitting a
    network later changes a rule, never the cluster (EKS created its control-plane
    interfaces with it)."""

    security_group_id: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        vpc_id: pulumi.Input[str],
        settings: Cluster,
        security_group_ids: list[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:ApiAccess", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        group = aws.ec2.SecurityGroup(
            f"{name}-api-access",
            vpc_id=vpc_id,
            description=f"{name}: deployers to the private Kubernetes API endpoint",
            tags={"Name": f"{name}-api-access"},
            opts=child,
        )
        # (name suffix, source CIDR, source group, the key that admitted it)
        sources = [
            (f"cidr-{i}", cidr, None, "cluster.privateAccessCidrs") for i, cidr in enumerate(settings.private_access_cidrs)
        ]
        sources += [
            (f"group-{i}", None, source, "aws.privateAccessSecurityGroupIds") for i, source in enumerate(security_group_ids)
        ]
        for suffix, cidr, source_group, key in sources:
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-api-from-{suffix}",
                security_group_id=group.id,
                cidr_ipv4=cidr,
                referenced_security_group_id=source_group,
                ip_protocol="tcp",
                from_port=API_PORT,
                to_port=API_PORT,
                description=f"deployers (centaurops:{key})",
                opts=child,
            )
        self.security_group_id = group.id
        self.register_outputs({"securityGroupId": group.id})
