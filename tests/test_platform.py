"""components/platform.py and __main__.py: one cloud per stack, stack outputs."""

import subprocess
import sys

from preview.cli import PROJECT_DIR
from tests.plans import Plan

CHECK_IMPORTS = """
import sys
from preview.cli import preview_plan
from tests.plans import stack_config
preview_plan("dev", stack_config("dev"))
print(" ".join(sorted(m for m in sys.modules if m.startswith("pulumi_"))))
"""


def test_an_aws_stack_loads_no_other_cloud_sdk():
    loaded = subprocess.run(
        [sys.executable, "-c", CHECK_IMPORTS], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "pulumi_aws" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("pulumi_gcp", "pulumi_azure_native")}


CHECK_AZURE_IMPORTS = """
import sys
from tests.azure.stacks import azure
azure("dev")
print(" ".join(sorted(m for m in sys.modules if m.startswith("pulumi_"))))
"""


def test_an_azure_stack_loads_no_other_cloud_sdk():
    # The Azure foundation alone: the whole program on azure waits for the Kubernetes layer
    # to take a single-database cache and files on a volume.
    loaded = subprocess.run(
        [sys.executable, "-c", CHECK_AZURE_IMPORTS], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "pulumi_azure_native" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("pulumi_aws", "pulumi_gcp")}


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
