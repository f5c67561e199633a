"""The Azure foundation of a shipped stack, run alone under mocks.

The whole program (`plan_for(stack, cloud="azure")`) also runs the Kubernetes layer; these
tests build only the foundation, so that they hold whatever the layer does, and keep the
foundation's result (its Python objects) beside the plan of what it registers."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

import pulumi

from components.azure import AzureFoundation
from components.config import settings_from_config
from components.foundation import FoundationResult, VolumeFiles
from components.testing.mocks import CloudMocks
from preview.cli import PROJECT_DIR
from preview.plan import plan_document
from preview.runner import run_program
from tests.plans import Plan, stack_config

TAGS = {"project": "centaurops", "managed-by": "pulumi"}


@dataclass(frozen=True)
class Built:
    plan: Plan
    result: FoundationResult
    # Stack outputs: the result's outputs, secrets both as they are and revealed.
    outputs: dict[str, Any]


def tags(stack: str) -> dict[str, str]:
    return {**TAGS, "stack": stack, "environment": stack}


def _export(result: FoundationResult) -> None:
    values: dict[str, pulumi.Output[Any]] = {
        "kubeconfig": result.kubeconfig,
        "databasePassword": result.database.password,
        "databaseUrl": result.database.url,
        "cachePassword": result.cache.password,
        "cacheUrl": result.cache.url(),
        "databaseHost": result.database.host,
        "cacheHost": result.cache.host,
        "clusterName": result.cluster_name,
        "objectStoreUrl": result.object_store.url,
        "serviceAccountAnnotations": result.workload_identity.service_account_annotations,
    }
    if isinstance(result.file_storage, VolumeFiles):
        values["fileObjects"] = pulumi.Output.from_input(list(result.file_storage.objects))
    for key, output in values.items():
        pulumi.export(key, output)
        pulumi.export(f"{key}Revealed", pulumi.Output.unsecret(output))


@functools.cache
def _build(stack: str, config_json: str) -> Built:
    config = json.loads(config_json)
    built: list[FoundationResult] = []

    def program() -> None:
        settings = settings_from_config(config, stack)
        built.append(AzureFoundation(f"centaurops-{stack}", settings, tags(stack)).result)
        _export(built[0])

    run = run_program(PROJECT_DIR, project="centaurops", stack=stack, config=config, mocks=CloudMocks(), program=program)
    return Built(plan=Plan(plan_document(run, "azure")), result=built[0], outputs=run.outputs)


def azure(stack: str, **overrides: Any) -> Built:
    """The Azure foundation of `stack`'s stack file (`cloud: azure`), with config overrides."""
    config = stack_config(stack, cloud="azure", **overrides)
    return _build(stack, json.dumps(config, sort_keys=True))


def cluster(stack: str, **changes: Any) -> dict[str, Any]:
    """The stack file's `centaurops:cluster` with `changes` applied."""
    return {**json.loads(stack_config(stack).get("centaurops:cluster", "{}")), **changes}
