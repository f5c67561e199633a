"""One value at a time: each bad value gives exactly one line naming its key and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import settings_from_config
from tests.config.problems import problems

TOP_LEVEL_KEYS = "aws, cache, cloud, cluster, database, environment, network, nodePools, objectStore, workload"


@pytest.mark.parametrize(
    ("values", "line"),
    [
        (
            {"database": {"backupRetentionDays": 0}},
            "centaurops:database.backupRetentionDays: must be between 1 and 35, got 0",
        ),
        (
            {"database": {"backupRetentionDays": 36}},
            "centaurops:database.backupRetentionDays: must be between 1 and 35, got 36",
        ),
        ({"database": {"storageGb": 19}}, "centaurops:database.storageGb: must be between 20 and 65536, got 19"),
        ({"network": {"zoneCount": 4}}, "centaurops:network.zoneCount: must be between 2 and 3, got 4"),
        ({"network": {"zoneCount": 1}}, "centaurops:network.zoneCount: must be between 2 and 3, got 1"),
        (
            {"nodePools": {"workload": {"maxSize": 0}}},
            "centaurops:nodePools.workload.maxSize: must be between 1 and 100, got 0",
        ),
        (
            {"nodePools": {"system": {"minSize": 101}}},
            "centaurops:nodePools.system.minSize: must be between 0 and 100, got 101",
        ),
        (
            {"nodePools": {"system": {"diskSizeGb": 10}}},
            "centaurops:nodePools.system.diskSizeGb: must be between 20 and 1000, got 10",
        ),
        ({"cache": {"replicas": 6}}, "centaurops:cache.replicas: must be between 0 and 5, got 6"),
        (
            {"objectStore": {"noncurrentVersionRetentionDays": 0}},
            "centaurops:objectStore.noncurrentVersionRetentionDays: must be between 1 and 3650, got 0",
        ),
    ],
)
def test_a_number_out_of_range_names_the_key_and_the_range(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"environment": "staging"}, "centaurops:environment: must be one of 'dev' or 'prod', got 'staging'"),
        ({"cloud": "oracle"}, "centaurops:cloud: must be one of 'aws', 'gcp' or 'azure', got 'oracle'"),
        (
            {"cluster": {"kubernetesVersion": "1.29"}},
            "centaurops:cluster.kubernetesVersion: must be one of '1.33', '1.34', '1.35' or '1.36', got '1.29'",
        ),
        (
            {"nodePools": {"workload": {"capacityType": "reserved"}}},
            "centaurops:nodePools.workload.capacityType: must be one of 'onDemand' or 'spot', got 'reserved'",
        ),
        (
            {"network": {"natGateways": "perAz"}},
            "centaurops:network.natGateways: must be one of 'single' or 'perZone', got 'perAz'",
        ),
        ({"database": {"engineVersion": "15"}}, "centaurops:database.engineVersion: must be one of '16' or '17', got '15'"),
        (
            {"cluster": {"logRetentionDays": 2}},
            "centaurops:cluster.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,"
            " 545, 731, 1827 or 3653, got 2",
        ),
    ],
)
def test_a_value_outside_a_fixed_set_lists_the_allowed_values(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


@pytest.mark.parametrize(
    "cidr",
    [
        "10.0.0.1/16",  # host bits set
        "garbage",
        "10.0.0.0/33",
        "10.0.0.256/16",
        "fd00::/16",  # IPv6
    ],
)
def test_a_bad_network_cidr_says_what_a_cidr_looks_like(cidr: str) -> None:
    assert problems({"network": {"cidr": cidr}}) == [
        f"centaurops:network.cidr: must be an IPv4 CIDR such as 10.0.0.0/16, got {cidr!r}",
    ]


def test_a_bare_address_is_a_slash_32_and_too_small_a_network() -> None:
    assert problems({"network": {"cidr": "10.0.0.0"}}) == [
        "centaurops:network.cidr: must be a /16 to /20 network, got 10.0.0.0/32",
    ]


def test_a_bad_cidr_in_a_list_names_its_index() -> None:
    values = {"cluster": {"endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24", "203.0.113.7/24"]}}
    assert problems(values) == [
        "centaurops:cluster.publicAccessCidrs[1]: must be an IPv4 CIDR such as 10.0.0.0/16, got '203.0.113.7/24'"
    ]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"aws": {"region": "Europe"}}, "centaurops:aws.region: must look like eu-west-1, got 'Europe'"),
        ({"aws": {"region": "us-east-1a"}}, "centaurops:aws.region: must look like eu-west-1, got 'us-east-1a'"),
        (
            {"aws": {"availabilityZones": ["us-east-1a", "us-east-1"]}},
            "centaurops:aws.availabilityZones[1]: must look like eu-west-1a, got 'us-east-1'",
        ),
        (
            {"cluster": {"adminPrincipalArns": ["arn:aws:iam::1234:role/admin"]}},
            "centaurops:cluster.adminPrincipalArns[0]: must look like arn:aws:iam::123456789012:role/platform-admin,"
            " got 'arn:aws:iam::1234:role/admin'",
        ),
        (
            {"aws": {"nodePools": {"workload": {"instanceTypes": ["m7i.large", "large"]}}}},
            "centaurops:aws.nodePools.workload.instanceTypes[1]: must look like m7i.large, got 'large'",
        ),
        (
            {"aws": {"addonVersions": {"coredns": "v1.13.1"}}},
            "centaurops:aws.addonVersions.coredns: must look like v1.21.1-eksbuild.1, got 'v1.13.1'",
        ),
        (
            {"aws": {"databaseInstanceClass": "t4g.medium"}},
            "centaurops:aws.databaseInstanceClass: must look like db.t4g.medium, got 't4g.medium'",
        ),
        (
            {"aws": {"cacheNodeType": "db.t4g.small"}},
            "centaurops:aws.cacheNodeType: must look like cache.t4g.small, got 'db.t4g.small'",
        ),
        (
            {"database": {"name": "Flow-DB"}},
            "centaurops:database.name: must look like centaurops (lowercase, digits, _), got 'Flow-DB'",
        ),
        (
            {"workload": {"namespace": "Flow_Platform"}},
            "centaurops:workload.namespace: must look like flow-platform, got 'Flow_Platform'",
        ),
    ],
)
def test_a_value_of_the_wrong_shape_shows_an_example(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"network": {"zoneCount": "abc"}}, "centaurops:network.zoneCount: must be a whole number, got 'abc'"),
        (
            {"database": {"backupRetentionDays": 7.5}},
            "centaurops:database.backupRetentionDays: must be a whole number, got 7.5",
        ),
        (
            {"cluster": {"endpointPublicAccess": "maybe"}},
            "centaurops:cluster.endpointPublicAccess: must be true or false, got 'maybe'",
        ),
        ({"network": {"cidr": 10}}, "centaurops:network.cidr: must be a string, got 10"),
        # Strict types: YAML's true is not 1 and "yes" is not true.
        (
            {"database": {"backupRetentionDays": True}},
            "centaurops:database.backupRetentionDays: must be a whole number, got True",
        ),
        ({"database": {"multiAz": "yes"}}, "centaurops:database.multiAz: must be true or false, got 'yes'"),
        (
            {"cluster": {"kubernetesVersion": 1.35}},
            "centaurops:cluster.kubernetesVersion: must be one of '1.33', '1.34', '1.35' or '1.36', got 1.35"
            " (a number: write the value in quotes)",
        ),
        (
            {"cluster": {"publicAccessCidrs": "203.0.113.0/24"}},
            "centaurops:cluster.publicAccessCidrs: must be a list, got '203.0.113.0/24'",
        ),
        ({"network": ["10.0.0.0/16"]}, "centaurops:network: must be a mapping of keys, got ['10.0.0.0/16']"),
        ({"network": "10.0.0.0/16"}, "centaurops:network: must be a mapping of keys, got '10.0.0.0/16'"),
        (
            {"nodePools": {"workload": [{"maxSize": 4}]}},
            "centaurops:nodePools.workload: must be a mapping of keys, got [{'maxSize': 4}]",
        ),
        (
            {"aws": {"nodePools": {"system": {"instanceTypes": []}}}},
            "centaurops:aws.nodePools.system.instanceTypes: must have at least 1 item(s), got []",
        ),
    ],
)
def test_a_value_of_the_wrong_type_names_the_type_wanted(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


def test_an_unknown_top_level_key_lists_the_allowed_keys() -> None:
    assert problems({"databse": {"storageGb": 50}}) == [
        f"centaurops:databse: unknown key; allowed keys: {TOP_LEVEL_KEYS}",
    ]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        (
            {"database": {"backupRetention": 7}},
            "centaurops:database.backupRetention: unknown key; allowed keys: backupRetentionDays, deletionProtection,"
            " engineVersion, maxStorageGb, multiAz, name, storageGb, username",
        ),
        (
            # snake_case is not accepted: keys are the camelCase names.
            {"network": {"zone_count": 3}},
            "centaurops:network.zone_count: unknown key; allowed keys: cidr, natGateways, zoneCount",
        ),
        (
            {"nodePools": {"workload": {"mxSize": 6}}},
            "centaurops:nodePools.workload.mxSize: unknown key; allowed keys: capacityType, desiredSize, diskSizeGb,"
            " maxSize, minSize",
        ),
        (
            {"nodePools": {"gpu": {"maxSize": 2}}},
            "centaurops:nodePools.gpu: unknown key; allowed keys: system, workload",
        ),
        (
            {"aws": {"nodePools": {"system": {"instanceType": "m7i.large"}}}},
            "centaurops:aws.nodePools.system.instanceType: unknown key; allowed keys: instanceTypes",
        ),
    ],
)
def test_an_unknown_nested_key_lists_the_keys_allowed_there(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


def test_only_the_centaurops_namespace_is_validated() -> None:
    config = {"aws:region": "eu-west-1", "pulumi:template": "x", "other:databse": "{}"}
    assert settings_from_config(config, "dev").aws.region == "us-east-1"


def test_every_problem_is_one_line_with_no_python_in_it() -> None:
    found = problems(
        {
            "network": {"zoneCount": "many", "cidr": "10.0.0.1/8"},
            "databse": {},
            "cluster": {"kubernetesVersion": 1.35},
            "aws": {"region": None},
        }
    )
    assert len(found) == 5
    for line in found:
        assert line.startswith("centaurops:")
        assert "\n" not in line
        assert "pydantic" not in line
        assert "https://" not in line  # pydantic's "For further information visit ..."
        assert "Traceback" not in line
