"""components/config/access.py: each cloud's administrators and developers are distinct lists of distinct principals."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import settings_from_config
from tests.config.problems import problems
from tests.plans import config_map

ROLE = "arn:aws:iam::123456789012:role/platform-admin"
DEVELOPERS = "arn:aws:iam::123456789012:role/developers"
GROUP = "11111111-1111-1111-1111-111111111111"
OTHER_GROUP = "22222222-2222-2222-2222-222222222222"

PREVIEW_ROLE = "arn:aws:iam::123456789012:role/centaurops-aws-prod-preview"
PREVIEW_SP = "33333333-3333-3333-3333-333333333333"
# (cloud, its own settings, admin key, developer key, a principal, another principal)
CLOUDS = [
    ("aws", {}, "adminPrincipalArns", "developerPrincipalArns", ROLE, DEVELOPERS),
    ("gcp", {"project": "acme-flows-dev"}, "adminMembers", "developerMembers", "group:ops@acme.com", "group:dev@acme.com"),
    ("azure", {}, "adminGroupObjectIds", "developerGroupObjectIds", GROUP, OTHER_GROUP),
]


def on(cloud: str, own: dict[str, Any], **keys: list[str]) -> dict[str, Any]:
    return {"cloud": cloud, cloud: {**own, **keys}}


@pytest.mark.parametrize(("cloud", "own", "admins", "developers", "one", "other"), CLOUDS)
def test_a_developer_who_is_also_an_administrator_is_refused(
    cloud: str, own: dict[str, Any], admins: str, developers: str, one: str, other: str
) -> None:
    values = on(cloud, own, **{admins: [one], developers: [other, one]})
    assert problems(values) == [
        f"centaurops:{cloud}.{developers}[1]: must not also be in {cloud}.{admins}"
        f" (an administrator already has every right), got {one!r}"
    ]


@pytest.mark.parametrize(("cloud", "own", "admins", "developers", "one", "other"), CLOUDS)
@pytest.mark.parametrize("listed_twice", ["admins", "developers"])
def test_a_principal_listed_twice_is_refused(
    cloud: str, own: dict[str, Any], admins: str, developers: str, one: str, other: str, listed_twice: str
) -> None:
    key = admins if listed_twice == "admins" else developers
    assert problems(on(cloud, own, **{key: [one, other, one]})) == [
        f"centaurops:{cloud}.{key}[2]: must list each principal once, got {one!r} again"
    ]


@pytest.mark.parametrize(("cloud", "own", "admins", "developers", "one", "other"), CLOUDS)
def test_distinct_administrators_and_developers_are_fine(
    cloud: str, own: dict[str, Any], admins: str, developers: str, one: str, other: str
) -> None:
    settings = settings_from_config(config_map(on(cloud, own, **{admins: [one], developers: [other]})), "prod")
    assert getattr(settings, cloud).model_dump(by_alias=True)[developers] == [other]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_developers_are_nobody_by_default(stack: str) -> None:
    settings = settings_from_config(config_map({}), stack)
    assert settings.aws.developer_principal_arns == []
    assert settings.gcp.developer_members == []
    assert settings.azure.developer_group_object_ids == []


# (cloud, its own settings, preview key, a preview principal)
PREVIEWS = [
    ("aws", {}, "previewPrincipalArns", PREVIEW_ROLE),
    ("gcp", {"project": "acme-flows-dev"}, "previewMembers", "serviceAccount:prod-preview@acme-ci.iam.gserviceaccount.com"),
    ("azure", {}, "previewPrincipalObjectIds", PREVIEW_SP),
]


@pytest.mark.parametrize(("cloud", "own", "admins", "developers", "one", "other"), CLOUDS)
@pytest.mark.parametrize("also", ["admins", "developers"])
def test_a_preview_identity_also_listed_with_more_rights_is_refused(
    cloud: str, own: dict[str, Any], admins: str, developers: str, one: str, other: str, also: str
) -> None:
    ((_, _, previews, _),) = [p for p in PREVIEWS if p[0] == cloud]
    key = admins if also == "admins" else developers
    assert problems(on(cloud, own, **{key: [one], previews: [other, one]})) == [
        f"centaurops:{cloud}.{previews}[1]: must not also be in {cloud}.{key} (a CI preview identity only reads), got {one!r}"
    ]


@pytest.mark.parametrize(("cloud", "own", "previews", "one"), PREVIEWS)
def test_a_preview_identity_listed_twice_is_refused(cloud: str, own: dict[str, Any], previews: str, one: str) -> None:
    assert problems(on(cloud, own, **{previews: [one, one]})) == [
        f"centaurops:{cloud}.{previews}[1]: must list each principal once, got {one!r} again"
    ]


@pytest.mark.parametrize(("cloud", "own", "previews", "one"), PREVIEWS)
@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_preview_identities_are_accepted_and_nobody_by_default(
    cloud: str, own: dict[str, Any], previews: str, one: str, stack: str
) -> None:
    settings = settings_from_config(config_map(on(cloud, own, **{previews: [one]})), stack)
    assert getattr(settings, cloud).model_dump(by_alias=True)[previews] == [one]
    assert getattr(settings_from_config(config_map({}), stack), cloud).model_dump(by_alias=True)[previews] == []
