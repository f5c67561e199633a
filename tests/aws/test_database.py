"""components/aws/database.py: private, encrypted, TLS-only, backed up, protected in prod,
and never waiting for the cluster."""

from tests.plans import Plan

INSTANCE = "aws:rds/instance:Instance"


def test_postgres_16_or_newer_private_and_encrypted(plan: Plan):
    db = plan.one(INSTANCE)["inputs"]
    assert db["engine"] == "postgres" and int(db["engineVersion"]) >= 16
    assert db["publiclyAccessible"] is False
    assert db["storageEncrypted"] is True
    data_key = next(k for k in plan.of_type("aws:kms/key:Key") if k["name"].endswith("-data"))
    assert db["kmsKeyId"].startswith("arn:aws:kms:") and data_key["urn"] in plan.one(INSTANCE)["dependencies"]
    assert db["performanceInsightsEnabled"] is True


def test_lives_in_the_data_subnets(plan: Plan):
    group = plan.one("aws:rds/subnetGroup:SubnetGroup")
    data = {s["urn"] for s in plan.of_type("aws:ec2/subnet:Subnet") if "-data-" in s["name"]}
    assert set(group["dependencies"]) == data


def test_tls_is_enforced_by_the_parameter_group(plan: Plan):
    params = plan.one("aws:rds/parameterGroup:ParameterGroup")["inputs"]
    assert params["family"] == "postgres16"
    assert {"name": "rds.force_ssl", "value": "1"} in [{"name": p["name"], "value": p["value"]} for p in params["parameters"]]


def test_password_is_generated_and_secret(plan: Plan):
    db = plan.one(INSTANCE)
    assert db["inputs"]["password"] == "[secret]"
    password = plan.one("random:index/randomPassword:RandomPassword", "-postgres-password")
    assert password["urn"] in db["dependencies"]
    assert password["inputs"]["length"] >= 32
    assert plan.outputs["databaseUrl"] == "[secret]"


def test_dev_is_cheap_and_disposable(dev: Plan):
    db = dev.one(INSTANCE)
    assert db["inputs"]["multiAz"] is False
    assert db["inputs"]["skipFinalSnapshot"] is True
    assert db["inputs"]["backupRetentionPeriod"] == 7
    assert db["protect"] is False


def test_prod_is_highly_available_and_cannot_be_lost(prod: Plan):
    db = prod.one(INSTANCE)
    inputs = db["inputs"]
    assert inputs["multiAz"] is True
    assert inputs["deletionProtection"] is True
    assert inputs["backupRetentionPeriod"] >= 14
    assert inputs["skipFinalSnapshot"] is False and inputs["finalSnapshotIdentifier"]
    assert inputs["deleteAutomatedBackups"] is False
    assert db["protect"] is True


def test_only_the_cluster_nodes_reach_5432(plan: Plan):
    firewall = plan.one("aws:ec2/securityGroup:SecurityGroup", "-postgres-sg")
    assert not firewall["inputs"].get("ingress") and not firewall["inputs"].get("egress")
    (rule,) = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if firewall["urn"] in r["dependencies"]
    ]
    assert (rule["inputs"]["fromPort"], rule["inputs"]["toPort"], rule["inputs"]["ipProtocol"]) == (5432, 5432, "tcp")
    assert "cidrIpv4" not in rule["inputs"]
    cluster = plan.one("aws:eks/cluster:Cluster")
    assert cluster["urn"] in rule["dependencies"], "the source is the cluster security group"


def test_database_does_not_wait_for_the_cluster(plan: Plan):
    waits_for = plan.depends_on(plan.one(INSTANCE))
    assert not {t for t in waits_for if t.startswith("aws:eks/")}
    assert "aws:ec2/subnet:Subnet" in waits_for
