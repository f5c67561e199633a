"""EKS managed add-ons, versions pinned in config.

The network add-ons and the Pod Identity agent go in before the nodes (nodes join
with the pinned CNI); CoreDNS and the EBS CSI driver run Deployments and so wait for
the node pools."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from ..config.aws import EksAddonVersions
from .cluster import assume_role_policy


class EksAddons(pulumi.ComponentResource):
    before_nodes: list[aws.eks.Addon]

    def __init__(
        self,
        name: str,
        *,
        cluster_name: pulumi.Input[str],
        versions: EksAddonVersions,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:EksAddons", name, None, opts)
        self._name = name
        self._cluster_name = cluster_name
        self._versions = versions
        self.before_nodes = [
            # The VPC CNI enforces NetworkPolicies only when told to.
            self._addon("vpc-cni", versions.vpc_cni, configuration={"enableNetworkPolicy": "true"}),
            self._addon("kube-proxy", versions.kube_proxy),
            self._addon("eks-pod-identity-agent", versions.pod_identity_agent),
        ]

    def _addon(
        self,
        addon: str,
        version: str,
        *,
        depends_on: Sequence[pulumi.Resource] = (),
        pod_identity: list[aws.eks.AddonPodIdentityAssociationArgs] | None = None,
        configuration: dict[str, str] | None = None,
    ) -> aws.eks.Addon:
        return aws.eks.Addon(
            f"{self._name}-{addon}",
            cluster_name=self._cluster_name,
            addon_name=addon,
            addon_version=version,
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="OVERWRITE",
            pod_identity_associations=pod_identity,
            configuration_values=json.dumps(configuration) if configuration else None,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(depends_on)),
        )

    def add_after_nodes(self, node_groups: Sequence[pulumi.Resource]) -> list[aws.eks.Addon]:
        """CoreDNS and the EBS CSI driver (with its own Pod Identity role)."""
        coredns = self._addon("coredns", self._versions.coredns, depends_on=node_groups)
        role = aws.iam.Role(
            f"{self._name}-ebs-csi",
            assume_role_policy=assume_role_policy("pods.eks.amazonaws.com", tag_session=True),
            opts=pulumi.ResourceOptions(parent=self),
        )
        attachment = aws.iam.RolePolicyAttachment(
            f"{self._name}-ebs-csi",
            role=role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
            opts=pulumi.ResourceOptions(parent=self),
        )
        ebs_csi = self._addon(
            "aws-ebs-csi-driver",
            self._versions.ebs_csi_driver,
            depends_on=[*node_groups, attachment],
            pod_identity=[aws.eks.AddonPodIdentityAssociationArgs(role_arn=role.arn, service_account="ebs-csi-controller-sa")],
        )
        self.register_outputs({})
        return [coredns, ebs_csi]
