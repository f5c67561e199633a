"""components/gcp/kubeconfig.py: gke-gcloud-auth-plugin, the endpoint the deployer reaches."""

import base64
import json

from tests.gcp.plans import FoundationPlan, foundation_plan, gcp_overrides


def test_exec_auth_through_the_gke_plugin_on_the_public_endpoint(gplan: FoundationPlan):
    config = json.loads(gplan.outputs["kubeconfig"])
    assert gplan.outputs["kubeconfigSecret"] == "[secret]"
    (cluster,) = config["clusters"]
    assert cluster["name"] == f"centaurops-{gplan.document['stack']}"
    assert cluster["cluster"]["server"].startswith("https://34.")
    assert base64.b64decode(cluster["cluster"]["certificate-authority-data"]).startswith(b"-----BEGIN CERTIFICATE-----")
    (user,) = config["users"]
    exec_ = user["user"]["exec"]
    assert exec_["apiVersion"] == "client.authentication.k8s.io/v1beta1"
    assert exec_["command"] == "gke-gcloud-auth-plugin"
    assert exec_["provideClusterInfo"] is True
    assert "installHint" in exec_


def test_a_private_endpoint_in_the_control_plane_subnet():
    plan = foundation_plan("prod", cluster={"endpointPublicAccess": False, "privateAccessCidrs": ["10.99.0.0/16"]})
    (cluster,) = json.loads(plan.outputs["kubeconfig"])["clusters"]
    assert cluster["cluster"]["server"] == "https://10.21.16.2"
    assert plan.result is not None
    assert plan.result.api_server.cidrs == ("10.21.16.0/28",) and plan.result.api_server.port == 443


def test_the_dns_endpoint_when_chosen():
    plan = foundation_plan("prod", cluster={"endpointPublicAccess": False}, gcp=gcp_overrides("prod", dnsEndpoint=True))
    (cluster,) = json.loads(plan.outputs["kubeconfig"])["clusters"]
    assert cluster["cluster"]["server"].endswith(".europe-west1.gke.goog")
    assert "certificate-authority-data" not in cluster["cluster"]
