from pathlib import Path

import pytest

from policy.offline import PolicyInputError, evaluate, policy_configs, read_json
from policy.registry import POLICIES
from tests.policy.plans import document


def test_every_policy_is_mandatory_unless_configured() -> None:
    assert {name: c.enforcement for name, c in policy_configs({}, "config").items()} == {p.name: "mandatory" for p in POLICIES}


def test_config_sets_levels_for_all_then_per_policy_and_passes_properties() -> None:
    configs = policy_configs(
        {"all": "advisory", "data-private": {"enforcementLevel": "disabled"}, "stateful-protected": {"prodStacks": ["live"]}},
        "config",
    )
    assert configs["data-private"].enforcement == "disabled"
    assert configs["stateful-protected"].enforcement == "advisory"
    assert configs["stateful-protected"].properties == {"prodStacks": ["live"]}


def test_a_disabled_policy_reports_nothing() -> None:
    doc = document("prod", "azure")
    # a storage account back on Microsoft's keys
    storage = next(r for r in doc["resources"] if r["type"] == "azure-native:storage:StorageAccount")
    storage["inputs"]["encryption"]["keySource"] = "Microsoft.Storage"
    assert any(v.policy == "customer-managed-keys" for v in evaluate(doc))
    assert not any(v.policy == "customer-managed-keys" for v in evaluate(doc, {"customer-managed-keys": "disabled"}))


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"no-such-policy": "advisory"}, "config: unknown policy no-such-policy (known: "),
        (
            {"data-private": "sometimes"},
            "config: data-private.enforcementLevel: expected one of advisory, mandatory, disabled, got 'sometimes'",
        ),
        ({"data-private": 3}, "config: data-private: expected an enforcement level or an object, got 3"),
        (["data-private"], "config: policy config must be an object keyed by policy name"),
    ],
)
def test_a_bad_config_is_one_line_naming_the_problem(config: object, message: str) -> None:
    with pytest.raises(PolicyInputError) as error:
        policy_configs(config, "config")
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ({"outputs": {}}, "plan: not a plan.json of `python -m preview` (no resources list)"),
        ({"resources": [{"type": "x"}]}, "plan: resource 0 lacks a urn, type or name"),
    ],
)
def test_a_bad_plan_is_one_line_naming_the_problem(plan: object, message: str) -> None:
    with pytest.raises(PolicyInputError, match=None) as error:
        evaluate(plan)
    assert str(error.value) == message


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyInputError) as error:
        read_json(tmp_path / "missing.json", "plan")
    assert str(error.value) == f"{tmp_path / 'missing.json'}: cannot read the plan: No such file or directory"
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(PolicyInputError) as error:
        read_json(tmp_path / "bad.json", "plan")
    assert str(error.value).startswith(f"{tmp_path / 'bad.json'}: the plan is not JSON: ")
