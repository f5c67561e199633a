"""Who may use the cluster: the rules every cloud's admin and developer lists share.

EKS holds one access entry per principal, Azure one role assignment per principal, role and
scope: a principal listed twice would make `pulumi up` fail half-way, and one listed both as
an administrator and as a developer would leave its access to whichever came last."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .types import Problem


def rules(cloud: str, admins: tuple[str, Sequence[str]], developers: tuple[str, Sequence[str]]) -> Iterator[Problem]:
    """`admins` and `developers` are (key under `cloud`, the principals it lists)."""
    for key, principals in (admins, developers):
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


def documented(cloud: str, admin_key: str, developer_key: str) -> tuple[tuple[str, str], ...]:
    """The rules above as docs/configuration.md lists them."""
    return (
        (f"{cloud}.{admin_key}", "each principal once"),
        (f"{cloud}.{developer_key}", f"each principal once, none of them also in `{cloud}.{admin_key}`"),
    )
