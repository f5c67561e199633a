"""components/azure/identity.py and workload_identity.py: user-assigned identities, their
roles before the cluster, principal types, and the workload's federation."""

from components.azure.identity import (
    AKS_RBAC_CLUSTER_ADMIN,
    MANAGED_IDENTITY_OPERATOR,
    NETWORK_CONTRIBUTOR,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
)
from components.testing.mocks.azure import DEPLOYER_OBJECT_ID
from tests.azure.helpers import named
from tests.azure.stacks import Built, azure

ASSIGNMENT = "azure-native:authorization:RoleAssignment"


def role(assignment: dict) -> str:
    return assignment["inputs"]["roleDefinitionId"].rsplit("/", 1)[-1]


def test_every_role_assignment_names_its_principal_type(built: Built):
    assignments = built.plan.of_type(ASSIGNMENT)
    assert len(assignments) >= 5
    for assignment in assignments:
        assert assignment["inputs"]["principalType"] in ("ServicePrincipal", "Group", "User"), assignment["urn"]
        assert assignment["inputs"]["roleDefinitionId"].startswith("/subscriptions/")


def test_control_plane_may_use_the_kubelet_identity_and_the_subnets_before_the_cluster(built: Built):
    plan = built.plan
    stack = plan.document["stack"]
    cluster = plan.one("azure-native:containerservice:ManagedCluster")
    operator = named(plan, ASSIGNMENT, f"centaurops-{stack}-control-plane-kubelet-operator")
    assert role(operator) == MANAGED_IDENTITY_OPERATOR
    assert "/userAssignedIdentities/centaurops-" in operator["inputs"]["scope"] and "-kubelet" in operator["inputs"]["scope"]
    assert operator["inputs"]["principalType"] == "ServicePrincipal"
    network = [a for a in plan.of_type(ASSIGNMENT) if role(a) == NETWORK_CONTRIBUTOR]
    assert sorted(a["inputs"]["scope"].rsplit("/", 1)[-1] for a in network) == ["api-server", "nodes"]
    for grant in (operator, *network):
        assert grant["urn"] in cluster["dependencies"]


def test_the_deployer_and_the_admin_groups_administer_the_cluster():
    built = azure("dev", azure={"adminGroupObjectIds": ["11111111-2222-4333-8444-555555555555"]})
    admins = [a for a in built.plan.of_type(ASSIGNMENT) if role(a) == AKS_RBAC_CLUSTER_ADMIN]
    assert {(a["inputs"]["principalId"], a["inputs"]["principalType"]) for a in admins} == {
        (DEPLOYER_OBJECT_ID, "User"),
        ("11111111-2222-4333-8444-555555555555", "Group"),
    }
    cluster = built.plan.one("azure-native:containerservice:ManagedCluster")
    assert all(a["inputs"]["scope"].endswith("/managedClusters/centaurops-dev") for a in admins)
    assert cluster["inputs"]["aadProfile"]["adminGroupObjectIDs"] == ["11111111-2222-4333-8444-555555555555"]
    ci = azure("dev", azure={"deployerPrincipalType": "ServicePrincipal"})
    (deployer,) = [a for a in ci.plan.of_type(ASSIGNMENT) if role(a) == AKS_RBAC_CLUSTER_ADMIN]
    assert deployer["inputs"]["principalType"] == "ServicePrincipal"


def test_the_workload_identity_is_federated_with_the_service_account(built: Built):
    plan = built.plan
    (credential,) = plan.of_type("azure-native:managedidentity:FederatedIdentityCredential")
    inputs = credential["inputs"]
    assert inputs["subject"] == "system:serviceaccount:centaurops:flow-platform"
    assert inputs["audiences"] == ["api://AzureADTokenExchange"]
    assert inputs["issuer"].startswith("https://westeurope.oic.prod-aks.azure.com/")
    cluster = plan.one("azure-native:containerservice:ManagedCluster")
    assert cluster["urn"] in credential["dependencies"]


def test_the_workload_may_use_its_container_only(built: Built):
    plan = built.plan
    (grant,) = [a for a in plan.of_type(ASSIGNMENT) if role(a) == STORAGE_BLOB_DATA_CONTRIBUTOR]
    assert grant["inputs"]["scope"].endswith("/blobServices/default/containers/flows")
    assert grant["inputs"]["principalType"] == "ServicePrincipal"


def test_the_service_account_names_the_identity_and_pods_ask_for_the_token(built: Built):
    identity = built.result.workload_identity
    assert (identity.namespace, identity.service_account) == ("centaurops", "flow-platform")
    assert identity.pod_labels == {"azure.workload.identity/use": "true"}
    (client_id,) = built.outputs["serviceAccountAnnotationsRevealed"].values()
    assert list(built.outputs["serviceAccountAnnotationsRevealed"]) == ["azure.workload.identity/client-id"]
    assert len(client_id) == 36 and client_id.count("-") == 4
    assert identity.agent_cidrs == () and identity.agent_ports == ()
