"""ElastiCache Redis: private, TLS in transit with an auth token, encrypted at rest;
replicated with automatic failover and snapshots in prod."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from ..config.schema import Cache
from ..foundation import CacheConnection
from .access import ServiceFirewall

PORT = 6379


class ElastiCacheRedis(pulumi.ComponentResource):
    connection: CacheConnection
    firewall: ServiceFirewall

    def __init__(
        self,
        name: str,
        *,
        settings: Cache,
        node_type: str,
        vpc_id: pulumi.Input[str],
        subnet_ids: list[pulumi.Output[str]],
        kms_key_arn: pulumi.Input[str],
        prod: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:aws:ElastiCacheRedis", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.firewall = ServiceFirewall(f"{name}-redis", vpc_id=vpc_id, port=PORT, description=f"{name}: Redis", parent=self)
        subnets = aws.elasticache.SubnetGroup(
            f"{name}-redis-subnets", description=f"{name} data subnets", subnet_ids=subnet_ids, opts=child
        )
        token = random.RandomPassword(f"{name}-redis-auth-token", length=48, special=False, opts=child)
        secret_token = pulumi.Output.secret(token.result)
        group = aws.elasticache.ReplicationGroup(
            f"{name}-redis",
            description=f"{name}: flow platform cache",
            engine="redis",
            engine_version=settings.engine_version,
            node_type=node_type,
            num_cache_clusters=1 + settings.replicas,
            port=PORT,
            parameter_group_name="default.redis7",
            subnet_group_name=subnets.name,
            security_group_ids=[self.firewall.group.id],
            at_rest_encryption_enabled=True,
            kms_key_id=kms_key_arn,
            transit_encryption_enabled=True,
            auth_token=secret_token,
            automatic_failover_enabled=settings.automatic_failover,
            multi_az_enabled=settings.automatic_failover,
            snapshot_retention_limit=settings.snapshot_retention_days,
            snapshot_window="02:00-03:00",
            maintenance_window="sun:05:30-sun:06:30",
            final_snapshot_identifier=f"{name}-redis-final" if prod else None,
            auto_minor_version_upgrade=True,
            opts=pulumi.ResourceOptions(parent=self, protect=prod),
        )
        self.connection = CacheConnection(host=group.primary_endpoint_address, port=PORT, password=secret_token)
        self.register_outputs({"host": group.primary_endpoint_address})
