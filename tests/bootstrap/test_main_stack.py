"""The bootstrap's `mainStackConfig` output is what the main program's stack files take: its
keys pass the main program's own config validation, and name the deploy and preview identities."""

from __future__ import annotations

import json

import pytest

from components.config import settings_from_config
from tests.bootstrap.stacks import bootstrap_plan
from tests.plans import stack_config


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_main_stack_config_is_accepted_by_the_main_program(cloud: str, environment: str) -> None:
    outputs = bootstrap_plan(cloud).outputs
    config = {**stack_config(environment), "centaurops:cloud": cloud}
    for key, value in outputs["mainStackConfig"][environment].items():
        # A stack file's mapping gets these keys added to it.
        config[key] = json.dumps({**json.loads(config.get(key, "{}")), **value})
    settings = settings_from_config(config, environment)
    preview = f"{environment}-preview"
    if cloud == "aws":
        assert settings.aws.admin_principal_arns == [outputs["roleArns"][environment]]
        assert settings.aws.preview_principal_arns == [outputs["roleArns"][preview]]
    elif cloud == "gcp":
        assert settings.gcp.admin_members == [f"serviceAccount:{outputs['serviceAccounts'][environment]}"]
        assert settings.gcp.preview_members == [f"serviceAccount:{outputs['serviceAccounts'][preview]}"]
    else:
        assert settings.azure.deployer_principal_type == "ServicePrincipal"
        assert settings.azure.subscription_id == outputs["githubVariables"][environment]["AZURE_SUBSCRIPTION_ID"]
        # Its own environment's preview identity, never the other's.
        assert settings.azure.preview_principal_object_ids == [outputs["principalIds"][preview]]
