from typing import Any

import pytest

from tests.policy.plans import CLOUDS, document, named, one, violations

POLICY = "data-private"


def rds_public(doc: dict[str, Any]) -> None:
    one(doc, "aws:rds/instance:Instance")["inputs"]["publiclyAccessible"] = True


def cache_rule_open(doc: dict[str, Any]) -> None:
    rule = one(doc, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "-redis-from-nodes")["inputs"]
    del rule["referencedSecurityGroupId"]
    rule["cidrIpv4"] = "0.0.0.0/0"


def cloud_sql_public(doc: dict[str, Any]) -> None:
    ip = one(doc, "gcp:sql/databaseInstance:DatabaseInstance")["inputs"]["settings"]["ipConfiguration"]
    ip["ipv4Enabled"] = True


def cloud_sql_authorizes_everyone(doc: dict[str, Any]) -> None:
    ip = one(doc, "gcp:sql/databaseInstance:DatabaseInstance")["inputs"]["settings"]["ipConfiguration"]
    ip["authorizedNetworks"] = [{"name": "all", "value": "0.0.0.0/0"}]


def memorystore_unbound(doc: dict[str, Any]) -> None:
    del one(doc, "gcp:redis/instance:Instance")["inputs"]["authorizedNetwork"]


def postgres_public(doc: dict[str, Any]) -> None:
    one(doc, "azure-native:dbforpostgresql:Server")["inputs"]["network"]["publicNetworkAccess"] = "Enabled"


def redis_public(doc: dict[str, Any]) -> None:
    del one(doc, "azure-native:redisenterprise:RedisEnterprise")["inputs"]["publicNetworkAccess"]


BROKEN = [
    ("aws", rds_public, "centaurops-prod-postgres", "publiclyAccessible must be false"),
    ("aws", cache_rule_open, "centaurops-prod-redis-from-nodes", "cidrIpv4 0.0.0.0/0 admits the whole internet"),
    (
        "gcp",
        cloud_sql_public,
        "centaurops-prod-postgres",
        "settings.ipConfiguration.ipv4Enabled must be false (no public address)",
    ),
    (
        "gcp",
        cloud_sql_authorizes_everyone,
        "centaurops-prod-postgres",
        "settings.ipConfiguration.authorizedNetworks admits 0.0.0.0/0",
    ),
    ("gcp", memorystore_unbound, "centaurops-prod-redis", "authorizedNetwork must name the VPC"),
    ("azure", postgres_public, "centaurops-prod-postgres", "network.publicNetworkAccess must be Disabled, got 'Enabled'"),
    ("azure", redis_public, "centaurops-prod-redis", "publicNetworkAccess must be Disabled, got None"),
]


@pytest.mark.parametrize(("cloud", "mutate", "resource", "message"), BROKEN, ids=[f"{c}-{m.__name__}" for c, m, _, _ in BROKEN])
@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_a_data_service_reachable_from_the_internet_is_reported(
    stack: str, cloud: str, mutate: Any, resource: str, message: str
) -> None:
    doc = document(stack, cloud)
    assert violations(doc, POLICY) == []
    mutate(doc)
    assert named(violations(doc, POLICY)) == {(resource.replace("prod", stack), message)}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_shipped_data_services_are_private(cloud: str) -> None:
    for stack in ("dev", "prod"):
        assert violations(document(stack, cloud), POLICY) == []
