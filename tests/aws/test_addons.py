"""components/aws/addons.py: managed add-ons at pinned versions, in the right order."""

from tests.plans import Plan, plan_for

ADDON = "aws:eks/addon:Addon"


def addons(plan: Plan) -> dict[str, dict]:
    return {a["inputs"]["addonName"]: a for a in plan.of_type(ADDON)}


def test_all_managed_addons_at_the_configured_versions(plan: Plan):
    versions = {name: a["inputs"]["addonVersion"] for name, a in addons(plan).items()}
    assert versions == {
        "vpc-cni": "v1.21.1-eksbuild.1",
        "coredns": "v1.13.1-eksbuild.1",
        "kube-proxy": "v1.35.0-eksbuild.2",
        "aws-ebs-csi-driver": "v1.53.0-eksbuild.1",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
    }
    pinned = plan_for("dev", aws={"region": "us-east-1", "addonVersions": {"coredns": "v1.12.4-eksbuild.1"}})
    assert addons(pinned)["coredns"]["inputs"]["addonVersion"] == "v1.12.4-eksbuild.1"


def test_deployments_wait_for_the_nodes_and_daemonsets_do_not(plan: Plan):
    node_groups = {g["urn"] for g in plan.of_type("aws:eks/nodeGroup:NodeGroup")}
    by_name = addons(plan)
    for name in ("coredns", "aws-ebs-csi-driver"):
        assert node_groups <= set(by_name[name]["dependencies"]), name
    for name in ("vpc-cni", "kube-proxy", "eks-pod-identity-agent"):
        assert not node_groups & set(by_name[name]["dependencies"]), name


def test_ebs_csi_driver_gets_its_own_pod_identity_role(plan: Plan):
    (association,) = addons(plan)["aws-ebs-csi-driver"]["inputs"]["podIdentityAssociations"]
    assert association["serviceAccount"] == "ebs-csi-controller-sa"
    role = plan.one("aws:iam/role:Role", "-ebs-csi")
    assert association["roleArn"].startswith(f"arn:aws:iam::123456789012:role/{role['name']}-")
    assert '"pods.eks.amazonaws.com"' in role["inputs"]["assumeRolePolicy"]
    attachment = plan.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "-ebs-csi")
    assert attachment["inputs"]["policyArn"].endswith("/AmazonEBSCSIDriverPolicy")
