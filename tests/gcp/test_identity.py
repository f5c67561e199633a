"""components/gcp/identity.py: the workload's Kubernetes service account is the bucket's only
object user, as a Workload Identity Federation principal; the metadata server it asks."""

from components.testing.mocks.gcp import PROJECT_NUMBER
from tests.gcp.plans import FoundationPlan, foundation_plan

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
