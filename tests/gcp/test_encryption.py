"""components/gcp/encryption.py: one rotating key per service, usable by that service's agent only,
granted before the resource that uses it; administered by gcp.adminMembers; protected in prod."""

import pytest

from components.testing.mocks.gcp import PROJECT_NUMBER
from tests.gcp.plans import FoundationPlan, foundation_plan, gcp_overrides

KEY = "gcp:kms/cryptoKey:CryptoKey"
GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
AGENTS = {
    "cluster": f"service-{PROJECT_NUMBER}@container-engine-robot.iam.gserviceaccount.com",
    "database": f"service-{PROJECT_NUMBER}@gcp-sa-cloud-sql.iam.gserviceaccount.com",
    "cache": f"service-{PROJECT_NUMBER}@cloud-redis.iam.gserviceaccount.com",
    "storage": f"service-{PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com",
}
# The resource each key encrypts, and the input naming the key.
USERS = {
    "cluster": ("gcp:container/cluster:Cluster", lambda i: i["databaseEncryption"]["keyName"]),
    "database": ("gcp:sql/databaseInstance:DatabaseInstance", lambda i: i["encryptionKeyName"]),
    "cache": ("gcp:redis/instance:Instance", lambda i: i["customerManagedKey"]),
    "storage": ("gcp:storage/bucket:Bucket", lambda i: i["encryption"]["defaultKmsKeyName"]),
}


def test_each_key_rotates_and_lives_in_the_region(gplan: FoundationPlan):
    ring = gplan.one("gcp:kms/keyRing:KeyRing")
    assert ring["inputs"]["location"] == "europe-west1"
    keys = gplan.of_type(KEY)
    assert sorted(k["name"].rsplit("-", 1)[1] for k in keys) == sorted(AGENTS)
    for key in keys:
        assert key["inputs"]["rotationPeriod"] == "7776000s"
        assert key["inputs"]["purpose"] == "ENCRYPT_DECRYPT"
        assert ring["urn"] in key["dependencies"]


@pytest.mark.parametrize("purpose", sorted(AGENTS))
def test_each_key_is_used_by_its_service_agent_only_and_granted_first(gplan: FoundationPlan, purpose: str):
    name = f"centaurops-{gplan.document['stack']}"
    key = gplan.one(KEY, f"-{purpose}")
    grants = [g for g in gplan.of_type(GRANT) if key["urn"] in g["dependencies"]]
    assert len(grants) == 1, "one grant per key"
    (grant,) = grants
    assert grant["inputs"]["member"] == f"serviceAccount:{AGENTS[purpose]}"
    assert grant["inputs"]["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert grant["inputs"]["cryptoKeyId"].endswith(f"/cryptoKeys/{name}-{purpose}")
    typ, key_of = USERS[purpose]
    user = gplan.one(typ)
    assert key_of(user["inputs"]) == grant["inputs"]["cryptoKeyId"]
    assert grant["urn"] in user["dependencies"], "the agent may use the key before the resource is created"


def test_keys_are_protected_in_prod_only(gdev: FoundationPlan, gprod: FoundationPlan):
    for plan, protected in ((gdev, False), (gprod, True)):
        for resource in [*plan.of_type(KEY), *plan.of_type("gcp:kms/keyRing:KeyRing")]:
            assert resource["protect"] is protected, resource["urn"]


def test_admin_members_administer_the_key_ring_without_using_the_keys():
    members = ["group:platform@acme.com", "user:ops@acme.com"]
    plan = foundation_plan("prod", gcp=gcp_overrides("prod", adminMembers=members))
    bindings = plan.of_type("gcp:kms/keyRingIAMMember:KeyRingIAMMember")
    assert sorted(b["inputs"]["member"] for b in bindings) == members
    assert {b["inputs"]["role"] for b in bindings} == {"roles/cloudkms.admin"}
    assert not [g for g in plan.of_type(GRANT) if g["inputs"]["member"] in members]
