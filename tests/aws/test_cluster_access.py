"""components/aws/cluster_access.py: the cluster admits as cluster-admin only whoever runs `pulumi up` and
`aws.adminPrincipalArns`; developers read without Secrets in prod and edit in dev; EKS bootstraps nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from components.principals import principal_suffix
from components.testing.mocks import ACCOUNT_ID, DEPLOYER_ROLE
from preview.cli import PROJECT_DIR
from tests.plans import PUBLIC_API, Plan, plan_for
from tests.registered import alias_names, registered_options

ENTRY = "aws:eks/accessEntry:AccessEntry"
ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
POLICIES = "arn:aws:eks::aws:cluster-access-policy"
CLUSTER_ADMIN = f"{POLICIES}/AmazonEKSClusterAdminPolicy"
DEPLOYER = f"arn:aws:iam::{ACCOUNT_ID}:role/{DEPLOYER_ROLE}"
ADMINS = ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:user/ops"]
DEVELOPERS = ["arn:aws:iam::123456789012:role/developers"]
OTHER_DEVELOPER = "arn:aws:iam::123456789012:role/data-scientists"
PREVIEWS = ["arn:aws:iam::123456789012:role/centaurops-aws-prod-preview"]
# Reads every object, Secrets and Helm's release records included, and writes nothing (EKS User
# Guide, "Review access policy permissions": `*` `*` get, list, watch).
ADMIN_VIEW = f"{POLICIES}/AmazonEKSAdminViewPolicy"
# Access policies that write anything (the same page).
WRITE = {f"{POLICIES}/{name}" for name in ("AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy")}
# The access policies that read Secrets (EKS User Guide, "Review access policy permissions").
READ_SECRETS = {
    f"{POLICIES}/{name}"
    for name in (
        "AmazonEKSClusterAdminPolicy",
        "AmazonEKSAdminPolicy",
        "AmazonEKSAdminViewPolicy",
        "AmazonEKSEditPolicy",
        "AmazonEKSSecretReaderPolicy",
    )
}


def access_plan(stack: str, **aws: list[str]) -> Plan:
    return plan_for(stack, cluster=PUBLIC_API, aws={"region": "us-east-1", **aws})


def policies_by_principal(plan: Plan) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for association in plan.of_type(ASSOCIATION):
        assert association["inputs"]["accessScope"] == {"type": "cluster"}
        found.setdefault(association["inputs"]["principalArn"], []).append(association["inputs"]["policyArn"])
    return found


def test_eks_admits_no_cluster_creator_of_its_own(plan: Plan):
    access = plan.one("aws:eks/cluster:Cluster")["inputs"]["accessConfig"]
    assert access == {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False}


def test_only_the_deployer_is_admitted_by_default(plan: Plan):
    assert policies_by_principal(plan) == {DEPLOYER: [CLUSTER_ADMIN]}
    assert [e["inputs"]["principalArn"] for e in plan.of_type(ENTRY)] == [DEPLOYER]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_deployer_and_the_listed_admins_are_the_only_cluster_admins(stack: str):
    plan = access_plan(stack, adminPrincipalArns=ADMINS)
    assert policies_by_principal(plan) == {arn: [CLUSTER_ADMIN] for arn in [DEPLOYER, *ADMINS]}


def test_a_deployer_listed_as_admin_has_one_entry():
    """CI runs `pulumi up` and is listed: EKS holds one entry per principal, a second would fail the deploy."""
    plan = access_plan("prod", adminPrincipalArns=[*ADMINS, DEPLOYER])
    principals = [e["inputs"]["principalArn"] for e in plan.of_type(ENTRY)]
    assert sorted(principals) == sorted([*ADMINS, DEPLOYER])
    assert policies_by_principal(plan)[DEPLOYER] == [CLUSTER_ADMIN]


def test_developers_read_without_secrets_in_prod():
    plan = access_plan("prod", adminPrincipalArns=ADMINS, developerPrincipalArns=DEVELOPERS)
    policies = policies_by_principal(plan)
    assert policies[DEVELOPERS[0]] == [f"{POLICIES}/AmazonEKSViewPolicy"]
    assert not READ_SECRETS & set(policies[DEVELOPERS[0]])


def test_developers_edit_in_dev_but_grant_nothing():
    policies = policies_by_principal(access_plan("dev", developerPrincipalArns=DEVELOPERS))
    # Edit (workloads, Secrets) without Roles and RoleBindings: access stays in this program.
    assert policies[DEVELOPERS[0]] == [f"{POLICIES}/AmazonEKSEditPolicy"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_preview_identities_read_everything_and_write_nothing(stack: str):
    """A refresh (drift.yml) reads every object the program manages, Helm's release Secrets included."""
    plan = access_plan(stack, adminPrincipalArns=ADMINS, developerPrincipalArns=DEVELOPERS, previewPrincipalArns=PREVIEWS)
    policies = policies_by_principal(plan)
    assert policies[PREVIEWS[0]] == [ADMIN_VIEW]
    assert not WRITE & set(policies[PREVIEWS[0]])
    assert policies == {
        **{arn: [CLUSTER_ADMIN] for arn in [DEPLOYER, *ADMINS]},
        DEVELOPERS[0]: [f"{POLICIES}/{'AmazonEKSViewPolicy' if stack == 'prod' else 'AmazonEKSEditPolicy'}"],
        PREVIEWS[0]: [ADMIN_VIEW],
    }
    assert PREVIEWS[0] in [e["inputs"]["principalArn"] for e in plan.of_type(ENTRY)]


def test_a_developer_running_pulumi_up_is_refused(tmp_path: Path):
    """Known only once the run asks AWS who deploys, so in a process of its own: a failed run
    leaves Pulumi's runtime unusable for the next one in the same process."""
    document = yaml.safe_load((PROJECT_DIR / "Pulumi.dev.yaml").read_text())
    document["config"]["centaurops:aws"]["developerPrincipalArns"] = [DEPLOYER]
    stack_file = tmp_path / "Pulumi.dev.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    run = subprocess.run(
        [sys.executable, "-m", "preview", "dev", "--stack-file", str(stack_file), "--out", str(tmp_path / "out")],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert (
        run.stderr.strip()
        .splitlines()[-1]
        .endswith(
            f"centaurops:aws.developerPrincipalArns[0]: must not be the identity running `pulumi up` (an administrator),"
            f" got {DEPLOYER!r}"
        )
    )


@pytest.mark.parametrize("admins", [[], [DEPLOYER]], ids=["deployer-alone", "deployer-listed"])
def test_the_kubernetes_layer_waits_for_the_deployer_to_be_admitted(admins: list[str]):
    plan = access_plan("dev", adminPrincipalArns=admins)
    (association,) = [a for a in plan.of_type(ASSOCIATION) if a["inputs"]["principalArn"] == DEPLOYER]
    (provider,) = plan.of_type("pulumi:providers:kubernetes")
    assert association["urn"] in provider["dependencies"]


def test_a_cluster_created_with_the_creator_bootstrapped_is_kept():
    """EKS reads the flag at creation only and the provider replaces the cluster when it changes."""
    (options,) = registered_options("dev", "aws:eks/cluster:Cluster", cluster=PUBLIC_API).values()
    assert options.ignore_changes == ["accessConfig.bootstrapClusterCreatorAdminPermissions"]


def test_admins_named_by_their_index_before_keep_their_entries():
    options = registered_options("dev", ENTRY, cluster=PUBLIC_API, aws={"region": "us-east-1", "adminPrincipalArns": ADMINS})
    assert alias_names(options) == {
        **{
            f"centaurops-dev-admin-{principal_suffix(arn)}": [f"centaurops-dev-admin-{index}"] for index, arn in enumerate(ADMINS)
        },
        "centaurops-dev-deployer": [],
    }


def urns_by_principal(plan: Plan) -> dict[tuple[str, str], str]:
    return {(r["type"], r["inputs"]["principalArn"]): r["urn"] for r in (*plan.of_type(ENTRY), *plan.of_type(ASSOCIATION))}


def test_removing_or_reordering_principals_leaves_the_others_resources_alone():
    """A principal whose entry moved to another resource would get a second entry before the first goes."""
    both = urns_by_principal(access_plan("dev", adminPrincipalArns=ADMINS, developerPrincipalArns=[*DEVELOPERS, OTHER_DEVELOPER]))
    reordered = urns_by_principal(
        access_plan("dev", adminPrincipalArns=ADMINS[::-1], developerPrincipalArns=[OTHER_DEVELOPER, *DEVELOPERS])
    )
    fewer = urns_by_principal(access_plan("dev", adminPrincipalArns=ADMINS[1:], developerPrincipalArns=[OTHER_DEVELOPER]))
    assert reordered == both
    assert fewer == {key: urn for key, urn in both.items() if key[1] not in (ADMINS[0], DEVELOPERS[0])}
