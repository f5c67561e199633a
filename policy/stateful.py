"""In prod, what holds data cannot be deleted by accident: Pulumi `protect` on it, and the cloud's own guard.

The cloud's guard is an input of the resource itself on AWS and Google Cloud; on Azure it is a separate
resource, a CanNotDelete management lock whose scope is the resource (a stack policy, since it relates two
resources). A new cloud is one entry in STATEFUL (and LOCKS if its guard is a separate resource)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .model import ReportViolation, ResourceArgs, ResourcePolicy, StackArgs, StackPolicy
from .values import PROD_STACKS_SCHEMA, at, is_prod


@dataclass(frozen=True)
class Guard:
    """An input that must hold in prod: `path` inside the inputs, `holds` on its value, `says` what is expected."""

    path: tuple[str, ...]
    holds: Callable[[Any], bool]
    says: str


def _true(value: Any) -> bool:
    return value is True


def _not_true(value: Any) -> bool:
    return value is not True


def _set(value: Any) -> bool:
    return isinstance(value, str) and value != ""


# Inputs as the providers name them: pulumi-aws 7 (rds.Instance deletion_protection, elasticache.ReplicationGroup
# final_snapshot_identifier, s3.Bucket force_destroy, kms.Key deletion_window_in_days: 7 to 30), pulumi-gcp 10
# (sql.DatabaseInstance deletion_protection is the provider's guard, settings.deletion_protection_enabled the
# API's; redis.Instance deletion_protection; storage.Bucket force_destroy). ElastiCache has no deletion
# protection: its guard is the final snapshot. Cloud KMS keys cannot be deleted at all, so `protect` is theirs.
STATEFUL: dict[str, tuple[Guard, ...]] = {
    "aws:rds/instance:Instance": (Guard(("deletionProtection",), _true, "deletionProtection: true"),),
    "aws:elasticache/replicationGroup:ReplicationGroup": (
        Guard(("finalSnapshotIdentifier",), _set, "a finalSnapshotIdentifier"),
    ),
    "aws:s3/bucket:Bucket": (Guard(("forceDestroy",), _not_true, "forceDestroy not true"),),
    "aws:kms/key:Key": (Guard(("deletionWindowInDays",), lambda days: days == 30, "deletionWindowInDays: 30"),),
    "gcp:sql/databaseInstance:DatabaseInstance": (
        Guard(("deletionProtection",), _true, "deletionProtection: true"),
        Guard(("settings", "deletionProtectionEnabled"), _true, "settings.deletionProtectionEnabled: true"),
    ),
    "gcp:redis/instance:Instance": (Guard(("deletionProtection",), _true, "deletionProtection: true"),),
    "gcp:storage/bucket:Bucket": (Guard(("forceDestroy",), _not_true, "forceDestroy not true"),),
    "gcp:kms/keyRing:KeyRing": (),
    "gcp:kms/cryptoKey:CryptoKey": (),
    "azure-native:dbforpostgresql:Server": (),
    "azure-native:redisenterprise:RedisEnterprise": (),
    "azure-native:storage:StorageAccount": (),
    "azure-native:operationalinsights:Workspace": (),
}

# Clouds whose deletion guard is a lock resource: its type, and the level that forbids deletion.
# azure-native 3: authorization.ManagementLockByScope (scope: the locked resource's id; level: CanNotDelete).
LOCKS: dict[str, tuple[str, str]] = {"azure-native": ("azure-native:authorization:ManagementLockByScope", "CanNotDelete")}


def validate_protected(args: ResourceArgs, report: ReportViolation) -> None:
    guards = STATEFUL.get(args.resource_type)
    if guards is None or not is_prod(args.urn, args.get_config()):
        return
    if not args.opts.protect:
        report("holds data in prod: needs protect=True", args.urn)
    for guard in guards:
        value = at(args.props, *guard.path)
        if not guard.holds(value):
            report(f"holds data in prod: needs {guard.says}, got {value!r}", args.urn)


def validate_locked(args: StackArgs, report: ReportViolation) -> None:
    config = args.get_config()
    # What a lock targets is what it depends on: its scope is that resource's id.
    locked = {
        target.urn
        for resource in args.resources
        for lock_type, level in LOCKS.values()
        if resource.resource_type == lock_type and at(resource.props, "level") == level
        for target in resource.dependencies
    }
    for resource in args.resources:
        package = resource.resource_type.split(":", 1)[0]
        if package not in LOCKS or resource.resource_type not in STATEFUL or not is_prod(resource.urn, config):
            continue
        if resource.urn not in locked:
            lock_type, level = LOCKS[package]
            report(f"holds data in prod: no {lock_type} at level {level} depends on it", resource.urn)


PROTECTED = ResourcePolicy(
    name="stateful-protected",
    description="In prod, every database, cache, bucket, storage account and key is protected and has its cloud's own guard.",
    validate=validate_protected,
    config_schema=PROD_STACKS_SCHEMA,
)

LOCKED = StackPolicy(
    name="stateful-delete-locked",
    description="In prod, on clouds whose deletion guard is a lock, every data resource has a lock forbidding deletion.",
    validate=validate_locked,
    config_schema=PROD_STACKS_SCHEMA,
)
