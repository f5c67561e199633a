"""The VNet: a node subnet whose only way out is a NAT gateway, a subnet delegated to
PostgreSQL, one for private endpoints, one for the API server (VNet integration); each
data subnet behind an NSG that admits the nodes on the service's ports only."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_azure_native.network as network

POSTGRES_PORT = 5432
# Azure Managed Redis serves TLS on 10000; Blob over HTTPS; Azure Files NFS 4.1 on 2049.
ENDPOINT_PORTS = (10000, 443, 2049)
POSTGRES_DELEGATION = "Microsoft.DBforPostgreSQL/flexibleServers"
API_SERVER_DELEGATION = "Microsoft.ContainerService/managedClusters"


@dataclass(frozen=True)
class SubnetPlan:
    nodes: str
    postgres: str
    endpoints: str
    api_server: str


def plan_subnets(cidr: str) -> SubnetPlan:
    """Half the VNet for nodes (pods take overlay addresses, not the VNet's); the other
    half in eighths: PostgreSQL, private endpoints, the API server."""
    vnet = ipaddress.IPv4Network(cidr)
    nodes, rest = vnet.subnets(prefixlen_diff=1)
    slices = list(rest.subnets(prefixlen_diff=3))
    return SubnetPlan(nodes=str(nodes), postgres=str(slices[0]), endpoints=str(slices[1]), api_server=str(slices[2]))


def _rule(name: str, priority: int, access: str, sources: Sequence[str], ports: Sequence[int] | None, direction: str = "Inbound"):
    return network.SecurityRuleArgs(
        name=name,
        priority=priority,
        direction=direction,
        access=access,
        protocol="Tcp" if ports else "*",
        source_address_prefixes=list(sources),
        source_port_range="*",
        destination_address_prefix="*",
        destination_port_ranges=[str(p) for p in ports] if ports else None,
        destination_port_range=None if ports else "*",
    )


class Network(pulumi.ComponentResource):
    vnet_id: pulumi.Output[str]
    nodes_subnet: network.Subnet
    postgres_subnet: network.Subnet
    endpoints_subnet: network.Subnet
    api_server_subnet: network.Subnet
    nat_gateway: network.NatGateway

    def __init__(
        self,
        name: str,
        *,
        cidr: str,
        resource_group_name: pulumi.Input[str],
        location: str,
        ingress_sources: Sequence[str],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.plan = plan_subnets(cidr)
        self.data_cidrs = (self.plan.postgres, self.plan.endpoints)
        common = {"resource_group_name": resource_group_name, "location": location, "tags": tags}

        vnet = network.VirtualNetwork(
            f"{name}-vnet",
            address_space=network.AddressSpaceArgs(address_prefixes=[cidr]),
            opts=child,
            **common,
        )
        # The nodes' only way out: AKS with outboundType userAssignedNATGateway requires the
        # NAT gateway on the node subnet before the cluster exists (AKS, "Create a user-assigned
        # NAT gateway": "associate it with the subnet"). A subnet takes one NAT gateway.
        ip = network.PublicIPAddress(
            f"{name}-nat-ip",
            sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            opts=child,
            **common,
        )
        self.nat_gateway = network.NatGateway(
            f"{name}-nat",
            sku=network.NatGatewaySkuArgs(name="Standard"),
            public_ip_addresses=[network.SubResourceArgs(id=ip.id)],
            idle_timeout_in_minutes=4,
            opts=child,
            **common,
        )
        nodes = self.plan.nodes
        # Nodes: the load balancer brings clients to the ingress controller on 80 and 443
        # (the AzureLoadBalancer health probes are admitted by the default rules).
        nodes_nsg = network.NetworkSecurityGroup(
            f"{name}-nodes-nsg",
            security_rules=[_rule("ingress-http-https", 100, "Allow", list(ingress_sources) or ["Internet"], (80, 443))],
            opts=child,
            **common,
        )
        # Data subnets: the nodes (pod traffic leaves an overlay node SNATed to the node's
        # address) on the service's ports, nothing else from the VNet or beyond.
        postgres_nsg = network.NetworkSecurityGroup(
            f"{name}-postgres-nsg",
            security_rules=[
                _rule("nodes-postgres", 100, "Allow", [nodes], (POSTGRES_PORT,)),
                # The primary and its zone-redundant standby replicate inside the subnet.
                _rule("postgres-replication", 110, "Allow", [self.plan.postgres], None),
                _rule("deny-vnet", 4000, "Deny", ["VirtualNetwork"], None),
            ],
            opts=child,
            **common,
        )
        endpoints_nsg = network.NetworkSecurityGroup(
            f"{name}-endpoints-nsg",
            security_rules=[
                _rule("nodes-endpoints", 100, "Allow", [nodes], ENDPOINT_PORTS),
                _rule("deny-vnet", 4000, "Deny", ["VirtualNetwork"], None),
            ],
            opts=child,
            **common,
        )

        def subnet(kind: str, prefix: str, after: pulumi.Resource | None, **args) -> network.Subnet:
            # One at a time: Azure refuses concurrent writes to one VNet's subnets
            # ("AnotherOperationInProgress"), and a subnet is quick to create.
            return network.Subnet(
                f"{name}-{kind}",
                subnet_name=kind,
                resource_group_name=resource_group_name,
                virtual_network_name=vnet.name,
                address_prefix=prefix,
                # No implicit outbound access: egress is the NAT gateway or nothing.
                default_outbound_access=False,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[after] if after else []),
                **args,
            )

        self.nodes_subnet = subnet(
            "nodes",
            nodes,
            None,
            nat_gateway=network.SubResourceArgs(id=self.nat_gateway.id),
            network_security_group=network.NetworkSecurityGroupArgs(id=nodes_nsg.id),
        )
        # API Server VNet Integration projects the API server into this delegated subnet
        # (AKS, "Create an AKS cluster with API Server VNet Integration"). Second, right after
        # the nodes': the cluster waits for both, the data services for the others.
        self.api_server_subnet = subnet(
            "api-server",
            self.plan.api_server,
            self.nodes_subnet,
            delegations=[network.DelegationArgs(name="aks", service_name=API_SERVER_DELEGATION)],
        )
        self.postgres_subnet = subnet(
            "postgres",
            self.plan.postgres,
            self.api_server_subnet,
            delegations=[network.DelegationArgs(name="postgres", service_name=POSTGRES_DELEGATION)],
            network_security_group=network.NetworkSecurityGroupArgs(id=postgres_nsg.id),
        )
        self.endpoints_subnet = subnet(
            "endpoints",
            self.plan.endpoints,
            self.postgres_subnet,
            network_security_group=network.NetworkSecurityGroupArgs(id=endpoints_nsg.id),
            # NSG rules apply to private endpoints only when network policies are on.
            private_endpoint_network_policies="Enabled",
        )
        self.vnet_id = vnet.id
        self.register_outputs({"vnetId": vnet.id, "natGatewayId": self.nat_gateway.id})
