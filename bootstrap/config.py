"""The bootstrap stack's configuration (`centaurops-bootstrap:` keys): typed, frozen, and
checked before any resource is registered, one line per problem naming the key.

Models are built like the main program's (components/config/types.py: camelCase keys,
unknown keys refused, strict types) and errors are described the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

# The main program's parsing, types and wording of problems, so both programs say them alike.
from components.config import errors
from components.config.aws import IamPrincipalArn
from components.config.azure import GUID, Guid
from components.config.errors import ConfigError
from components.config.load import decode_value
from components.config.types import Cloud, Model, matching

from .github import ci_identities

NAMESPACE = "centaurops-bootstrap"
Environment = Literal["dev", "prod"]
Problem = tuple[tuple[str | int, ...], str]

# GitHub: an owner is 1 to 39 letters, digits and hyphens; a repository name is letters,
# digits, '.', '-' and '_'. Neither may hold ':' or a wildcard, which would widen the
# OIDC subject the clouds compare (repo:OWNER/REPO:...).
Repository = Annotated[str, matching(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}", "octo-org/octo-repo")]
IamMember = Annotated[str, matching(r"(user|group|serviceAccount):[^\s:]+", "group:admins@acme.com")]

# Placeholders the shipped stack files hold: GitHub's and each cloud's documentation examples.
PLACEHOLDERS = {
    ("github", "repository"): "octo-org/octo-repo",
    ("aws", "accountId"): "123456789012",
    ("gcp", "project"): "example-flows",
    ("azure", "subscriptionId"): "00000000-0000-0000-0000-000000000000",
}


class GitHub(Model):
    repository: Repository = Field(description="The repository whose workflows deploy (OWNER/REPO, as GitHub spells it).")
    repository_id: Annotated[str, matching(r"(\d+)?", "'123456789' (in quotes)")] = Field(
        default="",
        description="The repository's numeric id: on gcp the pool requires it too (a freed repository name can be taken).",
    )


class Aws(Model):
    account_id: Annotated[str, matching(r"(\d{12})?", "'123456789012' (in quotes)")] = Field(
        default="", description="The AWS account to bootstrap; the provider refuses credentials of any other."
    )
    region: Annotated[str, matching(r"[a-z]{2}(-gov)?-[a-z]+-\d", "eu-west-1")] = Field(
        default="us-east-1", description="Region of the state bucket and the keys."
    )
    key_admin_arns: list[IamPrincipalArn] = Field(
        default_factory=list, description="IAM roles or users who administer the keys, besides who runs the bootstrap."
    )
    operator_arns: list[IamPrincipalArn] = Field(
        default_factory=list,
        description="IAM roles or users who run pulumi by hand (local runs, break-glass): every environment's state and key.",
    )
    deploy_policy_arns: list[Annotated[str, matching(r"arn:aws[a-z-]*:iam::(aws|\d{12}):policy/[\w+=,.@/-]+", "arn:...")]] = (
        Field(
            default_factory=lambda: ["arn:aws:iam::aws:policy/AdministratorAccess"],
            description="Policies of the dev and prod deploy roles (the program creates IAM roles and KMS keys).",
        )
    )


class Gcp(Model):
    project: Annotated[str, matching(r"([a-z][-a-z0-9]{4,28}[a-z0-9])?", "acme-flows-prod")] = Field(
        default="", description="The project to bootstrap."
    )
    region: Annotated[str, matching(r"[a-z]+-[a-z]+\d+", "europe-west1")] = Field(
        default="us-central1", description="Location of the state buckets and the key ring."
    )
    key_admin_members: list[IamMember] = Field(
        default_factory=list, description="IAM principals who administer the key ring (Cloud KMS Admin)."
    )
    operator_members: list[IamMember] = Field(
        default_factory=list,
        description="IAM principals who run pulumi by hand (local runs, break-glass): every environment's state and key.",
    )
    # Owner may be granted to a service account directly (Resource Manager API, projects.setIamPolicy:
    # "Service accounts can be made owners of a project directly without any restrictions").
    deploy_roles: list[Annotated[str, matching(r"roles/[\w.]+|projects/[\w-]+/roles/[\w.]+", "roles/owner")]] = Field(
        default_factory=lambda: ["roles/owner"],
        description="Project roles of the dev and prod deploy service accounts (the program sets IAM policy).",
    )


class Azure(Model):
    subscription_id: Annotated[str, matching(f"({GUID})?", "00000000-0000-0000-0000-000000000000 (lowercase)")] = Field(
        default="", description="The subscription to bootstrap."
    )
    location: Annotated[str, matching(r"[a-z]+[a-z0-9]*", "westeurope")] = Field(
        default="westeurope", description="Region of the state account and the key vault."
    )
    key_admin_group_object_ids: list[Guid] = Field(
        default_factory=list, description="Entra ID groups who manage the vault's keys (Key Vault Crypto Officer)."
    )
    operator_group_object_ids: list[Guid] = Field(
        default_factory=list,
        description="Entra ID groups who run pulumi by hand (local runs, break-glass): every environment's state and key.",
    )


class Settings(Model):
    cloud: Cloud = Field(description="The cloud this account, project or subscription belongs to.")
    github: GitHub = Field(description="The repository whose workflows may deploy.")
    environments: Annotated[list[Environment], Field(min_length=1)] = Field(
        default_factory=lambda: ["dev", "prod"],
        description="Environments deployed into this account: each gets its state, its key, and two CI identities "
        "(GitHub environments E-preview and E).",
    )
    aws: Aws = Field(default_factory=Aws, description="AWS settings (cloud: aws).")
    gcp: Gcp = Field(default_factory=Gcp, description="Google Cloud settings (cloud: gcp).")
    azure: Azure = Field(default_factory=Azure, description="Azure settings (cloud: azure).")


config_key = partial(errors.config_key, namespace=NAMESPACE)


REQUIRED = {
    "aws": ("accountId", "the 12-digit account id"),
    "gcp": ("project", "the project id"),
    "azure": ("subscriptionId", "the subscription id"),
}


# Workload Identity Federation maps `sub` to google.subject, which "cannot exceed 127 bytes"
# (IAM API, WorkloadIdentityPoolProvider.attributeMapping): a longer subject is refused at sign-in.
GOOGLE_SUBJECT_MAX_BYTES = 127


def _rules(settings: Settings) -> Iterator[Problem]:
    if settings.cloud == "gcp":
        length, identity = max((len(i.subject.encode()), i.name) for i in ci_identities(settings.github, settings.environments))
        if length > GOOGLE_SUBJECT_MAX_BYTES:
            yield (
                ("github", "repository"),
                f"makes the {identity} subject {length} bytes; Google Cloud accepts at most {GOOGLE_SUBJECT_MAX_BYTES}",
            )
    key, what = REQUIRED[settings.cloud]
    if not getattr(settings, settings.cloud).model_dump(by_alias=True)[key]:
        yield (settings.cloud, key), f"is required when cloud is {settings.cloud}: {what} to bootstrap"
    if len(set(settings.environments)) != len(settings.environments):
        yield ("environments",), f"must list each environment once, got {settings.environments}"


def placeholders(settings: Settings) -> list[Problem]:
    values = {"github": settings.github, settings.cloud: getattr(settings, settings.cloud)}
    found = []
    for (section, key), example in PLACEHOLDERS.items():
        model = values.get(section)
        if model is not None and model.model_dump(by_alias=True)[key] == example:
            found.append(((section, key), f"{example} is a documentation placeholder: set your own"))
    return found


def settings_from_config(config: Mapping[str, Any]) -> Settings:
    """Validate every `centaurops-bootstrap:*` entry; ConfigError lists every problem."""
    prefix = f"{NAMESPACE}:"
    raw = {key[len(prefix) :]: decode_value(value) for key, value in config.items() if key.startswith(prefix)}
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(errors.problems_from(error, Settings, NAMESPACE)) from None
    problems = [f"{config_key(path)}: {message}" for path, message in _rules(settings)]
    if problems:
        raise ConfigError(problems)
    return settings


def settings_from_pulumi() -> Settings:
    """The running program's settings. A real engine refuses the shipped placeholders; run
    offline under mocks (the preview, tests) they are warned about, as in the main program."""
    import pulumi
    from pulumi.runtime import config as runtime_config

    from components.config.load import running_under_mocks

    settings = settings_from_config({**runtime_config.get_config_env(), **runtime_config.CONFIG.get()})
    found = [f"{config_key(path)}: {message}" for path, message in placeholders(settings)]
    if found and not running_under_mocks():
        raise ConfigError(found)
    for line in found:
        pulumi.log.warn(f"{line} (`pulumi up` refuses it)")
    return settings
