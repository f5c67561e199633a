"""components/gcp/database.py: private only, TLS only, CMEK, PITR, CIS flags, regional and
protected in prod, waiting for its key grant and the private services connection only."""

from components.gcp.database import DATABASE_FLAGS
from tests.gcp.plans import FoundationPlan, foundation_plan

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"


def test_postgres_16_or_newer_on_a_private_address_only(gplan: FoundationPlan):
    inputs = gplan.one(INSTANCE)["inputs"]
    assert inputs["databaseVersion"] == "POSTGRES_16"
    ip = inputs["settings"]["ipConfiguration"]
    assert ip["ipv4Enabled"] is False
    assert ip["privateNetwork"].endswith(f"/global/networks/{ip['privateNetwork'].split('/')[-1]}")
    assert ip["allocatedIpRange"].startswith(f"centaurops-{gplan.document['stack']}-private-services-")
    assert ip["sslMode"] == "ENCRYPTED_ONLY"
    assert gplan.outputs["databaseHost"].startswith("10.21."), "an address of the private services range"


def test_backups_with_point_in_time_recovery(gdev: FoundationPlan, gprod: FoundationPlan):
    for plan, days in ((gdev, 7), (gprod, 14)):
        backups = plan.one(INSTANCE)["inputs"]["settings"]["backupConfiguration"]
        assert backups["enabled"] is True and backups["pointInTimeRecoveryEnabled"] is True
        assert backups["backupRetentionSettings"] == {"retainedBackups": days, "retentionUnit": "COUNT"}
        assert backups["transactionLogRetentionDays"] == 7, "Enterprise keeps at most 7 days of logs"


def test_cis_logging_flags_and_query_insights(gplan: FoundationPlan):
    settings = gplan.one(INSTANCE)["inputs"]["settings"]
    flags = {f["name"]: f["value"] for f in settings["databaseFlags"]}
    assert flags == DATABASE_FLAGS
    for name, value in {
        "log_connections": "on",
        "log_disconnections": "on",
        "log_min_duration_statement": "-1",
        "log_temp_files": "0",
        "cloudsql.enable_pgaudit": "on",
    }.items():
        assert flags[name] == value
    assert settings["insightsConfig"]["queryInsightsEnabled"] is True


def test_dev_is_zonal_and_destroyable(gdev: FoundationPlan):
    db = gdev.one(INSTANCE)
    assert db["inputs"]["settings"]["availabilityType"] == "ZONAL"
    assert db["inputs"]["deletionProtection"] is False
    assert db["inputs"]["settings"]["deletionProtectionEnabled"] is False
    assert db["inputs"]["settings"]["retainBackupsOnDelete"] is False
    assert db["protect"] is False


def test_prod_is_regional_and_cannot_be_lost(gprod: FoundationPlan):
    db = gprod.one(INSTANCE)
    settings = db["inputs"]["settings"]
    assert settings["availabilityType"] == "REGIONAL"
    assert db["inputs"]["deletionProtection"] is True
    assert settings["deletionProtectionEnabled"] is True
    assert settings["retainBackupsOnDelete"] is True
    assert db["protect"] is True
    assert settings["tier"] == "db-custom-2-8192" and settings["edition"] == "ENTERPRISE"


def test_waits_for_the_connection_and_its_key_grant_never_the_cluster(gplan: FoundationPlan):
    db = gplan.one(INSTANCE)
    connection = gplan.one("gcp:servicenetworking/connection:Connection")
    assert connection["urn"] in db["dependencies"]
    waits_for = gplan.depends_on(db)
    assert "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember" in waits_for
    assert not {t for t in waits_for if t.startswith("gcp:container/")}


def test_password_is_generated_and_secret_and_the_url_requires_tls(gplan: FoundationPlan):
    user = gplan.one("gcp:sql/user:User")
    assert user["inputs"]["password"] == "[secret]"
    assert gplan.one("random:index/randomPassword:RandomPassword", "-postgres-password")["inputs"]["length"] >= 32
    password, host = gplan.outputs["databasePassword"], gplan.outputs["databaseHost"]
    assert gplan.outputs["databaseUrl"] == f"postgresql://centaurops:{password}@{host}:5432/centaurops?sslmode=require"
    assert gplan.outputs["databaseUrlSecret"] == "[secret]"


def test_enterprise_plus_keeps_the_full_log_retention():
    gcp = {
        "project": "example-flows-prod",
        "region": "europe-west1",
        "databaseEdition": "ENTERPRISE_PLUS",
        "databaseTier": "db-perf-optimized-N-2",
    }
    plan = foundation_plan("prod", gcp=gcp, database={"backupRetentionDays": 21})
    backups = plan.one(INSTANCE)["inputs"]["settings"]["backupConfiguration"]
    assert backups["transactionLogRetentionDays"] == 21
