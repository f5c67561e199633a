"""components/aws/network.py: public subnets for load balancers only, private subnets
for nodes, isolated data subnets, NAT per environment."""

import ipaddress

from components.aws.network import plan_subnets
from tests.plans import Plan

SUBNET = "aws:ec2/subnet:Subnet"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
NAT = "aws:ec2/natGateway:NatGateway"


def subnets(plan: Plan, role: str) -> list[dict]:
    return [s for s in plan.of_type(SUBNET) if f"-{role}-" in s["name"]]


def test_subnet_plan_does_not_overlap_and_fits_the_vpc():
    vpc = ipaddress.IPv4Network("10.0.0.0/16")
    plan = plan_subnets(str(vpc), ["eu-west-1a", "eu-west-1b", "eu-west-1c"])
    networks = [ipaddress.IPv4Network(c) for p in plan for c in (p.public, p.private, p.data)]
    assert all(n.subnet_of(vpc) for n in networks)
    assert not any(a.overlaps(b) for i, a in enumerate(networks) for b in networks[i + 1 :])
    # Nodes (and pods, with the VPC CNI) get the big ranges.
    assert all(ipaddress.IPv4Network(p.private).prefixlen == 18 for p in plan)


def test_dev_spans_two_zones_and_prod_three(dev: Plan, prod: Plan):
    assert {s["inputs"]["availabilityZone"] for s in dev.of_type(SUBNET)} == {"us-east-1a", "us-east-1b"}
    assert {s["inputs"]["availabilityZone"] for s in prod.of_type(SUBNET)} == {"us-east-1a", "us-east-1b", "us-east-1c"}
    for plan, zones in ((dev, 2), (prod, 3)):
        for role in ("public", "private", "data"):
            assert len(subnets(plan, role)) == zones


def test_one_nat_in_dev_one_per_zone_in_prod(dev: Plan, prod: Plan):
    assert len(dev.of_type(NAT)) == 1
    assert len(prod.of_type(NAT)) == 3
    # Each NAT sits in a different (public) subnet.
    assert len({n["inputs"]["subnetId"] for n in prod.of_type(NAT)}) == 3


def test_load_balancer_subnet_tags(plan: Plan):
    for subnet in subnets(plan, "public"):
        assert subnet["inputs"]["tags"]["kubernetes.io/role/elb"] == "1"
        assert subnet["inputs"]["mapPublicIpOnLaunch"] is False
    for subnet in subnets(plan, "private"):
        assert subnet["inputs"]["tags"]["kubernetes.io/role/internal-elb"] == "1"
    for subnet in subnets(plan, "data"):
        assert not any(k.startswith("kubernetes.io/role") for k in subnet["inputs"]["tags"])


def test_only_public_route_table_reaches_the_internet_gateway(plan: Plan):
    for table in plan.of_type(ROUTE_TABLE):
        routes = table["inputs"].get("routes", [])
        if table["name"].endswith("-public"):
            assert [r["gatewayId"].startswith("igw-") for r in routes] == [True]
        elif "-private-" in table["name"]:
            assert [r["natGatewayId"].startswith("nat-") for r in routes] == [True]
        else:
            assert table["name"].endswith("-data")
            assert routes == [], "data subnets must have no route out of the VPC"


def test_default_security_group_is_emptied(plan: Plan):
    group = plan.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert not group["inputs"].get("ingress") and not group["inputs"].get("egress")
