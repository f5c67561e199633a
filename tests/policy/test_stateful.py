from typing import Any

import pytest

from policy.stateful import LOCKS, STATEFUL
from tests.policy.plans import CLOUDS, document, named, one, violations, without

POLICY = "stateful-protected"
LOCKED = "stateful-delete-locked"


def unprotect(type_: str, suffix: str = "") -> Any:
    def mutate(doc: dict[str, Any]) -> None:
        one(doc, type_, suffix)["protect"] = False

    return mutate


def set_input(type_: str, path: tuple[str, ...], value: Any, suffix: str = "") -> Any:
    def mutate(doc: dict[str, Any]) -> None:
        inputs = one(doc, type_, suffix)["inputs"]
        for step in path[:-1]:
            inputs = inputs.setdefault(step, {})
        inputs[path[-1]] = value

    return mutate


# (cloud, mutation, the resource named in the violation, its message)
BROKEN = [
    ("aws", unprotect("aws:rds/instance:Instance"), "centaurops-prod-postgres", "holds data in prod: needs protect=True"),
    (
        "aws",
        set_input("aws:rds/instance:Instance", ("deletionProtection",), False),
        "centaurops-prod-postgres",
        "holds data in prod: needs deletionProtection: true, got False",
    ),
    (
        "aws",
        set_input("aws:elasticache/replicationGroup:ReplicationGroup", ("finalSnapshotIdentifier",), ""),
        "centaurops-prod-redis",
        "holds data in prod: needs a finalSnapshotIdentifier, got ''",
    ),
    (
        "aws",
        set_input("aws:s3/bucket:Bucket", ("forceDestroy",), True, "-bucket"),
        "centaurops-prod-bucket",
        "holds data in prod: needs forceDestroy not true, got True",
    ),
    ("aws", unprotect("aws:kms/key:Key", "-data"), "centaurops-prod-data", "holds data in prod: needs protect=True"),
    (
        "gcp",
        set_input("gcp:sql/databaseInstance:DatabaseInstance", ("settings", "deletionProtectionEnabled"), False),
        "centaurops-prod-postgres",
        "holds data in prod: needs settings.deletionProtectionEnabled: true, got False",
    ),
    (
        "gcp",
        set_input("gcp:sql/databaseInstance:DatabaseInstance", ("deletionProtection",), False),
        "centaurops-prod-postgres",
        "holds data in prod: needs deletionProtection: true, got False",
    ),
    ("gcp", unprotect("gcp:redis/instance:Instance"), "centaurops-prod-redis", "holds data in prod: needs protect=True"),
    (
        "gcp",
        set_input("gcp:storage/bucket:Bucket", ("forceDestroy",), True),
        "centaurops-prod-bucket",
        "holds data in prod: needs forceDestroy not true, got True",
    ),
    (
        "gcp",
        unprotect("gcp:kms/cryptoKey:CryptoKey", "-database"),
        "centaurops-prod-database",
        "holds data in prod: needs protect=True",
    ),
    (
        "azure",
        unprotect("azure-native:dbforpostgresql:Server"),
        "centaurops-prod-postgres",
        "holds data in prod: needs protect=True",
    ),
    (
        "azure",
        unprotect("azure-native:redisenterprise:RedisEnterprise"),
        "centaurops-prod-redis",
        "holds data in prod: needs protect=True",
    ),
    (
        "azure",
        unprotect("azure-native:storage:StorageAccount", "-files"),
        "centaurops-prod-files",
        "holds data in prod: needs protect=True",
    ),
]


@pytest.mark.parametrize(("cloud", "mutate", "resource", "message"), BROKEN, ids=[f"{c}-{r}-{m}" for c, _, r, m in BROKEN])
def test_a_prod_data_resource_without_its_guard_is_reported(cloud: str, mutate: Any, resource: str, message: str) -> None:
    doc = document("prod", cloud)
    assert violations(doc, POLICY) == []
    mutate(doc)
    assert named(violations(doc, POLICY)) == {(resource, message)}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_stateful_type_is_one_the_program_registers_and_guards_in_prod(cloud: str) -> None:
    # The table names real types: each of this cloud's entries is in the prod plan, protected.
    doc = document("prod", cloud)
    package = "azure-native" if cloud == "azure" else cloud
    for type_ in (t for t in STATEFUL if t.startswith(f"{package}:")):
        found = [r for r in doc["resources"] if r["type"] == type_]
        assert found, type_
        assert all(r["protect"] for r in found), type_


@pytest.mark.parametrize("cloud", CLOUDS)
def test_dev_is_not_held_to_prods_guards_unless_config_says_it_is_prod(cloud: str) -> None:
    doc = document("dev", cloud)
    assert violations(doc, POLICY) == []
    held = violations(doc, POLICY, {POLICY: {"prodStacks": ["dev"]}})
    assert "centaurops-dev-postgres" in {name for name, _ in named(held)}


def test_an_azure_data_resource_without_its_delete_lock_is_reported() -> None:
    doc = document("prod", "azure")
    assert violations(doc, LOCKED) == []
    without(doc, one(doc, LOCKS["azure-native"][0], "-postgres-lock"))
    assert named(violations(doc, LOCKED)) == {
        (
            "centaurops-prod-postgres",
            "holds data in prod: no azure-native:authorization:ManagementLockByScope at level CanNotDelete depends on it",
        )
    }


def test_a_lock_that_only_forbids_writes_is_not_a_delete_lock() -> None:
    doc = document("prod", "azure")
    one(doc, LOCKS["azure-native"][0], "-redis-lock")["inputs"]["level"] = "ReadOnly"
    assert {name for name, _ in named(violations(doc, LOCKED))} == {"centaurops-prod-redis"}


def test_a_lock_on_another_resource_does_not_count() -> None:
    # The lock depends on what it locks: repointed at the blob account, the files account has none.
    doc = document("prod", "azure")
    lock = one(doc, LOCKS["azure-native"][0], "-files-lock")
    lock["dependencies"] = [one(doc, "azure-native:storage:StorageAccount", "-blob")["urn"]]
    assert {name for name, _ in named(violations(doc, LOCKED))} == {"centaurops-prod-files"}
