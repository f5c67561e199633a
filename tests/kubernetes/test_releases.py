"""Every Helm release waits long enough for a cold first install (components/kubernetes/common.py):
a node scale-up, a multi-GB image pull and the pods' start budget, where Helm's default is 300 s."""

from __future__ import annotations

from components.kubernetes import common
from preview.cli import rendered_objects
from tests.plans import Plan

RELEASE = "kubernetes:helm.sh/v3:Release"
HELM_DEFAULT_TIMEOUT = 300  # pulumi-kubernetes helm_release.go defaultTimeoutSeconds
COLD_NODE = common.NODE_SCALE_UP_SECONDS + common.IMAGE_PULL_SECONDS


def releases(plan: Plan) -> dict[str, dict]:
    return {r["inputs"]["name"]: r["inputs"] for r in plan.of_type(RELEASE)}


def startup_budget(plan: Plan) -> int:
    """Seconds the rendered flow platform Deployment gives its container to start."""
    (deployment,) = [o for o in rendered_objects(plan.document) if o["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    probe = container["startupProbe"]
    return probe.get("initialDelaySeconds", 0) + probe["failureThreshold"] * probe["periodSeconds"]


def test_every_release_waits_for_a_new_node_and_a_cold_image_pull(plan: Plan):
    found = releases(plan)
    assert {"ingress-nginx", "cert-manager", "flow-platform"} <= set(found)
    for name, inputs in found.items():
        assert inputs["timeout"] > HELM_DEFAULT_TIMEOUT, name
        assert inputs["timeout"] >= COLD_NODE + HELM_DEFAULT_TIMEOUT, name


def test_flow_platform_waits_beyond_its_startup_probe_budget(plan: Plan):
    budget = startup_budget(plan)
    assert budget >= 300  # 30 x 10 s today: Langflow migrates and loads components before it listens
    timeout = releases(plan)["flow-platform"]["timeout"]
    assert timeout >= COLD_NODE + budget + common.READY_MARGIN_SECONDS


def test_flow_platform_timeout_follows_the_charts_probe_budget(plan: Plan):
    # The constants mirror the chart: changing the chart's probe without them fails here,
    # and changing them moves the timeout.
    assert startup_budget(plan) == common.FLOW_PLATFORM_STARTUP_PERIOD_SECONDS * common.FLOW_PLATFORM_STARTUP_FAILURE_THRESHOLD
    assert common.release_timeout(startup_budget(plan)) == common.FLOW_PLATFORM_TIMEOUT
    assert common.release_timeout(600) - common.release_timeout(300) == 300


def test_addon_releases_keep_a_slow_first_install_and_clean_up_a_failed_upgrade(plan: Plan):
    for name in ("ingress-nginx", "cert-manager"):
        inputs = releases(plan)[name]
        # An atomic release would uninstall a first install that outlived its timeout, so
        # the next run would start the pull and the start over instead of converging.
        assert inputs.get("atomic", False) is False, name
        assert inputs["cleanupOnFail"] is True, name
        assert inputs["waitForJobs"] is True, name
        assert not inputs.get("skipAwait", False), name
