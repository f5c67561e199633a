"""components/config/placeholders.py: documentation values are refused by a real `pulumi up`
and only warned about offline, so the shipped stack files preview out of the box."""

from __future__ import annotations

import pulumi
import pytest

from components.config import load, settings_from_config
from components.config.placeholders import documentation_range, placeholders, reserved_domain
from preview.cli import preview_plan
from tests.plans import PUBLIC_API, config_map, stack_config


@pytest.mark.parametrize(
    ("name", "reserved"),
    [
        ("flows.example.com", "example.com"),
        ("example.org", "example.org"),
        ("a.b.example.net", "example.net"),
        ("flows.test", "test"),
        ("flows.invalid", "invalid"),
        ("flows.localhost", "localhost"),
        ("printer.local", "local"),
        ("flows.home.arpa", "home.arpa"),
        ("flows.corp.internal", "internal"),
        ("FLOWS.EXAMPLE.COM", "example.com"),
    ],
)
def test_reserved_domains(name: str, reserved: str) -> None:
    assert reserved_domain(name) == reserved


@pytest.mark.parametrize("name", ["flows.acme.io", "example.co.uk", "myexample.com", "testing.dev", "local.acme.com"])
def test_real_domains(name: str) -> None:
    assert reserved_domain(name) is None


@pytest.mark.parametrize(
    ("cidr", "documentation"),
    [
        ("192.0.2.0/24", "192.0.2.0/24"),
        ("198.51.100.7/32", "198.51.100.0/24"),
        ("203.0.113.128/25", "203.0.113.0/24"),
        ("198.51.0.0/16", "198.51.100.0/24"),
    ],
)
def test_documentation_ranges(cidr: str, documentation: str) -> None:
    assert documentation_range(cidr) == documentation


@pytest.mark.parametrize("cidr", ["10.0.0.0/8", "192.0.3.0/24", "203.0.114.0/24", "0.0.0.0/1"])
def test_real_ranges(cidr: str) -> None:
    assert documentation_range(cidr) is None


def test_each_placeholder_names_its_key_and_what_to_set() -> None:
    values = {
        "cluster": {"endpointPublicAccess": True, "publicAccessCidrs": ["100.24.0.0/16", "203.0.113.0/24"]},
        "ingress": {"host": "flows.example.com", "acmeEmail": "ops@example.org", "allowedSourceCidrs": ["192.0.2.0/24"]},
    }
    found = placeholders(settings_from_config(config_map(values), "dev"))
    assert found == [
        (
            ("ingress", "host"),
            "flows.example.com is a placeholder (reserved domain example.com): set the platform's public host name,"
            " whose DNS you control",
        ),
        (
            ("ingress", "acmeEmail"),
            "ops@example.org is a placeholder (reserved domain example.org; Let's Encrypt refuses it): set a mailbox you read",
        ),
        (
            ("cluster", "publicAccessCidrs", 1),
            "203.0.113.0/24 is a documentation range (RFC 5737, 203.0.113.0/24) and admits nobody:"
            " list the egress addresses of those who deploy",
        ),
        (
            ("ingress", "allowedSourceCidrs", 0),
            "192.0.2.0/24 is a documentation range (RFC 5737, 192.0.2.0/24) and admits nobody: list the clients' addresses",
        ),
    ]


def test_real_values_are_no_placeholders() -> None:
    values = {
        "cluster": {"endpointPublicAccess": False, "privateAccessCidrs": ["10.8.0.0/16"]},
        "ingress": {"host": "flows.acme.io", "acmeEmail": "platform@acme.io"},
    }
    assert placeholders(settings_from_config(config_map(values), "prod")) == []


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_offline_preview_of_a_shipped_stack_warns_about_each_placeholder(stack: str) -> None:
    plan = preview_plan(stack, stack_config(stack))
    keys = [warning.split(":", 2)[1] for warning in plan["warnings"] if "placeholder" in warning or "documentation" in warning]
    assert keys == ["ingress.host", "ingress.acmeEmail", "cluster.publicAccessCidrs[0]"]
    assert all(warning.endswith("(`pulumi up` refuses it)") for warning in plan["warnings"])
    assert len(plan["resources"]) > 100


def test_a_real_engine_refuses_the_placeholders_before_registering_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    # What settings_from_pulumi sees under `pulumi up`.
    monkeypatch.setattr(load, "running_under_mocks", lambda: False)
    with pytest.raises(pulumi.RunError) as caught:
        preview_plan("prod", stack_config("prod"))
    assert [line.split(":", 2)[1] for line in str(caught.value).splitlines()] == [
        "ingress.host",
        "ingress.acmeEmail",
        "cluster.publicAccessCidrs[0]",
    ]


def test_a_real_engine_takes_a_stack_without_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "running_under_mocks", lambda: False)
    config = stack_config(
        "prod",
        cluster={**PUBLIC_API, "publicAccessCidrs": ["100.24.0.0/16"]},
        ingress={"host": "flows.acme.io", "acmeEmail": "platform@acme.io"},
    )
    plan = preview_plan("prod", config)
    assert plan["warnings"] == []
    assert plan["outputs"]["url"] == "https://flows.acme.io"
