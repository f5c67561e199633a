"""Managed node groups: `system` for core components, `workload` for the flow platform,
kept apart by labels and taints."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from ..config.aws import AwsNodePool
from ..config.schema import NodePool
from ..foundation import SYSTEM, WORKLOAD
from .cluster import assume_role_policy

NODE_POLICIES = (
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryPullOnly",
    # The VPC CNI runs on the node's role: it must work before any pod identity can.
    "AmazonEKS_CNI_Policy",
)
_EKS_EFFECT = {"NoSchedule": "NO_SCHEDULE", "NoExecute": "NO_EXECUTE", "PreferNoSchedule": "PREFER_NO_SCHEDULE"}


class NodePools(pulumi.ComponentResource):
    node_groups: list[aws.eks.NodeGroup]

    def __init__(
        self,
        name: str,
        *,
        cluster_name: pulumi.Input[str],
        kubernetes_version: str,
        subnet_ids: list[pulumi.Output[str]],
        pools: dict[str, tuple[NodePool, AwsNodePool]],
        tags: dict[str, str],
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:NodePools", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(f"{name}-node", assume_role_policy=assume_role_policy("ec2.amazonaws.com"), opts=child)
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-node-{policy}",
                role=role.name,
                policy_arn=f"arn:aws:iam::aws:policy/{policy}",
                opts=child,
            )
            for policy in NODE_POLICIES
        ]
        placements = {"system": SYSTEM, "workload": WORKLOAD}
        self.node_groups = []
        for pool_name, (pool, aws_pool) in pools.items():
            placement = placements[pool_name]
            template = aws.ec2.LaunchTemplate(
                f"{name}-{pool_name}",
                description=f"EKS {pool_name} nodes: IMDSv2 only, out of pods' reach; encrypted gp3 root volume",
                block_device_mappings=[
                    aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                        device_name="/dev/xvda",
                        ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                            volume_size=pool.disk_size_gb,
                            volume_type="gp3",
                            encrypted="true",
                            delete_on_termination="true",
                        ),
                    )
                ],
                metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                    http_endpoint="enabled",
                    http_tokens="required",
                    # One hop: the node itself, not the pods on it (they use Pod Identity).
                    http_put_response_hop_limit=1,
                ),
                # Provider default tags stop at the launch template: carry them to what it launches.
                tag_specifications=[
                    aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags={**tags, "Name": f"{name}-{pool_name}"})
                    for kind in ("instance", "volume", "network-interface")
                ],
                update_default_version=True,
                opts=child,
            )
            self.node_groups.append(
                aws.eks.NodeGroup(
                    f"{name}-{pool_name}",
                    cluster_name=cluster_name,
                    version=kubernetes_version,
                    node_role_arn=role.arn,
                    subnet_ids=subnet_ids,
                    ami_type="AL2023_x86_64_STANDARD",
                    capacity_type="SPOT" if pool.capacity_type == "spot" else "ON_DEMAND",
                    instance_types=aws_pool.instance_types,
                    scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                        min_size=pool.min_size, desired_size=pool.desired_size, max_size=pool.max_size
                    ),
                    update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
                    labels=placement.node_selector,
                    taints=[
                        aws.eks.NodeGroupTaintArgs(key=t.key, value=t.value, effect=_EKS_EFFECT[t.effect])
                        for t in placement.tolerations
                    ],
                    launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
                        id=template.id, version=template.latest_version.apply(str)
                    ),
                    opts=pulumi.ResourceOptions(
                        parent=self,
                        # Nodes join with the pinned CNI and kube-proxy already in place.
                        depends_on=[*attachments, *after],
                        # The autoscaler owns the node count once the pool exists.
                        ignore_changes=["scalingConfig.desiredSize"],
                    ),
                )
            )
        self.register_outputs({"nodeGroups": [g.node_group_name for g in self.node_groups]})
