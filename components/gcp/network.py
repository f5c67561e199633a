"""The VPC: one custom-mode network, a node subnet with secondary ranges for pods and
Services, a subnet for the control plane's private endpoint, Cloud NAT for the private
nodes, Google APIs over Private Google Access, and the range Cloud SQL and Memorystore
take their addresses from (private services access)."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

PODS_RANGE = "pods"
SERVICES_RANGE = "services"
# Private Google Access through private.googleapis.com: four addresses, routed through the
# default internet gateway but never leaving Google's network
# (https://cloud.google.com/vpc/docs/configure-private-google-access#domain-options).
PRIVATE_GOOGLE_APIS = ("199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11")
PRIVATE_GOOGLE_APIS_CIDR = "199.36.153.8/30"


class Network(pulumi.ComponentResource):
    network_id: pulumi.Output[str]
    network_name: pulumi.Output[str]
    subnet_id: pulumi.Output[str]
    control_plane_subnet_id: pulumi.Output[str]
    # Cloud SQL and Memorystore wait for this (and only this) of the network.
    service_connection: gcp.servicenetworking.Connection
    private_services_range: gcp.compute.GlobalAddress

    def __init__(
        self,
        name: str,
        *,
        project: str,
        region: str,
        node_cidr: str,
        pods_cidr: str,
        services_cidr: str,
        private_services_cidr: str,
        control_plane_cidr: str,
        labels: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:gcp:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.data_cidrs = (private_services_cidr,)

        network = gcp.compute.Network(
            f"{name}-vpc",
            project=project,
            auto_create_subnetworks=False,
            routing_mode="REGIONAL",
            description=f"{name}: nodes, control plane endpoint, private services",
            opts=child,
        )
        flow_logs = gcp.compute.SubnetworkLogConfigArgsDict(
            aggregation_interval="INTERVAL_5_SEC",
            flow_sampling=0.5,
            metadata="INCLUDE_ALL_METADATA",
        )
        subnet = gcp.compute.Subnetwork(
            f"{name}-nodes",
            project=project,
            region=region,
            network=network.id,
            ip_cidr_range=node_cidr,
            secondary_ip_ranges=[
                {"range_name": PODS_RANGE, "ip_cidr_range": pods_cidr},
                {"range_name": SERVICES_RANGE, "ip_cidr_range": services_cidr},
            ],
            # Nodes (and pods, through their alias ranges) reach Google APIs without external addresses.
            private_ip_google_access=True,
            log_config=flow_logs,
            opts=child,
        )
        # The control plane's private endpoint takes an address in this subnet (Private Service
        # Connect based clusters, `private_endpoint_subnetwork`), so pods' egress to the API
        # server can be admitted by its range, known before the cluster exists.
        control_plane_subnet = gcp.compute.Subnetwork(
            f"{name}-control-plane",
            project=project,
            region=region,
            network=network.id,
            ip_cidr_range=control_plane_cidr,
            private_ip_google_access=True,
            log_config=flow_logs,
            opts=child,
        )
        router = gcp.compute.Router(f"{name}-router", project=project, region=region, network=network.id, opts=child)
        # Cloud NAT for every range of the node subnet (nodes pull images, pods call model
        # providers). It is a regional, managed service with no gateway per zone to lose, so
        # `network.natGateways` has nothing to choose on Google Cloud.
        gcp.compute.RouterNat(
            f"{name}-nat",
            project=project,
            region=region,
            router=router.name,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="LIST_OF_SUBNETWORKS",
            subnetworks=[{"name": subnet.id, "source_ip_ranges_to_nats": ["ALL_IP_RANGES"]}],
            enable_dynamic_port_allocation=True,
            min_ports_per_vm=64,
            enable_endpoint_independent_mapping=False,
            log_config={"enable": True, "filter": "ERRORS_ONLY"},
            opts=child,
        )
        self._private_google_access(name, project=project, network=network, labels=labels)

        # Private services access: a range of this VPC peered to the producers' networks.
        base, prefix = private_services_cidr.split("/")
        self.private_services_range = gcp.compute.GlobalAddress(
            f"{name}-private-services",
            project=project,
            network=network.id,
            purpose="VPC_PEERING",
            address_type="INTERNAL",
            address=base,
            prefix_length=int(prefix),
            labels=labels,
            opts=child,
        )
        self.service_connection = gcp.servicenetworking.Connection(
            f"{name}-private-services",
            network=network.id,
            service="servicenetworking.googleapis.com",
            reserved_peering_ranges=[self.private_services_range.name],
            # Deleting the connection fails while producers still hold resources behind it,
            # and Cloud SQL keeps them a while after its instance is gone ("Producer services
            # (e.g. CloudSQL, Cloud Memstore, etc.) are still using this connection":
            # hashicorp/terraform-provider-google#16275, #19908; pulumi/pulumi-gcp#3354).
            # ABANDON would leave the peering, which blocks deleting the network; REMOVE_PEERING
            # removes the peering then (pulumi-gcp 10.2.0 docs, "Deleting a connection";
            # GoogleCloudPlatform/magic-modules#18476). The database and cache depend on the
            # connection, so they are deleted before it is.
            deletion_policy="REMOVE_PEERING",
            opts=child,
        )

        self.network_id = network.id
        self.network_name = network.name
        self.subnet_id = subnet.id
        self.control_plane_subnet_id = control_plane_subnet.id
        self.register_outputs({"networkId": network.id, "subnetId": subnet.id})

    def _private_google_access(self, name: str, *, project: str, network: gcp.compute.Network, labels: dict[str, str]) -> None:
        """googleapis.com resolves, inside this VPC only, to private.googleapis.com: pods reach
        Google APIs (the Cloud Storage FUSE sidecar) on 199.36.153.8/30 and nothing wider.
        The records are the documented ones: an A record for private.googleapis.com with its
        four addresses and a CNAME of *.googleapis.com to it
        (https://cloud.google.com/vpc/docs/configure-private-google-access#config-domain)."""
        child = pulumi.ResourceOptions(parent=self)
        gcp.compute.Route(
            f"{name}-private-google-apis",
            project=project,
            network=network.id,
            dest_range=PRIVATE_GOOGLE_APIS_CIDR,
            next_hop_gateway="default-internet-gateway",
            priority=100,
            description="Private Google Access through private.googleapis.com",
            opts=child,
        )
        zone = gcp.dns.ManagedZone(
            f"{name}-googleapis",
            project=project,
            dns_name="googleapis.com.",
            visibility="private",
            private_visibility_config={"networks": [{"network_url": network.id}]},
            description="googleapis.com through Private Google Access (private.googleapis.com)",
            labels=labels,
            opts=child,
        )
        gcp.dns.RecordSet(
            f"{name}-private-googleapis",
            project=project,
            managed_zone=zone.name,
            name="private.googleapis.com.",
            type="A",
            ttl=300,
            rrdatas=list(PRIVATE_GOOGLE_APIS),
            opts=child,
        )
        gcp.dns.RecordSet(
            f"{name}-googleapis-cname",
            project=project,
            managed_zone=zone.name,
            name="*.googleapis.com.",
            type="CNAME",
            ttl=300,
            rrdatas=["private.googleapis.com."],
            opts=child,
        )
