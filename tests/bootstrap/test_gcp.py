"""bootstrap/gcp.py: who may impersonate each CI service account, what it reaches, and the state and keys kept safe."""

from __future__ import annotations

from typing import Any

import pytest

from bootstrap.config import ConfigError, settings_from_config
from tests.bootstrap.stacks import REPOSITORY, bootstrap_config, bootstrap_plan
from tests.plans import Plan

POOL = "projects/123456789012/locations/global/workloadIdentityPools/centaurops-github"
IDENTITIES = ("dev-preview", "dev", "prod-preview", "prod")
# GitHub's subject for a job of environment NAME (https://docs.github.com/en/actions/reference/security/oidc).
SUBJECTS = {identity: f"repo:{REPOSITORY}:environment:{identity}" for identity in IDENTITIES}
EMAILS = {identity: f"centaurops-ci-{identity}@example-flows.iam.gserviceaccount.com" for identity in SUBJECTS}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return bootstrap_plan("gcp")


def grants(plan: Plan, type_: str, target_key: str) -> set[tuple[str, str, str]]:
    """(target, role, member) of every IAM member resource of `type_`."""
    return {(r["inputs"][target_key], r["inputs"]["role"], r["inputs"]["member"]) for r in plan.of_type(type_)}


def test_provider_trusts_github_and_this_repository_only(plan: Plan) -> None:
    provider = plan.one("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")["inputs"]
    assert provider["oidc"] == {"issuerUri": "https://token.actions.githubusercontent.com"}
    assert provider["attributeMapping"] == {"google.subject": "assertion.sub", "attribute.repository": "assertion.repository"}
    assert provider["attributeCondition"] == f"assertion.repository == '{REPOSITORY}'"
    # The default audience: the provider's own name, which google-github-actions/auth requests.
    assert "allowedAudiences" not in provider["oidc"]


def test_each_service_account_is_impersonated_by_its_exact_subject_only(plan: Plan) -> None:
    found = grants(plan, "gcp:serviceaccount/iAMMember:IAMMember", "serviceAccountId")
    assert found == {
        (
            f"projects/example-flows/serviceAccounts/{EMAILS[i]}",
            "roles/iam.workloadIdentityUser",
            f"principal://iam.googleapis.com/{POOL}/subject/{s}",
        )
        for i, s in SUBJECTS.items()
    }
    # One principal each, never a principalSet (every token of the pool or of an attribute).
    assert not [m for _, _, m in found if m.startswith("principalSet:") or "*" in m]


def test_preview_is_a_viewer_and_deployers_get_the_configured_roles(plan: Plan) -> None:
    assert grants(plan, "gcp:projects/iAMMember:IAMMember", "project") == {
        ("example-flows", "roles/viewer", f"serviceAccount:{EMAILS['dev-preview']}"),
        ("example-flows", "roles/viewer", f"serviceAccount:{EMAILS['prod-preview']}"),
        ("example-flows", "roles/owner", f"serviceAccount:{EMAILS['dev']}"),
        ("example-flows", "roles/owner", f"serviceAccount:{EMAILS['prod']}"),
    }


def test_each_account_reaches_its_own_state_bucket_and_key_only(plan: Plan) -> None:
    assert grants(plan, "gcp:storage/bucketIAMMember:BucketIAMMember", "bucket") == {
        ("example-flows-centaurops-state-dev", "roles/storage.objectUser", f"serviceAccount:{EMAILS['dev']}"),
        ("example-flows-centaurops-state-prod", "roles/storage.objectUser", f"serviceAccount:{EMAILS['prod']}"),
        ("example-flows-centaurops-state-dev", "roles/storage.objectViewer", f"serviceAccount:{EMAILS['dev-preview']}"),
        ("example-flows-centaurops-state-prod", "roles/storage.objectViewer", f"serviceAccount:{EMAILS['prod-preview']}"),
    }
    ring = "projects/example-flows/locations/europe-west1/keyRings/centaurops-gcp-keys/cryptoKeys"
    assert grants(plan, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "cryptoKeyId") == {
        (f"{ring}/centaurops-gcp-secrets-dev", "roles/cloudkms.cryptoKeyEncrypterDecrypter", f"serviceAccount:{EMAILS['dev']}"),
        (f"{ring}/centaurops-gcp-secrets-prod", "roles/cloudkms.cryptoKeyEncrypterDecrypter", f"serviceAccount:{EMAILS['prod']}"),
        (f"{ring}/centaurops-gcp-secrets-dev", "roles/cloudkms.cryptoKeyDecrypter", f"serviceAccount:{EMAILS['dev-preview']}"),
        (f"{ring}/centaurops-gcp-secrets-prod", "roles/cloudkms.cryptoKeyDecrypter", f"serviceAccount:{EMAILS['prod-preview']}"),
        (
            f"{ring}/centaurops-gcp-state",
            "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            "serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com",
        ),
    }


def test_state_buckets_are_private_versioned_encrypted_and_protected(plan: Plan) -> None:
    buckets = plan.of_type("gcp:storage/bucket:Bucket")
    assert sorted(b["inputs"]["name"] for b in buckets) == [
        "example-flows-centaurops-state-dev",
        "example-flows-centaurops-state-prod",
    ]
    state_key = plan.one("gcp:kms/cryptoKey:CryptoKey", "-state")
    grant = plan.one("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "-state-storage-agent")
    for bucket in buckets:
        inputs: dict[str, Any] = bucket["inputs"]
        assert bucket["protect"] is True
        assert inputs["forceDestroy"] is False
        assert inputs["uniformBucketLevelAccess"] is True
        assert inputs["publicAccessPrevention"] == "enforced"
        assert inputs["versioning"] == {"enabled": True}
        assert inputs["softDeletePolicy"]["retentionDurationSeconds"] >= 7 * 24 * 3600
        assert inputs["encryption"]["defaultKmsKeyName"].endswith("/cryptoKeys/centaurops-gcp-state")
        assert {state_key["urn"], grant["urn"]} <= set(bucket["dependencies"])


def test_keys_rotate_and_are_protected(plan: Plan) -> None:
    keys = plan.of_type("gcp:kms/cryptoKey:CryptoKey")
    assert sorted(k["name"] for k in keys) == [
        "centaurops-gcp-secrets-dev",
        "centaurops-gcp-secrets-prod",
        "centaurops-gcp-state",
    ]
    for key in [*keys, plan.one("gcp:kms/keyRing:KeyRing")]:
        assert key["protect"] is True
    for key in keys:
        assert key["inputs"]["rotationPeriod"] == "7776000s"
        assert key["inputs"]["purpose"] == "ENCRYPT_DECRYPT"
    admins = grants(plan, "gcp:kms/keyRingIAMMember:KeyRingIAMMember", "keyRingId")
    assert {(role, member) for _, role, member in admins} == {("roles/cloudkms.admin", "group:platform-admins@example.com")}


def test_outputs_say_what_github_and_the_main_stacks_need(plan: Plan) -> None:
    outputs = plan.outputs
    provider = f"{POOL}/providers/github-actions"
    # Each GitHub environment impersonates its service account and uses its own environment's state.
    assert outputs["githubVariables"] == {
        identity: {
            "GCP_WORKLOAD_IDENTITY_PROVIDER": provider,
            "GCP_SERVICE_ACCOUNT": EMAILS[identity],
            "PULUMI_BACKEND_URL": f"gs://example-flows-centaurops-state-{identity.removesuffix('-preview')}",
        }
        for identity in IDENTITIES
    }
    assert outputs["secretsProviders"]["prod"] == (
        "gcpkms://projects/example-flows/locations/europe-west1/keyRings/centaurops-gcp-keys/cryptoKeys/centaurops-gcp-secrets-prod"
    )
    assert outputs["mainStackConfig"]["dev"] == {
        "centaurops:gcp": {
            "adminMembers": [f"serviceAccount:{EMAILS['dev']}"],
            "previewMembers": [f"serviceAccount:{EMAILS['dev-preview']}"],
        }
    }


def test_a_subject_google_would_refuse_is_a_config_error() -> None:
    long_repository = f"{'o' * 39}/{'r' * 100}"
    with pytest.raises(ConfigError) as raised:
        settings_from_config(bootstrap_config("gcp", github={"repository": long_repository}))
    # One line, for the longest subject (prod-preview's).
    assert raised.value.problems == [
        "centaurops-bootstrap:github.repository: makes the prod-preview subject 170 bytes; Google Cloud accepts at most 127"
    ]
    # The longest repository whose prod-preview subject fits: 127 - len("repo:") - len(":environment:prod-preview").
    fits = f"{'o' * 39}/{'r' * (127 - 5 - 25 - 40)}"
    assert settings_from_config(bootstrap_config("gcp", github={"repository": fits})).github.repository == fits
    with pytest.raises(ConfigError):
        settings_from_config(bootstrap_config("gcp", github={"repository": fits + "r"}))


def test_no_long_lived_credential(plan: Plan) -> None:
    assert not plan.of_type("gcp:serviceaccount/key:Key")


def test_operators_use_every_environments_state_and_key() -> None:
    operator = "group:platform-operators@example.com"
    plan = bootstrap_plan("gcp", gcp={"project": "example-flows", "region": "europe-west1", "operatorMembers": [operator]})
    buckets = {(b, r) for b, r, m in grants(plan, "gcp:storage/bucketIAMMember:BucketIAMMember", "bucket") if m == operator}
    assert buckets == {
        ("example-flows-centaurops-state-dev", "roles/storage.objectUser"),
        ("example-flows-centaurops-state-prod", "roles/storage.objectUser"),
    }
    keys = {
        (k.rsplit("/", 1)[-1], r)
        for k, r, m in grants(plan, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "cryptoKeyId")
        if m == operator
    }
    assert keys == {
        ("centaurops-gcp-secrets-dev", "roles/cloudkms.cryptoKeyEncrypterDecrypter"),
        ("centaurops-gcp-secrets-prod", "roles/cloudkms.cryptoKeyEncrypterDecrypter"),
    }


def test_a_repository_id_is_required_too_when_given() -> None:
    plan = bootstrap_plan("gcp", github={"repository": REPOSITORY, "repositoryId": "123456789"})
    provider = plan.one("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")["inputs"]
    assert provider["attributeCondition"] == f"assertion.repository == '{REPOSITORY}' && assertion.repository_id == '123456789'"
