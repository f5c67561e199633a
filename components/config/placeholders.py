"""Values reserved for documentation, which the shipped stack files use as placeholders.

They let a stack preview out of the box, but nothing real works with them: Let's Encrypt
refuses contacts at example domains and cannot validate a reserved name, and a
documentation address range admits nobody to the API. A real deployment refuses them
(one line per key naming what to set); the offline preview only warns.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from .schema import Settings

Problem = tuple[tuple[str | int, ...], str]

# RFC 2606 and RFC 6761 (example domains, test, invalid, localhost), RFC 6762 (local),
# RFC 8375 (home.arpa), and ICANN's private-use TLD internal (2024).
RESERVED_DOMAINS = (
    "example.com",
    "example.net",
    "example.org",
    "example",
    "test",
    "invalid",
    "localhost",
    "local",
    "home.arpa",
    "internal",
)
# The shipped stack files name their Google Cloud project example-flows-<stack>.
PLACEHOLDER_PROJECT_PREFIX = "example-"
# The shipped stack files name the nil GUID as their Azure admin group.
PLACEHOLDER_GUID = "00000000-0000-0000-0000-000000000000"
# RFC 5737: TEST-NET-1, -2 and -3.
DOCUMENTATION_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))


def reserved_domain(name: str) -> str | None:
    """The reserved domain `name` falls under, if any."""
    name = name.lower().rstrip(".")
    return next((domain for domain in RESERVED_DOMAINS if name == domain or name.endswith(f".{domain}")), None)


def documentation_range(cidr: str) -> str | None:
    """The RFC 5737 range `cidr` overlaps, if any."""
    network = ipaddress.IPv4Network(cidr)
    return next((str(r) for r in DOCUMENTATION_RANGES if network.overlaps(r)), None)


def _cidrs(path: tuple[str, ...], cidrs: list[str], what: str) -> Iterator[Problem]:
    for index, cidr in enumerate(cidrs):
        documentation = documentation_range(cidr)
        if documentation:
            yield (*path, index), f"{cidr} is a documentation range (RFC 5737, {documentation}) and admits nobody: list {what}"


def placeholders(settings: Settings) -> list[Problem]:
    """Every placeholder value in `settings`, each naming its key and what to set instead."""
    problems: list[Problem] = []
    host = settings.ingress.host
    domain = reserved_domain(host)
    if domain:
        problems.append(
            (
                ("ingress", "host"),
                f"{host} is a placeholder (reserved domain {domain}): set the platform's public host name, whose DNS you control",
            )
        )
    email = settings.ingress.acme_email
    domain = reserved_domain(email.rsplit("@", 1)[-1])
    if domain:
        problems.append(
            (
                ("ingress", "acmeEmail"),
                f"{email} is a placeholder (reserved domain {domain}; Let's Encrypt refuses it): set a mailbox you read",
            )
        )
    if settings.cloud == "gcp" and settings.gcp.project.startswith(PLACEHOLDER_PROJECT_PREFIX):
        problems.append((("gcp", "project"), f"{settings.gcp.project} is a placeholder: set the id of the project to build in"))
    if settings.cloud == "azure":
        for index, group in enumerate(settings.azure.admin_group_object_ids):
            if group == PLACEHOLDER_GUID:
                problems.append(
                    (
                        ("azure", "adminGroupObjectIds", index),
                        f"{group} is a placeholder: list the object ids of your Entra ID admin groups, or none",
                    )
                )
    cluster = settings.cluster
    problems += _cidrs(("cluster", "publicAccessCidrs"), cluster.public_access_cidrs, "the egress addresses of those who deploy")
    problems += _cidrs(("cluster", "privateAccessCidrs"), cluster.private_access_cidrs, "the networks that deploy")
    problems += _cidrs(("ingress", "allowedSourceCidrs"), settings.ingress.allowed_source_cidrs, "the clients' addresses")
    return problems
