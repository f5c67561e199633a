"""Every Kubernetes object a stack would create, checked by real third-party checkers:
kubernetes-validate against the pinned Kubernetes version's API schemas, and Checkov's
Kubernetes checks with zero failures (skips listed with reasons in checkov-skips.yaml)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from components.config.rules import AVAILABLE_CLOUDS
from preview.cli import PROJECT_DIR, rendered_objects
from preview.plan import kubernetes_objects, write_outputs
from tests.plans import plan_for

CHECKOV = PROJECT_DIR / ".tools" / "checkov" / "bin" / "checkov"
SKIPS_FILE = Path(__file__).with_name("checkov-skips.yaml")
# Custom resources have no schema in Kubernetes itself.
CUSTOM_KINDS = {"ClusterIssuer"}


def stack_plan(stack: str, cloud: str):
    """Each shipped stack file, on each cloud that can be built."""
    return plan_for(stack) if cloud == "aws" else plan_for(stack, cloud=cloud)


@pytest.fixture(
    scope="module",
    params=[(stack, cloud) for cloud in AVAILABLE_CLOUDS for stack in ("dev", "prod")],
    ids=lambda case: "-".join(case),
)
def manifests(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    stack, cloud = request.param
    plan = stack_plan(stack, cloud)
    out = tmp_path_factory.mktemp(f"{stack}-{cloud}")
    write_outputs(plan.document, out, rendered_objects(plan.document))
    return request.param, out / "manifests"


def load(directory: Path) -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text()) for p in sorted(directory.glob("*.yaml"))]


def test_manifests_hold_the_registered_objects_and_the_rendered_chart(manifests):
    (stack, cloud), directory = manifests
    objects = load(directory)
    kinds = {o["kind"] for o in objects}
    assert {"Namespace", "NetworkPolicy", "Ingress", "Secret", "ResourceQuota", "LimitRange", "ClusterIssuer"} <= kinds
    # The local chart, rendered by Helm with the values the program passes.
    assert {"Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"} <= kinds
    assert ("HorizontalPodAutoscaler" in kinds) == (stack == "prod")
    plan = stack_plan(stack, cloud).document
    assert len(objects) == len(kubernetes_objects(plan)) + len(rendered_objects(plan))


def test_no_secret_value_is_written(manifests):
    _, directory = manifests
    for obj in load(directory):
        if obj["kind"] == "Secret":
            assert set(obj["stringData"].values()) == {"[secret]"}
    text = "\n".join(p.read_text() for p in directory.glob("*.yaml"))
    assert "postgresql://" not in text and "rediss://" not in text


def test_every_object_matches_the_kubernetes_api_schema(manifests):
    _, directory = manifests
    version = "1.35"
    checked = 0
    for obj in load(directory):
        if obj["kind"] in CUSTOM_KINDS:
            continue
        kubernetes_validate.validate(obj, version, strict=True)
        checked += 1
    assert checked >= 20


def checkov_skips() -> dict[str, str]:
    skips = yaml.safe_load(SKIPS_FILE.read_text())["skips"] or {}
    assert all(isinstance(reason, str) and len(reason) > 20 for reason in skips.values()), "every skip needs its reason"
    return skips


def test_checkov_kubernetes_checks_all_pass(manifests):
    _, directory = manifests
    assert CHECKOV.exists(), f"{CHECKOV} is missing: `make test` installs it (requirements-checkov.txt)"
    command = [str(CHECKOV), "-d", str(directory), "--framework", "kubernetes", "--quiet", "--compact"]
    command += ["--skip-download", "--output", "json"]
    skips = checkov_skips()
    if skips:
        command += ["--skip-check", ",".join(sorted(skips))]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    failures = [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in report["results"]["failed_checks"]]
    assert failures == []
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 50
