"""components/gcp/apis.py: the APIs first, left enabled on destroy; everything else waits for them."""

from tests.gcp.plans import FoundationPlan

SERVICE = "gcp:projects/service:Service"


def test_the_apis_the_foundation_uses_are_enabled_and_stay_enabled(gplan: FoundationPlan):
    services = {s["inputs"]["service"]: s["inputs"] for s in gplan.of_type(SERVICE)}
    for api in ("container", "compute", "sqladmin", "redis", "servicenetworking", "cloudkms", "storage", "dns"):
        assert f"{api}.googleapis.com" in services, api
    for inputs in services.values():
        assert inputs["disableOnDestroy"] is False
        assert inputs["project"] == f"example-flows-{gplan.document['stack']}"


def test_every_other_resource_waits_for_the_apis_through_its_provider(gplan: FoundationPlan):
    providers = {p["name"]: p for p in gplan.of_type("pulumi:providers:gcp")}
    name = f"centaurops-{gplan.document['stack']}"
    main, bootstrap = providers[f"{name}-gcp"], providers[f"{name}-gcp-apis"]
    services = gplan.of_type(SERVICE)
    assert {s["urn"] for s in services} == set(main["dependencies"])
    for resource in gplan.resources:
        if resource["type"].startswith("gcp:"):
            expected = bootstrap if resource["type"] == SERVICE else main
            assert resource["provider"] == expected["urn"], resource["urn"]
