"""Security groups for data services, opened to the cluster's nodes by separate rules.

The rule is its own resource so that the database and cache depend only on the network
and are created in parallel with the cluster; only the rule waits for the cluster."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


class ServiceFirewall:
    """A security group that admits nothing until `admit` adds a rule."""

    def __init__(self, name: str, *, vpc_id: pulumi.Input[str], port: int, description: str, parent: pulumi.Resource):
        self._name, self._port, self._parent = name, port, parent
        # No ingress and no egress rules: a managed service needs neither to answer clients.
        self.group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=vpc_id,
            description=description,
            tags={"Name": f"{name}"},
            opts=pulumi.ResourceOptions(parent=parent),
        )

    def admit(self, source_security_group_id: pulumi.Input[str]) -> aws.vpc.SecurityGroupIngressRule:
        return aws.vpc.SecurityGroupIngressRule(
            f"{self._name}-from-nodes",
            security_group_id=self.group.id,
            referenced_security_group_id=source_security_group_id,
            ip_protocol="tcp",
            from_port=self._port,
            to_port=self._port,
            description="from the cluster's nodes only",
            opts=pulumi.ResourceOptions(parent=self._parent),
        )
