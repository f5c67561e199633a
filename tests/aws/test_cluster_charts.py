"""components/aws/cluster_charts.py: metrics-server and Cluster Autoscaler on the system
pool, installed before the workload; the autoscaler acts through Pod Identity, only on
this cluster's node groups."""

import json
from typing import get_args

import pytest

from components.aws.cluster_charts import AUTOSCALER_RELEASES
from components.config import quantities
from components.config.schema import KubernetesVersion
from components.testing.mocks import ACCOUNT_ID
from tests.aws import stacks
from tests.aws.policies import as_list, statements
from tests.plans import Plan, plan_for

RELEASE = "kubernetes:helm.sh/v3:Release"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
SYSTEM_PLACEMENT = {
    "nodeSelector": {"centaurops.io/pool": "system"},
    "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Equal", "value": "true", "effect": "NoSchedule"}],
}


def release(plan: Plan, name: str) -> dict:
    (found,) = [r for r in plan.of_type(RELEASE) if r["inputs"]["name"] == name]
    return found


def values(plan: Plan, name: str) -> dict:
    return release(plan, name)["inputs"]["values"]


def test_both_charts_come_pinned_from_their_projects_into_kube_system(plan: Plan):
    metrics, autoscaler = release(plan, "metrics-server")["inputs"], release(plan, "cluster-autoscaler")["inputs"]
    assert (metrics["chart"], metrics["repositoryOpts"]["repo"], metrics["version"], metrics["namespace"]) == (
        "metrics-server",
        "https://kubernetes-sigs.github.io/metrics-server/",
        "3.13.1",
        "kube-system",
    )
    assert (autoscaler["chart"], autoscaler["repositoryOpts"]["repo"], autoscaler["namespace"]) == (
        "cluster-autoscaler",
        "https://kubernetes.github.io/autoscaler",
        "kube-system",
    )


def test_metrics_first_then_the_autoscaler_then_the_workload(plan: Plan):
    metrics, autoscaler = release(plan, "metrics-server"), release(plan, "cluster-autoscaler")
    assert metrics["urn"] in autoscaler["dependencies"]
    workload = release(plan, "flow-platform")
    assert {metrics["urn"], autoscaler["urn"]} <= set(workload["dependencies"])


@pytest.mark.parametrize("name", ["metrics-server", "cluster-autoscaler"])
def test_both_run_on_the_system_pool(plan: Plan, name: str):
    chart = values(plan, name)
    assert {key: chart[key] for key in SYSTEM_PLACEMENT} == SYSTEM_PLACEMENT


def test_metrics_server_is_highly_available_in_prod_only(dev: Plan, prod: Plan):
    assert values(dev, "metrics-server")["replicas"] == 1
    assert "podDisruptionBudget" not in values(dev, "metrics-server")
    chart = values(prod, "metrics-server")
    assert chart["replicas"] == 2
    assert chart["podDisruptionBudget"] == {"enabled": True, "minAvailable": 1}
    (spread,) = chart["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert spread["topologyKey"] == "kubernetes.io/hostname"
    # The chart's selector labels for a release named metrics-server.
    assert spread["labelSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "metrics-server",
        "app.kubernetes.io/instance": "metrics-server",
    }
    assert chart["updateStrategy"]["rollingUpdate"] == {"maxUnavailable": 1}


@pytest.mark.parametrize("version", get_args(KubernetesVersion))
def test_the_autoscaler_matches_the_clusters_kubernetes_minor_version(version: str):
    chart_version, image_tag = AUTOSCALER_RELEASES[version]
    assert image_tag.startswith(f"v{version}.")
    assert tuple(int(n) for n in chart_version.split(".")) >= (9, 51, 0)


def test_the_deployed_autoscaler_follows_the_configured_version(dev: Plan):
    assert values(dev, "cluster-autoscaler")["image"]["tag"] == "v1.35.2"
    assert release(dev, "cluster-autoscaler")["inputs"]["version"] == "9.59.0"
    older = plan_for("dev", cluster=stacks.cluster("dev", kubernetesVersion="1.33"))
    assert values(older, "cluster-autoscaler")["image"]["tag"] == "v1.33.6"
    assert release(older, "cluster-autoscaler")["inputs"]["version"] == "9.51.0"


def test_the_autoscaler_discovers_this_clusters_node_groups_in_this_region_without_imds(plan: Plan):
    chart = values(plan, "cluster-autoscaler")
    cluster = plan.one("aws:eks/cluster:Cluster")["inputs"]["name"]
    assert chart["cloudProvider"] == "aws"
    assert chart["autoDiscovery"] == {"clusterName": cluster}, "the chart's default tags name this cluster"
    (provider,) = plan.of_type("pulumi:providers:aws")
    assert chart["awsRegion"] == provider["inputs"]["region"]


def test_the_autoscaler_scales_down_workload_nodes_and_keeps_system_pods_safe(plan: Plan):
    args = values(plan, "cluster-autoscaler")["extraArgs"]
    assert args == {
        "balance-similar-node-groups": True,
        "expander": "least-waste",
        "skip-nodes-with-local-storage": False,
        "skip-nodes-with-system-pods": True,
    }


def test_the_autoscaler_runs_unprivileged(plan: Plan):
    chart = values(plan, "cluster-autoscaler")
    assert chart["securityContext"]["runAsNonRoot"] is True
    assert chart["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert chart["containerSecurityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    assert chart["resources"] == {"requests": {"cpu": "100m", "memory": "300Mi"}, "limits": {"memory": "600Mi"}}


def test_metrics_server_has_a_memory_limit_for_the_largest_cluster_a_stack_may_have(plan: Plan):
    # 200Mi serves up to 100 nodes, plus 2Mi a node beyond (metrics-server README, Scaling); both pools
    # may reach 100 nodes.
    largest = 2 * 100
    resources = values(plan, "metrics-server")["resources"]
    assert resources == {"requests": {"cpu": "100m", "memory": "200Mi"}, "limits": {"memory": "400Mi"}}
    needed = quantities.parse("200Mi") + (largest - 100) * quantities.parse("2Mi")
    assert quantities.parse(resources["limits"]["memory"]) >= needed


def test_the_autoscalers_service_account_acts_as_its_role_through_pod_identity(plan: Plan):
    (association,) = [a for a in plan.of_type(ASSOCIATION) if a["inputs"]["namespace"] == "kube-system"]
    chart = values(plan, "cluster-autoscaler")
    assert chart["rbac"]["serviceAccount"] == {"create": True, "name": association["inputs"]["serviceAccount"]}
    role = plan.one("aws:iam/role:Role", "-cluster-autoscaler")
    assert association["inputs"]["roleArn"].startswith(f"arn:aws:iam::{ACCOUNT_ID}:role/{role['name']}-")
    trust = json.loads(role["inputs"]["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert trust["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    agent = next(a for a in plan.of_type("aws:eks/addon:Addon") if a["inputs"]["addonName"] == "eks-pod-identity-agent")
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", "-cluster-autoscaler")
    assert {agent["urn"], policy["urn"]} <= set(association["dependencies"])
    (provider,) = plan.of_type("pulumi:providers:kubernetes")
    assert association["urn"] in provider["dependencies"], "the association exists before any chart is installed"


def test_the_autoscaler_may_scale_only_this_clusters_node_groups(plan: Plan):
    cluster = plan.one("aws:eks/cluster:Cluster")["inputs"]["name"]
    document = plan.one("aws:iam/rolePolicy:RolePolicy", "-cluster-autoscaler")["inputs"]["policy"]
    by_sid = {s["Sid"]: s for s in statements(document)}
    assert set(by_sid) == {"Discover", "ReadThisClustersNodeGroups", "ScaleThisClustersNodeGroups"}
    assert all(a.split(":")[1].startswith(("Describe", "Get")) for a in as_list(by_sid["Discover"]["Action"]))
    read = by_sid["ReadThisClustersNodeGroups"]
    assert (read["Action"], read["Resource"]) == (
        "eks:DescribeNodegroup",
        f"arn:aws:eks:us-east-1:{ACCOUNT_ID}:nodegroup/{cluster}/*/*",
    )
    scale = by_sid["ScaleThisClustersNodeGroups"]
    assert sorted(as_list(scale["Action"])) == [
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    assert scale["Condition"] == {
        "StringEquals": {
            "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
            f"aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster}": "owned",
        }
    }
    actions = [a for s in statements(document) for a in as_list(s["Action"])]
    assert not [a for a in actions if "*" in a], "no wildcard actions"
