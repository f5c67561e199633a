"""components/azure/private_dns.py: a linked zone for every private endpoint; what is reached privately is locked in prod."""

from tests.azure.stacks import Built

ZONE = "azure-native:privatedns:PrivateZone"
LINK = "azure-native:privatedns:VirtualNetworkLink"
ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"


def test_zones_are_global_and_linked_to_the_vnet(built: Built):
    plan = built.plan
    stack = plan.document["stack"]
    zones = {z["inputs"]["privateZoneName"]: z for z in plan.of_type(ZONE)}
    assert set(zones) == {
        f"centaurops-{stack}.private.postgres.database.azure.com",
        "privatelink.redis.azure.net",
        "privatelink.blob.core.windows.net",
        "privatelink.file.core.windows.net",
        "privatelink.vaultcore.azure.net",
    }
    vnet = plan.one("azure-native:network:VirtualNetwork")
    for zone in zones.values():
        assert zone["inputs"]["location"] == "global"
        (link,) = [link for link in plan.of_type(LINK) if zone["urn"] in link["dependencies"]]
        assert vnet["urn"] in link["dependencies"] and link["inputs"]["registrationEnabled"] is False


def test_each_endpoint_registers_in_its_service_zone_after_the_link(built: Built):
    plan = built.plan
    expected = {
        "redisEnterprise": "privatelink.redis.azure.net",
        "blob": "privatelink.blob.core.windows.net",
        "file": "privatelink.file.core.windows.net",
        "vault": "privatelink.vaultcore.azure.net",
    }
    endpoints = plan.of_type(ENDPOINT)
    assert len(endpoints) == 4
    subnet = next(s for s in plan.of_type("azure-native:network:Subnet") if s["inputs"]["subnetName"] == "endpoints")
    for endpoint in endpoints:
        (connection,) = endpoint["inputs"]["privateLinkServiceConnections"]
        (group_id,) = connection["groupIds"]
        assert endpoint["inputs"]["subnet"]["id"].endswith("/subnets/endpoints") and subnet["urn"] in endpoint["dependencies"]
        (dns,) = [g for g in plan.of_type(ZONE_GROUP) if endpoint["urn"] in g["dependencies"]]
        (config,) = dns["inputs"]["privateDnsZoneConfigs"]
        assert config["privateDnsZoneId"].endswith(f"/privateDnsZones/{expected[group_id]}")
        zone = next(z for z in plan.of_type(ZONE) if z["inputs"]["privateZoneName"] == expected[group_id])
        link = next(link for link in plan.of_type(LINK) if zone["urn"] in link["dependencies"])
        assert link["urn"] in dns["dependencies"]


def test_every_service_behind_an_endpoint_is_locked_in_prod_only(built: Built):
    plan = built.plan
    services = {
        endpoint["inputs"]["privateLinkServiceConnections"][0]["privateLinkServiceId"] for endpoint in plan.of_type(ENDPOINT)
    }
    locked = {lock["inputs"]["scope"] for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    assert len(services) == 4
    if plan.document["stack"] == "prod":
        assert services <= locked
    else:
        assert not locked
