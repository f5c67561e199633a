"""components/kubernetes/ingress_controller.py: ingress-nginx on the system pool, behind the cloud's LB."""

from components.config import quantities
from tests.plans import Plan

RELEASE = "kubernetes:helm.sh/v3:Release"


def release(plan: Plan) -> dict:
    return next(r for r in plan.of_type(RELEASE) if r["inputs"]["chart"] == "ingress-nginx")


def test_pinned_chart_from_the_project_repository(plan: Plan):
    inputs = release(plan)["inputs"]
    assert inputs["version"] == "4.13.3"
    assert inputs["repositoryOpts"]["repo"] == "https://kubernetes.github.io/ingress-nginx"
    assert inputs["namespace"] == "ingress-nginx"


def test_runs_on_the_system_pool_with_its_admission_hooks(plan: Plan):
    controller = release(plan)["inputs"]["values"]["controller"]
    for values in (controller, controller["admissionWebhooks"]["patch"]):
        assert values["nodeSelector"] == {"centaurops.io/pool": "system"}
        assert values["tolerations"] == [
            {"key": "CriticalAddonsOnly", "operator": "Equal", "value": "true", "effect": "NoSchedule"}
        ]


def test_load_balancer_uses_the_foundation_annotations_and_keeps_client_addresses(plan: Plan):
    service = release(plan)["inputs"]["values"]["controller"]["service"]
    assert service["annotations"]["service.beta.kubernetes.io/aws-load-balancer-type"] == "nlb"
    assert service["externalTrafficPolicy"] == "Local"


def test_replicas_pdb_and_metrics(dev: Plan, prod: Plan):
    assert release(dev)["inputs"]["values"]["controller"]["replicaCount"] == 1
    controller = release(prod)["inputs"]["values"]["controller"]
    assert controller["replicaCount"] >= 2 and controller["minAvailable"] == 1
    assert controller["metrics"]["enabled"] is True
    assert controller["allowSnippetAnnotations"] is False


def test_namespace_enforces_baseline_and_audits_restricted(plan: Plan):
    namespace = plan.one("kubernetes:core/v1:Namespace", "ingress-nginx")["inputs"]["metadata"]["labels"]
    assert namespace["pod-security.kubernetes.io/enforce"] == "baseline"
    assert namespace["pod-security.kubernetes.io/audit"] == "restricted"


def test_admission_certificate_jobs_have_a_memory_limit_over_their_request(plan: Plan):
    # The chart renders createSecretJob.resources and patchWebhookJob.resources into its hook jobs
    # (helm-chart-4.13.3 templates/admission-webhooks/job-patch/job-{createSecret,patchWebhook}.yaml).
    webhooks = release(plan)["inputs"]["values"]["controller"]["admissionWebhooks"]
    for job in ("createSecretJob", "patchWebhookJob"):
        resources = webhooks[job]["resources"]
        assert resources == {"requests": {"cpu": "10m", "memory": "20Mi"}, "limits": {"memory": "64Mi"}}
        assert quantities.parse(resources["limits"]["memory"]) >= quantities.parse(resources["requests"]["memory"])


def test_controller_keeps_its_request_and_memory_limit(plan: Plan):
    resources = release(plan)["inputs"]["values"]["controller"]["resources"]
    assert resources == {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "512Mi"}}
