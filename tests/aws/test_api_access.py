"""components/aws/api_access.py: who may reach the private API endpoint; the config refuses an API nobody reaches."""

import pulumi
import pytest

from components.testing.mocks import digest
from tests.plans import Plan, plan_for

CLUSTER = "aws:eks/cluster:Cluster"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"


def api_rules(plan: Plan) -> list[dict]:
    return [r for r in plan.of_type(INGRESS_RULE) if "-api-from-" in r["name"]]


def test_the_shipped_stacks_reach_the_api_publicly_from_listed_cidrs_only(dev: Plan, prod: Plan):
    for plan, cidrs in ((dev, ["203.0.113.0/24"]), (prod, ["198.51.100.0/24"])):
        vpc = plan.one(CLUSTER)["inputs"]["vpcConfig"]
        assert vpc["endpointPrivateAccess"] is True
        assert vpc["endpointPublicAccess"] is True
        assert vpc["publicAccessCidrs"] == cidrs
        # the private endpoint admits nobody extra
        assert not api_rules(plan)


def test_a_private_endpoint_admits_the_listed_networks_and_groups_on_443():
    cluster = {"endpointPublicAccess": False, "privateAccessCidrs": ["10.200.0.0/16", "172.20.4.0/24"]}
    plan = plan_for("prod", cluster=cluster, aws={"privateAccessSecurityGroupIds": ["sg-0123456789abcdef0"]})
    vpc = plan.one(CLUSTER)["inputs"]["vpcConfig"]
    assert vpc["endpointPublicAccess"] is False
    assert "publicAccessCidrs" not in vpc
    group = plan.one("aws:ec2/securityGroup:SecurityGroup", "-api-access")
    # attached to the control plane's network interfaces, beside the cluster security group
    assert vpc["securityGroupIds"] == [f"sg-{digest(group['name'])}"]
    rules = api_rules(plan)
    assert {(r["inputs"].get("cidrIpv4"), r["inputs"].get("referencedSecurityGroupId")) for r in rules} == {
        ("10.200.0.0/16", None),
        ("172.20.4.0/24", None),
        (None, "sg-0123456789abcdef0"),
    }
    for rule in rules:
        assert (rule["inputs"]["ipProtocol"], rule["inputs"]["fromPort"], rule["inputs"]["toPort"]) == ("tcp", 443, 443)
        assert group["urn"] in rule["dependencies"]


def test_a_stack_whose_api_nobody_could_reach_is_refused_before_anything_is_built():
    with pytest.raises(pulumi.RunError) as caught:
        plan_for("prod", cluster={"endpointPublicAccess": False})
    assert str(caught.value) == (
        "centaurops:cluster.privateAccessCidrs: must list the networks that deploy (VPN, peered network, runners)"
        " when endpointPublicAccess is false, or set endpointPublicAccess: true with publicAccessCidrs;"
        " nothing could reach the API to deploy"
    )
