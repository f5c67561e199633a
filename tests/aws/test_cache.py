"""components/aws/cache.py: Redis 7 with TLS and an auth token, encrypted, HA in prod,
and never waiting for the cluster."""

from tests.plans import Plan

GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"


def test_redis_7_encrypted_in_transit_with_auth_and_at_rest(plan: Plan):
    redis = plan.one(GROUP)["inputs"]
    assert redis["engine"] == "redis" and redis["engineVersion"].startswith("7")
    assert redis["transitEncryptionEnabled"] is True
    assert redis["authToken"] == "[secret]"
    assert redis["atRestEncryptionEnabled"] is True and redis["kmsKeyId"].startswith("arn:aws:kms:")
    assert plan.outputs["cacheUrl"] == "[secret]"


def test_dev_is_a_single_node(dev: Plan):
    redis = dev.one(GROUP)
    assert redis["inputs"]["numCacheClusters"] == 1
    assert redis["inputs"]["automaticFailoverEnabled"] is False
    assert redis["protect"] is False


def test_prod_fails_over_across_zones_and_keeps_snapshots(prod: Plan):
    redis = prod.one(GROUP)
    inputs = redis["inputs"]
    assert inputs["numCacheClusters"] >= 2
    assert inputs["automaticFailoverEnabled"] is True and inputs["multiAzEnabled"] is True
    assert inputs["snapshotRetentionLimit"] >= 1 and inputs["finalSnapshotIdentifier"]
    assert redis["protect"] is True


def test_lives_in_data_subnets_and_admits_only_the_nodes(plan: Plan):
    group = plan.one("aws:elasticache/subnetGroup:SubnetGroup")
    data = {s["urn"] for s in plan.of_type("aws:ec2/subnet:Subnet") if "-data-" in s["name"]}
    assert set(group["dependencies"]) == data
    firewall = plan.one("aws:ec2/securityGroup:SecurityGroup", "-redis-sg")
    (rule,) = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if firewall["urn"] in r["dependencies"]
    ]
    assert (rule["inputs"]["fromPort"], rule["inputs"]["toPort"]) == (6379, 6379)
    assert rule["inputs"]["referencedSecurityGroupId"].startswith("sg-")


def test_cache_does_not_wait_for_the_cluster(plan: Plan):
    waits_for = plan.depends_on(plan.one(GROUP))
    assert not {t for t in waits_for if t.startswith("aws:eks/")}
