"""components/gcp/foundation.py: the cloud-neutral result, labels, protection, and the deploy's critical path."""

import importlib
import inspect

from tests.gcp.plans import FoundationPlan

# Types whose resources take labels (Google Cloud labels; the provider's default labels reach them).
LABELLED = {
    "gcp:compute/globalAddress:GlobalAddress": "labels",
    "gcp:dns/managedZone:ManagedZone": "labels",
    "gcp:kms/cryptoKey:CryptoKey": "labels",
    "gcp:redis/instance:Instance": "labels",
    "gcp:storage/bucket:Bucket": "labels",
    "gcp:container/cluster:Cluster": "resourceLabels",
}
# Types that take labels nested in a block: Cloud SQL's settings.userLabels, a pool's nodeConfig.resourceLabels.
NESTED_LABELS = ("gcp:sql/databaseInstance:DatabaseInstance", "gcp:container/nodePool:NodePool")


def label_arguments(type_: str) -> list[str]:
    """The installed SDK's top-level label arguments of a resource type (`gcp:compute/network:Network`)."""
    module, name = type_.split(":")[1].split("/")[0], type_.split(":")[2]
    resource = getattr(importlib.import_module(f"pulumi_gcp.{module}"), name)
    return [p for p in inspect.signature(resource._internal_init).parameters if p in ("labels", "resource_labels")]


def test_every_type_of_the_stack_that_takes_labels_is_labelled(gplan: FoundationPlan):
    types = {r["type"] for r in gplan.resources if r["type"].startswith("gcp:") and r["custom"]}
    takes_labels = {t for t in types if label_arguments(t)}
    assert takes_labels == set(LABELLED), "every type that takes labels is checked by test_every_resource_is_labelled"
    assert {*LABELLED, *NESTED_LABELS} <= types


STATEFUL = (
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:sql/database:Database",
    "gcp:redis/instance:Instance",
    "gcp:storage/bucket:Bucket",
    "gcp:kms/cryptoKey:CryptoKey",
    "gcp:kms/keyRing:KeyRing",
)


def tags(plan: FoundationPlan) -> dict[str, str]:
    stack = plan.document["stack"]
    return {"project": "centaurops", "stack": stack, "environment": stack, "managed-by": "pulumi"}


def test_every_resource_is_labelled(gplan: FoundationPlan):
    import json

    for provider in gplan.of_type("pulumi:providers:gcp"):
        assert json.loads(provider["inputs"]["defaultLabels"]) == tags(gplan)
        assert provider["inputs"]["project"] == f"example-flows-{gplan.document['stack']}"
    for typ, key in LABELLED.items():
        for resource in gplan.of_type(typ):
            assert tags(gplan).items() <= resource["inputs"][key].items(), resource["urn"]
    sql = gplan.one("gcp:sql/databaseInstance:DatabaseInstance")["inputs"]["settings"]["userLabels"]
    assert sql == tags(gplan)
    for pool in gplan.of_type("gcp:container/nodePool:NodePool"):
        assert tags(gplan).items() <= pool["inputs"]["nodeConfig"]["resourceLabels"].items()


def test_stateful_resources_are_protected_in_prod_only(gdev: FoundationPlan, gprod: FoundationPlan):
    for typ in STATEFUL:
        assert [r["protect"] for r in gdev.of_type(typ)] == [False] * len(gdev.of_type(typ)), typ
        assert gprod.of_type(typ) and all(r["protect"] for r in gprod.of_type(typ)), typ


def test_critical_path_is_the_cluster_not_the_data_services(gprod: FoundationPlan):
    chain = [gprod.by_urn(u)["type"] for u in gprod.longest_chain("gcp:")]
    assert len(chain) <= 6, chain
    for typ in ("gcp:sql/databaseInstance:DatabaseInstance", "gcp:redis/instance:Instance", "gcp:storage/bucket:Bucket"):
        waits_for = gprod.depends_on(gprod.one(typ))
        assert not {t for t in waits_for if t.startswith("gcp:container/")}, typ


def test_the_result_for_the_kubernetes_layer(gplan: FoundationPlan):
    result = gplan.result
    assert result is not None
    assert result.cloud == "gcp" and result.kubernetes_version == "1.35"
    assert result.ingress_service_annotations == {"cloud.google.com/l4-rbs": "enabled"}
    assert result.api_server.cidrs == ("10.21.16.0/28",)
    assert result.cluster_charts == ()
    assert result.dns.cidrs == ("169.254.20.10/32",) and result.dns.pod_labels == {"k8s-app": "kube-dns"}
    assert result.system_nodes.node_selector == {"centaurops.io/pool": "system"}
    assert result.database.port == 5432 and result.database.name == "centaurops"
