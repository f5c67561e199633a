"""components/aws/encryption.py: rotating customer keys, protected in prod."""

from tests.plans import Plan

KEY = "aws:kms/key:Key"


def test_two_rotating_keys_with_a_long_deletion_window(plan: Plan):
    keys = plan.of_type(KEY)
    assert sorted(k["name"].rsplit("-", 1)[-1] for k in keys) == ["cluster", "data"]
    for key in keys:
        assert key["inputs"]["enableKeyRotation"] is True
        assert key["inputs"]["deletionWindowInDays"] == 30


def test_keys_are_protected_in_prod_only(dev: Plan, prod: Plan):
    assert {k["protect"] for k in dev.of_type(KEY)} == {False}
    assert {k["protect"] for k in prod.of_type(KEY)} == {True}
