"""The pack as `pulumi preview --policy-pack policy/pack` runs it, with this test in the engine's place.

Pulumi starts a Python pack with `python -u -m pulumi.policy ENGINE .` in the pack directory and the
virtualenv PulumiPolicy.yaml names (sdk/python/dist/pulumi-analyzer-policy-python); the pack prints the
port of its Analyzer gRPC server. The test then calls it as the engine does (pulumi's
sdk/go/common/resource/plugin/analyzer_plugin.go: Analyze per resource with its inputs and options,
AnalyzeStack with every resource, its parent and dependencies) and expects exactly what the offline runner
finds in the same plan."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from policy.model import ResourcePolicy
from policy.offline import evaluate
from policy.registry import POLICIES
from preview.cli import PROJECT_DIR
from tests.policy.plans import document, one

PACK = PROJECT_DIR / "policy" / "pack"


def pack_python() -> Path:
    """The interpreter Pulumi runs the pack with: PulumiPolicy.yaml's `virtualenv`, taken from the pack's
    directory (pulumi-analyzer-policy-python), and its bin/python."""
    project = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text())
    assert project["runtime"]["name"] == "python"
    return (PACK / project["runtime"]["options"]["virtualenv"]).resolve() / "bin" / "python"


PYTHON = pack_python()
LEVELS = {analyzer_pb2.ADVISORY: "advisory", analyzer_pb2.MANDATORY: "mandatory", analyzer_pb2.DISABLED: "disabled"}


@pytest.fixture(scope="module")
def analyzer() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    assert PYTHON.exists(), f"{PYTHON} is missing: `make policy-pack` creates it (policy/pack/requirements.txt)"
    assert PYTHON.parent.parent == PROJECT_DIR / ".tools" / "policy"
    # The engine's address is only handed on: nothing in a pack dials it.
    pack = subprocess.Popen(
        [str(PYTHON), "-u", "-m", "pulumi.policy", "127.0.0.1:1", "."],
        cwd=PACK,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert pack.stdout is not None
        port = pack.stdout.readline().strip()
        assert port.isdigit(), f"the pack did not start: {port!r} {pack.stderr.read() if pack.stderr else ''}"
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        pack.terminate()
        pack.wait(timeout=10)


def struct(value: dict[str, Any]) -> struct_pb2.Struct:
    return json_format.ParseDict(value, struct_pb2.Struct())


def options(resource: dict[str, Any]) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(protect=resource["protect"], parent=resource.get("parent") or "")


def engine_findings(stub: analyzer_pb2_grpc.AnalyzerStub, doc: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    """What the pack reports on a plan: (policy, level, urn, message without the description line)."""
    responses = [
        stub.Analyze(
            analyzer_pb2.AnalyzeRequest(
                urn=r["urn"], type=r["type"], name=r["name"], properties=struct(r["inputs"]), options=options(r)
            )
        )
        for r in doc["resources"]
    ]
    responses.append(
        stub.AnalyzeStack(
            analyzer_pb2.AnalyzeStackRequest(
                resources=[
                    analyzer_pb2.AnalyzerResource(
                        urn=r["urn"],
                        type=r["type"],
                        name=r["name"],
                        properties=struct(r["inputs"]),
                        options=options(r),
                        parent=r.get("parent") or "",
                        dependencies=r["dependencies"],
                    )
                    for r in doc["resources"]
                ]
            )
        )
    )
    return {
        (d.policyName, LEVELS[d.enforcementLevel], d.urn, d.message.split("\n", 1)[1])
        for response in responses
        for d in response.diagnostics
    }


def offline_findings(doc: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {(v.policy, v.enforcement, v.urn, v.message) for v in evaluate(doc)}


def test_the_pack_serves_exactly_the_registrys_policies(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "centaurops"
    assert [(p.name, p.description, LEVELS[p.enforcementLevel]) for p in info.policies] == [
        (p.name, p.description, p.enforcement) for p in POLICIES
    ]
    kinds = {analyzer_pb2.PolicyType.POLICY_TYPE_RESOURCE: True, analyzer_pb2.PolicyType.POLICY_TYPE_STACK: False}
    assert [kinds[p.policy_type] for p in info.policies] == [isinstance(p, ResourcePolicy) for p in POLICIES]


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_the_engine_and_the_offline_runner_find_the_same_violations(analyzer: analyzer_pb2_grpc.AnalyzerStub, cloud: str) -> None:
    doc = document("prod", cloud)
    # One more break per family, so that every policy has something to report.
    for resource in doc["resources"]:
        resource["protect"] = False
    one(doc, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "-workload-policies-default-deny")["inputs"]["spec"]["ingress"] = [
        {}
    ]
    del one(doc, "kubernetes:helm.sh/v3:Release", "-flow-platform")["inputs"]["values"]["resources"]["limits"]
    found = engine_findings(analyzer, doc)
    assert {policy for policy, *_ in found} >= {"stateful-protected", "workloads-hardened", "namespaces-default-deny"}
    assert found == offline_findings(doc)


def test_policy_config_reaches_the_functions(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    # Under the engine, `--policy-pack-config` arrives through Configure: dev held to prod's rules, advisory.
    config = analyzer_pb2.PolicyConfig(enforcementLevel=analyzer_pb2.ADVISORY, properties=struct({"prodStacks": ["dev"]}))
    analyzer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig={"stateful-protected": config}))
    try:
        doc = document("dev", "gcp")
        found = {f for f in engine_findings(analyzer, doc) if f[0] == "stateful-protected"}
        assert found == offline_findings_with(
            doc, {"stateful-protected": {"enforcementLevel": "advisory", "prodStacks": ["dev"]}}
        )
        assert found and {level for _, level, _, _ in found} == {"advisory"}
    finally:
        analyzer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig={}))


def offline_findings_with(doc: dict[str, Any], config: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {(v.policy, v.enforcement, v.urn, v.message) for v in evaluate(doc, config) if v.policy == "stateful-protected"}
