"""Bootstrap and the workflows agree: every GitHub environment a signing-in job runs in has
its variables in the bootstrap's outputs (exactly those the job and stack-setup read), and
the identity they name trusts that environment's subject, on each cloud.

Read from .github/workflows/*.yml (`environment:`, `${{ matrix.KEY }}` expanded over the job's
matrix; `vars.NAME`) and .github/actions/stack-setup/action.yml (`fromJSON(inputs.variables).NAME`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from preview.cli import PROJECT_DIR
from tests.bootstrap.stacks import REPOSITORY, bootstrap_plan, policy
from tests.plans import Plan

GITHUB = PROJECT_DIR / ".github"
STACK_SETUP = "./.github/actions/stack-setup"
CLOUDS = ("aws", "gcp", "azure")
CLOUD_OF_PREFIX = {"AWS_": "aws", "GCP_": "gcp", "AZURE_": "azure"}
MATRIX = re.compile(r"\$\{\{\s*matrix\.(\w+)\s*\}\}")
JOB_VARIABLE = re.compile(r"\bvars\.([A-Za-z_]\w*)")
SETUP_VARIABLE = re.compile(r"fromJSON\(inputs\.variables\)\.([A-Za-z_]\w*)")


def signing_in_jobs() -> Iterator[tuple[str, dict[str, Any]]]:
    """(workflow file: job, job) of every job that signs in to a cloud (uses stack-setup)."""
    for path in sorted((GITHUB / "workflows").glob("*.yml")):
        for name, job in yaml.safe_load(path.read_text())["jobs"].items():
            if any(step.get("uses", "") == STACK_SETUP for step in job.get("steps", [])):
                yield f"{path.name}: {name}", job


def environments_of(where: str, job: dict[str, Any]) -> set[str]:
    environment = job.get("environment")
    name = environment.get("name") if isinstance(environment, dict) else environment
    assert isinstance(name, str) and name, f"{where} signs in without an environment"
    keys = set(MATRIX.findall(name))
    matrix = job.get("strategy", {}).get("matrix", {})
    names = {name}
    for key in keys:
        assert isinstance(matrix.get(key), list), f"{where}: environment {name!r} names matrix.{key}, which is no list"
        names = {
            MATRIX.sub(lambda m, k=key, v=value: str(v) if m.group(1) == k else m.group(0), n)
            for n in names
            for value in matrix[key]
        }
    assert not any("${{" in n for n in names), f"{where}: environment {name!r} holds an expression this test cannot expand"
    return names


def workflow_environments() -> dict[str, set[str]]:
    """Each GitHub environment a signing-in job runs in, with the variables those jobs read by name."""
    found: dict[str, set[str]] = {}
    for where, job in signing_in_jobs():
        read = set(JOB_VARIABLE.findall(yaml.safe_dump(job)))
        for environment in environments_of(where, job):
            found.setdefault(environment, set()).update(read)
    return found


def setup_variables() -> dict[str, set[str]]:
    """The variables stack-setup reads, per cloud (by prefix)."""
    text = (GITHUB / "actions" / "stack-setup" / "action.yml").read_text()
    found: dict[str, set[str]] = {cloud: set() for cloud in CLOUDS}
    for name in set(SETUP_VARIABLE.findall(text)):
        (cloud,) = [c for prefix, c in CLOUD_OF_PREFIX.items() if name.startswith(prefix)] or [None]
        assert cloud is not None, f"stack-setup reads {name}, of no cloud this test knows"
        found[cloud].add(name)
    return found


def test_the_workflows_are_read_as_expected() -> None:
    # Guards the parsing above: if it found nothing, the tests below would compare empty sets.
    assert workflow_environments().keys() >= {"dev-preview", "prod-preview", "dev", "prod"}
    assert workflow_environments()["dev"] >= {"PULUMI_BACKEND_URL"}
    assert setup_variables()["aws"] >= {"AWS_ROLE_ARN", "AWS_REGION", "AWS_ROLE_DURATION_SECONDS"}
    assert all(setup_variables().values())


def trusted_subjects(plan: Plan, cloud: str, variables: dict[str, str]) -> set[str]:
    """The subjects trusted by the identity these variables sign in as."""
    if cloud == "aws":
        # Pulumi names the role NAME-<7 hex>: the ARN's last segment without it is the resource's name.
        name = variables["AWS_ROLE_ARN"].rsplit("/", 1)[-1].rsplit("-", 1)[0]
        (role,) = [r for r in plan.of_type("aws:iam/role:Role") if r["name"] == name]
        return {
            s["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"]
            for s in policy(role, "assumeRolePolicy")["Statement"]
        }
    if cloud == "gcp":
        pool = variables["GCP_WORKLOAD_IDENTITY_PROVIDER"].split("/providers/")[0]
        prefix = f"principal://iam.googleapis.com/{pool}/subject/"
        members = [
            r["inputs"]["member"]
            for r in plan.of_type("gcp:serviceaccount/iAMMember:IAMMember")
            if r["inputs"]["serviceAccountId"].endswith(f"/serviceAccounts/{variables['GCP_SERVICE_ACCOUNT']}")
            and r["inputs"]["role"] == "roles/iam.workloadIdentityUser"
        ]
        assert all(m.startswith(prefix) for m in members), members
        return {m.removeprefix(prefix) for m in members}
    (identity,) = [i for i, client in plan.outputs["clientIds"].items() if client == variables["AZURE_CLIENT_ID"]]
    managed = plan.one("azure-native:managedidentity:UserAssignedIdentity", f"-{identity}")
    credentials = plan.of_type("azure-native:managedidentity:FederatedIdentityCredential")
    return {c["inputs"]["subject"] for c in credentials if managed["urn"] in c["dependencies"]}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_bootstrap_outputs_the_variables_of_exactly_the_workflows_environments(cloud: str) -> None:
    outputs: dict[str, dict[str, str]] = bootstrap_plan(cloud).outputs["githubVariables"]
    environments = workflow_environments()
    assert set(outputs) == set(environments)
    for environment, read_by_jobs in environments.items():
        # What stack-setup reads for this cloud and what the jobs read themselves: no more, no less.
        assert set(outputs[environment]) == setup_variables()[cloud] | read_by_jobs, environment
        assert all(isinstance(value, str) and value for value in outputs[environment].values()), environment


@pytest.mark.parametrize("cloud", CLOUDS)
def test_each_environments_identity_trusts_that_environment_only(cloud: str) -> None:
    plan = bootstrap_plan(cloud)
    for environment, variables in plan.outputs["githubVariables"].items():
        # GitHub's subject for a job of that environment (https://docs.github.com/en/actions/reference/security/oidc).
        assert trusted_subjects(plan, cloud, variables) == {f"repo:{REPOSITORY}:environment:{environment}"}, environment
