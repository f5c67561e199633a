"""components/kubernetes/cert_manager.py: cert-manager with CRDs, and the ACME ClusterIssuer."""

from tests.plans import Plan

ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer"


def release(plan: Plan) -> dict:
    return next(r for r in plan.of_type("kubernetes:helm.sh/v3:Release") if r["inputs"]["chart"] == "cert-manager")


def test_pinned_chart_with_its_crds_on_the_system_pool(plan: Plan):
    inputs = release(plan)["inputs"]
    assert (inputs["version"], inputs["repositoryOpts"]["repo"]) == ("v1.19.1", "https://charts.jetstack.io")
    values = inputs["values"]
    assert values["crds"] == {"enabled": True, "keep": True}
    for part in (values, values["webhook"], values["cainjector"], values["startupapicheck"]):
        assert part["nodeSelector"] == {"centaurops.io/pool": "system"}


def test_staging_issuer_in_dev_production_in_prod(dev: Plan, prod: Plan):
    for plan, server in ((dev, "acme-staging-v02"), (prod, "acme-v02")):
        issuer = plan.one(ISSUER)["inputs"]
        assert issuer["spec"]["acme"]["server"] == f"https://{server}.api.letsencrypt.org/directory"
        assert issuer["spec"]["acme"]["email"] == "platform@example.com"
        assert issuer["spec"]["acme"]["solvers"] == [{"http01": {"ingress": {"ingressClassName": "nginx"}}}]


def test_issuer_waits_for_the_crds(plan: Plan):
    assert release(plan)["urn"] in plan.one(ISSUER)["dependencies"]


def test_namespace_enforces_restricted(plan: Plan):
    labels = plan.one("kubernetes:core/v1:Namespace", "cert-manager")["inputs"]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
