"""Private DNS zones linked to the VNet, and private endpoints registered in them.

A private endpoint without its zone is the quietest failure: the endpoint gets a private
IP, clients keep resolving the public name and are refused (public access is off). Each
service's zone name is fixed by Azure (Azure Private Link, "Azure Private Endpoint private
DNS zone values"); one zone per service, linked to the VNet, and each endpoint writes its
A record there through a zone group."""

from __future__ import annotations

import pulumi
import pulumi_azure_native.network as network
import pulumi_azure_native.privatedns as privatedns

# Private DNS zones are global resources.
GLOBAL = "global"
BLOB_ZONE = "privatelink.blob.core.windows.net"
FILE_ZONE = "privatelink.file.core.windows.net"
# Azure Managed Redis (*.redis.azure.net); privatelink.redisenterprise.cache.azure.net is the
# zone of the retiring Azure Cache for Redis Enterprise, privatelink.redis.cache.windows.net
# that of Azure Cache for Redis: neither resolves an Azure Managed Redis host.
REDIS_ZONE = "privatelink.redis.azure.net"


class PrivateZone(pulumi.ComponentResource):
    """A private DNS zone and its link to the VNet (no auto-registration of VMs)."""

    zone: privatedns.PrivateZone
    link: privatedns.VirtualNetworkLink

    def __init__(
        self,
        name: str,
        *,
        zone_name: str,
        resource_group_name: pulumi.Input[str],
        vnet_id: pulumi.Input[str],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:PrivateZone", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.zone = privatedns.PrivateZone(
            f"{name}-zone",
            private_zone_name=zone_name,
            resource_group_name=resource_group_name,
            location=GLOBAL,
            tags=tags,
            opts=child,
        )
        self.link = privatedns.VirtualNetworkLink(
            f"{name}-link",
            private_zone_name=self.zone.name,
            resource_group_name=resource_group_name,
            virtual_network=privatedns.SubResourceArgs(id=vnet_id),
            registration_enabled=False,
            location=GLOBAL,
            tags=tags,
            opts=child,
        )
        self.register_outputs({"zone": self.zone.name})


def private_endpoint(
    name: str,
    *,
    resource_id: pulumi.Input[str],
    group_id: str,
    zone: PrivateZone,
    subnet_id: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    location: str,
    tags: dict[str, str],
    parent: pulumi.Resource,
) -> tuple[network.PrivateEndpoint, network.PrivateDnsZoneGroup]:
    """A private endpoint to `resource_id`'s `group_id` sub-resource, its A record in `zone`."""
    endpoint = network.PrivateEndpoint(
        f"{name}-pe",
        resource_group_name=resource_group_name,
        location=location,
        subnet=network.SubnetArgs(id=subnet_id),
        private_link_service_connections=[
            network.PrivateLinkServiceConnectionArgs(name=name, private_link_service_id=resource_id, group_ids=[group_id])
        ],
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    group = network.PrivateDnsZoneGroup(
        f"{name}-pe-dns",
        private_endpoint_name=endpoint.name,
        resource_group_name=resource_group_name,
        private_dns_zone_group_name="default",
        private_dns_zone_configs=[network.PrivateDnsZoneConfigArgs(name=name, private_dns_zone_id=zone.zone.id)],
        # Resolution works only once the zone answers in the VNet.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[zone.link]),
    )
    return endpoint, group
