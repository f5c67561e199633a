"""The Google Cloud foundation's plan for a stack, run alone under mocks (as
tests/aws/test_foundation.py runs the AWS one): what it creates and what it hands over.

The whole program's plan (`tests.plans.plan_for` with `cloud: gcp`) also runs the
Kubernetes layer; these tests stay at the foundation, so they hold whatever the layer
does with the result."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

import pulumi

from components.config import settings_from_config
from components.foundation import FoundationResult, VolumeFiles
from components.gcp import GcpFoundation
from components.platform import standard_tags
from components.testing.mocks import CloudMocks
from preview.cli import PROJECT_DIR, project_name
from preview.plan import plan_document
from preview.runner import run_program
from tests.plans import Plan, config_map, stack_config


def gcp_config(stack: str, **overrides: Any) -> dict[str, str]:
    """The stack file's config on Google Cloud, with `centaurops:<key>` entries replaced by overrides."""
    return {**stack_config(stack), "centaurops:cloud": "gcp", **config_map(overrides)}


def gcp_overrides(stack: str, **changes: Any) -> dict[str, Any]:
    """The stack file's `centaurops:gcp` block with `changes` applied (for `foundation_plan(gcp=...)`)."""
    return {**json.loads(stack_config(stack)["centaurops:gcp"]), **changes}


@dataclass(frozen=True)
class FoundationPlan(Plan):
    result: FoundationResult | None = None


@functools.cache
def _cached(stack: str, config_json: str) -> FoundationPlan:
    config = json.loads(config_json)
    built: list[FoundationResult] = []

    def program() -> None:
        settings = settings_from_config(config, stack)
        result = GcpFoundation(f"{project_name()}-{stack}", settings, standard_tags(settings)).result
        built.append(result)
        pulumi.export("cloud", result.cloud)
        pulumi.export("kubeconfig", pulumi.Output.unsecret(result.kubeconfig))
        pulumi.export("databaseHost", result.database.host)
        pulumi.export("databaseUrl", pulumi.Output.unsecret(result.database.url))
        pulumi.export("databasePassword", pulumi.Output.unsecret(result.database.password))
        pulumi.export("databaseUrlSecret", result.database.url)
        pulumi.export("cacheHost", result.cache.host)
        pulumi.export("cachePassword", pulumi.Output.unsecret(result.cache.password))
        pulumi.export("cachePasswordSecret", result.cache.password)
        pulumi.export("cacheUrl", pulumi.Output.unsecret(result.cache.url(ca_file="/etc/redis-ca/ca.crt")))
        pulumi.export("cacheCa", result.cache.ca_certificate)
        pulumi.export("kubeconfigSecret", result.kubeconfig)
        pulumi.export("bucket", result.object_store.bucket)
        pulumi.export("objectStoreUrl", result.object_store.url)
        if isinstance(result.file_storage, VolumeFiles):
            pulumi.export("fileVolume", result.file_storage.volume)
        pulumi.export("serviceAccountAnnotations", result.workload_identity.service_account_annotations)

    run = run_program(PROJECT_DIR, project=project_name(), stack=stack, config=config, mocks=CloudMocks(), program=program)
    return FoundationPlan(plan_document(run, "gcp"), built[0])


def foundation_plan(stack: str, **overrides: Any) -> FoundationPlan:
    """The plan of the Google Cloud foundation of `stack` (its stack file plus overrides), once per process."""
    return _cached(stack, json.dumps(gcp_config(stack, **overrides), sort_keys=True))
