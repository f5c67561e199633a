"""components/kubernetes/ingress.py: HTTPS with a cert-manager certificate, host from config, allow-list."""

from tests.plans import Plan, plan_for

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"


def test_tls_from_the_environment_issuer_and_https_only(dev: Plan, prod: Plan):
    shipped = ((dev, "letsencrypt-staging", "flows-dev.example.com"), (prod, "letsencrypt-production", "flows.example.com"))
    for plan, issuer, host in shipped:
        ingress = plan.one(INGRESS)["inputs"]
        annotations = ingress["metadata"]["annotations"]
        assert annotations["cert-manager.io/cluster-issuer"] == issuer
        assert annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] == "true"
        assert ingress["spec"]["ingressClassName"] == "nginx"
        assert ingress["spec"]["tls"] == [{"hosts": [host], "secretName": "flow-platform-tls"}]


def test_routes_the_host_to_the_app_service():
    ingress = plan_for("dev", ingress={"host": "flows.dev.acme.io"}).one(INGRESS)["inputs"]
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "flows.dev.acme.io"
    (path,) = rule["http"]["paths"]
    assert path["backend"]["service"] == {"name": "flow-platform", "port": {"number": 80}}
    assert ingress["spec"]["tls"][0]["hosts"] == ["flows.dev.acme.io"]


def test_optional_source_allow_list(dev: Plan):
    assert "nginx.ingress.kubernetes.io/whitelist-source-range" not in dev.one(INGRESS)["inputs"]["metadata"]["annotations"]
    limited = plan_for("prod", ingress={"allowedSourceCidrs": ["198.51.100.0/24", "203.0.113.8/32"]})
    annotations = limited.one(INGRESS)["inputs"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/whitelist-source-range"] == "198.51.100.0/24,203.0.113.8/32"


def test_ingress_waits_for_the_controller_webhook_the_issuer_and_the_app(plan: Plan):
    waits_for = plan.depends_on(plan.one(INGRESS))
    assert {"kubernetes:helm.sh/v3:Release", "kubernetes:cert-manager.io/v1:ClusterIssuer"} <= waits_for
    releases = {plan.by_urn(u)["inputs"]["name"] for u in plan.one(INGRESS)["dependencies"] if "Release" in u}
    assert releases == {"ingress-nginx", "cert-manager", "flow-platform"}
