"""components/kubernetes/layer.py: one explicit provider from the foundation's kubeconfig."""

from tests.plans import Plan

PROVIDER = "pulumi:providers:kubernetes"


def test_every_kubernetes_resource_uses_the_explicit_provider(plan: Plan):
    (provider,) = plan.of_type(PROVIDER)
    kubernetes = [r for r in plan.resources if r["type"].startswith("kubernetes:")]
    assert len(kubernetes) > 20
    assert {r["provider"] for r in kubernetes} == {provider["urn"]}


def test_provider_is_built_from_the_secret_kubeconfig(plan: Plan):
    (provider,) = plan.of_type(PROVIDER)
    assert provider["inputs"]["kubeconfig"] == "[secret]"
    cluster = plan.one("aws:eks/cluster:Cluster")
    assert cluster["urn"] in provider["dependencies"]


def test_the_stack_files_disable_the_default_kubernetes_provider():
    from preview.cli import PROJECT_DIR
    from preview.stackfile import read_stack_config

    for stack in ("dev", "prod"):
        config = read_stack_config(PROJECT_DIR / f"Pulumi.{stack}.yaml")
        assert config["pulumi:disable-default-providers"] == '["kubernetes"]'


def test_provider_waits_until_workloads_can_run(plan: Plan):
    (provider,) = plan.of_type(PROVIDER)
    waits_for = {plan.by_urn(u)["type"] for u in provider["dependencies"]}
    assert {
        "aws:eks/nodeGroup:NodeGroup",
        "aws:eks/addon:Addon",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    } <= waits_for
    addons = {plan.by_urn(u)["inputs"]["addonName"] for u in provider["dependencies"] if "addon:Addon" in u}
    assert addons == {"coredns", "aws-ebs-csi-driver"}


def test_the_workload_waits_for_the_clouds_cluster_charts(plan: Plan):
    releases = {r["inputs"]["name"]: r for r in plan.of_type("kubernetes:helm.sh/v3:Release")}
    cloud_charts = [releases["metrics-server"], releases["cluster-autoscaler"]]
    # installed in the order the foundation lists them, then the workload: its HPA needs
    # the metrics API, its pending pods the node autoscaler
    assert releases["metrics-server"]["urn"] in releases["cluster-autoscaler"]["dependencies"]
    for chart in cloud_charts:
        assert chart["urn"] in releases["flow-platform"]["dependencies"], chart["name"]
        assert chart["inputs"]["namespace"] == "kube-system"
