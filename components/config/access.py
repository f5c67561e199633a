"""Who may use the cluster: the rules every cloud's admin, developer and preview lists share.

EKS holds one access entry per principal, Azure one role assignment per principal, role and
scope: a principal listed twice would make `pulumi up` fail half-way, and one listed both as
an administrator and as a developer (or as a CI preview identity) would leave its access to
whichever came last."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .types import Problem


def rules(
    cloud: str,
    admins: tuple[str, Sequence[str]],
    developers: tuple[str, Sequence[str]],
    previews: tuple[str, Sequence[str]] | None = None,
) -> Iterator[Problem]:
    """`admins`, `developers` and `previews` are (key under `cloud`, the principals it lists)."""
    lists = (admins, developers, previews) if previews else (admins, developers)
    for key, principals in lists:
        for index, principal in enumerate(principals):
            if principal in principals[:index]:
                yield (cloud, key, index), f"must list each principal once, got {principal!r} again"
    admin_key, admin_principals = admins
    developer_key, developer_principals = developers
    for index, principal in enumerate(developer_principals):
        if principal in admin_principals:
            yield (
                (cloud, developer_key, index),
                f"must not also be in {cloud}.{admin_key} (an administrator already has every right), got {principal!r}",
            )
    if previews:
        preview_key, preview_principals = previews
        for index, principal in enumerate(preview_principals):
            for other_key, others in (admins, developers):
                if principal in others:
                    yield (
                        (cloud, preview_key, index),
                        f"must not also be in {cloud}.{other_key} (a CI preview identity only reads), got {principal!r}",
                    )


def documented(cloud: str, admin_key: str, developer_key: str, preview_key: str | None = None) -> tuple[tuple[str, str], ...]:
    """The rules above as docs/configuration.md lists them."""
    found = (
        (f"{cloud}.{admin_key}", "each principal once"),
        (f"{cloud}.{developer_key}", f"each principal once, none of them also in `{cloud}.{admin_key}`"),
    )
    if preview_key:
        found += (
            (
                f"{cloud}.{preview_key}",
                f"each principal once, none of them also in `{cloud}.{admin_key}` or `{cloud}.{developer_key}`",
            ),
        )
    return found
