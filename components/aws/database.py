"""RDS PostgreSQL: private, encrypted, TLS-only, backed up; protected in prod."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from ..config.schema import Database
from ..foundation import DatabaseConnection
from .access import ServiceFirewall

PORT = 5432


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
        prod: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:RdsPostgres", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.firewall = ServiceFirewall(
            f"{name}-postgres", vpc_id=vpc_id, port=PORT, description=f"{name}: PostgreSQL", parent=self
        )
        subnets = aws.rds.SubnetGroup(f"{name}-postgres-subnets", subnet_ids=subnet_ids, opts=child)
        parameters = aws.rds.ParameterGroup(
            f"{name}-postgres-params",
            family=f"postgres{settings.engine_version}",
            parameters=[
                aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="1"),
                aws.rds.ParameterGroupParameterArgs(name="log_connections", value="1"),
            ],
            opts=child,
        )
        # Letters and digits only: no URL escaping needed in the connection string.
        password = random.RandomPassword(f"{name}-postgres-password", length=40, special=False, opts=child)
        secret_password = pulumi.Output.secret(password.result)
        instance = aws.rds.Instance(
            f"{name}-postgres",
            engine="postgres",
            engine_version=settings.engine_version,
            auto_minor_version_upgrade=True,
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
            enabled_cloudwatch_logs_exports=["postgresql", "upgrade"],
            opts=pulumi.ResourceOptions(parent=self, protect=prod),
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
