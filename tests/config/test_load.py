"""From a stack's config map to Settings: the environment, its defaults, overrides, stack files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pydantic
import pytest

from components.config import ConfigError, Settings, settings_from_config
from preview.cli import PROJECT_DIR
from preview.stackfile import StackFileError, read_stack_config
from tests.plans import config_map


def settings(values: dict[str, Any] | None = None, stack: str = "dev") -> Settings:
    return settings_from_config(config_map(values or {}), stack)


# --- the environment ------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_environment_is_the_stack_name_for_dev_and_prod(stack: str) -> None:
    assert settings(stack=stack).environment == stack
    assert settings(stack=stack).is_prod == (stack == "prod")


def test_another_stack_must_say_its_environment() -> None:
    with pytest.raises(ConfigError) as caught:
        settings(stack="staging")
    assert caught.value.problems == [
        "centaurops:environment: is required because stack 'staging' is neither dev nor prod; allowed: dev, prod",
    ]


def test_another_stack_that_says_prod_gets_prod_defaults() -> None:
    loaded = settings({"environment": "prod"}, stack="eu-customer")
    assert loaded.is_prod
    assert loaded.database.multi_az
    assert loaded.network.zone_count == 3


# --- defaults -----------------------------------------------------------------------------


def test_dev_defaults_are_small_and_cheap() -> None:
    dev = settings(stack="dev")
    assert dev.cloud == "aws"
    assert dev.network.zone_count == 2
    assert dev.network.nat_gateways == "single"
    assert dev.node_pools.workload.capacity_type == "spot"
    assert dev.node_pools.system.capacity_type == "onDemand"
    assert dev.node_pools.system.min_size == 1
    assert not dev.database.multi_az
    assert not dev.database.deletion_protection
    assert dev.database.backup_retention_days == 7
    assert dev.cache.replicas == 0
    assert not dev.cache.automatic_failover
    assert not dev.cluster.endpoint_public_access
    assert dev.aws.node_pools.workload.instance_types == ["t3.large"]
    assert dev.aws.database_instance_class == "db.t4g.medium"
    assert dev.workload.mode == "ide"
    assert not dev.workload.autoscaling.enabled
    assert dev.workload.replicas == 1
    assert dev.ingress.acme_server == "staging"
    assert dev.ingress.controller_replicas == 1


def test_prod_defaults_are_highly_available_and_protected() -> None:
    prod = settings(stack="prod")
    assert prod.network.zone_count == 3
    assert prod.network.nat_gateways == "perZone"
    for pool in (prod.node_pools.system, prod.node_pools.workload):
        assert pool.capacity_type == "onDemand"
        assert pool.min_size >= 2
        assert pool.min_size <= pool.desired_size <= pool.max_size
    assert prod.database.multi_az
    assert prod.database.deletion_protection
    assert prod.database.backup_retention_days >= 14
    assert prod.database.max_storage_gb >= prod.database.storage_gb
    assert prod.cache.automatic_failover
    assert prod.cache.replicas >= 1
    assert prod.cache.snapshot_retention_days >= 1
    assert prod.cluster.log_retention_days == 365
    assert prod.aws.node_pools.workload.instance_types == ["m7i.xlarge"]
    assert len(prod.aws.zones(prod.network.zone_count)) == 3
    assert prod.workload.mode == "runtime"
    assert prod.workload.autoscaling.enabled
    assert 2 <= prod.workload.autoscaling.min_replicas <= prod.workload.autoscaling.max_replicas
    assert prod.ingress.acme_server == "production"
    assert prod.ingress.controller_replicas >= 2


def test_prod_defaults_keep_the_dev_defaults_they_do_not_mention() -> None:
    prod, dev = settings(stack="prod"), settings(stack="dev")
    assert prod.database.engine_version == dev.database.engine_version
    assert prod.node_pools.workload.disk_size_gb == dev.node_pools.workload.disk_size_gb
    assert prod.aws.addon_versions == dev.aws.addon_versions
    assert prod.aws.region == dev.aws.region
    assert prod.addons == dev.addons
    assert prod.workload.image == dev.workload.image
    assert prod.workload.resources == dev.workload.resources
    assert prod.ingress.host == dev.ingress.host


def test_a_stack_file_value_overrides_a_prod_default() -> None:
    prod = settings({"database": {"backupRetentionDays": 30}, "network": {"natGateways": "single"}}, stack="prod")
    assert prod.database.backup_retention_days == 30
    assert prod.network.nat_gateways == "single"
    # its siblings keep their prod defaults
    assert prod.database.multi_az
    assert prod.database.storage_gb == 100
    assert prod.network.zone_count == 3


def test_a_nested_override_merges_with_the_prod_default_pool() -> None:
    prod = settings({"nodePools": {"workload": {"maxSize": 20}}}, stack="prod")
    assert prod.node_pools.workload.max_size == 20
    assert (prod.node_pools.workload.min_size, prod.node_pools.workload.desired_size) == (2, 3)
    assert prod.node_pools.workload.capacity_type == "onDemand"
    assert prod.node_pools.system.max_size == 4


def test_a_nested_override_merges_with_the_dev_field_defaults() -> None:
    dev = settings({"nodePools": {"workload": {"desiredSize": 2}}})
    # the workload pool's own defaults (maxSize 4, spot) stay
    assert (dev.node_pools.workload.desired_size, dev.node_pools.workload.max_size) == (2, 4)
    assert dev.node_pools.workload.capacity_type == "spot"


def test_a_nested_override_merges_with_the_prod_autoscaling() -> None:
    prod = settings({"workload": {"autoscaling": {"maxReplicas": 10}}}, stack="prod")
    assert prod.workload.autoscaling.max_replicas == 10
    assert prod.workload.autoscaling.enabled
    assert prod.workload.autoscaling.min_replicas == 2
    assert prod.workload.mode == "runtime"
    assert prod.workload.namespace == "centaurops"


def test_lists_are_replaced_not_merged() -> None:
    prod = settings({"aws": {"nodePools": {"workload": {"instanceTypes": ["c7i.2xlarge"]}}}}, stack="prod")
    assert prod.aws.node_pools.workload.instance_types == ["c7i.2xlarge"]
    # the other pool's prod list is untouched
    assert prod.aws.node_pools.system.instance_types == ["m7i.large"]
    dev = settings({"aws": {"nodePools": {"system": {"instanceTypes": ["m7i.large", "m6i.large"]}}}})
    assert dev.aws.node_pools.system.instance_types == ["m7i.large", "m6i.large"]


def test_structured_values_arrive_as_json_text_and_scalars_as_strings() -> None:
    config = {
        "centaurops:environment": "prod",
        "centaurops:cloud": "aws",
        "centaurops:network": '{"cidr": "10.20.0.0/16"}',
        "centaurops:cluster": '{"endpointPublicAccess": true, "publicAccessCidrs": ["198.51.100.0/24"]}',
    }
    loaded = settings_from_config(config, "eu-customer")
    assert loaded.network.cidr == "10.20.0.0/16"
    assert loaded.cluster.endpoint_public_access is True
    assert loaded.cluster.public_access_cidrs == ["198.51.100.0/24"]


def test_text_that_is_not_json_is_a_clear_problem() -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_config({"centaurops:network": '{"cidr": "10.0.0.0/16"'}, "dev")
    assert caught.value.problems == [
        'centaurops:network: must be a mapping of keys, got \'{"cidr": "10.0.0.0/16"\'',
    ]


# --- Settings -------------------------------------------------------------------------------


def test_settings_are_frozen() -> None:
    loaded = settings()
    with pytest.raises(pydantic.ValidationError):
        loaded.environment = "prod"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        loaded.database.multi_az = True  # type: ignore[misc]
    assert loaded.environment == "dev"
    assert not loaded.database.multi_az


def test_settings_round_trip_through_their_camel_case_keys() -> None:
    prod = settings(stack="prod")
    assert Settings.model_validate(prod.model_dump(by_alias=True)) == prod
    assert "backupRetentionDays" in prod.model_dump(by_alias=True)["database"]


# --- stack files ------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_shipped_stack_files_validate(stack: str) -> None:
    config = read_stack_config(PROJECT_DIR / f"Pulumi.{stack}.yaml")
    # The one key outside centaurops: is the engine's, which the preview enforces too.
    assert {key for key in config if not key.startswith("centaurops:")} == {"pulumi:disable-default-providers"}
    assert json.loads(config["pulumi:disable-default-providers"]) == ["kubernetes"]
    centaurops = {key: value for key, value in config.items() if key.startswith("centaurops:")}
    assert centaurops
    loaded = settings_from_config(config, stack)
    assert loaded == settings_from_config(centaurops, stack)
    assert loaded.environment == stack
    assert loaded.cloud == "aws"
    # every centaurops key is a section of the settings, and validates on its own
    sections = {field.alias for field in Settings.model_fields.values()}
    for key, value in centaurops.items():
        assert key.removeprefix("centaurops:") in sections, key
        settings_from_config({key: value}, stack)


def test_the_shipped_dev_stack_reaches_its_api_from_listed_cidrs_only() -> None:
    dev = settings_from_config(read_stack_config(PROJECT_DIR / "Pulumi.dev.yaml"), "dev")
    assert dev.cluster.endpoint_public_access
    assert dev.cluster.public_access_cidrs
    assert "0.0.0.0/0" not in dev.cluster.public_access_cidrs


def test_the_shipped_prod_stack_reaches_its_api_from_listed_cidrs_and_has_prod_defaults() -> None:
    prod = settings_from_config(read_stack_config(PROJECT_DIR / "Pulumi.prod.yaml"), "prod")
    assert prod.cluster.endpoint_public_access
    assert prod.cluster.public_access_cidrs
    assert "0.0.0.0/0" not in prod.cluster.public_access_cidrs
    assert prod.database.multi_az and prod.database.deletion_protection


def test_a_stack_file_becomes_the_config_map_pulumi_passes(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.test.yaml"
    path.write_text(
        "config:\n"
        "  centaurops:environment: prod\n"
        "  centaurops:cluster:\n"
        "    endpointPublicAccess: false\n"
        "  centaurops:network:\n"
        "    zoneCount: 3\n"
        "  aws:region: eu-west-1\n"
    )
    assert read_stack_config(path) == {
        "centaurops:environment": "prod",
        "centaurops:cluster": '{"endpointPublicAccess": false}',
        "centaurops:network": '{"zoneCount": 3}',
        "aws:region": "eu-west-1",
    }


@pytest.mark.parametrize("text", ["", "# nothing differs\n", "config:\n", "config: {}\n"])
def test_a_stack_file_with_nothing_to_say_is_empty(tmp_path: Path, text: str) -> None:
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(text)
    assert read_stack_config(path) == {}


def test_a_missing_stack_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.nope.yaml"
    with pytest.raises(StackFileError) as caught:
        read_stack_config(path)
    assert str(caught.value) == f"{path}: no such stack file"


def test_malformed_yaml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text("config:\n  centaurops:network:\n    zoneCount: 3\n   cidr: 10.0.0.0/16\n")
    with pytest.raises(StackFileError) as caught:
        read_stack_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: malformed YAML (line 4, column 4): ")
    assert "\n" not in message


@pytest.mark.parametrize("text", ["- a list\n", "config: [1, 2]\n", "config: []\n", "config: text\n", "just text\n"])
def test_a_stack_file_of_the_wrong_shape_is_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(text)
    with pytest.raises(StackFileError) as caught:
        read_stack_config(path)
    assert str(caught.value) == f"{path}: must be a mapping with a 'config:' mapping of keys"


def test_a_duplicate_key_is_refused_as_pulumi_refuses_it(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.prod.yaml"
    path.write_text("config:\n  centaurops:database:\n    backupRetentionDays: 30\n    backupRetentionDays: 7\n")
    with pytest.raises(StackFileError) as caught:
        read_stack_config(path)
    assert str(caught.value) == (
        f"{path}: malformed YAML (line 4, column 5): duplicate key 'backupRetentionDays' (first at line 3)"
    )


def test_a_duplicate_top_level_key_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text("config:\n  centaurops:cloud: aws\n  centaurops:cloud: gcp\n")
    with pytest.raises(StackFileError, match=r"duplicate key 'centaurops:cloud' \(first at line 2\)$"):
        read_stack_config(path)
