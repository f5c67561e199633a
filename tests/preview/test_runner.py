"""preview.runner: wire values made plain, and registrations recorded as the engine gets them."""

from __future__ import annotations

import asyncio
import gc
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pulumi
import pytest
from pulumi.runtime import rpc

from components.testing.mocks import CloudMocks, digest, random_password
from preview.runner import (
    SECRET,
    UNKNOWN,
    DefaultProviderError,
    ProgramRun,
    Registration,
    cycle_collector_paused,
    disabled_default_providers,
    plain,
    run_program,
)
from tests.plans import Plan

SIG = rpc._special_sig_key


# --- plain() --------------------------------------------------------------------------


def test_secrets_become_a_marker_and_their_value_is_dropped() -> None:
    assert plain({SIG: rpc._special_secret_sig, "value": "hunter2"}) == SECRET
    assert plain({SIG: rpc._special_secret_sig, "value": 42.0}) == SECRET
    assert plain({SIG: rpc._special_secret_sig, "value": ["hunter2", "swordfish"]}) == SECRET


def test_a_secret_mapping_keeps_its_keys_and_masks_every_value() -> None:
    # A Secret's data: the keys name what it holds, the values are hidden, nested ones too.
    wire = {SIG: rpc._special_secret_sig, "value": {"PASSWORD": "hunter2", "DSN": {"user": "u", "pass": "p4ss"}, "A": 1.0}}
    converted = plain(wire)
    assert converted == {"A": SECRET, "DSN": SECRET, "PASSWORD": SECRET}
    assert list(converted) == ["A", "DSN", "PASSWORD"]
    for revealing in ("hunter2", "p4ss", "user", "pass"):
        assert revealing not in json.dumps(converted)
    assert plain({"stringData": wire}) == {"stringData": converted}
    assert plain({SIG: rpc._special_secret_sig, "value": {}}) == {}


def test_secret_output_values_become_a_marker_and_plain_ones_their_value() -> None:
    secret = {SIG: rpc._special_output_value_sig, "value": "hunter2", "secret": True, "dependencies": ["urn:a"]}
    assert plain(secret) == SECRET
    assert plain({SIG: rpc._special_output_value_sig, "value": 3.0, "dependencies": []}) == 3
    assert plain({SIG: rpc._special_output_value_sig, "dependencies": []}) == UNKNOWN


def test_integral_floats_become_ints_and_others_stay() -> None:
    assert plain(20.0) == 20
    assert type(plain(20.0)) is int
    assert plain(0.5) == 0.5
    assert plain(True) is True
    assert plain(False) is False
    assert plain(None) is None
    assert plain("20.0") == "20.0"


def test_resource_references_become_their_urn() -> None:
    urn = "urn:pulumi:dev::centaurops::aws:ec2/vpc:Vpc::vpc"
    reference = {SIG: rpc._special_resource_sig, "urn": urn, "id": "vpc-123", "packageVersion": "7.0.0"}
    assert plain(reference) == urn


def test_unknowns_assets_and_archives_become_markers() -> None:
    assert plain(rpc.UNKNOWN) == UNKNOWN
    assert plain({SIG: rpc._special_asset_sig, "path": "/etc/passwd"}) == "[asset]"
    assert plain({SIG: rpc._special_archive_sig, "assets": {}}) == "[archive]"


def test_nested_structures_are_converted_all_the_way_down() -> None:
    wire = {
        "tags": {"b": "2", "a": "1"},
        "ports": [80.0, 443.0, {"weight": 0.25}],
        "vpcConfig": {
            "subnetIds": [{SIG: rpc._special_resource_sig, "urn": "urn:s1"}, {SIG: rpc._special_resource_sig, "urn": "urn:s2"}],
            "credentials": [{"token": {SIG: rpc._special_secret_sig, "value": "t0ken"}}],
        },
        "empty": {},
        "none": [],
    }
    converted = plain(wire)
    assert converted == {
        "empty": {},
        "none": [],
        "ports": [80, 443, {"weight": 0.25}],
        "tags": {"a": "1", "b": "2"},
        "vpcConfig": {"credentials": [{"token": SECRET}], "subnetIds": ["urn:s1", "urn:s2"]},
    }
    assert list(converted) == sorted(converted)
    assert list(converted["tags"]) == ["a", "b"]
    assert "t0ken" not in json.dumps(converted)


def test_plain_leaves_its_argument_alone() -> None:
    wire = {"a": [1.0, {SIG: rpc._special_secret_sig, "value": "s"}]}
    before = json.dumps(wire)
    plain(wire)
    assert json.dumps(wire) == before


# --- the recorded plan ----------------------------------------------------------------


def test_no_wire_signature_reaches_the_plan(plan: Plan) -> None:
    text = plan.text()
    for marker in (SIG, rpc.UNKNOWN, rpc._special_secret_sig, rpc._special_resource_sig, rpc._special_output_value_sig):
        assert marker not in text


def test_provider_references_are_urns_without_the_id(plan: Plan) -> None:
    urns = {r["urn"] for r in plan.resources}
    providers = {r["provider"] for r in plan.resources if r["provider"]}
    assert providers
    assert providers <= urns
    for provider in providers:
        assert plan.by_urn(provider)["type"].startswith("pulumi:providers:")


def test_registrations_serialize_to_the_plan_resource_shape() -> None:
    registration = Registration("urn:x", "t:m:T", "x", "urn:p", True, False, "", ["urn:d"], {"a": 1})
    assert registration.as_json() == {
        "urn": "urn:x",
        "type": "t:m:T",
        "name": "x",
        "parent": "urn:p",
        "custom": True,
        "protect": False,
        "provider": "",
        "dependencies": ["urn:d"],
        "inputs": {"a": 1},
    }


# --- run_program on a small program of its own ----------------------------------------

PROGRAM = """
import pulumi
import pulumi_random as random


class Box(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("sandbox:index:Box", name, None, opts)
        self.register_outputs({})


box = Box("box")
rng = random.Provider("rng")
password = random.RandomPassword("pw", length=12, special=False, opts=pulumi.ResourceOptions(parent=box))
first = random.RandomPet("first", length=2, opts=pulumi.ResourceOptions(parent=box, provider=rng))
second = random.RandomPet(
    "second",
    prefix=first.id,
    opts=pulumi.ResourceOptions(depends_on=[password], protect=True),
)
pulumi.export("password", password.result)
pulumi.export("count", 3)
pulumi.export("names", [first.id, "x"])
pulumi.export("setting", pulumi.Config("sandbox").require("setting"))
"""


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> ProgramRun:
    project = tmp_path_factory.mktemp("sandbox")
    (project / "__main__.py").write_text(textwrap.dedent(PROGRAM))
    return run_program(project, project="sandbox", stack="test", config={"sandbox:setting": "on"}, mocks=CloudMocks())


def _by_name(run: ProgramRun) -> dict[str, Registration]:
    return {r.name: r for r in run.resources if r.type != "pulumi:pulumi:Stack"}


def test_every_registration_is_recorded_once(sandbox: ProgramRun) -> None:
    assert sandbox.project == "sandbox"
    assert sandbox.stack == "test"
    assert sorted((r.type, r.name) for r in sandbox.resources) == [
        ("pulumi:providers:random", "rng"),
        ("pulumi:pulumi:Stack", "sandbox-test"),
        ("random:index/randomPassword:RandomPassword", "pw"),
        ("random:index/randomPet:RandomPet", "first"),
        ("random:index/randomPet:RandomPet", "second"),
        ("sandbox:index:Box", "box"),
    ]


def test_parents_custom_and_protect_are_recorded(sandbox: ProgramRun) -> None:
    resources = _by_name(sandbox)
    stack = next(r for r in sandbox.resources if r.type == "pulumi:pulumi:Stack")
    assert stack.parent == ""
    assert resources["box"].parent == stack.urn
    assert resources["pw"].parent == resources["box"].urn
    assert resources["first"].parent == resources["box"].urn
    assert not resources["box"].custom
    assert resources["pw"].custom
    assert resources["second"].protect
    assert not resources["first"].protect


def test_dependencies_join_depends_on_and_property_dependencies(sandbox: ProgramRun) -> None:
    resources = _by_name(sandbox)
    assert resources["second"].dependencies == sorted([resources["pw"].urn, resources["first"].urn])
    assert resources["first"].dependencies == []


def test_explicit_provider_is_recorded_as_its_urn(sandbox: ProgramRun) -> None:
    resources = _by_name(sandbox)
    assert resources["first"].provider == resources["rng"].urn
    assert resources["second"].provider == ""


def test_inputs_are_plain_and_outputs_hide_secrets(sandbox: ProgramRun) -> None:
    resources = _by_name(sandbox)
    assert resources["pw"].inputs == {"length": 12, "special": False}
    # an output of one resource, resolved by the mocks, is the input of another
    assert resources["second"].inputs == {"prefix": digest("first")}
    assert sandbox.outputs["names"] == [digest("first"), "x"]
    mocked = random_password("pw", {"length": 12})["result"]
    assert sandbox.outputs["password"] == SECRET
    assert sandbox.outputs["count"] == 3
    assert sandbox.outputs["setting"] == "on"
    assert mocked not in json.dumps([r.as_json() for r in sandbox.resources] + [sandbox.outputs])


def test_a_failing_program_raises_its_error(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text("import pulumi\nraise pulumi.RunError('bad config: nope')\n")
    with pytest.raises(pulumi.RunError, match="bad config: nope"):
        run_program(tmp_path, project="sandbox", stack="broken", config={}, mocks=CloudMocks())


# --- disabled default providers -------------------------------------------------------

DISABLE_KUBERNETES = {"pulumi:disable-default-providers": '["kubernetes"]'}
NO_DEFAULT_PROVIDER = (
    "kubernetes:core/v1:ConfigMap 'settings' has no explicit provider, and the stack disables"
    " the default kubernetes provider (pulumi:disable-default-providers)"
)


def settings_map(with_provider: bool = False) -> Callable[[], None]:
    """A program registering a ConfigMap (and a random pet), through an explicit provider or not."""

    def program() -> None:
        import pulumi_kubernetes as k8s
        import pulumi_random as random

        provider = k8s.Provider("cluster", kubeconfig="{}") if with_provider else None
        k8s.core.v1.ConfigMap(
            "settings",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="settings", namespace="flows"),
            data={"LOG_LEVEL": "info"},
            opts=pulumi.ResourceOptions(provider=provider),
        )
        random.RandomPet("pet")  # the random default provider stays allowed

    return program


def run_sandbox(tmp_path: Path, config: dict[str, str], program: Callable[[], None]) -> ProgramRun:
    return run_program(tmp_path, project="sandbox", stack="test", config=config, mocks=CloudMocks(), program=program)


@pytest.mark.parametrize(
    ("config", "disabled"),
    [
        ({}, set()),
        ({"pulumi:disable-default-providers": "[]"}, set()),
        (DISABLE_KUBERNETES, {"kubernetes"}),
        ({"pulumi:disable-default-providers": '["kubernetes", "aws"]'}, {"kubernetes", "aws"}),
        ({"pulumi:disable-default-providers": "kubernetes"}, {"kubernetes"}),
        ({"kubernetes:disable-default-providers": '["kubernetes"]'}, set()),
    ],
)
def test_disabled_default_providers_are_read_from_the_engine_key(config: dict[str, str], disabled: set[str]) -> None:
    assert disabled_default_providers(config) == disabled


def test_a_resource_without_provider_fails_when_its_default_provider_is_disabled(tmp_path: Path) -> None:
    with pytest.raises(DefaultProviderError) as caught:
        run_sandbox(tmp_path, DISABLE_KUBERNETES, settings_map())
    assert str(caught.value) == NO_DEFAULT_PROVIDER
    # The SDK keeps the failed registration's futures, never retrieved: asyncio would print
    # their traceback when they are collected, at exit. Retrieve them (the error is expected).
    failed = [
        future for future in gc.get_objects() if isinstance(future, asyncio.Future) and future.done() and not future.cancelled()
    ]
    assert [f for f in failed if isinstance(f.exception(), DefaultProviderError)]


def test_a_resource_with_its_explicit_provider_passes_when_the_default_is_disabled(tmp_path: Path) -> None:
    run = run_sandbox(tmp_path, DISABLE_KUBERNETES, settings_map(with_provider=True))
    resources = _by_name(run)
    assert resources["cluster"].type == "pulumi:providers:kubernetes"
    assert resources["settings"].provider == resources["cluster"].urn
    # another package's default provider is still there to use
    assert resources["pet"].provider == ""


def test_a_resource_without_provider_uses_the_default_one_when_it_is_not_disabled(tmp_path: Path) -> None:
    run = run_sandbox(tmp_path, {}, settings_map())
    settings = _by_name(run)["settings"]
    assert settings.provider == ""
    assert settings.inputs == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "settings", "namespace": "flows"},
        "data": {"LOG_LEVEL": "info"},
    }


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_paused_for_a_run_and_restored_after_it_even_on_failure(enabled: bool):
    (gc.enable if enabled else gc.disable)()
    try:
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), cycle_collector_paused():
            raise RuntimeError("the program failed")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
