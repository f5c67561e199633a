"""components/platform.py and __main__.py: one cloud per stack, stack outputs."""

import subprocess
import sys

import pytest

from components.config.rules import AVAILABLE_CLOUDS
from preview.cli import PROJECT_DIR
from tests.plans import Plan

CHECK_IMPORTS = """
import sys
from preview.cli import preview_plan
from tests.plans import stack_config
preview_plan("dev", stack_config("dev", cloud=sys.argv[1]))
# Modules actually loaded: the SDKs register every service module lazily (a
# pulumi._utils._LazyModule in sys.modules), and load one on its first use.
loaded = [m for m, module in sys.modules.items() if m.startswith("pulumi_") and type(module).__name__ != "_LazyModule"]
print(" ".join(sorted(loaded)))
"""
SDKS = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "azure": "pulumi_azure_native"}


@pytest.mark.parametrize("cloud", AVAILABLE_CLOUDS)
def test_a_stack_loads_its_own_clouds_sdk_only(cloud: str):
    loaded = subprocess.run(
        [sys.executable, "-c", CHECK_IMPORTS, cloud], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    packages = {m.split(".")[0] for m in loaded}
    assert SDKS[cloud] in packages
    assert not packages & (set(SDKS.values()) - {SDKS[cloud]})


def test_an_azure_stack_imports_only_the_azure_native_modules_it_uses():
    loaded = subprocess.run(
        [sys.executable, "-c", CHECK_IMPORTS, "azure"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    modules = {m.split(".")[1] for m in loaded if m.startswith("pulumi_azure_native.") and m.count(".") >= 1}
    # The SDK has about 300 service modules; the stack uses a handful.
    assert 0 < len(modules) < 30, sorted(modules)


def test_stack_outputs_and_their_secrecy(plan: Plan):
    outputs = plan.outputs
    assert outputs["cloud"] == "aws"
    assert outputs["clusterName"] == f"centaurops-{plan.document['stack']}"
    for key in ("kubeconfig", "databaseUrl", "cacheUrl"):
        assert outputs[key] == "[secret]", key
    assert outputs["databaseHost"].endswith(".rds.amazonaws.com")
    assert outputs["objectStoreUrl"].startswith("s3://")
    host = {"dev": "flows-dev.example.com", "prod": "flows.example.com"}[plan.document["stack"]]
    assert outputs["url"] == f"https://{host}"


def test_components_are_nested_under_one_platform(plan: Plan):
    (platform,) = plan.of_type("centaurops:platform:Platform")
    (foundation,) = plan.of_type("centaurops:aws:Foundation")
    assert foundation["parent"] == platform["urn"]
    components = [r for r in plan.resources if r["type"].startswith("centaurops:aws:") and r is not foundation]
    assert {c["parent"] for c in components} == {foundation["urn"]}
    # the Kubernetes layer sits beside the foundation, and holds every Kubernetes component
    (layer,) = plan.of_type("centaurops:kubernetes:Layer")
    assert layer["parent"] == platform["urn"]
    kubernetes = [r for r in plan.resources if r["type"].startswith("centaurops:kubernetes:") and r is not layer]
    assert kubernetes
    assert {c["parent"] for c in kubernetes} == {layer["urn"]}
    assert {r["parent"] for r in plan.resources if r["type"] == "pulumi:providers:kubernetes"} == {layer["urn"]}


def test_every_cloud_the_schema_accepts_has_a_foundation():
    from components.platform import FOUNDATIONS

    assert set(FOUNDATIONS) == set(AVAILABLE_CLOUDS)
