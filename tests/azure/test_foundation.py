"""components/azure/foundation.py: the contract the Kubernetes layer gets, and the deploy's critical path."""

from components.azure.foundation import INGRESS_SERVICE_ANNOTATIONS
from components.foundation import ClusterDns, EgressRule
from tests.azure.helpers import waits_for
from tests.azure.stacks import Built

CLUSTER = "azure-native:containerservice:ManagedCluster"
# Entra ID is reached anywhere but here: RFC 1918, shared address space, link-local (IMDS).
PRIVATE = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16")


def test_credentials_in_the_result_are_secret(built: Built):
    for key in ("kubeconfig", "databasePassword", "databaseUrl", "cachePassword", "cacheUrl"):
        assert built.outputs[key] == "[secret]", key
        assert built.outputs[f"{key}Revealed"] not in ("", "[secret]"), key


def test_ingress_dns_and_app_egress(built: Built):
    result = built.result
    assert result.cloud == "azure" and built.outputs["clusterNameRevealed"] == f"centaurops-{built.plan.document['stack']}"
    assert INGRESS_SERVICE_ANNOTATIONS == {"service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz"}
    assert result.ingress_service_annotations == INGRESS_SERVICE_ANNOTATIONS
    assert result.dns == ClusterDns()
    assert result.app_egress == (
        EgressRule("blob", ("10.0.144.0/20",), (443,)),
        EgressRule("entra-id", ("0.0.0.0/0",), (443,), excepts=PRIVATE),
    )


def test_workloads_wait_for_the_pool_the_admins_the_identity_and_the_endpoints(built: Built):
    stack = built.plan.document["stack"]
    names = sorted(r._name.removeprefix(f"centaurops-{stack}-") for r in built.result.workloads_ready)
    admins = [f"admin-group-{group}" for group in built.plan.one(CLUSTER)["inputs"]["aadProfile"].get("adminGroupObjectIDs", [])]
    assert names == sorted(
        [
            "workload",
            "deployer-cluster-admin",
            *admins,
            "workload",
            "workload-blob",
            "redis-pe-dns",
            "blob-pe-dns",
            "files-pe-dns",
        ]
    )


def depth(plan, resource: dict) -> int:
    """Custom resources on the longest dependency chain ending at `resource`, itself included."""
    deps = [plan.by_urn(u) for u in resource["dependencies"]]
    return (1 if resource["custom"] else 0) + max((depth(plan, d) for d in deps), default=0)


def test_the_cluster_starts_early_and_the_data_services_never_wait_for_it(prod: Built):
    plan = prod.plan
    # resource group, NAT IP, NAT gateway, node subnet, API server subnet, role assignment, cluster
    assert depth(plan, plan.one(CLUSTER)) <= 7
    chain = [plan.by_urn(u)["type"] for u in plan.longest_chain("azure-native:")]
    assert "azure-native:containerservice:ManagedCluster" not in chain or len(chain) <= 9
    for resource in plan.resources:
        if resource["type"].split(":")[1:2] in (["dbforpostgresql"], ["redisenterprise"], ["storage"]):
            types = {plan.by_urn(u)["type"] for u in waits_for(plan, resource)}
            assert CLUSTER not in types, resource["urn"]
