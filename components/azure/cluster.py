"""AKS: Standard tier, Entra ID with Azure RBAC and no local accounts, Azure CNI Overlay with
the Cilium dataplane and network policies, egress through the NAT gateway, the API server in
the VNet (API Server VNet Integration) and public only to the deployers' CIDRs or private,
workload identity, image cleaner, Azure Policy, and upgrades in maintenance windows."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_azure_native.containerservice as containerservice

from ..config.azure import DNS_SERVICE_IP, POD_CIDR, SERVICE_CIDR, AzureNodePool
from ..config.schema import Cluster, NodePool
from .cluster_access import admit_developers, admit_previews
from .identity import AKS_RBAC_CLUSTER_ADMIN, ClusterIdentities, assign_role
from .keys import KmsKey
from .node_pools import INLINE_IGNORED, system_pool_profile

# AKS reads its planned-maintenance windows from configurations of these fixed names
# (AKS, "Use Planned Maintenance to schedule and control upgrades": aksManagedAutoUpgradeSchedule
# for the cluster's auto-upgrade channel, aksManagedNodeOSUpgradeSchedule for the node OS channel).
AUTO_UPGRADE_SCHEDULE = "aksManagedAutoUpgradeSchedule"
NODE_OS_UPGRADE_SCHEDULE = "aksManagedNodeOSUpgradeSchedule"
# Image cleaner removes unused images with known vulnerabilities from the nodes, weekly.
IMAGE_CLEANER_INTERVAL_HOURS = 168
TIMEOUTS = pulumi.CustomTimeouts(create="90m", update="90m", delete="60m")


class AksCluster(pulumi.ComponentResource):
    cluster: containerservice.ManagedCluster
    name: pulumi.Output[str]
    id: pulumi.Output[str]
    oidc_issuer_url: pulumi.Output[str]
    admins: list[pulumi.Resource]

    def __init__(
        self,
        name: str,
        *,
        settings: Cluster,
        system_pool: tuple[NodePool, AzureNodePool],
        zones: Sequence[str],
        resource_group_name: pulumi.Input[str],
        location: str,
        subscription_id: pulumi.Input[str],
        tenant_id: pulumi.Input[str],
        identities: ClusterIdentities,
        kms: KmsKey,
        nodes_subnet_id: pulumi.Input[str],
        api_server_subnet_id: pulumi.Input[str],
        admin_group_object_ids: Sequence[str],
        developer_group_object_ids: Sequence[str],
        preview_principal_object_ids: Sequence[str],
        prod: bool,
        deployer: tuple[pulumi.Input[str], str],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:AksCluster", name, None, opts)
        public = settings.endpoint_public_access
        cluster = containerservice.ManagedCluster(
            f"{name}-aks",
            resource_name_=name,
            resource_group_name=resource_group_name,
            location=location,
            dns_prefix=name,
            kubernetes_version=settings.kubernetes_version,
            # Standard: the financially backed API server SLA (Free has none).
            sku=containerservice.ManagedClusterSKUArgs(name="Base", tier="Standard"),
            support_plan="KubernetesOfficial",
            identity=containerservice.ManagedClusterIdentityArgs(
                type=containerservice.ResourceIdentityType.USER_ASSIGNED, user_assigned_identities=[identities.control_plane.id]
            ),
            identity_profile={
                "kubeletidentity": containerservice.UserAssignedIdentityArgs(
                    resource_id=identities.kubelet.id,
                    client_id=identities.kubelet.client_id,
                    object_id=identities.kubelet.principal_id,
                )
            },
            # Entra ID sign-in, authorized by Azure RBAC; no local accounts, so no static
            # cluster-admin credential exists (AKS, "Manage local accounts").
            aad_profile=containerservice.ManagedClusterAADProfileArgs(
                managed=True,
                enable_azure_rbac=True,
                tenant_id=tenant_id,
                admin_group_object_ids=list(admin_group_object_ids),
            ),
            disable_local_accounts=True,
            enable_rbac=True,
            oidc_issuer_profile=containerservice.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
            security_profile=containerservice.ManagedClusterSecurityProfileArgs(
                workload_identity=containerservice.ManagedClusterSecurityProfileWorkloadIdentityArgs(enabled=True),
                image_cleaner=containerservice.ManagedClusterSecurityProfileImageCleanerArgs(
                    enabled=True, interval_hours=IMAGE_CLEANER_INTERVAL_HOURS
                ),
                # Secrets in etcd encrypted with the customer key (KMS). The vault takes no
                # public traffic: `Private` has AKS reach it through its own private endpoint,
                # which needs API Server VNet Integration (AKS, "Add KMS etcd encryption").
                azure_key_vault_kms=containerservice.AzureKeyVaultKmsArgs(
                    enabled=True,
                    key_id=kms.key_id,
                    key_vault_network_access=containerservice.KeyVaultNetworkAccessTypes.PRIVATE,
                    key_vault_resource_id=kms.vault_id,
                ),
            ),
            addon_profiles={"azurepolicy": containerservice.ManagedClusterAddonProfileArgs(enabled=True)},
            network_profile=containerservice.ContainerServiceNetworkProfileArgs(
                network_plugin="azure",
                network_plugin_mode="overlay",
                network_dataplane="cilium",
                network_policy="cilium",
                pod_cidr=POD_CIDR,
                service_cidr=SERVICE_CIDR,
                dns_service_ip=DNS_SERVICE_IP,
                load_balancer_sku="standard",
                outbound_type="userAssignedNATGateway",
            ),
            # The API server's internal address lives in its own delegated subnet: nodes and
            # pods reach it there, and so does a deployer routed into the VNet. Public: only
            # from cluster.publicAccessCidrs. Private: no public address at all, and a public
            # FQDN that resolves to the private address, so a deployer on a VPN or peered
            # network needs no access to the cluster's private DNS zone.
            api_server_access_profile=containerservice.ManagedClusterAPIServerAccessProfileArgs(
                enable_vnet_integration=True,
                subnet_id=api_server_subnet_id,
                enable_private_cluster=not public,
                enable_private_cluster_public_fqdn=None if public else True,
                authorized_ip_ranges=list(settings.public_access_cidrs) if public else None,
                disable_run_command=True,
            ),
            auto_upgrade_profile=containerservice.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel="patch", node_os_upgrade_channel="NodeImage"
            ),
            storage_profile=containerservice.ManagedClusterStorageProfileArgs(
                # Azure Files (NFS) keeps uploaded files; Azure Disks serve nothing yet but
                # are AKS's default storage class.
                file_csi_driver=containerservice.ManagedClusterStorageProfileFileCSIDriverArgs(enabled=True),
                disk_csi_driver=containerservice.ManagedClusterStorageProfileDiskCSIDriverArgs(enabled=True),
            ),
            agent_pool_profiles=[system_pool_profile(system_pool[0], system_pool[1], zones=zones, subnet_id=nodes_subnet_id)],
            tags=tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                # The control plane must hold its roles (kubelet identity, subnets, the KMS key) first.
                depends_on=[*identities.grants, *kms.grants],
                ignore_changes=INLINE_IGNORED,
                custom_timeouts=TIMEOUTS,
            ),
        )
        # Cluster patches on Sundays, node images on Saturdays, from 02:00 UTC for four hours.
        for config_name, suffix, day in (
            (AUTO_UPGRADE_SCHEDULE, "auto-upgrade-window", "Sunday"),
            (NODE_OS_UPGRADE_SCHEDULE, "node-os-window", "Saturday"),
        ):
            containerservice.MaintenanceConfiguration(
                f"{name}-{suffix}",
                config_name=config_name,
                resource_name_=cluster.name,
                resource_group_name=resource_group_name,
                maintenance_window=containerservice.MaintenanceWindowArgs(
                    schedule=containerservice.ScheduleArgs(
                        weekly=containerservice.WeeklyScheduleArgs(day_of_week=day, interval_weeks=1)
                    ),
                    start_time="02:00",
                    duration_hours=4,
                    utc_offset="+00:00",
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
        # With Azure RBAC, whoever runs `pulumi up` deploys the Kubernetes layer only with a
        # data-plane role on the cluster (an Owner of the subscription has none); the admin
        # groups get the same role beside the admin-group binding.
        principal_id, principal_type = deployer
        self.admins = [
            assign_role(
                f"{name}-deployer-cluster-admin",
                scope=cluster.id,
                role=AKS_RBAC_CLUSTER_ADMIN,
                principal_id=principal_id,
                principal_type=principal_type,
                subscription_id=subscription_id,
                parent=self,
            ),
            *(
                assign_role(
                    f"{name}-admin-group-{group}",
                    scope=cluster.id,
                    role=AKS_RBAC_CLUSTER_ADMIN,
                    principal_id=group,
                    principal_type="Group",
                    subscription_id=subscription_id,
                    parent=self,
                    # Named by their index before (components/principals.py says why no longer).
                    former_name=f"{name}-admin-group-{index}",
                )
                for index, group in enumerate(admin_group_object_ids)
            ),
        ]
        admit_developers(
            name,
            cluster_id=cluster.id,
            group_object_ids=developer_group_object_ids,
            prod=prod,
            subscription_id=subscription_id,
            parent=self,
        )
        admit_previews(
            name,
            cluster_id=cluster.id,
            # The cluster's id begins with its resource group's.
            resource_group_id=cluster.id.apply(lambda cluster_id: cluster_id.split("/providers/", 1)[0]),
            principal_object_ids=preview_principal_object_ids,
            subscription_id=subscription_id,
            parent=self,
        )
        self.cluster = cluster
        self.name = cluster.name
        self.id = cluster.id
        self.oidc_issuer_url = cluster.oidc_issuer_profile.apply(lambda p: (p.issuer_url if p else None) or "")
        self.register_outputs({"name": cluster.name, "fqdn": cluster.fqdn})
