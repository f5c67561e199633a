"""Rules across keys, and the rules of prod: each names the one key a user should change."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import ConfigError, settings_from_config
from tests.config.problems import problems
from tests.plans import config_map

# --- node pools ---------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_node_pool_min_above_max(stack: str) -> None:
    values = {"nodePools": {"system": {"minSize": 5, "desiredSize": 5, "maxSize": 4}}}
    assert problems(values, stack) == ["centaurops:nodePools.system.minSize: must be <= maxSize (4), got 5"]


@pytest.mark.parametrize(("desired", "shown"), [(0, 0), (5, 5)])
def test_node_pool_desired_outside_min_and_max(desired: int, shown: int) -> None:
    values = {"nodePools": {"workload": {"minSize": 1, "desiredSize": desired, "maxSize": 4}}}
    assert problems(values) == [
        f"centaurops:nodePools.workload.desiredSize: must be between minSize (1) and maxSize (4), got {shown}",
    ]


def test_node_pool_sizes_at_the_bounds_are_fine() -> None:
    pools = {"system": {"minSize": 2, "desiredSize": 2, "maxSize": 2}, "workload": {"minSize": 0, "desiredSize": 4, "maxSize": 4}}
    settings = settings_from_config(config_map({"nodePools": pools}), "dev")
    assert (settings.node_pools.workload.min_size, settings.node_pools.workload.max_size) == (0, 4)


@pytest.mark.parametrize("pool", ["system", "workload"])
def test_prod_refuses_spot(pool: str) -> None:
    assert problems({"nodePools": {pool: {"capacityType": "spot"}}}, "prod") == [
        f"centaurops:nodePools.{pool}.capacityType: must be onDemand in prod (spot is for dev), got 'spot'",
    ]


def test_dev_allows_spot_on_both_pools() -> None:
    settings = settings_from_config(config_map({"nodePools": {"system": {"capacityType": "spot"}}}), "dev")
    assert settings.node_pools.system.capacity_type == "spot"


@pytest.mark.parametrize("pool", ["system", "workload"])
def test_prod_needs_two_nodes_at_least(pool: str) -> None:
    assert problems({"nodePools": {pool: {"minSize": 1}}}, "prod") == [
        f"centaurops:nodePools.{pool}.minSize: must be at least 2 in prod (survive a node loss), got 1",
    ]


# --- network ------------------------------------------------------------------------


@pytest.mark.parametrize("cidr", ["10.0.0.0/8", "10.0.0.0/15", "10.0.0.0/21", "10.0.0.0/24"])
def test_network_prefix_outside_16_to_20(cidr: str) -> None:
    assert problems({"network": {"cidr": cidr}}) == [f"centaurops:network.cidr: must be a /16 to /20 network, got {cidr}"]


@pytest.mark.parametrize("cidr", ["10.0.0.0/16", "172.16.0.0/20"])
def test_network_prefix_16_and_20_are_fine(cidr: str) -> None:
    assert settings_from_config(config_map({"network": {"cidr": cidr}}), "dev").network.cidr == cidr


# --- cluster endpoint -----------------------------------------------------------------


def test_public_endpoint_without_cidrs() -> None:
    assert problems({"cluster": {"endpointPublicAccess": True}}) == [
        "centaurops:cluster.publicAccessCidrs: must list the source CIDRs allowed to reach the public API endpoint"
        " when endpointPublicAccess is true",
    ]


def test_cidrs_without_public_endpoint() -> None:
    assert problems({"cluster": {"publicAccessCidrs": ["203.0.113.0/24"]}}) == [
        "centaurops:cluster.publicAccessCidrs: has no effect unless endpointPublicAccess is true; remove it or enable that",
    ]


def test_prod_refuses_an_api_open_to_the_internet() -> None:
    values = {"cluster": {"endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24", "0.0.0.0/0"]}}
    assert problems(values, "prod") == [
        "centaurops:cluster.publicAccessCidrs[1]: must not open the API to the whole internet in prod, got 0.0.0.0/0",
    ]


def test_dev_may_open_the_api_to_the_internet() -> None:
    values = {"cluster": {"endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]}}
    assert settings_from_config(config_map(values), "dev").cluster.public_access_cidrs == ["0.0.0.0/0"]


# --- database and cache -----------------------------------------------------------------


def test_max_storage_below_storage() -> None:
    assert problems({"database": {"storageGb": 200, "maxStorageGb": 100}}) == [
        "centaurops:database.maxStorageGb: must be >= storageGb (200), got 100",
    ]


def test_max_storage_below_the_prod_default_storage() -> None:
    # prod allocates 100 GiB by default; a ceiling under it is caught, naming the ceiling.
    assert problems({"database": {"maxStorageGb": 50}}, "prod") == [
        "centaurops:database.maxStorageGb: must be >= storageGb (100), got 50",
    ]


def test_failover_without_replicas() -> None:
    assert problems({"cache": {"automaticFailover": True}}) == [
        "centaurops:cache.replicas: must be at least 1 when automaticFailover is true, got 0",
    ]


def test_failover_without_replicas_in_prod() -> None:
    assert problems({"cache": {"replicas": 0}}, "prod") == [
        "centaurops:cache.replicas: must be at least 1 when automaticFailover is true, got 0",
    ]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"database": {"multiAz": False}}, "centaurops:database.multiAz: must be true in prod, got false"),
        (
            {"database": {"deletionProtection": False}},
            "centaurops:database.deletionProtection: must be true in prod, got false",
        ),
        (
            {"database": {"backupRetentionDays": 13}},
            "centaurops:database.backupRetentionDays: must be at least 14 in prod, got 13",
        ),
        ({"cache": {"automaticFailover": False}}, "centaurops:cache.automaticFailover: must be true in prod, got false"),
        (
            {"cache": {"snapshotRetentionDays": 0}},
            "centaurops:cache.snapshotRetentionDays: must be at least 1 in prod, got 0",
        ),
    ],
)
def test_prod_data_protection(values: dict[str, Any], line: str) -> None:
    assert problems(values, "prod") == [line]
    # The same values are fine in dev.
    settings_from_config(config_map(values), "dev")


def test_prod_rules_follow_the_environment_not_the_stack_name() -> None:
    values = {"environment": "prod", "database": {"multiAz": False}}
    assert problems(values, "eu-customer") == ["centaurops:database.multiAz: must be true in prod, got false"]
    # and a `dev` environment on a stack named prod is a dev stack
    settings_from_config(config_map({"environment": "dev", "database": {"multiAz": False}}), "prod")


# --- the Kubernetes layer -------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_autoscaling_min_above_max(stack: str) -> None:
    values = {"workload": {"autoscaling": {"enabled": True, "minReplicas": 7, "maxReplicas": 6}}}
    assert problems(values, stack) == ["centaurops:workload.autoscaling.minReplicas: must be <= maxReplicas (6), got 7"]


def test_autoscaling_min_above_max_in_prod_where_it_is_enabled_by_default() -> None:
    assert problems({"workload": {"autoscaling": {"maxReplicas": 1}}}, "prod") == [
        "centaurops:workload.autoscaling.minReplicas: must be <= maxReplicas (1), got 2",
    ]


def test_autoscaling_bounds_are_not_checked_while_it_is_disabled() -> None:
    values = {"workload": {"autoscaling": {"enabled": False, "minReplicas": 7, "maxReplicas": 6}}}
    assert settings_from_config(config_map(values), "dev").workload.autoscaling.min_replicas == 7


def test_autoscaling_min_equal_to_max_is_fine() -> None:
    values = {"workload": {"autoscaling": {"enabled": True, "minReplicas": 3, "maxReplicas": 3}}}
    assert settings_from_config(config_map(values), "prod").workload.autoscaling.max_replicas == 3


@pytest.mark.parametrize(
    ("chart", "missing"),
    [
        ({"repository": "https://charts.example.com"}, ["name", "version"]),
        ({"repository": "https://charts.example.com", "name": "flow-platform"}, ["version"]),
        ({"repository": "oci://registry.example.com/charts", "version": "1.2.3"}, ["name"]),
    ],
)
@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_a_published_chart_must_be_named_and_pinned(chart: dict[str, str], missing: list[str], stack: str) -> None:
    assert problems({"workload": {"chart": chart}}, stack) == [
        f"centaurops:workload.chart.{key}: must be set when chart.repository is set (a published chart is pinned)"
        for key in missing
    ]


def test_a_named_and_pinned_published_chart_is_fine() -> None:
    chart = {"repository": "https://charts.example.com", "name": "flow-platform", "version": "1.2.3"}
    assert settings_from_config(config_map({"workload": {"chart": chart}}), "prod").workload.chart.version == "1.2.3"


def test_a_local_chart_needs_no_version() -> None:
    chart = settings_from_config(config_map({"workload": {"chart": {"path": "charts/other"}}}), "dev").workload.chart
    assert (chart.path, chart.repository, chart.version) == ("charts/other", "", "")


def test_prod_refuses_the_editor() -> None:
    assert problems({"workload": {"mode": "ide"}}, "prod") == [
        "centaurops:workload.mode: must be runtime in prod (the editor is for dev), got 'ide'",
    ]


@pytest.mark.parametrize("mode", ["ide", "runtime"])
def test_dev_runs_either_mode(mode: str) -> None:
    assert settings_from_config(config_map({"workload": {"mode": mode}}), "dev").workload.mode == mode


def test_prod_refuses_staging_certificates() -> None:
    assert problems({"ingress": {"acmeServer": "staging"}}, "prod") == [
        "centaurops:ingress.acmeServer: must be production in prod (staging certificates are untrusted), got 'staging'",
    ]


def test_dev_may_use_production_certificates() -> None:
    values = {"ingress": {"acmeServer": "production"}}
    assert settings_from_config(config_map(values), "dev").ingress.acme_server == "production"


def test_prod_without_autoscaling_needs_two_replicas() -> None:
    assert problems({"workload": {"autoscaling": {"enabled": False}}}, "prod") == [
        "centaurops:workload.replicas: must be at least 2 in prod unless autoscaling is enabled, got 1",
    ]
    values = {"workload": {"autoscaling": {"enabled": False}, "replicas": 2}}
    assert settings_from_config(config_map(values), "prod").workload.replicas == 2


def test_prod_with_autoscaling_ignores_the_fixed_replica_count() -> None:
    assert settings_from_config(config_map({"workload": {"replicas": 1}}), "prod").workload.replicas == 1


def test_prod_autoscaling_needs_two_replicas_at_least() -> None:
    assert problems({"workload": {"autoscaling": {"minReplicas": 1}}}, "prod") == [
        "centaurops:workload.autoscaling.minReplicas: must be at least 2 in prod, got 1",
    ]


def test_prod_needs_two_ingress_controllers() -> None:
    assert problems({"ingress": {"controllerReplicas": 1}}, "prod") == [
        "centaurops:ingress.controllerReplicas: must be at least 2 in prod, got 1",
    ]


def test_dev_may_scale_down_to_one_of_everything() -> None:
    values = {
        "workload": {"mode": "ide", "replicas": 1, "autoscaling": {"enabled": True, "minReplicas": 1, "maxReplicas": 1}},
        "ingress": {"acmeServer": "staging", "controllerReplicas": 1},
    }
    settings = settings_from_config(config_map(values), "dev")
    assert (settings.workload.autoscaling.min_replicas, settings.ingress.controller_replicas) == (1, 1)


# --- AWS zones, and clouds -----------------------------------------------------------------


def test_too_few_aws_zones_for_the_zone_count() -> None:
    values = {"network": {"zoneCount": 3}, "aws": {"availabilityZones": ["us-east-1a", "us-east-1b"]}}
    assert problems(values) == [
        "centaurops:aws.availabilityZones: must list at least network.zoneCount (3) zones, got 2",
    ]


def test_too_few_aws_zones_for_the_prod_zone_count() -> None:
    values = {"aws": {"availabilityZones": ["us-east-1a", "us-east-1b"]}}
    assert problems(values, "prod") == [
        "centaurops:aws.availabilityZones: must list at least network.zoneCount (3) zones, got 2",
    ]


def test_an_aws_zone_of_another_region() -> None:
    values = {"aws": {"region": "eu-west-1", "availabilityZones": ["eu-west-1a", "us-east-1b"]}}
    assert problems(values) == [
        "centaurops:aws.availabilityZones[1]: must be a zone of region eu-west-1, got 'us-east-1b'",
    ]


def test_listed_zones_are_used_in_order() -> None:
    values = {"aws": {"region": "eu-west-1", "availabilityZones": ["eu-west-1c", "eu-west-1a", "eu-west-1b"]}}
    settings = settings_from_config(config_map(values), "dev")
    assert settings.aws.zones(settings.network.zone_count) == ["eu-west-1c", "eu-west-1a"]


def test_a_gcp_stack_names_its_project() -> None:
    assert "centaurops:gcp.project: is required when cloud is gcp" in problems({"cloud": "gcp"})[-1]


def test_aws_zone_rules_do_not_apply_to_other_clouds() -> None:
    values = {"cloud": "gcp", "gcp": {"project": "acme-flows-dev"}, "aws": {"availabilityZones": ["eu-west-1a"]}}
    assert settings_from_config(config_map(values), "dev").cloud == "gcp"


# --- several problems at once ------------------------------------------------------------


def test_every_rule_broken_at_once_gives_one_line_each() -> None:
    # (The autoscaling rules need autoscaling on, the fixed replica rule needs it off: that one is broken here.)
    values = {
        "cloud": "aws",
        "network": {"cidr": "10.0.0.0/24"},
        "nodePools": {"system": {"minSize": 1}, "workload": {"capacityType": "spot"}},
        "cluster": {"endpointPublicAccess": True},
        "database": {"multiAz": False, "deletionProtection": False, "backupRetentionDays": 7},
        "cache": {"automaticFailover": False, "snapshotRetentionDays": 0},
        "workload": {"mode": "ide", "autoscaling": {"enabled": False}, "chart": {"repository": "https://charts.example.com"}},
        "ingress": {"acmeServer": "staging", "controllerReplicas": 1},
        "aws": {"availabilityZones": ["us-east-1a"]},
    }
    found = problems(values, "prod")
    assert found == [
        "centaurops:nodePools.system.minSize: must be at least 2 in prod (survive a node loss), got 1",
        "centaurops:nodePools.workload.capacityType: must be onDemand in prod (spot is for dev), got 'spot'",
        "centaurops:network.cidr: must be a /16 to /20 network, got 10.0.0.0/24",
        "centaurops:cluster.publicAccessCidrs: must list the source CIDRs allowed to reach the public API endpoint"
        " when endpointPublicAccess is true",
        "centaurops:database.multiAz: must be true in prod, got false",
        "centaurops:database.deletionProtection: must be true in prod, got false",
        "centaurops:database.backupRetentionDays: must be at least 14 in prod, got 7",
        "centaurops:cache.automaticFailover: must be true in prod, got false",
        "centaurops:cache.snapshotRetentionDays: must be at least 1 in prod, got 0",
        "centaurops:workload.chart.name: must be set when chart.repository is set (a published chart is pinned)",
        "centaurops:workload.chart.version: must be set when chart.repository is set (a published chart is pinned)",
        "centaurops:workload.mode: must be runtime in prod (the editor is for dev), got 'ide'",
        "centaurops:ingress.acmeServer: must be production in prod (staging certificates are untrusted), got 'staging'",
        "centaurops:workload.replicas: must be at least 2 in prod unless autoscaling is enabled, got 1",
        "centaurops:ingress.controllerReplicas: must be at least 2 in prod, got 1",
        "centaurops:aws.availabilityZones: must list at least network.zoneCount (3) zones, got 1",
    ]
    keys = [line.split(": ", 1)[0] for line in found]
    assert len(set(keys)) == len(keys)


def test_several_bad_values_give_several_lines_naming_different_keys() -> None:
    values = {
        "database": {"backupRetentionDays": 0, "storageGb": "big"},
        "network": {"zoneCount": 4},
        "databse": {},
    }
    with pytest.raises(ConfigError) as caught:
        settings_from_config(config_map(values), "dev")
    error = caught.value
    assert sorted(error.problems) == sorted(
        [
            "centaurops:network.zoneCount: must be between 2 and 3, got 4",
            "centaurops:database.storageGb: must be a whole number, got 'big'",
            "centaurops:database.backupRetentionDays: must be between 1 and 35, got 0",
            "centaurops:databse: unknown key; allowed keys: addons, aws, azure, cache, cloud, cluster, database,"
            " environment, gcp, ingress, network, nodePools, objectStore, workload",
        ]
    )
    # The exception's text is those lines, one per line: what the program prints.
    assert str(error).splitlines() == error.problems


# --- requests and limits -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resources", "line"),
    [
        (
            {"cpuRequest": "3", "cpuLimit": "2"},
            "centaurops:workload.resources.cpuRequest: must not exceed cpuLimit (2), got 3",
        ),
        (
            {"memoryRequest": "4Gi", "memoryLimit": "3Gi"},
            "centaurops:workload.resources.memoryRequest: must not exceed memoryLimit (3Gi), got 4Gi",
        ),
        # the default request (1536Mi) against a smaller limit
        (
            {"memoryLimit": "1Gi"},
            "centaurops:workload.resources.memoryRequest: must not exceed memoryLimit (1Gi), got 1536Mi",
        ),
        # units differ, sizes compare
        (
            {"memoryRequest": "2G", "memoryLimit": "1907Mi"},
            "centaurops:workload.resources.memoryRequest: must not exceed memoryLimit (1907Mi), got 2G",
        ),
    ],
)
def test_a_request_above_its_limit(resources: dict[str, str], line: str) -> None:
    assert problems({"workload": {"resources": resources}}) == [line]


def test_a_request_equal_to_its_limit_is_fine() -> None:
    resources = {"cpuRequest": "2000m", "cpuLimit": "2", "memoryRequest": "1Gi", "memoryLimit": "1024Mi"}
    settings = settings_from_config(config_map({"workload": {"resources": resources}}), "dev")
    assert settings.workload.resources.memory_request == "1Gi"
