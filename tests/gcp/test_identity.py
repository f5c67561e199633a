"""components/gcp/identity.py: the workload's Kubernetes service account is the bucket's only
object user, as a Workload Identity Federation principal; the metadata server it asks; only the
listed admins and developers reach the Kubernetes API, developers read-only (no Secrets) in prod."""

import pytest

from components.principals import principal_suffix
from components.testing.mocks.gcp import PROJECT_NUMBER
from tests.gcp.plans import FoundationPlan, foundation_plan, gcp_overrides
from tests.registered import alias_names, registered_options

BINDING = "gcp:storage/bucketIAMMember:BucketIAMMember"


def test_the_app_service_account_uses_the_bucket_objects_directly(gplan: FoundationPlan):
    (binding,) = gplan.of_type(BINDING)
    project = f"example-flows-{gplan.document['stack']}"
    assert binding["inputs"]["role"] == "roles/storage.objectUser"
    assert binding["inputs"]["member"] == (
        f"principal://iam.googleapis.com/projects/{PROJECT_NUMBER}/locations/global/workloadIdentityPools/"
        f"{project}.svc.id.goog/subject/ns/centaurops/sa/flow-platform"
    )
    assert binding["inputs"]["bucket"] == gplan.outputs["bucket"]
    # The workload identity pool exists once the cluster does.
    assert gplan.one("gcp:container/cluster:Cluster")["urn"] in binding["dependencies"]
    assert gplan.outputs["serviceAccountAnnotations"] == {}
    assert not gplan.of_type("gcp:serviceaccount/iAMMember:IAMMember"), "no Google service account to impersonate"


def test_the_binding_follows_the_workload_names():
    plan = foundation_plan("dev", workload={"namespace": "flows", "serviceAccount": "runner"})
    assert plan.one(BINDING)["inputs"]["member"].endswith("/subject/ns/flows/sa/runner")
    assert plan.result is not None
    assert (plan.result.workload_identity.namespace, plan.result.workload_identity.service_account) == ("flows", "runner")


def test_pods_may_reach_the_gke_metadata_server(gplan: FoundationPlan):
    assert gplan.result is not None
    identity = gplan.result.workload_identity
    assert identity.agent_cidrs == ("169.254.169.254/32", "169.254.169.252/32")
    assert identity.agent_ports == (80, 988)


def test_service_agents_exist_before_their_grants(gplan: FoundationPlan):
    identities = {i["inputs"]["service"]: i for i in gplan.of_type("gcp:projects/serviceIdentity:ServiceIdentity")}
    assert set(identities) == {"sqladmin.googleapis.com", "redis.googleapis.com"}
    grants = {g["name"].rsplit("-", 2)[-2]: g for g in gplan.of_type("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")}
    assert identities["sqladmin.googleapis.com"]["urn"] in grants["database"]["dependencies"]
    assert identities["redis.googleapis.com"]["urn"] in grants["cache"]["dependencies"]


# IAM roles that reach the cluster's Kubernetes API (GKE authorizes IAM before RBAC).
KUBERNETES_API_ROLES = {
    "roles/owner",
    "roles/editor",
    "roles/viewer",
    "roles/container.admin",
    "roles/container.developer",
    "roles/container.viewer",
}
ADMINS = ["group:platform@acme.com", "serviceAccount:ci-prod@acme-ci.iam.gserviceaccount.com"]
DEVELOPERS = ["group:developers@acme.com"]
PREVIEWS = ["serviceAccount:prod-preview@acme-ci.iam.gserviceaccount.com"]
CUSTOM_ROLE = "gcp:projects/iAMCustomRole:IAMCustomRole"


def kubernetes_api_roles(plan: FoundationPlan) -> dict[str, str]:
    granted = [m["inputs"] for m in plan.of_type("gcp:projects/iAMMember:IAMMember")]
    return {g["member"]: g["role"] for g in granted if g["role"] in KUBERNETES_API_ROLES}


def test_nobody_is_granted_the_kubernetes_api_by_default(gplan: FoundationPlan):
    assert kubernetes_api_roles(gplan) == {}


@pytest.mark.parametrize(("stack", "developer_role"), [("prod", "roles/container.viewer"), ("dev", "roles/container.developer")])
def test_only_the_listed_admins_and_developers_reach_the_kubernetes_api(stack: str, developer_role: str):
    plan = foundation_plan(stack, gcp=gcp_overrides(stack, adminMembers=ADMINS, developerMembers=DEVELOPERS))
    assert kubernetes_api_roles(plan) == {
        **dict.fromkeys(ADMINS, "roles/container.admin"),
        **dict.fromkeys(DEVELOPERS, developer_role),
    }


def test_prod_developers_read_no_secrets():
    # Kubernetes Engine Viewer holds no container.secrets.* permission; Kubernetes Engine
    # Developer and Admin hold container.secrets.get and .list (components/gcp/identity.py).
    plan = foundation_plan("prod", gcp=gcp_overrides("prod", developerMembers=DEVELOPERS))
    assert kubernetes_api_roles(plan)[DEVELOPERS[0]] not in {"roles/container.developer", "roles/container.admin"}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_preview_identities_read_the_cluster_and_its_secrets_and_write_nothing(stack: str):
    """A refresh (drift.yml) reads every object the program manages, Helm's release Secrets included."""
    plan = foundation_plan(
        stack, gcp=gcp_overrides(stack, adminMembers=ADMINS, developerMembers=DEVELOPERS, previewMembers=PREVIEWS)
    )
    # Kubernetes Engine Viewer (no write, no container.secrets.*), like a prod developer.
    assert kubernetes_api_roles(plan)[PREVIEWS[0]] == "roles/container.viewer"
    granted = sorted(
        m["inputs"]["role"] for m in plan.of_type("gcp:projects/iAMMember:IAMMember") if m["inputs"]["member"] == PREVIEWS[0]
    )
    (role,) = plan.of_type(CUSTOM_ROLE)
    project = f"example-flows-{stack}"
    assert role["inputs"]["project"] == project
    assert granted == sorted(["roles/container.viewer", f"projects/{project}/roles/{role['inputs']['roleId']}"])
    # Only reads Secrets (the names as in roles/container.developer).
    assert role["inputs"]["permissions"] == ["container.secrets.get", "container.secrets.list"]


def test_no_secret_reader_role_without_preview_identities(gplan: FoundationPlan):
    assert not gplan.of_type(CUSTOM_ROLE)


def test_the_cluster_admits_no_one_outside_iam(gplan: FoundationPlan):
    auth = gplan.one("gcp:container/cluster:Cluster")["inputs"]
    # No legacy ABAC, no client certificate, no basic-auth user: IAM and RBAC decide alone.
    assert auth["enableLegacyAbac"] is False
    assert auth["masterAuth"] == {"clientCertificateConfig": {"issueClientCertificate": False}}


def urns_by_member(plan: FoundationPlan) -> dict[tuple[str, str], str]:
    types = ("gcp:projects/iAMMember:IAMMember", "gcp:kms/keyRingIAMMember:KeyRingIAMMember")
    return {(r["inputs"]["role"], r["inputs"]["member"]): r["urn"] for type_ in types for r in plan.of_type(type_)}


def test_removing_or_reordering_members_leaves_the_others_bindings_alone():
    """A binding moved to another resource would be replaced: the new one declared, then the old one's
    deletion removing the member from the role."""
    both = urns_by_member(foundation_plan("prod", gcp=gcp_overrides("prod", adminMembers=ADMINS, developerMembers=DEVELOPERS)))
    reordered = urns_by_member(
        foundation_plan("prod", gcp=gcp_overrides("prod", adminMembers=ADMINS[::-1], developerMembers=DEVELOPERS))
    )
    fewer = urns_by_member(foundation_plan("prod", gcp=gcp_overrides("prod", adminMembers=ADMINS[1:], developerMembers=[])))
    assert reordered == both
    assert fewer == {key: urn for key, urn in both.items() if key[1] not in (ADMINS[0], DEVELOPERS[0])}
    assert {role for role, _ in both} >= {"roles/container.admin", "roles/cloudkms.admin", "roles/container.viewer"}


def test_admins_named_by_their_index_before_keep_their_bindings():
    overrides = {"cloud": "gcp", "gcp": gcp_overrides("prod", adminMembers=ADMINS)}
    for type_, prefix in (
        ("gcp:projects/iAMMember:IAMMember", "centaurops-prod-cluster-admin-"),
        ("gcp:kms/keyRingIAMMember:KeyRingIAMMember", "centaurops-prod-keys-admin-"),
    ):
        aliases = alias_names(registered_options("prod", type_, **overrides))
        assert {name: names for name, names in aliases.items() if name.startswith(prefix)} == {
            f"{prefix}{principal_suffix(member)}": [f"{prefix}{index}"] for index, member in enumerate(ADMINS)
        }
