"""Azure Managed Redis (redisEnterprise): TLS only, one endpoint, reached only through a
private endpoint; replicated and persisted in prod, locked and protected there.

Why not Azure Cache for Redis: it is being retired (new Enterprise caches are already
refused); Azure Managed Redis is its successor. Langflow reaches Redis with redis-py's
non-cluster client and a password, so the database uses the Enterprise clustering policy
(one endpoint that proxies to the shards, for clients that do not speak the Cluster API:
Azure Managed Redis, "Cluster policies") and access keys (Langflow cannot use Entra ID
tokens for Redis). A clustered database offers database 0 only, hence `databases=1`."""

from __future__ import annotations

import pulumi
import pulumi_azure_native.redisenterprise as redisenterprise

from ..config.schema import Cache
from ..foundation import CacheConnection
from .keys import ServiceKey
from .private_dns import PrivateAccess

# Azure Managed Redis serves every database on 10000 (TLS), the Enterprise policy's single endpoint.
PORT = 10000
# The name the portal and the CLI give an Azure Managed Redis database (`az redisenterprise create` creates "default").
DATABASE = "default"
# The private endpoint sub-resource of a redisEnterprise cluster.
GROUP_ID = "redisEnterprise"
TIMEOUTS = pulumi.CustomTimeouts(create="60m", update="60m", delete="60m")


class ManagedRedis(pulumi.ComponentResource):
    connection: CacheConnection
    cluster: redisenterprise.RedisEnterprise
    endpoint_ready: pulumi.Resource

    def __init__(
        self,
        name: str,
        *,
        settings: Cache,
        sku: str,
        resource_group_name: pulumi.Input[str],
        location: str,
        access: PrivateAccess,
        key: ServiceKey,
        provider: pulumi.ProviderResource,
        prod: bool,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:ManagedRedis", name, None, opts)
        self.cluster = redisenterprise.RedisEnterprise(
            f"{name}-redis",
            resource_group_name=resource_group_name,
            location=location,
            sku=redisenterprise.SkuArgs(name=sku),
            minimum_tls_version="1.2",
            public_network_access="Disabled",
            # Replicated across zones where the region has them; dev keeps one copy.
            high_availability="Enabled" if settings.automatic_failover else "Disabled",
            # The OS and persistence disks' keys wrapped with the customer key, read as a
            # user-assigned identity (the only kind Azure Managed Redis takes for it: "Configure
            # disk encryption", prerequisites). A versioned key URL, as the portal picks it.
            identity=redisenterprise.ManagedServiceIdentityArgs(
                type=redisenterprise.ManagedServiceIdentityType.USER_ASSIGNED, user_assigned_identities=[key.identity.id]
            ),
            encryption=redisenterprise.ClusterPropertiesEncryptionArgs(
                customer_managed_key_encryption=redisenterprise.ClusterPropertiesCustomerManagedKeyEncryptionArgs(
                    key_encryption_key_url=key.versioned_uri,
                    key_encryption_key_identity=redisenterprise.ClusterPropertiesKeyEncryptionKeyIdentityArgs(
                        identity_type=redisenterprise.CmkIdentityType.USER_ASSIGNED_IDENTITY,
                        user_assigned_identity_resource_id=key.identity.id,
                    ),
                )
            ),
            tags=tags,
            # Azure checks the key with the identity's role at creation.
            opts=pulumi.ResourceOptions(parent=self, protect=prod, custom_timeouts=TIMEOUTS, depends_on=[key.grant]),
        )
        database = redisenterprise.Database(
            f"{name}-redis-db",
            cluster_name=self.cluster.name,
            resource_group_name=resource_group_name,
            database_name=DATABASE,
            port=PORT,
            client_protocol="Encrypted",
            clustering_policy="EnterpriseCluster",
            access_keys_authentication="Enabled",
            # Only keys with a TTL (cache entries) are evicted under memory pressure; the job
            # queue and rate limits are kept.
            eviction_policy="VolatileLRU",
            persistence=redisenterprise.PersistenceArgs(aof_enabled=True, aof_frequency="1s")
            if settings.snapshot_retention_days > 0
            else None,
            opts=pulumi.ResourceOptions(parent=self, protect=prod, custom_timeouts=TIMEOUTS),
        )
        self.endpoint_ready = access.endpoint(
            f"{name}-redis", resource_id=self.cluster.id, group_id=GROUP_ID, holds="the Redis cache", parent=self
        )
        keys = redisenterprise.list_database_keys_output(
            cluster_name=self.cluster.name,
            database_name=database.name,
            resource_group_name=resource_group_name,
            opts=pulumi.InvokeOutputOptions(provider=provider, parent=self),
        )
        host = self.cluster.host_name
        self.connection = CacheConnection(
            host=host,
            port=PORT,
            password=pulumi.Output.secret(keys.primary_key),
            # A public CA signs the server's certificate, which names the host.
            ca_certificate=None,
            verify_hostname=True,
            databases=1,
        )
        self.register_outputs({"host": host})
