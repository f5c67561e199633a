"""components/gcp/network.py: a custom VPC, private nodes behind Cloud NAT, Private Google
Access through private.googleapis.com, and private services access for the data services."""

import pytest

from tests.gcp.plans import FoundationPlan, foundation_plan, gcp_overrides

SUBNET = "gcp:compute/subnetwork:Subnetwork"


def test_custom_mode_vpc_with_a_node_subnet_and_its_secondary_ranges(gplan: FoundationPlan):
    assert gplan.one("gcp:compute/network:Network")["inputs"]["autoCreateSubnetworks"] is False
    nodes = gplan.one(SUBNET, "-nodes")["inputs"]
    assert nodes["ipCidrRange"] == "10.0.0.0/16"
    assert nodes["secondaryIpRanges"] == [
        {"rangeName": "pods", "ipCidrRange": "10.16.0.0/14"},
        {"rangeName": "services", "ipCidrRange": "10.20.0.0/20"},
    ]
    for subnet in gplan.of_type(SUBNET):
        assert subnet["inputs"]["privateIpGoogleAccess"] is True
        assert subnet["inputs"]["logConfig"]["metadata"] == "INCLUDE_ALL_METADATA", "flow logs"
    assert gplan.one(SUBNET, "-control-plane")["inputs"]["ipCidrRange"] == "10.21.16.0/28"


def test_cloud_nat_covers_every_range_of_the_node_subnet(gplan: FoundationPlan):
    nat = gplan.one("gcp:compute/routerNat:RouterNat")
    (entry,) = nat["inputs"]["subnetworks"]
    assert f"/subnetworks/centaurops-{gplan.document['stack']}-nodes-" in entry["name"]
    assert entry["sourceIpRangesToNats"] == ["ALL_IP_RANGES"]
    assert gplan.one(SUBNET, "-nodes")["urn"] in nat["dependencies"]


def test_private_services_access_reserves_the_configured_range_and_survives_destroy(gplan: FoundationPlan):
    address = gplan.one("gcp:compute/globalAddress:GlobalAddress")
    assert (address["inputs"]["address"], address["inputs"]["prefixLength"]) == ("10.21.0.0", 20)
    assert address["inputs"]["purpose"] == "VPC_PEERING"
    connection = gplan.one("gcp:servicenetworking/connection:Connection")
    assert connection["inputs"]["service"] == "servicenetworking.googleapis.com"
    (reserved,) = connection["inputs"]["reservedPeeringRanges"]
    assert reserved.startswith(f"centaurops-{gplan.document['stack']}-private-services-")
    assert address["urn"] in connection["dependencies"]
    # Cloud SQL holds the connection after its instance is gone; the peering must still go.
    assert connection["inputs"]["deletionPolicy"] == "REMOVE_PEERING"
    assert gplan.result is not None and gplan.result.data_cidrs == ("10.21.0.0/20",)


def test_googleapis_resolves_to_private_google_access_inside_the_vpc(gplan: FoundationPlan):
    zone = gplan.one("gcp:dns/managedZone:ManagedZone")["inputs"]
    assert (zone["dnsName"], zone["visibility"]) == ("googleapis.com.", "private")
    records = {r["inputs"]["name"]: r["inputs"] for r in gplan.of_type("gcp:dns/recordSet:RecordSet")}
    assert records["private.googleapis.com."]["rrdatas"] == ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"]
    assert records["*.googleapis.com."]["type"] == "CNAME" and records["*.googleapis.com."]["rrdatas"] == [
        "private.googleapis.com."
    ]
    route = gplan.one("gcp:compute/route:Route")["inputs"]
    assert (route["destRange"], route["nextHopGateway"]) == ("199.36.153.8/30", "default-internet-gateway")
    assert gplan.result is not None
    (rule,) = gplan.result.app_egress
    assert (rule.name, rule.cidrs, rule.ports) == ("google-apis", ("199.36.153.8/30",), (443,))


@pytest.mark.parametrize("cidr", ["10.40.0.0/16"])
def test_ranges_follow_the_config(cidr: str):
    plan = foundation_plan("dev", network={"cidr": cidr}, gcp=gcp_overrides("dev", privateServicesCidr="10.50.0.0/20"))
    assert plan.one(SUBNET, "-nodes")["inputs"]["ipCidrRange"] == cidr
    assert plan.one("gcp:compute/globalAddress:GlobalAddress")["inputs"]["address"] == "10.50.0.0"
    assert plan.outputs["databaseHost"].startswith("10.50.")
