"""Who acts in the project: the project's number, the Google service agents that use the
keys, the nodes' own service account, the cluster's administrators, and the workload's
identity (Workload Identity Federation for GKE, as a direct principal)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from ..foundation import WorkloadIdentity
from ..principals import principal_suffix

# The least-privilege node role GKE documents ("At a minimum, these node service accounts
# must have the Kubernetes Engine Default Node Service Account role":
# https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts). It holds the
# logging and monitoring writers that terraform-google-kubernetes-engine's safer-cluster
# grants one by one; the Artifact Registry reader lets nodes pull the project's images.
NODE_ROLES = ("roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader")
# Full access to the cluster's Kubernetes API through GKE's IAM authorizer
# (https://cloud.google.com/kubernetes-engine/docs/how-to/iam#predefined).
CLUSTER_ADMIN_ROLE = "roles/container.admin"
# Developers (`gcp.developerMembers`): in prod Kubernetes Engine Viewer, which reads Kubernetes
# objects but holds no container.secrets.* permission; in dev Kubernetes Engine Developer, full
# access to the API objects (Secrets included) but only get/list on Roles and RoleBindings, so
# who may do what stays in this program. Both include container.clusters.get, which
# `gcloud container clusters get-credentials` needs
# (https://cloud.google.com/iam/docs/roles-permissions/container; the permission lists as in
# iann0036/iam-dataset gcp/roles/container.viewer.json and container.developer.json).
DEVELOPER_ROLES = {"prod": "roles/container.viewer", "dev": "roles/container.developer"}
# CI preview identities (`gcp.previewMembers`), in every stack: Kubernetes Engine Viewer, which
# reads every object a refresh reads (PersistentVolumes, StorageClasses and custom resources
# such as the ClusterIssuer included: container.persistentVolumes.get, .storageClasses.get,
# .thirdPartyObjects.get), and, as no predefined role reads Secrets without writing them, a
# custom role holding only container.secrets.get and container.secrets.list (the names as in
# iann0036/iam-dataset gcp/roles/container.developer.json): a refresh reads the Secrets the
# program manages and Helm's release records (Secrets of type helm.sh/release.v1).
PREVIEW_ROLE = "roles/container.viewer"
SECRET_READER_PERMISSIONS = ("container.secrets.get", "container.secrets.list")
# Read, create, replace and delete objects, no bucket administration
# (https://cloud.google.com/storage/docs/access-control/iam-roles).
OBJECT_USER_ROLE = "roles/storage.objectUser"
# The GKE metadata server answers pods on 169.254.169.254:80 with Dataplane V2, and on
# 169.254.169.252:988 on clusters without it (GKE docs, Workload Identity Federation for
# GKE, "Limitations"; the same pairs in kubernetes_network_policy examples for GKE).
METADATA_SERVER_CIDRS = ("169.254.169.254/32", "169.254.169.252/32")
METADATA_SERVER_PORTS = (80, 988)


def project_number(project: str, *, provider: gcp.Provider, parent: pulumi.Resource) -> pulumi.Output[str]:
    """The project's number: service agents and Workload Identity principals are named by it."""
    opts = pulumi.InvokeOutputOptions(parent=parent, provider=provider)
    return gcp.organizations.get_project_output(project_id=project, opts=opts).number.apply(lambda n: str(n or ""))


@dataclass(frozen=True)
class ServiceAgents:
    """The Google-managed service accounts that encrypt with the foundation's keys."""

    container: pulumi.Output[str]
    sql: pulumi.Output[str]
    redis: pulumi.Output[str]
    storage: pulumi.Output[str]


def service_agents(
    name: str, *, project: str, number: pulumi.Output[str], provider: gcp.Provider, parent: pulumi.Resource
) -> ServiceAgents:
    child = pulumi.ResourceOptions(parent=parent, provider=provider)
    # Created on demand (they may not exist before the first instance), as the Cloud SQL and
    # Memorystore CMEK guides do with `gcloud beta services identity create`
    # (https://cloud.google.com/sql/docs/postgres/configure-cmek#create-service-account).
    sql = gcp.projects.ServiceIdentity(f"{name}-sql-agent", project=project, service="sqladmin.googleapis.com", opts=child)
    redis = gcp.projects.ServiceIdentity(f"{name}-redis-agent", project=project, service="redis.googleapis.com", opts=child)
    # The Cloud Storage service agent, which the bucket's default key must admit
    # (https://cloud.google.com/storage/docs/encryption/using-customer-managed-keys#service-agent-access).
    storage = gcp.storage.get_project_service_account_output(
        project=project, opts=pulumi.InvokeOutputOptions(parent=parent, provider=provider)
    )
    return ServiceAgents(
        # GKE encrypts secrets as its service agent, named by the project number
        # (https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets#grant_permission_to_use_the_key).
        container=number.apply(lambda n: f"service-{n}@container-engine-robot.iam.gserviceaccount.com"),
        sql=sql.email,
        redis=redis.email,
        storage=storage.email_address,
    )


class NodeServiceAccount(pulumi.ComponentResource):
    """The nodes' own service account, with the node role only (never the Compute Engine
    default account, which holds Editor on the project)."""

    email: pulumi.Output[str]
    grants: list[gcp.projects.IAMMember]

    def __init__(self, name: str, *, project: str, opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:gcp:NodeServiceAccount", name, None, opts)
        account = gcp.serviceaccount.Account(
            f"{name}-nodes",
            project=project,
            # 6 to 30 characters; the stack name is at most 24 here with its suffix.
            account_id=f"{name[:23]}-nodes",
            display_name=f"{name}: GKE nodes",
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.email = account.email
        self.grants = [
            gcp.projects.IAMMember(
                f"{name}-nodes-{role.split('/')[1].split('.')[0]}",
                project=project,
                role=role,
                member=account.member,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for role in NODE_ROLES
        ]
        self.register_outputs({"email": self.email})


def cluster_admins(
    name: str, *, project: str, members: Sequence[str], provider: gcp.Provider, parent: pulumi.Resource
) -> list[gcp.projects.IAMMember]:
    """`gcp.adminMembers` administer the cluster's Kubernetes API (GKE authorizes IAM
    principals with RBAC and IAM together; Kubernetes Engine Admin covers every object)."""
    return [
        gcp.projects.IAMMember(
            f"{name}-cluster-admin-{principal_suffix(member)}",
            project=project,
            role=CLUSTER_ADMIN_ROLE,
            member=member,
            # Named by their index before (components/principals.py says why no longer).
            opts=pulumi.ResourceOptions(
                parent=parent, provider=provider, aliases=[pulumi.Alias(name=f"{name}-cluster-admin-{index}")]
            ),
        )
        for index, member in enumerate(members)
    ]


def cluster_developers(
    name: str, *, project: str, members: Sequence[str], prod: bool, provider: gcp.Provider, parent: pulumi.Resource
) -> list[gcp.projects.IAMMember]:
    """`gcp.developerMembers` use the cluster's Kubernetes API, read-only in prod. Granted on the
    project, as GKE's roles are, so the project should hold one environment only."""
    return [
        gcp.projects.IAMMember(
            f"{name}-cluster-developer-{principal_suffix(member)}",
            project=project,
            role=DEVELOPER_ROLES["prod" if prod else "dev"],
            member=member,
            opts=pulumi.ResourceOptions(parent=parent, provider=provider),
        )
        for member in members
    ]


def cluster_previewers(
    name: str, *, project: str, members: Sequence[str], provider: gcp.Provider, parent: pulumi.Resource
) -> list[gcp.projects.IAMMember]:
    """`gcp.previewMembers` read the cluster's Kubernetes API, Secrets included, and write nothing;
    the custom role exists only while someone holds it. IAM deletes custom roles softly (7 days
    to undelete: IAM API, projects.roles.delete); the provider
    undeletes a soft-deleted role of the same id when it creates one
    (terraform-provider-google, resourceGoogleProjectIamCustomRoleCreate)."""
    if not members:
        return []
    child = pulumi.ResourceOptions(parent=parent, provider=provider)
    secret_reader = gcp.projects.IAMCustomRole(
        f"{name}-secret-reader",
        project=project,
        # Letters, digits, underscores and periods, 3 to 64 (IAM API, projects.roles.create).
        role_id=f"{name.replace('-', '_')}_secret_reader"[:64],
        title=f"{name}: read Kubernetes Secrets",
        description="Get and list Kubernetes Secrets of the project's GKE clusters (centaurops CI previews).",
        permissions=list(SECRET_READER_PERMISSIONS),
        opts=child,
    )
    grants: list[gcp.projects.IAMMember] = []
    for member in members:
        suffix = principal_suffix(member)
        grants.append(
            gcp.projects.IAMMember(
                f"{name}-cluster-preview-{suffix}", project=project, role=PREVIEW_ROLE, member=member, opts=child
            )
        )
        grants.append(
            gcp.projects.IAMMember(
                f"{name}-cluster-preview-secrets-{suffix}",
                project=project,
                role=secret_reader.name,
                member=member,
                opts=child,
            )
        )
    return grants


def workload_principal(project: str, number: pulumi.Input[str], namespace: str, service_account: str) -> pulumi.Output[str]:
    """The Kubernetes service account as an IAM principal, with no Google service account
    between (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity#authenticating_to;
    the Cloud Storage FUSE CSI driver's own guide grants the bucket to this principal:
    GoogleCloudPlatform/gcs-fuse-csi-driver docs/authentication.md)."""
    return pulumi.Output.concat(
        "principal://iam.googleapis.com/projects/",
        number,
        f"/locations/global/workloadIdentityPools/{project}.svc.id.goog/subject/ns/{namespace}/sa/{service_account}",
    )


class WorkloadObjectAccess(pulumi.ComponentResource):
    """The workload's service account may read and write the bucket's objects, nothing else."""

    result: WorkloadIdentity
    binding: gcp.storage.BucketIAMMember

    def __init__(
        self,
        name: str,
        *,
        project: str,
        number: pulumi.Input[str],
        namespace: str,
        service_account: str,
        bucket: pulumi.Input[str],
        cluster: pulumi.Resource,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:gcp:WorkloadObjectAccess", name, None, opts)
        self.binding = gcp.storage.BucketIAMMember(
            f"{name}-workload-objects",
            bucket=bucket,
            role=OBJECT_USER_ROLE,
            member=workload_principal(project, number, namespace, service_account),
            # The workload identity pool (<project>.svc.id.goog) exists once a cluster of the
            # project enables Workload Identity Federation: IAM refuses principals of a pool it
            # does not know.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[cluster]),
        )
        # A direct principal needs no annotation on the service account (no Google service account to impersonate).
        self.result = WorkloadIdentity(
            namespace=namespace,
            service_account=service_account,
            service_account_annotations=pulumi.Output.from_input({}),
            agent_cidrs=METADATA_SERVER_CIDRS,
            agent_ports=METADATA_SERVER_PORTS,
        )
        self.register_outputs({"member": self.binding.member})
