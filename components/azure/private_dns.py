"""Private DNS zones linked to the VNet, and private endpoints registered in them.

A private endpoint without its zone is the quietest failure: the endpoint gets a private
IP, clients keep resolving the public name and are refused (public access is off). Each
service's zone name is fixed by Azure (Azure Private Link, "Azure Private Endpoint private
DNS zone values"); one zone per service, linked to the VNet, and each endpoint writes its
A record there through a zone group. A service reached this way holds data: in prod it is
locked against deletion too (`PrivateAccess.endpoint`)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_azure_native.network as network
import pulumi_azure_native.privatedns as privatedns

from .resource_group import delete_lock

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


@dataclass(frozen=True)
class PrivateAccess:
    """Where a service is reached privately: the endpoints subnet, and the zone its name
    resolves in; whether it is locked (prod)."""

    subnet_id: pulumi.Input[str]
    zone: PrivateZone
    resource_group_name: pulumi.Input[str]
    location: str
    tags: dict[str, str]
    locked: bool

    def endpoint(
        self, name: str, *, resource_id: pulumi.Input[str], group_id: str, holds: str, parent: pulumi.Resource
    ) -> network.PrivateDnsZoneGroup:
        """A private endpoint to `resource_id`'s `group_id` sub-resource and its A record in
        the zone (clients can connect once the record exists: wait for what this returns);
        when locked, a delete lock on `resource_id`, which `holds` says what it keeps."""
        endpoint = network.PrivateEndpoint(
            f"{name}-pe",
            resource_group_name=self.resource_group_name,
            location=self.location,
            subnet=network.SubnetArgs(id=self.subnet_id),
            private_link_service_connections=[
                network.PrivateLinkServiceConnectionArgs(name=name, private_link_service_id=resource_id, group_ids=[group_id])
            ],
            tags=self.tags,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        record = network.PrivateDnsZoneGroup(
            f"{name}-pe-dns",
            private_endpoint_name=endpoint.name,
            resource_group_name=self.resource_group_name,
            private_dns_zone_group_name="default",
            private_dns_zone_configs=[network.PrivateDnsZoneConfigArgs(name=name, private_dns_zone_id=self.zone.zone.id)],
            # Resolution works only once the zone answers in the VNet.
            opts=pulumi.ResourceOptions(parent=parent, depends_on=[self.zone.link]),
        )
        if self.locked:
            delete_lock(name, scope=resource_id, what=holds, parent=parent)
        return record
