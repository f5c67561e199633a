"""components/aws/foundation.py: the cloud-neutral result, tags, and the deploy's critical path."""

import json

import pulumi
import pytest

from components.aws import AwsFoundation
from components.config import settings_from_config
from components.foundation import FoundationResult
from components.testing.mocks import CloudMocks
from preview.cli import PROJECT_DIR
from preview.runner import SECRET, run_program
from tests.plans import Plan, stack_config

SECRETS = ("kubeconfig", "databasePassword", "databaseUrl", "cachePassword", "cacheUrl")


def export_result(result: FoundationResult) -> None:
    """Export the result; secrets once as they are (masked in the plan) and once revealed."""
    secrets = {
        "kubeconfig": result.kubeconfig,
        "databasePassword": result.database.password,
        "databaseUrl": result.database.url,
        "cachePassword": result.cache.password,
        "cacheUrl": result.cache.url(),
    }
    for key, output in secrets.items():
        pulumi.export(key, output)
        pulumi.export(f"{key}Revealed", pulumi.Output.unsecret(output))
    pulumi.export("databaseHost", result.database.host)
    pulumi.export("cacheHost", result.cache.host)
    pulumi.export("clusterName", result.cluster_name)
    pulumi.export("objectStoreUrl", result.object_store.url)


@pytest.fixture(scope="module")
def exported() -> tuple[FoundationResult, dict]:
    """Build only the AWS foundation for dev, in a mocked run, and read its exports."""
    config = stack_config("dev")
    built: list[FoundationResult] = []

    def program() -> None:
        settings = settings_from_config(config, "dev")
        built.append(AwsFoundation("centaurops-dev", settings, {"project": "centaurops"}).result)
        export_result(built[0])

    run = run_program(PROJECT_DIR, project="centaurops", stack="dev", config=config, mocks=CloudMocks(), program=program)
    return built[0], run.outputs


def test_credentials_in_the_result_are_secret(exported):
    _, outputs = exported
    for key in SECRETS:
        assert outputs[key] == SECRET, key
        assert outputs[f"{key}Revealed"] not in ("", SECRET), key


def test_database_url_uses_tls_and_the_generated_password(exported):
    _, outputs = exported
    password, host = outputs["databasePasswordRevealed"], outputs["databaseHost"]
    assert outputs["databaseUrlRevealed"] == f"postgresql://centaurops:{password}@{host}:5432/centaurops?sslmode=require"
    assert host.endswith(".rds.amazonaws.com")
    assert len(password) == 40 and password.isalnum()


def test_cache_url_is_rediss_with_the_auth_token(exported):
    _, outputs = exported
    token, host = outputs["cachePasswordRevealed"], outputs["cacheHost"]
    assert outputs["cacheUrlRevealed"] == f"rediss://:{token}@{host}:6379/0"


def test_kubeconfig_names_the_cluster_endpoint(exported):
    _, outputs = exported
    config = json.loads(outputs["kubeconfigRevealed"])
    assert config["clusters"][0]["cluster"]["server"].endswith(".eks.amazonaws.com")
    assert outputs["clusterName"] == "centaurops-dev"


def test_placement_ingress_and_identity_hooks(exported):
    result, outputs = exported
    assert result.system_nodes.node_selector == {"centaurops.io/pool": "system"}
    assert [t.key for t in result.system_nodes.tolerations] == ["CriticalAddonsOnly"]
    assert [t.key for t in result.workload_nodes.tolerations] == ["centaurops.io/workload"]
    assert result.ingress_service_annotations["service.beta.kubernetes.io/aws-load-balancer-type"] == "nlb"
    assert result.workload_identity.agent_cidrs == ("169.254.170.23/32",)
    assert (result.workload_identity.namespace, result.workload_identity.service_account) == ("centaurops", "flow-platform")
    assert result.object_store.kind == "s3" and outputs["objectStoreUrl"].startswith("s3://")
    assert result.data_cidrs == ("10.0.224.0/21", "10.0.232.0/21")


def test_every_aws_resource_uses_the_explicit_tagged_provider(plan: Plan):
    (provider,) = plan.of_type("pulumi:providers:aws")
    tags = json.loads(provider["inputs"]["defaultTags"])["tags"]
    assert tags == {
        "project": "centaurops",
        "stack": plan.document["stack"],
        "environment": plan.document["stack"],
        "managed-by": "pulumi",
    }
    assert provider["inputs"]["region"] == "us-east-1"
    for resource in plan.resources:
        if resource["type"].startswith("aws:"):
            assert resource["provider"] == provider["urn"], resource["urn"]


def test_critical_path_is_the_cluster_not_the_data_services(prod: Plan):
    chain = [prod.by_urn(u)["type"] for u in prod.longest_chain("aws:")]
    assert len(chain) <= 6, chain
    assert "aws:eks/cluster:Cluster" in chain
    assert not {t for t in chain if t.startswith(("aws:rds/", "aws:elasticache/", "aws:s3/"))}
