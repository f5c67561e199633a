"""components/kubernetes/cert_manager.py: cert-manager with CRDs, and the ACME ClusterIssuer."""

from components.config import quantities
from components.kubernetes.workload_namespace import EXTRA_CPU, EXTRA_MEMORY
from tests.plans import Plan

ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer"
# ACMEChallengeSolverHTTP01IngressPodSpec in cert-manager v1.19.1
# (pkg/apis/acme/v1/types_issuer.go:331-375): any other field is dropped by the CRD's schema.
POD_TEMPLATE_SPEC_FIELDS = {
    "nodeSelector",
    "affinity",
    "tolerations",
    "priorityClassName",
    "serviceAccountName",
    "imagePullSecrets",
    "securityContext",
    "resources",
}


def release(plan: Plan) -> dict:
    return next(r for r in plan.of_type("kubernetes:helm.sh/v3:Release") if r["inputs"]["chart"] == "cert-manager")


def test_pinned_chart_with_its_crds_on_the_system_pool(plan: Plan):
    inputs = release(plan)["inputs"]
    assert (inputs["version"], inputs["repositoryOpts"]["repo"]) == ("v1.19.1", "https://charts.jetstack.io")
    values = inputs["values"]
    assert values["crds"] == {"enabled": True, "keep": True}
    for part in (values, values["webhook"], values["cainjector"], values["startupapicheck"]):
        assert part["nodeSelector"] == {"centaurops.io/pool": "system"}


def test_every_component_has_a_memory_limit_over_its_request(plan: Plan):
    # Where v1.19.1's templates read each component's resources: .Values.resources for the controller,
    # .Values.<component>.resources for the others.
    values = release(plan)["inputs"]["values"]
    limits = {"controller": "256Mi", "webhook": "128Mi", "cainjector": "256Mi", "startupapicheck": "128Mi"}
    for component, limit in limits.items():
        resources = values["resources"] if component == "controller" else values[component]["resources"]
        assert resources == {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"memory": limit}}, component
        assert quantities.parse(resources["limits"]["memory"]) >= quantities.parse(resources["requests"]["memory"])


def test_staging_issuer_in_dev_production_in_prod(dev: Plan, prod: Plan):
    for plan, server in ((dev, "acme-staging-v02"), (prod, "acme-v02")):
        issuer = plan.one(ISSUER)["inputs"]
        assert issuer["spec"]["acme"]["server"] == f"https://{server}.api.letsencrypt.org/directory"
        assert issuer["spec"]["acme"]["email"] == "platform@example.com"
        (solver,) = issuer["spec"]["acme"]["solvers"]
        assert solver["http01"]["ingress"]["ingressClassName"] == "nginx"


def solver_ingress(plan: Plan) -> dict:
    (solver,) = plan.one(ISSUER)["inputs"]["spec"]["acme"]["solvers"]
    return solver["http01"]["ingress"]


def test_solver_service_is_cluster_ip_as_the_workload_quota_forbids_node_ports(plan: Plan):
    # cert-manager's default solver Service is a NodePort; the workload namespace's quota allows none.
    assert plan.one("kubernetes:core/v1:ResourceQuota")["inputs"]["spec"]["hard"]["services.nodeports"] == "0"
    assert solver_ingress(plan)["serviceType"] == "ClusterIP"


def test_solver_pod_lands_on_the_workload_pool_like_the_app(plan: Plan):
    # Both pools are tainted: a solver pod without the pool's toleration stays Pending.
    spec = solver_ingress(plan)["podTemplate"]["spec"]
    app = next(r for r in plan.of_type("kubernetes:helm.sh/v3:Release") if r["inputs"]["name"] == "flow-platform")
    assert spec["nodeSelector"] == app["inputs"]["values"]["nodeSelector"] == {"centaurops.io/pool": "workload"}
    assert spec["tolerations"] == app["inputs"]["values"]["tolerations"]
    assert spec["tolerations"] == [
        {"key": "centaurops.io/workload", "operator": "Equal", "value": "true", "effect": "NoSchedule"}
    ]


def test_solver_pod_template_uses_only_fields_cert_manager_knows(plan: Plan):
    template = solver_ingress(plan)["podTemplate"]
    assert set(template) <= {"metadata", "spec"}
    assert set(template["spec"]) <= POD_TEMPLATE_SPEC_FIELDS


def test_solver_pod_meets_pod_security_restricted_whatever_the_controller_flags(plan: Plan):
    # A podTemplate securityContext replaces the solver pod's whole securityContext, so it
    # must carry both pod-level fields `restricted` checks; the container-level ones
    # (no privilege escalation, capabilities dropped) are fixed in cert-manager's code.
    context = solver_ingress(plan)["podTemplate"]["spec"]["securityContext"]
    assert context["runAsNonRoot"] is True
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert "runAsUser" not in context or context["runAsUser"] != 0
    namespace = plan.one("kubernetes:core/v1:Namespace", "centaurops")["inputs"]["metadata"]["labels"]
    assert namespace["pod-security.kubernetes.io/enforce"] == "restricted"


def test_solver_pod_fits_the_quota_room_and_the_limit_range(plan: Plan):
    resources = solver_ingress(plan)["podTemplate"]["spec"]["resources"]
    requests, limits = resources["requests"], resources["limits"]
    for key in ("cpu", "memory"):
        assert quantities.parse(requests[key]) <= quantities.parse(limits[key])
    # The quota counts requests and limits of cpu and memory: a pod must state all four.
    assert set(requests) == set(limits) == {"cpu", "memory"}
    assert quantities.parse(limits["cpu"]) <= EXTRA_CPU
    assert quantities.parse(limits["memory"]) <= EXTRA_MEMORY
    (limit_range,) = plan.one("kubernetes:core/v1:LimitRange")["inputs"]["spec"]["limits"]
    for key in ("cpu", "memory"):
        assert quantities.parse(limits[key]) <= quantities.parse(limit_range["max"][key])


def test_issuer_waits_for_the_crds(plan: Plan):
    assert release(plan)["urn"] in plan.one(ISSUER)["dependencies"]


def test_namespace_enforces_restricted(plan: Plan):
    labels = plan.one("kubernetes:core/v1:Namespace", "cert-manager")["inputs"]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
