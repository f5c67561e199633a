"""flowsync/secrets.py: a literal secret in a component field is found; a global variable's name is not."""

from __future__ import annotations

import pytest

from flowsync.secrets import Secret, is_secret_name, literal_secrets

from .flows import echo, flow, node, password

ID = "4f0a8d3e-6c1b-4d2a-9e57-1b2c3d4e5f62"


def _with(field: dict) -> dict:
    return flow(ID, "Model", node("LanguageModelComponent-x1", "Language Model", api_key=field))


def test_a_password_input_with_a_value_is_a_literal_secret():
    assert literal_secrets(_with(password("sk-live-123"))) == [Secret("Language Model", "LanguageModelComponent-x1", "api_key")]
    assert str(Secret("Language Model", "LanguageModelComponent-x1", "api_key")) == (
        "component 'Language Model' (LanguageModelComponent-x1) field 'api_key'"
    )


def test_a_global_variable_reference_is_not():
    assert literal_secrets(_with(password("OPENAI_API_KEY", load_from_db=True))) == []


@pytest.mark.parametrize("value", ["", None])
def test_an_empty_password_input_is_not(value):
    assert literal_secrets(_with(password(value))) == []


def test_a_field_named_as_a_secret_is_one_even_without_the_password_flag():
    field = {"name": "client_secret", "type": "str", "value": "s3cr3t"}
    assert [s.field for s in literal_secrets(_with(field))] == ["api_key"]
    plain = {"name": "model_name", "type": "str", "value": "gpt-4o"}
    assert literal_secrets(_with(plain)) == []


def test_a_secret_inside_a_group_node_is_found():
    group = node("GroupNode-g", "Group")
    group["data"]["node"]["flow"] = {"data": {"nodes": [node("Inner-1", "Inner", token=password("t0k3n"))], "edges": []}}
    assert literal_secrets(flow(ID, "Grouped", group)) == [Secret("Inner", "Inner-1", "token")]


def test_the_shipped_echo_flow_holds_none():
    assert literal_secrets(echo()) == []


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("api_key", True),
        ("openai_api_key", True),
        ("apiKey", True),
        ("password", True),
        ("token", True),
        ("access_token", True),
        ("database_url", True),
        ("max_tokens", False),
        ("model_name", False),
        ("input_value", False),
    ],
)
def test_secret_names_as_langflow_reads_them(name: str, secret: bool):
    assert is_secret_name(name) is secret
