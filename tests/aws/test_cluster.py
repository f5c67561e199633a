"""components/aws/cluster.py: encrypted secrets, encrypted control plane logs, endpoint access."""

from tests.plans import PUBLIC_API, Plan, plan_for

CLUSTER = "aws:eks/cluster:Cluster"


def test_authentication_through_access_entries_only(plan: Plan):
    access = plan.one(CLUSTER)["inputs"]["accessConfig"]
    assert access["authenticationMode"] == "API"


def test_secrets_are_envelope_encrypted_with_a_rotating_customer_key(plan: Plan):
    encryption = plan.one(CLUSTER)["inputs"]["encryptionConfig"]
    assert encryption["resources"] == ["secrets"]
    key = next(k for k in plan.of_type("aws:kms/key:Key") if k["name"].endswith("-cluster"))
    assert key["inputs"]["enableKeyRotation"] is True
    assert key["urn"] in plan.one(CLUSTER)["dependencies"]


def control_plane_log_group(plan: Plan) -> dict:
    name = f"/aws/eks/{plan.one(CLUSTER)['inputs']['name']}/cluster"
    (group,) = [g for g in plan.of_type("aws:cloudwatch/logGroup:LogGroup") if g["inputs"]["name"] == name]
    return group


def test_control_plane_logs_go_to_an_encrypted_group_with_retention(dev: Plan, prod: Plan):
    for plan, days in ((dev, 30), (prod, 365)):
        cluster = plan.one(CLUSTER)
        group = control_plane_log_group(plan)
        assert group["inputs"]["retentionInDays"] == days
        assert group["urn"] in cluster["dependencies"], "the group must exist before EKS creates its own"
        logs_key = plan.one("aws:kms/key:Key", "-logs")
        assert logs_key["urn"] in group["dependencies"]
        assert group["inputs"]["kmsKeyId"].startswith("arn:aws:kms:us-east-1:")


def test_audit_logs_in_dev_every_control_plane_log_in_prod(dev: Plan, prod: Plan):
    assert dev.one(CLUSTER)["inputs"]["enabledClusterLogTypes"] == ["api", "audit", "authenticator"]
    assert prod.one(CLUSTER)["inputs"]["enabledClusterLogTypes"] == [
        "api",
        "audit",
        "authenticator",
        "controllerManager",
        "scheduler",
    ]


def test_cluster_runs_in_private_subnets(plan: Plan):
    subnet_ids = plan.one(CLUSTER)["inputs"]["vpcConfig"]["subnetIds"]
    private = {s["urn"] for s in plan.of_type("aws:ec2/subnet:Subnet") if "-private-" in s["name"]}
    assert len(subnet_ids) == len(private)
    assert private <= set(plan.one(CLUSTER)["dependencies"])


def test_version_from_config_and_deletion_protection_in_prod(dev: Plan, prod: Plan):
    assert dev.one(CLUSTER)["inputs"]["version"] == "1.35"
    assert dev.one(CLUSTER)["inputs"]["deletionProtection"] is False
    assert prod.one(CLUSTER)["inputs"]["deletionProtection"] is True
    assert plan_for("dev", cluster={**PUBLIC_API, "kubernetesVersion": "1.34"}).one(CLUSTER)["inputs"]["version"] == "1.34"
