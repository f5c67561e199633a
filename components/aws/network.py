"""The VPC: public subnets for load balancers only, private subnets for nodes,
isolated subnets for the database and cache, and NAT for the nodes' egress."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class SubnetPlan:
    zone: str
    public: str
    private: str
    data: str


def plan_subnets(cidr: str, zones: list[str]) -> list[SubnetPlan]:
    """Split the VPC: each zone gets a quarter for nodes (pods take VPC addresses with
    the VPC CNI), and a /+5 slice each for public and data subnets from the last quarter."""
    vpc = ipaddress.IPv4Network(cidr)
    quarters = list(vpc.subnets(prefixlen_diff=2))
    slices = list(quarters[3].subnets(prefixlen_diff=3))
    return [
        SubnetPlan(zone=zone, private=str(quarters[i]), public=str(slices[i]), data=str(slices[4 + i]))
        for i, zone in enumerate(zones)
    ]


class Network(pulumi.ComponentResource):
    vpc_id: pulumi.Output[str]
    public_subnet_ids: list[pulumi.Output[str]]
    private_subnet_ids: list[pulumi.Output[str]]
    data_subnet_ids: list[pulumi.Output[str]]

    def __init__(
        self,
        name: str,
        *,
        cidr: str,
        zones: list[str],
        nat_per_zone: bool,
        cluster_name: str,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.plan = plan_subnets(cidr, zones)
        self.cidr = cidr
        self.data_cidrs = tuple(p.data for p in self.plan)

        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={"Name": name},
            opts=child,
        )
        # A VPC's default security group allows all traffic between its members; empty it.
        aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=vpc.id, tags={"Name": f"{name}-default-deny"}, opts=child)
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags={"Name": name}, opts=child)

        # Load balancers find their subnets by these tags (public: internet-facing).
        cluster_tag = {f"kubernetes.io/cluster/{cluster_name}": "shared"}
        public_rt = aws.ec2.RouteTable(
            f"{name}-public",
            vpc_id=vpc.id,
            routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=igw.id)],
            tags={"Name": f"{name}-public"},
            opts=child,
        )
        public_subnets: list[aws.ec2.Subnet] = []
        private_subnets: list[aws.ec2.Subnet] = []
        data_subnets: list[aws.ec2.Subnet] = []
        nat_gateways: list[aws.ec2.NatGateway] = []
        for plan in self.plan:
            suffix = plan.zone[-1]
            public = aws.ec2.Subnet(
                f"{name}-public-{suffix}",
                vpc_id=vpc.id,
                cidr_block=plan.public,
                availability_zone=plan.zone,
                map_public_ip_on_launch=False,
                tags={"Name": f"{name}-public-{suffix}", "kubernetes.io/role/elb": "1", **cluster_tag},
                opts=child,
            )
            aws.ec2.RouteTableAssociation(f"{name}-public-{suffix}", subnet_id=public.id, route_table_id=public_rt.id, opts=child)
            public_subnets.append(public)
            if nat_per_zone or not nat_gateways:
                eip = aws.ec2.Eip(f"{name}-nat-{suffix}", domain="vpc", tags={"Name": f"{name}-nat-{suffix}"}, opts=child)
                nat_gateways.append(
                    aws.ec2.NatGateway(
                        f"{name}-nat-{suffix}",
                        allocation_id=eip.id,
                        subnet_id=public.id,
                        tags={"Name": f"{name}-nat-{suffix}"},
                        opts=pulumi.ResourceOptions(parent=self, depends_on=[igw]),
                    )
                )
            private_rt = aws.ec2.RouteTable(
                f"{name}-private-{suffix}",
                vpc_id=vpc.id,
                routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", nat_gateway_id=nat_gateways[-1].id)],
                tags={"Name": f"{name}-private-{suffix}"},
                opts=child,
            )
            private = aws.ec2.Subnet(
                f"{name}-private-{suffix}",
                vpc_id=vpc.id,
                cidr_block=plan.private,
                availability_zone=plan.zone,
                tags={"Name": f"{name}-private-{suffix}", "kubernetes.io/role/internal-elb": "1", **cluster_tag},
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{suffix}", subnet_id=private.id, route_table_id=private_rt.id, opts=child
            )
            private_subnets.append(private)
            # Data subnets have no route out of the VPC at all.
            data = aws.ec2.Subnet(
                f"{name}-data-{suffix}",
                vpc_id=vpc.id,
                cidr_block=plan.data,
                availability_zone=plan.zone,
                tags={"Name": f"{name}-data-{suffix}"},
                opts=child,
            )
            data_subnets.append(data)

        data_rt = aws.ec2.RouteTable(f"{name}-data", vpc_id=vpc.id, tags={"Name": f"{name}-data"}, opts=child)
        for plan, data in zip(self.plan, data_subnets, strict=True):
            aws.ec2.RouteTableAssociation(
                f"{name}-data-{plan.zone[-1]}", subnet_id=data.id, route_table_id=data_rt.id, opts=child
            )

        self.vpc_id = vpc.id
        self.public_subnet_ids = [s.id for s in public_subnets]
        self.private_subnet_ids = [s.id for s in private_subnets]
        self.data_subnet_ids = [s.id for s in data_subnets]
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "publicSubnetIds": self.public_subnet_ids,
                "privateSubnetIds": self.private_subnet_ids,
                "dataSubnetIds": self.data_subnet_ids,
            }
        )
