"""components/azure/database.py: private, TLS-only, parameters one at a time, HA and
protection in prod, never waiting for the cluster."""

import itertools

from components.azure.database import PARAMETERS, sku_tier, storage_size
from tests.azure.helpers import waits_for
from tests.azure.stacks import Built

SERVER = "azure-native:dbforpostgresql:Server"
CONFIGURATION = "azure-native:dbforpostgresql:Configuration"


def test_postgres_16_private_through_the_delegated_subnet_and_its_zone(built: Built):
    plan = built.plan
    server = plan.one(SERVER)
    inputs = server["inputs"]
    assert int(inputs["version"]) >= 16
    stack = plan.document["stack"]
    assert inputs["network"]["publicNetworkAccess"] == "Disabled"
    assert inputs["network"]["delegatedSubnetResourceId"].endswith("/subnets/postgres")
    assert inputs["network"]["privateDnsZoneArmResourceId"].endswith(
        f"/privateDnsZones/centaurops-{stack}.private.postgres.database.azure.com"
    )
    link = next(r for r in plan.of_type("azure-native:privatedns:VirtualNetworkLink") if r["name"].endswith("-postgres-link"))
    assert link["urn"] in server["dependencies"]
    assert inputs["storage"]["autoGrow"] == "Enabled"
    assert inputs["administratorLoginPassword"] == "[secret]"


def test_tls_parameters_are_applied_one_after_another(built: Built):
    plan = built.plan
    server = plan.one(SERVER)
    configurations = plan.of_type(CONFIGURATION)
    values = {c["inputs"]["configurationName"]: c["inputs"]["value"] for c in configurations}
    assert values["require_secure_transport"] == "on"
    assert values["ssl_min_protocol_version"] in ("TLSv1.2", "TLSv1.3")
    # a chain: each waits for all before it, the first for the server
    order = sorted(configurations, key=lambda c: len(waits_for(plan, c)))
    assert [c["inputs"]["configurationName"] for c in order] == [p for p, _ in PARAMETERS]
    assert server["urn"] in order[0]["dependencies"]
    for before, after in itertools.pairwise(order):
        assert before["urn"] in after["dependencies"]
    database = plan.one("azure-native:dbforpostgresql:Database")
    assert order[-1]["urn"] in database["dependencies"]


def test_dev_is_cheap_and_disposable(dev: Built):
    inputs = dev.plan.one(SERVER)["inputs"]
    assert inputs["highAvailability"]["mode"] == "Disabled"
    assert inputs["backup"] == {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"}
    assert inputs["sku"] == {"name": "Standard_B2s", "tier": "Burstable"}
    assert inputs["storage"]["storageSizeGB"] == 32


def test_prod_is_zone_redundant_geo_backed_up_and_cannot_be_lost(prod: Built):
    server = prod.plan.one(SERVER)
    inputs = server["inputs"]
    assert inputs["highAvailability"] == {"mode": "ZoneRedundant", "standbyAvailabilityZone": "2"}
    assert inputs["availabilityZone"] == "1"
    assert inputs["backup"] == {"backupRetentionDays": 14, "geoRedundantBackup": "Enabled"}
    assert inputs["sku"] == {"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"}
    assert inputs["storage"]["storageSizeGB"] == 128
    assert server["protect"] is True


def test_storage_and_tier_helpers():
    assert [storage_size(gb) for gb in (20, 32, 33, 100, 65536)] == [32, 32, 64, 128, 32767]
    assert [sku_tier(s) for s in ("Standard_B2s", "Standard_D4ds_v5", "Standard_E4ds_v5")] == [
        "Burstable",
        "GeneralPurpose",
        "MemoryOptimized",
    ]


def test_database_url_uses_tls_and_the_generated_password(built: Built):
    outputs = built.outputs
    password, host = outputs["databasePasswordRevealed"], outputs["databaseHostRevealed"]
    assert outputs["databaseUrl"] == "[secret]" and outputs["databasePassword"] == "[secret]"
    assert outputs["databaseUrlRevealed"] == f"postgresql://centaurops:{password}@{host}:5432/centaurops?sslmode=require"
    assert host.endswith(".postgres.database.azure.com") and len(password) == 40


def test_database_does_not_wait_for_the_cluster(built: Built):
    plan = built.plan
    for type_ in (SERVER, CONFIGURATION):
        for resource in plan.of_type(type_):
            types = {plan.by_urn(u)["type"] for u in waits_for(plan, resource)}
            assert not {t for t in types if t.startswith("azure-native:containerservice:")}, resource["urn"]
