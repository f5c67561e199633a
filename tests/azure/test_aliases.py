"""components/azure/aliases.py: the foundation's resources register without azure-native's
type-history aliases; aliases of anything else, or that change more than the type, stay."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pulumi
import pulumi_azure_native.network as network
import pytest

from components.azure import AzureFoundation
from components.azure.aliases import is_type_history, without_type_history_aliases
from components.config import settings_from_config
from components.testing.mocks import CloudMocks
from preview.cli import PROJECT_DIR
from preview.runner import RecordingMonitor, run_program
from tests.azure.stacks import tags
from tests.plans import stack_config

VNET = "azure-native:network:VirtualNetwork"


def test_a_type_only_alias_to_another_azure_native_type_is_history():
    assert is_type_history(pulumi.Alias(type_="azure-native:network/v20230201:VirtualNetwork"), VNET)
    moved = pulumi.Alias(type_="azure-native:cache:RedisEnterprise")
    assert is_type_history(moved, "azure-native:redisenterprise:RedisEnterprise")


@pytest.mark.parametrize(
    "alias",
    [
        pulumi.Alias(name="old-vnet"),
        pulumi.Alias(name="old-vnet", type_="azure-native:network/v20230201:VirtualNetwork"),
        pulumi.Alias(type_="azure-native:network/v20230201:VirtualNetwork", parent=pulumi.ROOT_STACK_RESOURCE),
        pulumi.Alias(type_="azure-native:network/v20230201:VirtualNetwork", stack="other"),
        pulumi.Alias(type_="azure-native:network/v20230201:VirtualNetwork", project="other"),
        pulumi.Alias(type_=VNET),
        pulumi.Alias(type_="centaurops:azure:Network"),
        "urn:pulumi:prod::centaurops::azure-native:network/v20230201:VirtualNetwork::vnet",
    ],
)
def test_an_alias_that_changes_more_than_the_type_or_names_no_azure_native_type_is_kept(alias: Any):
    assert not is_type_history(alias, VNET)


@pytest.fixture
def registered_aliases(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[Any]]]:
    """Resource name -> the alias specs its RegisterResource request carried."""
    seen: dict[str, list[Any]] = {}
    register = RecordingMonitor.RegisterResource

    def recording(self: RecordingMonitor, request: Any) -> Any:
        seen[request.name] = list(request.aliases)
        return register(self, request)

    monkeypatch.setattr(RecordingMonitor, "RegisterResource", recording)
    yield seen


def _program(stack: str, config: dict[str, str]) -> None:
    settings = settings_from_config(config, stack)
    foundation = AzureFoundation(f"centaurops-{stack}", settings, tags(stack))
    # A control beside the foundation: azure-native gives it its whole type history.
    network.VirtualNetwork("outside", resource_group_name="rg", address_space={"address_prefixes": ["10.9.0.0/16"]})
    # A platform team's own alias on a resource under the foundation survives.
    network.VirtualNetwork(
        "renamed",
        resource_group_name="rg",
        address_space={"address_prefixes": ["10.8.0.0/16"]},
        opts=pulumi.ResourceOptions(parent=foundation, aliases=[pulumi.Alias(name="before-rename")]),
    )


def test_the_foundation_registers_no_type_history_alias_and_keeps_its_own(registered_aliases: dict[str, list[Any]]):
    config = stack_config("prod", cloud="azure")

    def program() -> None:
        _program("prod", config)

    run = run_program(PROJECT_DIR, project="centaurops", stack="prod", config=config, mocks=CloudMocks(), program=program)
    azure = [r for r in run.resources if r.custom and r.type.startswith("azure-native:") and r.name not in {"outside", "renamed"}]
    assert len(azure) > 50
    for resource in azure:
        history = [a for a in registered_aliases[resource.name] if a.spec.type and not a.spec.name]
        assert history == [], resource.urn

    outside = registered_aliases["outside"]
    assert len([a for a in outside if a.spec.type.startswith("azure-native:network/v")]) >= 50
    (own,) = registered_aliases["renamed"]
    assert own.spec.name == "before-rename"


def test_the_transformation_leaves_other_providers_alone():
    opts = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_="azure-native:network/v20230201:VirtualNetwork")])
    args = pulumi.ResourceTransformationArgs(None, "kubernetes:apps/v1:Deployment", "app", {}, opts)  # type: ignore[arg-type]
    assert without_type_history_aliases(args) is None
