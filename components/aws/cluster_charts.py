"""Charts EKS needs on the cluster, installed by the Kubernetes layer before the workload:
metrics-server (the metrics API that HorizontalPodAutoscalers and `kubectl top` read) and
Cluster Autoscaler (node groups grow for pending pods and shrink when nodes idle), both on
the system pool. The autoscaler acts through EKS Pod Identity, never the node's role."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from ..foundation import SYSTEM, ClusterChart
from .cluster import assume_role_policy

NAMESPACE = "kube-system"

METRICS_SERVER_REPOSITORY = "https://kubernetes-sigs.github.io/metrics-server/"
# Chart 3.13.1 (tag metrics-server-helm-chart-3.13.1) runs metrics-server 0.8.1.
METRICS_SERVER_CHART = "3.13.1"

AUTOSCALER_REPOSITORY = "https://kubernetes.github.io/autoscaler"
AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler"
# Cluster Autoscaler is released per Kubernetes minor version; its README asks for "the
# latest Cluster Autoscaler release that corresponds to the minor version of Kubernetes"
# the cluster runs. Per minor version: the newest chart whose appVersion is that minor
# (9.51.0: 1.33.0, 9.53.0: 1.34.2, 9.59.0: 1.35.0; no chart ships 1.36 yet, so the newest
# chart), and the newest image of that minor (git tags cluster-autoscaler-1.3x.y).
AUTOSCALER_RELEASES: dict[str, tuple[str, str]] = {
    "1.33": ("9.51.0", "v1.33.6"),
    "1.34": ("9.53.0", "v1.34.5"),
    "1.35": ("9.59.0", "v1.35.2"),
    "1.36": ("9.59.0", "v1.36.1"),
}


# The chart's own request (3.13.1 values.yaml, resources), which metrics-server's README (Scaling) says
# serves clusters of up to 100 nodes, to which it adds 2 MiB per node beyond. The limit covers the most
# nodes a stack may have, both pools at their schema's maximum of 100 (config/schema.py): 200Mi + 100 x 2Mi.
# The chart's defaults already run it non-root on a read-only root (values.yaml securityContext).
METRICS_SERVER_RESOURCES = {"requests": {"cpu": "100m", "memory": "200Mi"}, "limits": {"memory": "400Mi"}}
# Cluster Autoscaler: its chart's example as request (values.yaml, resources, commented: 100m, 300Mi), the
# project's AWS example manifest as limit (cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml:
# 600Mi), at cluster-autoscaler-chart-9.51.0, 9.53.0 and 9.59.0 alike.
AUTOSCALER_RESOURCES = {"requests": {"cpu": "100m", "memory": "300Mi"}, "limits": {"memory": "600Mi"}}


def metrics_server(*, highly_available: bool) -> ClusterChart:
    values: dict[str, Any] = {"replicas": 1, "resources": METRICS_SERVER_RESOURCES, **SYSTEM.values()}
    if highly_available:
        # The project's high-availability manifest (manifests/components/high-availability
        # at v0.8.1): two replicas on different nodes, one always up, and a rollout that
        # removes an old pod first (a surge pod would find no third node).
        labels = {"app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": "metrics-server"}
        values |= {
            "replicas": 2,
            "podDisruptionBudget": {"enabled": True, "minAvailable": 1},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "affinity": {
                "podAntiAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [
                        {"labelSelector": {"matchLabels": labels}, "topologyKey": "kubernetes.io/hostname"}
                    ]
                }
            },
        }
    return ClusterChart(
        release="metrics-server",
        chart="metrics-server",
        repository=METRICS_SERVER_REPOSITORY,
        version=METRICS_SERVER_CHART,
        namespace=NAMESPACE,
        values=values,
    )


def cluster_autoscaler(*, cluster_name: pulumi.Input[str], kubernetes_version: str, region: str) -> ClusterChart:
    chart_version, image_tag = AUTOSCALER_RELEASES[kubernetes_version]
    return ClusterChart(
        release="cluster-autoscaler",
        chart="cluster-autoscaler",
        repository=AUTOSCALER_REPOSITORY,
        version=chart_version,
        namespace=NAMESPACE,
        values={
            "cloudProvider": "aws",
            # Nodes allow one IMDS hop: the pod cannot ask the instance for its region, so
            # the chart sets AWS_REGION; credentials come from the Pod Identity agent
            # (SDKs that support it: aws-sdk-go 1.48.7 in CA 1.33 and 1.34, aws-sdk-go-v2
            # from CA 1.35; EKS asks for Go v1 >= 1.47.11, v2 >= release-2023-11-14).
            "awsRegion": region,
            # The chart's default tags (k8s.io/cluster-autoscaler/enabled and
            # k8s.io/cluster-autoscaler/<cluster>): managed node groups are "automatically
            # tagged for auto-discovery by the Kubernetes Cluster Autoscaler" (EKS User
            # Guide, "Managed node groups"), with the values the policy below checks.
            "autoDiscovery": {"clusterName": cluster_name},
            "rbac": {"serviceAccount": {"create": True, "name": AUTOSCALER_SERVICE_ACCOUNT}},
            "image": {"tag": image_tag},
            # extraArgs merges with the chart's (logtostderr, stderrthreshold, v).
            "extraArgs": {
                # Keeps node groups split by zone even in size, should pools ever be split
                # so (EKS User Guide advice for EBS-backed workloads); harmless until then.
                "balance-similar-node-groups": True,
                # Cheapest fit first: the default since 1.33, written down so it stays so.
                "expander": "least-waste",
                # The flow platform's pods use emptyDir scratch volumes (its chart's
                # Deployment); with the default (true), no workload node would ever be
                # removed. Nothing on the cluster keeps state in emptyDir.
                "skip-nodes-with-local-storage": False,
                # kube-system pods without a PodDisruptionBudget (CoreDNS, the EBS CSI
                # controller) keep their node (the default): the system pool shrinks only
                # when that is safe.
                "skip-nodes-with-system-pods": True,
            },
            "replicaCount": 1,
            "resources": AUTOSCALER_RESOURCES,
            # As the chart's own suggestion: non-root, read-only, no capabilities.
            "securityContext": {
                "runAsNonRoot": True,
                "runAsUser": 65534,
                "runAsGroup": 65534,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containerSecurityContext": {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "capabilities": {"drop": ["ALL"]},
            },
            **SYSTEM.values(),
        },
    )


def autoscaler_policy(cluster_name: str, region: str, account_id: str) -> str:
    """The "Full Cluster Autoscaler Features Policy" of the autoscaler's AWS README (at
    cluster-autoscaler-chart-9.59.0), with its advice applied: scaling and terminating
    only in Auto Scaling groups of this cluster, by the tags EKS puts on them (EKS Best
    Practices Guide, Cluster Autoscaler: "Employ least privileged access to the IAM role")."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Discover",
                    "Effect": "Allow",
                    # Describe calls take no resource-level permissions.
                    "Action": [
                        "autoscaling:DescribeAutoScalingGroups",
                        "autoscaling:DescribeAutoScalingInstances",
                        "autoscaling:DescribeLaunchConfigurations",
                        "autoscaling:DescribeScalingActivities",
                        "ec2:DescribeImages",
                        "ec2:DescribeInstanceTypes",
                        "ec2:DescribeLaunchTemplateVersions",
                        "ec2:GetInstanceTypesFromInstanceRequirements",
                    ],
                    "Resource": "*",
                },
                {
                    "Sid": "ReadThisClustersNodeGroups",
                    "Effect": "Allow",
                    "Action": "eks:DescribeNodegroup",
                    "Resource": f"arn:aws:eks:{region}:{account_id}:nodegroup/{cluster_name}/*/*",
                },
                {
                    "Sid": "ScaleThisClustersNodeGroups",
                    "Effect": "Allow",
                    "Action": ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {
                            "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
                            f"aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster_name}": "owned",
                        }
                    },
                },
            ],
        }
    )


class ClusterCharts(pulumi.ComponentResource):
    """The charts, and the Cluster Autoscaler's IAM role bound to its service account."""

    charts: tuple[ClusterChart, ...]
    association: aws.eks.PodIdentityAssociation

    def __init__(
        self,
        name: str,
        *,
        cluster_name: pulumi.Output[str],
        kubernetes_version: str,
        region: str,
        account_id: pulumi.Input[str],
        highly_available: bool,
        depends_on: Sequence[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:ClusterCharts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-cluster-autoscaler",
            assume_role_policy=assume_role_policy("pods.eks.amazonaws.com", tag_session=True),
            opts=child,
        )
        policy = aws.iam.RolePolicy(
            f"{name}-cluster-autoscaler",
            role=role.id,
            policy=pulumi.Output.all(cluster_name, account_id).apply(
                lambda values: autoscaler_policy(values[0], region, values[1])
            ),
            opts=child,
        )
        # Before the chart (the Kubernetes layer waits for it in workloads_ready): EKS adds
        # the credentials to a pod when it starts ("When Amazon EKS starts a new pod that
        # uses a service account with an EKS Pod Identity association...", EKS User Guide).
        self.association = aws.eks.PodIdentityAssociation(
            f"{name}-cluster-autoscaler",
            cluster_name=cluster_name,
            namespace=NAMESPACE,
            service_account=AUTOSCALER_SERVICE_ACCOUNT,
            role_arn=role.arn,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy, *depends_on]),
        )
        self.charts = (
            metrics_server(highly_available=highly_available),
            cluster_autoscaler(cluster_name=cluster_name, kubernetes_version=kubernetes_version, region=region),
        )
        self.register_outputs({"autoscalerRoleArn": role.arn})
