"""components/azure/cluster_access.py (and the admins in cluster.py): only the deployer and the admin
groups administer the cluster; developer groups read without Secrets in prod and write in dev, and may
fetch a kubeconfig; no local account."""

from __future__ import annotations

import pytest

from components.azure.identity import AKS_CLUSTER_USER, AKS_RBAC_CLUSTER_ADMIN, AKS_RBAC_READER, AKS_RBAC_WRITER
from components.testing.mocks.azure import DEPLOYER_OBJECT_ID, SUBSCRIPTION_ID
from tests.azure.stacks import Built, azure
from tests.registered import alias_names, registered_options

ASSIGNMENT = "azure-native:authorization:RoleAssignment"
ADMINS = "11111111-2222-4333-8444-555555555555"
DEVELOPERS = "66666666-7777-4888-8999-aaaaaaaaaaaa"
OTHER_ADMINS = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff"
PREVIEW = "12121212-3434-4565-8787-909090909090"
ROLE_DEFINITION = "azure-native:authorization:RoleDefinition"
# Every built-in role that reaches the Kubernetes API or its credentials (Azure built-in roles,
# "Containers"): the four AKS RBAC roles, and the cluster user and admin credentials.
AKS_RBAC_ADMIN = "3498e952-d568-435e-9b2c-8d77e338d7f7"
AKS_CLUSTER_ADMIN_CREDENTIAL = "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8"
CLUSTER_ROLES = {
    AKS_RBAC_CLUSTER_ADMIN,
    AKS_RBAC_ADMIN,
    AKS_RBAC_WRITER,
    AKS_RBAC_READER,
    AKS_CLUSTER_USER,
    AKS_CLUSTER_ADMIN_CREDENTIAL,
}


def cluster_roles(built: Built) -> set[tuple[str, str, str]]:
    """(principal, its type, role) of every assignment of a role on the cluster."""
    found = set()
    for assignment in built.plan.of_type(ASSIGNMENT):
        inputs = assignment["inputs"]
        role = inputs["roleDefinitionId"].rsplit("/", 1)[-1]
        if role in CLUSTER_ROLES:
            assert inputs["scope"].endswith(f"/managedClusters/centaurops-{built.plan.document['stack']}")
            found.add((inputs["principalId"], inputs["principalType"], role))
    return found


@pytest.mark.parametrize(("stack", "developer_role"), [("prod", AKS_RBAC_READER), ("dev", AKS_RBAC_WRITER)])
def test_only_the_deployer_admins_and_developers_hold_roles_on_the_cluster(stack: str, developer_role: str):
    built = azure(stack, azure={"adminGroupObjectIds": [ADMINS], "developerGroupObjectIds": [DEVELOPERS]})
    assert cluster_roles(built) == {
        (DEPLOYER_OBJECT_ID, "User", AKS_RBAC_CLUSTER_ADMIN),
        (ADMINS, "Group", AKS_RBAC_CLUSTER_ADMIN),
        (DEVELOPERS, "Group", developer_role),
        (DEVELOPERS, "Group", AKS_CLUSTER_USER),
    }


def test_prod_developers_read_no_secrets():
    # RBAC Reader "does not allow viewing Secrets"; Writer, Admin and Cluster Admin do.
    built = azure("prod", azure={"developerGroupObjectIds": [DEVELOPERS]})
    roles = {role for principal, _, role in cluster_roles(built) if principal == DEVELOPERS}
    assert roles == {AKS_RBAC_READER, AKS_CLUSTER_USER}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_preview_identities_read_everything_and_write_nothing(stack: str):
    """A refresh (drift.yml) reads every object the program manages, Helm's release Secrets included."""
    built = azure(stack, azure={"developerGroupObjectIds": [DEVELOPERS], "previewPrincipalObjectIds": [PREVIEW]})
    (definition,) = built.plan.of_type(ROLE_DEFINITION)
    reader = definition["inputs"]["roleDefinitionId"]
    # One data action, a read: no built-in role on the cluster, nothing that writes.
    assert definition["inputs"]["permissions"] == [
        {"actions": [], "dataActions": ["Microsoft.ContainerService/managedClusters/*/read"]}
    ]
    assert definition["inputs"]["roleType"] == "CustomRole"
    # Defined and assignable in the cluster's resource group only, assigned on the cluster.
    group = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/centaurops-{stack}"
    assert (definition["inputs"]["scope"], definition["inputs"]["assignableScopes"]) == (group, [group])
    for assignment in built.plan.of_type(ASSIGNMENT):
        if assignment["inputs"]["principalId"] == PREVIEW:
            assert (
                assignment["inputs"]["scope"]
                == f"{group}/providers/Microsoft.ContainerService/managedClusters/centaurops-{stack}"
            )
            if assignment["inputs"]["roleDefinitionId"].endswith(reader):
                # Azure refuses an assignment of a role that does not exist yet.
                assert definition["urn"] in assignment["dependencies"]
    assignments = {
        (a["inputs"]["principalType"], a["inputs"]["roleDefinitionId"].rsplit("/", 1)[-1])
        for a in built.plan.of_type(ASSIGNMENT)
        if a["inputs"]["principalId"] == PREVIEW
    }
    assert assignments == {("ServicePrincipal", reader), ("ServicePrincipal", AKS_CLUSTER_USER)}
    assert (PREVIEW, "ServicePrincipal", AKS_CLUSTER_USER) in cluster_roles(built)
    assert not {role for principal, _, role in cluster_roles(built) if principal == PREVIEW} - {AKS_CLUSTER_USER}


def test_no_custom_role_without_preview_identities(built: Built):
    assert not built.plan.of_type(ROLE_DEFINITION)


def test_the_cluster_has_no_local_account(built: Built):
    cluster = built.plan.one("azure-native:containerservice:ManagedCluster")["inputs"]
    # No static cluster-admin credential: every caller signs in with Entra ID and Azure RBAC decides.
    assert cluster["disableLocalAccounts"] is True
    assert cluster["aadProfile"]["enableAzureRBAC"] is True


def test_removing_or_reordering_groups_leaves_the_others_assignments_alone():
    """Azure holds one assignment per principal, role and scope: one moved to another resource would
    be created again before the old one goes, and refused."""

    def urns(admins: list[str], developers: list[str]) -> dict[tuple[str, str], str]:
        built = azure("dev", azure={"adminGroupObjectIds": admins, "developerGroupObjectIds": developers})
        assignments = built.plan.of_type(ASSIGNMENT)
        return {(a["inputs"]["principalId"], a["inputs"]["roleDefinitionId"]): a["urn"] for a in assignments}

    both = urns([ADMINS, OTHER_ADMINS], [DEVELOPERS])
    assert urns([OTHER_ADMINS, ADMINS], [DEVELOPERS]) == both
    assert urns([OTHER_ADMINS], []) == {key: urn for key, urn in both.items() if key[0] not in (ADMINS, DEVELOPERS)}


def test_admin_groups_named_by_their_index_before_keep_their_assignments():
    options = registered_options("dev", ASSIGNMENT, cloud="azure", azure={"adminGroupObjectIds": [ADMINS, OTHER_ADMINS]})
    prefix = "centaurops-dev-admin-group-"
    assert {name: names for name, names in alias_names(options).items() if name.startswith(prefix)} == {
        f"{prefix}{ADMINS}": [f"{prefix}0"],
        f"{prefix}{OTHER_ADMINS}": [f"{prefix}1"],
    }
