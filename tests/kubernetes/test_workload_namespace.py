"""components/kubernetes/workload_namespace.py: restricted pods, a quota sized for the app, default limits."""

import pytest

from components.config import quantities
from tests.plans import Plan, plan_for


def test_namespace_enforces_restricted(plan: Plan):
    labels = plan.one("kubernetes:core/v1:Namespace", "centaurops")["inputs"]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


def test_quota_fits_the_largest_rollout_and_forbids_load_balancers(dev: Plan, prod: Plan):
    for plan, app_pods in ((dev, 1), (prod, 6)):
        hard = plan.one("kubernetes:core/v1:ResourceQuota")["inputs"]["spec"]["hard"]
        # app pods + a surge pod + solver and spare.
        assert int(hard["pods"]) == app_pods + 1 + 2
        assert quantities.parse(hard["limits.cpu"]) >= (app_pods + 1) * 2
        assert quantities.parse(hard["limits.memory"]) >= (app_pods + 1) * quantities.parse("3Gi")
        assert quantities.parse(hard["requests.memory"]) >= (app_pods + 1) * quantities.parse("1536Mi")
        assert hard["services.loadbalancers"] == "0" and hard["services.nodeports"] == "0"


def test_limit_range_defaults_to_the_workload_size():
    resources = {"cpuRequest": "250m", "cpuLimit": "1", "memoryRequest": "1Gi", "memoryLimit": "1Gi"}
    plan = plan_for("dev", workload={"resources": resources})
    (limits,) = plan.one("kubernetes:core/v1:LimitRange")["inputs"]["spec"]["limits"]
    assert limits["default"] == {"cpu": "1", "memory": "1Gi"}
    assert limits["defaultRequest"] == {"cpu": "250m", "memory": "1Gi"}
    assert limits["max"] == {"cpu": "1", "memory": "1Gi"}


def test_quantities():
    assert quantities.parse("500m") == 0.5 and quantities.parse("2") == 2
    assert quantities.parse("1Gi") == 2**30
    assert quantities.cpu(2.5) == "2500m" and quantities.memory(1.5 * 2**30) == "1536Mi"


def test_quota_makes_room_for_the_clouds_sidecar_in_every_pod():
    """On GKE the Cloud Storage FUSE sidecar is injected into every app pod; its requests
    and limits count against the quota like the app's, or the later pods are refused."""
    aws, gcp = plan_for("prod"), plan_for("prod", cloud="gcp")
    pods = 6 + 1
    for key, per_pod in (("requests.cpu", "250m"), ("requests.memory", "256Mi"), ("limits.cpu", "1"), ("limits.memory", "512Mi")):
        room = {
            name: quantities.parse(plan.one("kubernetes:core/v1:ResourceQuota")["inputs"]["spec"]["hard"][key])
            for name, plan in (("aws", aws), ("gcp", gcp))
        }
        assert room["gcp"] - room["aws"] == pytest.approx(pods * quantities.parse(per_pod)), key
    # The quota's per-pod figures are the annotations the sidecar is sized by.
    values = next(r for r in gcp.of_type("kubernetes:helm.sh/v3:Release") if r["inputs"]["name"] == "flow-platform")
    annotations = values["inputs"]["values"]["podAnnotations"]
    assert (annotations["gke-gcsfuse/cpu-limit"], annotations["gke-gcsfuse/memory-limit"]) == ("1", "512Mi")
