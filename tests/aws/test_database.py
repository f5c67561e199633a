"""components/aws/database.py: private, encrypted, TLS-only, backed up, protected in prod,
its logs in encrypted groups, monitored in prod, and never waiting for the cluster."""

import json

from components.aws.database import identifier
from components.testing.mocks import ACCOUNT_ID
from preview.diff import changed_paths
from tests.plans import Plan, plan_for

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


# --- logs and monitoring ---------------------------------------------------------------


def test_the_identifier_is_set_and_valid_for_rds():
    assert identifier("centaurops-prod") == "centaurops-prod-postgres"
    assert identifier("Flows_Team.2") == "flows-team-2-postgres"
    assert identifier("9lives--x") == "db-9lives-x-postgres"
    long = identifier("a" * 80)
    assert len(long) <= 63 and not long.endswith("-")


def test_exported_logs_land_in_encrypted_groups_created_before_the_instance(dev: Plan, prod: Plan):
    for plan, days in ((dev, 30), (prod, 365)):
        db = plan.one(INSTANCE)
        inputs = db["inputs"]
        assert inputs["identifier"] == f"centaurops-{plan.document['stack']}-postgres"
        logs_key = plan.one("aws:kms/key:Key", "-logs")
        for log in inputs["enabledCloudwatchLogsExports"]:
            group = plan.one("aws:cloudwatch/logGroup:LogGroup", f"-postgres-{log}")
            assert group["inputs"]["name"] == f"/aws/rds/instance/{inputs['identifier']}/{log}"
            assert group["inputs"]["retentionInDays"] == days
            assert group["inputs"]["kmsKeyId"].startswith("arn:aws:kms:") and logs_key["urn"] in group["dependencies"]
            assert group["urn"] in db["dependencies"], "RDS would create the group itself, unencrypted"
        assert inputs["enabledCloudwatchLogsExports"] == ["postgresql", "upgrade"]


def test_enhanced_monitoring_in_prod_through_a_role_only_rds_monitoring_may_assume(dev: Plan, prod: Plan):
    assert dev.one(INSTANCE)["inputs"]["monitoringInterval"] == 0
    assert not [r for r in dev.of_type("aws:iam/role:Role") if r["name"].endswith("-postgres-monitoring")]
    db = prod.one(INSTANCE)
    assert db["inputs"]["monitoringInterval"] == 60
    role = prod.one("aws:iam/role:Role", "-postgres-monitoring")
    assert db["inputs"]["monitoringRoleArn"].startswith(f"arn:aws:iam::{ACCOUNT_ID}:role/centaurops-prod-postgres-monitoring-")
    (trust,) = json.loads(role["inputs"]["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"Service": "monitoring.rds.amazonaws.com"}
    assert trust["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT_ID},
        "ArnLike": {"aws:SourceArn": f"arn:aws:rds:us-east-1:{ACCOUNT_ID}:db:centaurops-prod-postgres"},
    }
    attachment = prod.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "-postgres-monitoring")
    assert attachment["inputs"]["policyArn"] == "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    assert attachment["urn"] in db["dependencies"]


# --- major version upgrade ---------------------------------------------------------------

PARAMETERS = "aws:rds/parameterGroup:ParameterGroup"


def test_postgres_16_to_17_is_an_in_place_upgrade_with_a_new_parameter_group(prod: Plan):
    upgraded = plan_for("prod", database={"engineVersion": "17"})
    before, after = prod.one(INSTANCE), upgraded.one(INSTANCE)
    # The same instance (same URN and identifier: an update, not a new empty database)...
    assert before["urn"] == after["urn"]
    assert before["inputs"]["identifier"] == after["inputs"]["identifier"]
    assert (before["inputs"]["engineVersion"], after["inputs"]["engineVersion"]) == ("16", "17")
    # ...and only its version changes (the new group's name is new only once AWS names it).
    assert changed_paths(before, after) == ["inputs.engineVersion"]
    for db in (before, after):
        assert db["inputs"]["allowMajorVersionUpgrade"] is True, "RDS refuses a major upgrade without it"
        assert db["inputs"]["applyImmediately"] is True, "the old group is deleted in the same update"
    # The parameter group follows the version; the family change replaces it, and without a
    # fixed name the replacement can exist beside the old group until the instance moved.
    old, new = prod.one(PARAMETERS), upgraded.one(PARAMETERS)
    assert old["urn"] == new["urn"]
    assert (old["inputs"]["family"], new["inputs"]["family"]) == ("postgres16", "postgres17")
    assert changed_paths(old, new) == ["inputs.family"]
    assert "name" not in new["inputs"] and "namePrefix" not in new["inputs"]
    assert new["urn"] in after["dependencies"]
    assert after["inputs"]["parameterGroupName"].startswith("centaurops-prod-postgres-params-")
    # The settings carry over: TLS is still enforced on 17.
    parameters = [{"name": p["name"], "value": p["value"]} for p in new["inputs"]["parameters"]]
    assert {"name": "rds.force_ssl", "value": "1"} in parameters
