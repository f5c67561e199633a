"""components/gcp/cache.py: Memorystore through private services access, AUTH and TLS, CMEK;
a replica, RDB snapshots and protection in prod; the connection carries its CA and port."""

from components.gcp.cache import TLS_PORT
from tests.gcp.plans import FoundationPlan, foundation_plan, gcp_overrides

REDIS = "gcp:redis/instance:Instance"


def test_private_authenticated_encrypted(gplan: FoundationPlan):
    inputs = gplan.one(REDIS)["inputs"]
    assert inputs["connectMode"] == "PRIVATE_SERVICE_ACCESS"
    assert inputs["reservedIpRange"].startswith(f"centaurops-{gplan.document['stack']}-private-services-")
    assert inputs["authEnabled"] is True
    assert inputs["transitEncryptionMode"] == "SERVER_AUTHENTICATION"
    assert inputs["redisVersion"] == "REDIS_7_2"
    assert gplan.outputs["cacheHost"].startswith("10.21.")


def test_dev_is_basic_and_destroyable(gdev: FoundationPlan):
    redis = gdev.one(REDIS)
    assert redis["inputs"]["tier"] == "BASIC"
    assert redis["inputs"]["persistenceConfig"] == {"persistenceMode": "DISABLED"}
    assert redis["inputs"]["deletionProtection"] is False and redis["protect"] is False


def test_prod_fails_over_keeps_snapshots_and_is_protected(gprod: FoundationPlan):
    redis = gprod.one(REDIS)
    assert redis["inputs"]["tier"] == "STANDARD_HA"
    assert redis["inputs"]["persistenceConfig"] == {"persistenceMode": "RDB", "rdbSnapshotPeriod": "TWENTY_FOUR_HOURS"}
    assert redis["inputs"]["memorySizeGb"] == 5
    assert redis["inputs"]["deletionProtection"] is True and redis["protect"] is True


def test_read_replicas_beyond_one():
    plan = foundation_plan("prod", cache={"replicas": 2})
    inputs = plan.one(REDIS)["inputs"]
    assert (inputs["replicaCount"], inputs["readReplicasMode"]) == (2, "READ_REPLICAS_ENABLED")


def test_waits_for_the_connection_and_its_key_grant_never_the_cluster(gplan: FoundationPlan):
    redis = gplan.one(REDIS)
    assert gplan.one("gcp:servicenetworking/connection:Connection")["urn"] in redis["dependencies"]
    waits_for = gplan.depends_on(redis)
    assert "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember" in waits_for
    assert not {t for t in waits_for if t.startswith("gcp:container/")}


def test_the_connection_verifies_the_instance_ca_on_6378(gplan: FoundationPlan):
    assert gplan.result is not None
    cache = gplan.result.cache
    assert cache.port == TLS_PORT == 6378
    assert cache.verify_hostname is False, "the server certificate does not name the instance's address"
    assert cache.databases == 16
    assert gplan.outputs["cacheCa"].startswith("-----BEGIN CERTIFICATE-----")
    token, host = gplan.outputs["cachePassword"], gplan.outputs["cacheHost"]
    assert (
        gplan.outputs["cacheUrl"] == f"rediss://:{token}@{host}:6378/0?ssl_ca_certs=/etc/redis-ca/ca.crt&ssl_check_hostname=false"
    )
    assert gplan.outputs["cachePasswordSecret"] == "[secret]"


def test_memory_from_config():
    plan = foundation_plan("dev", gcp=gcp_overrides("dev", cacheMemorySizeGb=3))
    assert plan.one(REDIS)["inputs"]["memorySizeGb"] == 3
