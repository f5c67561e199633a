"""components/azure/network.py: subnets, the NAT gateway as the nodes' way out, NSGs."""

import pytest

from components.azure.network import plan_subnets
from tests.azure.helpers import named, waits_for
from tests.azure.stacks import Built

SUBNET = "azure-native:network:Subnet"
NSG = "azure-native:network:NetworkSecurityGroup"


@pytest.mark.parametrize(
    ("cidr", "nodes", "postgres", "endpoints", "api"),
    [
        ("10.0.0.0/16", "10.0.0.0/17", "10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"),
        ("10.20.16.0/20", "10.20.16.0/21", "10.20.24.0/24", "10.20.25.0/24", "10.20.26.0/24"),
    ],
)
def test_subnet_plan(cidr, nodes, postgres, endpoints, api):
    plan = plan_subnets(cidr)
    assert (plan.nodes, plan.postgres, plan.endpoints, plan.api_server) == (nodes, postgres, endpoints, api)


def test_subnets_delegations_and_no_default_outbound(built: Built):
    plan = built.plan
    subnets = {s["inputs"]["subnetName"]: s["inputs"] for s in plan.of_type(SUBNET)}
    assert set(subnets) == {"nodes", "postgres", "endpoints", "api-server"}
    assert [d["serviceName"] for d in subnets["postgres"]["delegations"]] == ["Microsoft.DBforPostgreSQL/flexibleServers"]
    assert [d["serviceName"] for d in subnets["api-server"]["delegations"]] == ["Microsoft.ContainerService/managedClusters"]
    assert subnets["endpoints"]["privateEndpointNetworkPolicies"] == "Enabled"
    assert all(s["defaultOutboundAccess"] is False for s in subnets.values())


def test_nat_gateway_is_on_the_node_subnet_before_the_cluster(built: Built):
    plan = built.plan
    nat = plan.one("azure-native:network:NatGateway")
    nodes = named(plan, SUBNET, "centaurops-" + plan.document["stack"] + "-nodes")
    assert f"/natGateways/centaurops-{plan.document['stack']}-nat" in nodes["inputs"]["natGateway"]["id"]
    assert nat["urn"] in nodes["dependencies"]
    only_nat = [s for s in plan.of_type(SUBNET) if "natGateway" in s["inputs"]]
    assert only_nat == [nodes]
    cluster = plan.one("azure-native:containerservice:ManagedCluster")
    assert nodes["urn"] in waits_for(plan, cluster)
    assert cluster["inputs"]["networkProfile"]["outboundType"] == "userAssignedNATGateway"


def test_subnets_are_written_one_at_a_time(built: Built):
    plan = built.plan
    subnets = plan.of_type(SUBNET)
    by_urn = {s["urn"] for s in subnets}
    chained = sorted(len(by_urn & waits_for(plan, s)) for s in subnets)
    assert chained == [0, 1, 2, 3]


def test_data_subnets_admit_the_nodes_on_their_ports_only(built: Built):
    plan = built.plan
    stack = plan.document["stack"]
    nodes = plan_subnets("10.0.0.0/16").nodes
    postgres = named(plan, NSG, f"centaurops-{stack}-postgres-nsg")["inputs"]["securityRules"]
    allow = [r for r in postgres if r["access"] == "Allow" and r["sourceAddressPrefixes"] == [nodes]]
    assert [r["destinationPortRanges"] for r in allow] == [["5432"]]
    endpoints = named(plan, NSG, f"centaurops-{stack}-endpoints-nsg")["inputs"]["securityRules"]
    (allow,) = [r for r in endpoints if r["access"] == "Allow"]
    assert allow["sourceAddressPrefixes"] == [nodes] and allow["destinationPortRanges"] == ["10000", "443", "2049"]
    for rules in (postgres, endpoints):
        (deny,) = [r for r in rules if r["access"] == "Deny"]
        assert deny["sourceAddressPrefixes"] == ["VirtualNetwork"] and deny["priority"] > max(
            r["priority"] for r in rules if r["access"] == "Allow"
        )


def test_node_subnet_admits_clients_to_the_ingress_ports(built: Built):
    stack = built.plan.document["stack"]
    (rule,) = named(built.plan, NSG, f"centaurops-{stack}-nodes-nsg")["inputs"]["securityRules"]
    assert rule["destinationPortRanges"] == ["80", "443"] and rule["sourceAddressPrefixes"] == ["Internet"]


def test_data_cidrs_are_the_postgres_and_endpoint_subnets(built: Built):
    plan = plan_subnets("10.0.0.0/16")
    assert built.result.data_cidrs == (plan.postgres, plan.endpoints)
