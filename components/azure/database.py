"""PostgreSQL Flexible Server: private access only (a delegated subnet and its private DNS
zone), TLS 1.2+ enforced, automated backups with the configured retention, storage that
grows by itself; zone-redundant HA, geo-redundant backups, a delete lock and Pulumi
protect in prod."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_azure_native.dbforpostgresql as dbforpostgresql
import pulumi_random as random

from ..config.schema import Database
from ..foundation import DatabaseConnection
from .keys import ServiceKey
from .private_dns import PrivateZone
from .resource_group import delete_lock

PORT = 5432
# Server parameters, applied one after another: the server takes one configuration write at
# a time and refuses a concurrent one with ServerIsBusy ("Cannot complete operation while
# server ... is busy processing another operation": Azure/azure-postgresql#134,
# hashicorp/terraform-provider-azurerm#28298; Azure Verified Modules made theirs sequential,
# Azure/ResourceModules#4071).
PARAMETERS = (
    ("require_secure_transport", "on"),
    ("ssl_min_protocol_version", "TLSv1.2"),
    ("log_connections", "on"),
)
# Flexible Server storage comes in these sizes, GiB (Azure Database for PostgreSQL, "Storage
# options"); database.storageGb is rounded up to one of them.
STORAGE_SIZES_GB = (32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
TIMEOUTS = pulumi.CustomTimeouts(create="90m", update="90m", delete="60m")


def storage_size(gb: int) -> int:
    return next((size for size in STORAGE_SIZES_GB if size >= gb), STORAGE_SIZES_GB[-1])


def sku_tier(sku: str) -> str:
    """Standard_B* Burstable, Standard_E* Memory Optimized, the rest General Purpose."""
    return {"B": "Burstable", "E": "MemoryOptimized"}.get(sku.removeprefix("Standard_")[:1], "GeneralPurpose")


def private_zone_name(name: str) -> str:
    """A VNet-injected server needs a private zone ending in .postgres.database.azure.com
    (Azure Database for PostgreSQL, "Networking with private access (VNet integration)")."""
    return f"{name}.private.postgres.database.azure.com"


class FlexiblePostgres(pulumi.ComponentResource):
    connection: DatabaseConnection
    server: dbforpostgresql.Server
    parameters: list[dbforpostgresql.Configuration]

    def __init__(
        self,
        name: str,
        *,
        settings: Database,
        sku: str,
        zones: Sequence[str],
        resource_group_name: pulumi.Input[str],
        location: str,
        subnet_id: pulumi.Input[str],
        zone: PrivateZone,
        key: ServiceKey,
        geo_key: ServiceKey | None,
        prod: bool,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:FlexiblePostgres", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Letters and digits only: no URL escaping needed in the connection string.
        password = random.RandomPassword(f"{name}-postgres-password", length=40, special=False, opts=child)
        secret_password = pulumi.Output.secret(password.result)
        high_availability = (
            dbforpostgresql.HighAvailabilityArgs(mode="ZoneRedundant", standby_availability_zone=zones[1])
            if settings.multi_az
            else dbforpostgresql.HighAvailabilityArgs(mode="Disabled")
        )
        # Backups copied to the paired region when there is a key there for them (prod): they
        # need their own key and identity in that region; customer or service-managed keys are
        # chosen at creation, for good (PostgreSQL, "Data encryption": limitations,
        # geo-redundant business continuity features).
        geo_redundant = geo_key is not None
        keys = [key] + ([geo_key] if geo_key else [])
        identities = pulumi.Output.all(*(k.identity.id for k in keys)).apply(
            lambda ids: {identity: dbforpostgresql.UserIdentityArgs() for identity in ids}
        )
        self.server = dbforpostgresql.Server(
            f"{name}-postgres",
            resource_group_name=resource_group_name,
            location=location,
            version=settings.engine_version,
            sku=dbforpostgresql.SkuArgs(name=sku, tier=sku_tier(sku)),
            administrator_login=settings.username,
            administrator_login_password=secret_password,
            auth_config=dbforpostgresql.AuthConfigArgs(password_auth="Enabled", active_directory_auth="Disabled"),
            storage=dbforpostgresql.StorageArgs(storage_size_gb=storage_size(settings.storage_gb), auto_grow="Enabled"),
            backup=dbforpostgresql.BackupArgs(
                backup_retention_days=settings.backup_retention_days,
                # Set at creation only.
                geo_redundant_backup="Enabled" if geo_redundant else "Disabled",
            ),
            identity=dbforpostgresql.UserAssignedIdentityArgs(
                type=dbforpostgresql.IdentityType.USER_ASSIGNED, user_assigned_identities=identities
            ),
            # The versionless key URI: the server follows each new key version by itself
            # (PostgreSQL, "Data encryption", automatic key version updates).
            data_encryption=dbforpostgresql.DataEncryptionArgs(
                type=dbforpostgresql.DataEncryptionType.AZURE_KEY_VAULT,
                primary_key_uri=key.versionless_uri,
                primary_user_assigned_identity_id=key.identity.id,
                geo_backup_key_uri=geo_key.versionless_uri if geo_key else None,
                geo_backup_user_assigned_identity_id=geo_key.identity.id if geo_key else None,
            ),
            availability_zone=zones[0],
            high_availability=high_availability,
            network=dbforpostgresql.NetworkArgs(
                delegated_subnet_resource_id=subnet_id,
                private_dns_zone_arm_resource_id=zone.zone.id,
                public_network_access="Disabled",
            ),
            maintenance_window=dbforpostgresql.MaintenanceWindowArgs(
                custom_window="Enabled", day_of_week=0, start_hour=4, start_minute=0
            ),
            tags=tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=prod,
                # The server registers its address in the zone, which must answer in the VNet;
                # Azure checks the keys with the identities' roles at creation.
                depends_on=[zone.link, *(k.grant for k in keys)],
                custom_timeouts=TIMEOUTS,
            ),
        )
        self.parameters = []
        previous: pulumi.Resource = self.server
        for parameter, value in PARAMETERS:
            previous = dbforpostgresql.Configuration(
                f"{name}-postgres-{parameter.replace('_', '-')}",
                configuration_name=parameter,
                server_name=self.server.name,
                resource_group_name=resource_group_name,
                value=value,
                source="user-override",
                opts=pulumi.ResourceOptions(parent=self, depends_on=[previous], custom_timeouts=TIMEOUTS),
            )
            self.parameters.append(previous)
        database = dbforpostgresql.Database(
            f"{name}-postgres-db",
            database_name=settings.name,
            server_name=self.server.name,
            resource_group_name=resource_group_name,
            charset="UTF8",
            collation="en_US.utf8",
            # A write to the server too: after the parameters, never beside them.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[previous], protect=prod),
        )
        if prod:
            delete_lock(f"{name}-postgres", scope=self.server.id, what="the PostgreSQL server", parent=self)
        host = self.server.fully_qualified_domain_name.apply(lambda fqdn: fqdn or "")
        url = pulumi.Output.format(
            "postgresql://{0}:{1}@{2}:{3}/{4}?sslmode=require", settings.username, secret_password, host, PORT, database.name
        )
        self.connection = DatabaseConnection(
            host=host,
            port=PORT,
            name=settings.name,
            username=settings.username,
            password=secret_password,
            url=pulumi.Output.secret(url),
        )
        self.register_outputs({"host": host})
