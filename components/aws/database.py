"""RDS PostgreSQL: private, encrypted, TLS-only, backed up, its logs in encrypted log
groups with a retention; Enhanced Monitoring and protection in prod."""

from __future__ import annotations

import re

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from ..config.schema import Database
from ..foundation import DatabaseConnection
from .access import ServiceFirewall
from .cluster import assume_role_policy

PORT = 5432
LOG_EXPORTS = ["postgresql", "upgrade"]
# Seconds between Enhanced Monitoring samples (allowed: 1, 5, 10, 15, 30, 60).
MONITORING_INTERVAL = 60
ENHANCED_MONITORING_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"


def identifier(name: str) -> str:
    """The instance identifier: set explicitly, so that its log groups can exist before it.
    RDS identifiers are lowercase letters, digits and single hyphens, start with a letter,
    and have at most 63 characters (RDS API Reference, CreateDBInstance). An instance
    created with an auto-generated identifier is renamed in place, not replaced (the
    provider no longer forces a new instance: hashicorp/terraform-provider-aws#32687)."""
    text = re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", f"{name}-postgres".lower()))
    text = text if text[:1].isalpha() else f"db-{text}"
    return text[:63].strip("-")


def log_group_names(name: str) -> list[str]:
    """RDS exports each log type to /aws/rds/instance/<identifier>/<type>, creating the
    group (without a retention or a key) unless it exists."""
    return [f"/aws/rds/instance/{identifier(name)}/{log}" for log in LOG_EXPORTS]


class RdsPostgres(pulumi.ComponentResource):
    connection: DatabaseConnection
    firewall: ServiceFirewall

    def __init__(
        self,
        name: str,
        *,
        settings: Database,
        instance_class: str,
        vpc_id: pulumi.Input[str],
        subnet_ids: list[pulumi.Output[str]],
        kms_key_arn: pulumi.Input[str],
        logs_key_arn: pulumi.Input[str],
        log_retention_days: int,
        region: str,
        account_id: pulumi.Input[str],
        prod: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:RdsPostgres", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.firewall = ServiceFirewall(
            f"{name}-postgres", vpc_id=vpc_id, port=PORT, description=f"{name}: PostgreSQL", parent=self
        )
        subnets = aws.rds.SubnetGroup(f"{name}-postgres-subnets", subnet_ids=subnet_ids, opts=child)
        # One group per major version: a new engineVersion changes the family, which replaces
        # the group. No fixed name, so the replacement gets a new one and is created before
        # the old group is deleted (Pulumi's default replacement order), once the instance
        # has moved to it: RDS refuses to delete a group an instance still uses.
        parameters = aws.rds.ParameterGroup(
            f"{name}-postgres-params",
            family=f"postgres{settings.engine_version}",
            parameters=[
                aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="1"),
                aws.rds.ParameterGroupParameterArgs(name="log_connections", value="1"),
            ],
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=False),
        )
        db_identifier = identifier(name)
        # Before the instance: RDS starts exporting at once and would create them itself.
        log_groups = [
            aws.cloudwatch.LogGroup(
                f"{name}-postgres-{log}",
                name=group,
                retention_in_days=log_retention_days,
                kms_key_id=logs_key_arn,
                opts=child,
            )
            for log, group in zip(LOG_EXPORTS, log_group_names(name), strict=True)
        ]
        monitoring: list[pulumi.Resource] = []
        monitoring_role_arn: pulumi.Output[str] | None = None
        if prod:
            role = aws.iam.Role(
                f"{name}-postgres-monitoring",
                # Only RDS Enhanced Monitoring, for this instance of this account (RDS User Guide,
                # "Setting up and enabling Enhanced Monitoring": the confused deputy).
                assume_role_policy=pulumi.Output.from_input(account_id).apply(
                    lambda account: assume_role_policy(
                        "monitoring.rds.amazonaws.com", source=(account, f"arn:aws:rds:{region}:{account}:db:{db_identifier}")
                    )
                ),
                opts=child,
            )
            monitoring.append(
                aws.iam.RolePolicyAttachment(
                    f"{name}-postgres-monitoring", role=role.name, policy_arn=ENHANCED_MONITORING_POLICY, opts=child
                )
            )
            monitoring_role_arn = role.arn
        # Letters and digits only: no URL escaping needed in the connection string.
        password = random.RandomPassword(f"{name}-postgres-password", length=40, special=False, opts=child)
        secret_password = pulumi.Output.secret(password.result)
        instance = aws.rds.Instance(
            f"{name}-postgres",
            identifier=db_identifier,
            engine="postgres",
            engine_version=settings.engine_version,
            auto_minor_version_upgrade=True,
            # Changing database.engineVersion upgrades in place: RDS refuses a new major
            # version without this flag ("The AllowMajorVersionUpgrade flag must be present
            # when upgrading to a new major version").
            allow_major_version_upgrade=True,
            # Modifications apply during `pulumi up`, not in the next maintenance window:
            # otherwise the upgrade (and the move to the new parameter group) would wait
            # while Pulumi deletes the old group, still in use, and fails. This is the
            # provider's documented pairing for replacing an in-use parameter group
            # (aws_db_parameter_group, "create_before_destroy Lifecycle Configuration").
            apply_immediately=True,
            instance_class=instance_class,
            allocated_storage=settings.storage_gb,
            max_allocated_storage=settings.max_storage_gb,
            storage_type="gp3",
            storage_encrypted=True,
            kms_key_id=kms_key_arn,
            db_name=settings.name,
            username=settings.username,
            password=secret_password,
            port=PORT,
            db_subnet_group_name=subnets.name,
            vpc_security_group_ids=[self.firewall.group.id],
            parameter_group_name=parameters.name,
            publicly_accessible=False,
            multi_az=settings.multi_az,
            backup_retention_period=settings.backup_retention_days,
            backup_window="03:00-04:00",
            maintenance_window="sun:04:30-sun:05:30",
            copy_tags_to_snapshot=True,
            deletion_protection=settings.deletion_protection,
            skip_final_snapshot=not prod,
            final_snapshot_identifier=f"{name}-postgres-final" if prod else None,
            # Keep automated backups after the instance is gone, in prod.
            delete_automated_backups=not prod,
            performance_insights_enabled=True,
            performance_insights_kms_key_id=kms_key_arn,
            performance_insights_retention_period=7,
            enabled_cloudwatch_logs_exports=LOG_EXPORTS,
            # OS metrics every minute in prod, to the RDSOSMetrics log group RDS manages.
            monitoring_interval=MONITORING_INTERVAL if prod else 0,
            monitoring_role_arn=monitoring_role_arn,
            opts=pulumi.ResourceOptions(parent=self, protect=prod, depends_on=[*log_groups, *monitoring]),
        )
        url = pulumi.Output.format(
            "postgresql://{0}:{1}@{2}:{3}/{4}?sslmode=require",
            settings.username,
            secret_password,
            instance.address,
            PORT,
            settings.name,
        )
        self.connection = DatabaseConnection(
            host=instance.address,
            port=PORT,
            name=settings.name,
            username=settings.username,
            password=secret_password,
            url=pulumi.Output.secret(url),
        )
        self.instance_arn = instance.arn
        self.register_outputs({"host": instance.address, "arn": instance.arn})
