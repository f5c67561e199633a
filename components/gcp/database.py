"""Cloud SQL for PostgreSQL: a private address only, TLS only, a customer-managed key,
automated backups with point-in-time recovery, query insights, the CIS benchmark's logging
flags; regional (a standby in another zone) and protected in prod.

terraform-google-sql-db's postgresql module is the bar; it leaves point-in-time recovery
off and a public address possible by default, which this does not."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random

from ..config.gcp import Gcp
from ..config.schema import Database
from ..foundation import DatabaseConnection
from .encryption import GrantedKey

PORT = 5432
# The CIS Google Cloud Platform Foundation Benchmark's PostgreSQL flags (section 6.2: v1.x
# added log_checkpoints, log_lock_waits and log_temp_files; v2+ log_error_verbosity,
# log_statement and cloudsql.enable_pgaudit). Cloud SQL's flag names and values:
# https://cloud.google.com/sql/docs/postgres/flags.
DATABASE_FLAGS = {
    "log_checkpoints": "on",
    "log_connections": "on",
    "log_disconnections": "on",
    "log_lock_waits": "on",
    "log_error_verbosity": "default",
    "log_statement": "ddl",
    "log_min_messages": "warning",
    "log_min_error_statement": "error",
    "log_temp_files": "0",
    # -1: statement durations are not logged (they would carry query text and values).
    "log_min_duration_statement": "-1",
    # pgAudit is available to the database owner (CREATE EXTENSION pgaudit; pgaudit.log
    # names the classes to audit): https://cloud.google.com/sql/docs/postgres/pg-audit.
    "cloudsql.enable_pgaudit": "on",
}
# Cloud SQL keeps transaction logs for point-in-time recovery at most 7 days on Enterprise
# and 35 on Enterprise Plus (https://cloud.google.com/sql/docs/postgres/backup-recovery/pitr).
MAX_LOG_RETENTION_DAYS = {"ENTERPRISE": 7, "ENTERPRISE_PLUS": 35}


class CloudSqlPostgres(pulumi.ComponentResource):
    connection: DatabaseConnection
    instance: gcp.sql.DatabaseInstance

    def __init__(
        self,
        name: str,
        *,
        project: str,
        region: str,
        settings: Database,
        gcp_settings: Gcp,
        network_id: pulumi.Input[str],
        private_services_range: pulumi.Input[str],
        service_connection: pulumi.Resource,
        key: GrantedKey,
        labels: dict[str, str],
        prod: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:gcp:CloudSqlPostgres", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        edition = gcp_settings.database_edition
        instance = gcp.sql.DatabaseInstance(
            f"{name}-postgres",
            name=f"{name}-postgres",
            project=project,
            region=region,
            database_version=f"POSTGRES_{settings.engine_version}",
            encryption_key_name=key.id,
            settings={
                "tier": gcp_settings.database_tier,
                "edition": edition,
                "availability_type": "REGIONAL" if settings.multi_az else "ZONAL",
                "disk_type": "PD_SSD",
                "disk_size": settings.storage_gb,
                "disk_autoresize": True,
                "disk_autoresize_limit": settings.max_storage_gb,
                "ip_configuration": {
                    # No public address: reached only through the private services range.
                    "ipv4_enabled": False,
                    "private_network": network_id,
                    "allocated_ip_range": private_services_range,
                    # TLS required, without client certificates (the app authenticates with a password).
                    "ssl_mode": "ENCRYPTED_ONLY",
                },
                "backup_configuration": {
                    "enabled": True,
                    "start_time": "03:00",
                    "point_in_time_recovery_enabled": True,
                    "transaction_log_retention_days": min(settings.backup_retention_days, MAX_LOG_RETENTION_DAYS[edition]),
                    # One automated backup a day: keep as many as the retention's days.
                    "backup_retention_settings": {
                        "retained_backups": settings.backup_retention_days,
                        "retention_unit": "COUNT",
                    },
                },
                "maintenance_window": {"day": 7, "hour": 4, "update_track": "stable"},
                "insights_config": {
                    "query_insights_enabled": True,
                    "query_string_length": 1024,
                    "record_application_tags": True,
                    # Client addresses are pod addresses: no value, and personal data at worst.
                    "record_client_address": False,
                },
                "database_flags": [{"name": key_, "value": value} for key_, value in DATABASE_FLAGS.items()],
                # The instance's own protection (API, console, gcloud): from database.deletionProtection.
                "deletion_protection_enabled": settings.deletion_protection,
                # Backups outlive the instance in prod.
                "retain_backups_on_delete": prod,
                "user_labels": labels,
            },
            # The provider's own refusal to delete (true unless set): off in dev, which must be destroyable.
            deletion_protection=prod,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=prod,
                # The agent's grant on the key and the peering exist first: Cloud SQL checks both
                # at creation. Nothing of the cluster is waited for.
                depends_on=[key.grant, service_connection],
            ),
        )
        # The database holds the data (deleting the resource drops it): protected in prod like the instance.
        database = gcp.sql.Database(
            f"{name}-postgres-db",
            project=project,
            instance=instance.name,
            name=settings.name,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(protect=prod)),
        )
        # Letters and digits only: no URL escaping needed in the connection string.
        password = random.RandomPassword(f"{name}-postgres-password", length=40, special=False, opts=child)
        secret_password = pulumi.Output.secret(password.result)
        user = gcp.sql.User(
            f"{name}-postgres-user",
            project=project,
            instance=instance.name,
            name=settings.username,
            password=secret_password,
            # Dev must be destroyable: Cloud SQL refuses to drop a role that owns objects, the
            # instance's deletion removes it anyway.
            deletion_policy="ABANDON",
            opts=child,
        )
        host = instance.private_ip_address
        url = pulumi.Output.format(
            "postgresql://{0}:{1}@{2}:{3}/{4}?sslmode=require", user.name, secret_password, host, PORT, database.name
        )
        self.instance = instance
        self.connection = DatabaseConnection(
            host=host,
            port=PORT,
            name=settings.name,
            username=settings.username,
            password=secret_password,
            url=pulumi.Output.secret(url),
        )
        self.register_outputs({"host": host, "connectionName": instance.connection_name})
