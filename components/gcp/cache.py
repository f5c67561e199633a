"""Memorystore for Redis: reached through private services access only, AUTH and TLS
required, encrypted with a customer-managed key; a replica with automatic failover, RDB
snapshots and protection in prod.

terraform-google-memorystore is the bar; it leaves AUTH and TLS off by default, which this
does not."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from ..config.schema import Cache
from ..foundation import CacheConnection
from .encryption import GrantedKey

# With in-transit encryption Memorystore listens on 6378, not 6379
# (https://cloud.google.com/memorystore/docs/redis/about-in-transit-encryption).
TLS_PORT = 6378
# Memorystore offers Redis 7.0 and 7.2 (https://cloud.google.com/memorystore/docs/redis/supported-versions);
# 7.1, an ElastiCache version, takes the next one Memorystore has.
REDIS_VERSIONS = {"7.0": "REDIS_7_0", "7.1": "REDIS_7_2"}
# Redis's default `databases`, which Memorystore keeps: 16 numbered databases
# (https://cloud.google.com/memorystore/docs/redis/supported-redis-configurations: `databases` is not modifiable).
DATABASES = 16
SNAPSHOT_PERIOD = "TWENTY_FOUR_HOURS"


class MemorystoreRedis(pulumi.ComponentResource):
    connection: CacheConnection
    instance: gcp.redis.Instance

    def __init__(
        self,
        name: str,
        *,
        project: str,
        region: str,
        settings: Cache,
        memory_size_gb: int,
        network_id: pulumi.Input[str],
        private_services_range: pulumi.Input[str],
        service_connection: pulumi.Resource,
        key: GrantedKey,
        labels: dict[str, str],
        prod: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:gcp:MemorystoreRedis", name, None, opts)
        replicated = settings.replicas >= 1
        instance = gcp.redis.Instance(
            f"{name}-redis",
            name=f"{name}-redis",
            project=project,
            region=region,
            display_name=f"{name}: flow platform cache",
            redis_version=REDIS_VERSIONS[settings.engine_version],
            # STANDARD_HA keeps a replica in another zone and fails over to it automatically;
            # more than one replica serves reads too (read replicas).
            tier="STANDARD_HA" if replicated else "BASIC",
            memory_size_gb=memory_size_gb,
            replica_count=settings.replicas if settings.replicas > 1 else None,
            read_replicas_mode="READ_REPLICAS_ENABLED" if settings.replicas > 1 else None,
            connect_mode="PRIVATE_SERVICE_ACCESS",
            authorized_network=network_id,
            reserved_ip_range=private_services_range,
            auth_enabled=True,
            transit_encryption_mode="SERVER_AUTHENTICATION",
            customer_managed_key=key.id,
            persistence_config=(
                {"persistence_mode": "RDB", "rdb_snapshot_period": SNAPSHOT_PERIOD}
                if settings.snapshot_retention_days >= 1
                else {"persistence_mode": "DISABLED"}
            ),
            maintenance_policy={"weekly_maintenance_windows": [{"day": "SUNDAY", "start_time": {"hours": 5, "minutes": 30}}]},
            labels=labels,
            deletion_protection=prod,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=prod,
                # As the database: the key grant and the peering first, never the cluster.
                depends_on=[key.grant, service_connection],
            ),
        )
        self.instance = instance
        self.connection = CacheConnection(
            host=instance.host,
            port=TLS_PORT,
            password=pulumi.Output.secret(instance.auth_string),
            # The instance's own CA signs its server certificate.
            ca_certificate=instance.server_ca_certs.apply(lambda certs: certs[0].cert or "" if certs else ""),
            # The server certificate names the instance by its IP address in the subject's CN
            # only, so clients that check the name (redis-py, Go, Envoy) refuse it: Envoy's rate
            # limit service added a flag to skip the check for Memorystore (envoyproxy/ratelimit#409,
            # "GCP Memorystore which sets the CN to an IP address"), and redis-py fails the same
            # check on IP hosts (redis/redis-py#3629). The app verifies the CA only.
            verify_hostname=False,
            databases=DATABASES,
        )
        self.register_outputs({"host": instance.host, "port": instance.port})
