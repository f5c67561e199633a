"""GKE Standard, regional: private nodes, a control plane reachable only from the listed
networks (or through its IAM-checked DNS endpoint), Workload Identity Federation, Dataplane
V2 enforcing network policies, secrets encrypted with a customer key, no client
certificate, no kubelet read-only port, system and workload logs, managed monitoring.

The hardening is terraform-google-kubernetes-engine's `safer-cluster` (private nodes,
shielded nodes with secure boot, Workload Identity, release channel, no default node pool,
no legacy endpoints) plus what it leaves off by default: secrets encryption with a
customer-managed key."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_gcp as gcp

from ..config.schema import Cluster
from .encryption import GrantedKey
from .network import PODS_RANGE, SERVICES_RANGE

LOG_COMPONENTS = ["SYSTEM_COMPONENTS", "WORKLOADS"]
# prod also keeps the control plane's own logs (as AWS keeps every control plane log type there)
# (https://cloud.google.com/kubernetes-engine/docs/how-to/view-logs#control-plane-logs).
ALL_LOG_COMPONENTS = [*LOG_COMPONENTS, "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER"]
MONITORING_COMPONENTS = ["SYSTEM_COMPONENTS"]


def authorized_networks(settings: Cluster) -> list[str]:
    """Who may reach the IP endpoints: the public CIDRs when the public endpoint is on, and
    the private networks (VPN, peered networks, runners) on the private endpoint."""
    public = settings.public_access_cidrs if settings.endpoint_public_access else []
    return sorted({*public, *settings.private_access_cidrs})


# The address NodeLocal DNSCache listens on in every node (169.254.20.10 by default:
# nodelocaldns README, __PILLAR__LOCAL__DNS__).
NODE_LOCAL_DNS = "169.254.20.10/32"


class GkeCluster(pulumi.ComponentResource):
    cluster: gcp.container.Cluster
    name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    dns_endpoint: pulumi.Output[str]
    certificate_authority: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        project: str,
        region: str,
        zones: pulumi.Input[Sequence[str]],
        settings: Cluster,
        release_channel: str,
        dns_endpoint: bool,
        network_id: pulumi.Input[str],
        subnet_id: pulumi.Input[str],
        control_plane_subnet_id: pulumi.Input[str],
        node_service_account: pulumi.Input[str],
        secrets_key: GrantedKey,
        labels: dict[str, str],
        all_logs: bool,
        deletion_protection: bool,
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:gcp:GkeCluster", name, None, opts)
        networks = authorized_networks(settings)
        cluster = gcp.container.Cluster(
            f"{name}-gke",
            name=name,
            project=project,
            location=region,
            node_locations=zones,
            min_master_version=settings.kubernetes_version,
            release_channel={"channel": release_channel},
            network=network_id,
            subnetwork=subnet_id,
            networking_mode="VPC_NATIVE",
            ip_allocation_policy={"cluster_secondary_range_name": PODS_RANGE, "services_secondary_range_name": SERVICES_RANGE},
            # Dataplane V2: eBPF, network policies enforced without the Calico add-on (which must
            # stay off with it: network_policy_config disabled below).
            datapath_provider="ADVANCED_DATAPATH",
            private_cluster_config={
                "enable_private_nodes": True,
                "enable_private_endpoint": not settings.endpoint_public_access,
                "private_endpoint_subnetwork": control_plane_subnet_id,
                # Networks of other regions (a VPN, runners) reach the private endpoint too; the
                # authorized networks still decide who may.
                "master_global_access_config": {"enabled": True},
            },
            master_authorized_networks_config={
                "cidr_blocks": [{"cidr_block": cidr, "display_name": f"deployers-{i}"} for i, cidr in enumerate(networks)],
                # Not every Compute Engine address in Google Cloud, only the listed networks.
                "gcp_public_cidrs_access_enabled": False,
                # The authorized networks apply to the private endpoint too.
                "private_endpoint_enforcement_enabled": True,
            },
            control_plane_endpoints_config={
                # The DNS-based endpoint authorizes every request with IAM (container.clusters.connect)
                # before Kubernetes authenticates it, from any network
                # (https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation#dns-based_endpoint).
                "dns_endpoint_config": {"allow_external_traffic": dns_endpoint},
                "ip_endpoints_config": {"enabled": True},
            },
            workload_identity_config={"workload_pool": f"{project}.svc.id.goog"},
            enable_shielded_nodes=True,
            database_encryption={"state": "ENCRYPTED", "key_name": secrets_key.id},
            # No client certificate: every caller authenticates through IAM.
            master_auth={"client_certificate_config": {"issue_client_certificate": False}},
            enable_legacy_abac=False,
            node_pool_defaults={"node_config_defaults": {"insecure_kubelet_readonly_port_enabled": "FALSE"}},
            logging_config={"enable_components": ALL_LOG_COMPONENTS if all_logs else LOG_COMPONENTS},
            monitoring_config={"enable_components": MONITORING_COMPONENTS, "managed_prometheus": {"enabled": True}},
            addons_config={
                "network_policy_config": {"disabled": True},
                # Kept on although ingress-nginx serves HTTP: the ingress controller's backend
                # service-based L4 load balancer (`cloud.google.com/l4-rbs`) needs it ("The
                # HttpLoadBalancing add-on must be enabled", before GKE 1.36:
                # https://cloud.google.com/kubernetes-engine/docs/how-to/backend-service-based-external-load-balancer).
                # Its l7-default-backend pod lands on the system pool (node_pools.py).
                "http_load_balancing": {"disabled": False},
                "horizontal_pod_autoscaling": {"disabled": False},
                "gce_persistent_disk_csi_driver_config": {"enabled": True},
                # Uploaded files live in the bucket, mounted through Cloud Storage FUSE (docs/gcp.md).
                "gcs_fuse_csi_driver_config": {"enabled": True},
                # NodeLocal DNSCache, GKE's default on Standard clusters since 1.33.1 ("Set up
                # NodeLocal DNSCache", cloud.google.com/kubernetes-engine/docs/how-to/nodelocal-dns-cache):
                # pods resolve through a cache on their node, on the link-local address
                # NODE_LOCAL_DNS, which runs on the host network: no pod selector matches it,
                # so the foundation hands it to the layer's DNS policy as an address
                # (kubernetes cluster/addons/dns/nodelocaldns/README.md, "Network policy and DNS
                # connectivity"). Queries the cache cannot answer go on to kube-dns, by label.
                "dns_cache_config": {"enabled": True},
            },
            security_posture_config={"mode": "BASIC", "vulnerability_mode": "VULNERABILITY_BASIC"},
            maintenance_policy={"daily_maintenance_window": {"start_time": "03:00"}},
            # The default pool goes at once; this is what it is created with meanwhile: the
            # nodes' own service account and GKE's metadata server, never the Compute Engine default.
            remove_default_node_pool=True,
            initial_node_count=1,
            node_config={
                "service_account": node_service_account,
                "oauth_scopes": ["https://www.googleapis.com/auth/cloud-platform"],
                "shielded_instance_config": {"enable_secure_boot": True, "enable_integrity_monitoring": True},
                "workload_metadata_config": {"mode": "GKE_METADATA"},
                "metadata": {"disable-legacy-endpoints": "true"},
            },
            resource_labels=labels,
            deletion_protection=deletion_protection,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[secrets_key.grant, *after],
                # Node pools are separate resources, and the default pool is removed.
                ignore_changes=["nodeConfig", "initialNodeCount"],
            ),
        )
        self.cluster = cluster
        self.name = cluster.name
        # The endpoint this stack's deployers reach: public when it is on, else private.
        self.endpoint = cluster.private_cluster_config.apply(
            lambda c: (c.public_endpoint if settings.endpoint_public_access else c.private_endpoint) or "" if c else ""
        )
        self.dns_endpoint = cluster.control_plane_endpoints_config.apply(
            lambda c: (c.dns_endpoint_config.endpoint or "") if c and c.dns_endpoint_config else ""
        )
        self.certificate_authority = cluster.master_auth.apply(lambda auth: auth.cluster_ca_certificate or "")
        self.register_outputs({"name": self.name, "endpoint": self.endpoint})
