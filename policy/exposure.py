"""No database or cache is reachable from the internet.

Each cloud's data services say it in their own inputs; a new cloud is one entry in RULES. Memorystore and
ElastiCache have no public endpoint at all (a private address in the VPC only); ElastiCache's reach is
its security group, so on AWS no ingress rule of this program may admit the whole internet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import ResourcePolicy, Rule, by_type
from .values import admits_everyone, at, items


def _rds(props: Mapping[str, Any]) -> list[str]:
    # pulumi-aws 7 rds.Instance publicly_accessible: a public address in a public subnet.
    return ["publiclyAccessible must be false"] if at(props, "publiclyAccessible") is True else []


def _ingress_rule(props: Mapping[str, Any]) -> list[str]:
    # pulumi-aws 7 vpc.SecurityGroupIngressRule cidr_ipv4 / cidr_ipv6.
    return [
        f"{key} {at(props, key)} admits the whole internet" for key in ("cidrIpv4", "cidrIpv6") if admits_everyone(at(props, key))
    ]


def _cloud_sql(props: Mapping[str, Any]) -> list[str]:
    # pulumi-gcp 10 sql.DatabaseInstance settings.ip_configuration: ipv4_enabled gives a public address,
    # authorized_networks say who reaches it.
    found = []
    if at(props, "settings", "ipConfiguration", "ipv4Enabled") is not False:
        found.append("settings.ipConfiguration.ipv4Enabled must be false (no public address)")
    for network in items(at(props, "settings", "ipConfiguration", "authorizedNetworks")):
        if admits_everyone(at(network, "value")):
            found.append(f"settings.ipConfiguration.authorizedNetworks admits {at(network, 'value')}")
    return found


def _memorystore(props: Mapping[str, Any]) -> list[str]:
    # pulumi-gcp 10 redis.Instance connect_mode: DIRECT_PEERING or PRIVATE_SERVICE_ACCESS, both private.
    return [] if at(props, "authorizedNetwork") else ["authorizedNetwork must name the VPC"]


def _disabled(path: tuple[str, ...]) -> Rule:
    # azure-native 3: dbforpostgresql.Server network.public_network_access, redisenterprise.RedisEnterprise
    # public_network_access: "Enabled" unless set to "Disabled".
    def check(props: Mapping[str, Any]) -> list[str]:
        value = at(props, *path)
        return [] if value == "Disabled" else [f"{'.'.join(path)} must be Disabled, got {value!r}"]

    return check


RULES: dict[str, Rule] = {
    "aws:rds/instance:Instance": _rds,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _ingress_rule,
    "gcp:sql/databaseInstance:DatabaseInstance": _cloud_sql,
    "gcp:redis/instance:Instance": _memorystore,
    "azure-native:dbforpostgresql:Server": _disabled(("network", "publicNetworkAccess")),
    "azure-native:redisenterprise:RedisEnterprise": _disabled(("publicNetworkAccess",)),
}


DATA_PRIVATE = ResourcePolicy(
    name="data-private",
    description="No database or cache is reachable from the internet.",
    validate=by_type(RULES),
)
