"""components/azure/cache.py: Azure Managed Redis, TLS only, one endpoint, private."""

from tests.azure.helpers import waits_for
from tests.azure.stacks import Built

CLUSTER = "azure-native:redisenterprise:RedisEnterprise"
DATABASE = "azure-native:redisenterprise:Database"


def test_managed_redis_private_and_tls_only(built: Built):
    cluster = built.plan.one(CLUSTER)["inputs"]
    assert cluster["publicNetworkAccess"] == "Disabled" and cluster["minimumTlsVersion"] == "1.2"
    assert cluster["sku"]["name"].startswith(("Balanced_", "MemoryOptimized_"))
    database = built.plan.one(DATABASE)["inputs"]
    assert database["clientProtocol"] == "Encrypted" and database["port"] == 10000
    assert database["clusteringPolicy"] == "EnterpriseCluster"
    assert database["accessKeysAuthentication"] == "Enabled"


def test_dev_is_a_single_copy_prod_replicated_and_persisted(dev: Built, prod: Built):
    assert dev.plan.one(CLUSTER)["inputs"]["highAvailability"] == "Disabled"
    assert "persistence" not in dev.plan.one(DATABASE)["inputs"]
    assert prod.plan.one(CLUSTER)["inputs"]["highAvailability"] == "Enabled"
    assert prod.plan.one(DATABASE)["inputs"]["persistence"] == {"aofEnabled": True, "aofFrequency": "1s"}
    assert prod.plan.one(CLUSTER)["inputs"]["sku"]["name"] == "Balanced_B3"


def test_connection_is_one_tls_endpoint_with_the_primary_key(built: Built):
    cache = built.result.cache
    assert (cache.port, cache.databases, cache.ca_certificate, cache.verify_hostname) == (10000, 1, None, True)
    outputs = built.outputs
    host = outputs["cacheHostRevealed"]
    assert host.endswith(".westeurope.redis.azure.net")
    assert outputs["cachePassword"] == "[secret]" and outputs["cacheUrl"] == "[secret]"
    assert outputs["cacheUrlRevealed"].startswith("rediss://:") and outputs["cacheUrlRevealed"].endswith(f"@{host}:10000/0")


def test_cache_does_not_wait_for_the_cluster(built: Built):
    plan = built.plan
    for type_ in (CLUSTER, DATABASE, "azure-native:network:PrivateEndpoint"):
        for resource in plan.of_type(type_):
            types = {plan.by_urn(u)["type"] for u in waits_for(plan, resource)}
            assert not {t for t in types if t.startswith("azure-native:containerservice:")}, resource["urn"]
