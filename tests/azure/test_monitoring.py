"""components/azure/monitoring.py: the control plane's logs go to a workspace of the
environment, kept as long as `cluster.logRetentionDays` where the workspace allows it."""

import pytest

from components.azure.monitoring import workspace_retention
from tests.azure.helpers import waits_for
from tests.azure.stacks import Built, azure, cluster

WORKSPACE = "azure-native:operationalinsights:Workspace"
SETTING = "azure-native:monitor:DiagnosticSetting"
CLUSTER = "azure-native:containerservice:ManagedCluster"


def test_the_cluster_sends_its_control_plane_and_audit_logs_to_the_workspace(built: Built):
    plan = built.plan
    workspace, setting, aks = plan.one(WORKSPACE), plan.one(SETTING), plan.one(CLUSTER)
    inputs = setting["inputs"]
    assert inputs["resourceUri"].endswith(f"/managedClusters/{aks['inputs']['resourceName']}")
    assert inputs["workspaceId"].endswith(f"/workspaces/{workspace['inputs']['workspaceName']}")
    assert inputs["workspaceId"].startswith("/subscriptions/")
    assert inputs["logAnalyticsDestinationType"] == "Dedicated"
    categories = {log["category"] for log in inputs["logs"] if log["enabled"]}
    assert {"kube-apiserver", "kube-audit-admin", "kube-controller-manager", "cluster-autoscaler", "guard"} <= categories
    # Every write is audited; every read too would multiply the cost.
    assert "kube-audit" not in categories
    assert {aks["urn"], workspace["urn"]} <= waits_for(plan, setting)


def test_the_workspace_takes_entra_id_only_and_keeps_the_stacks_retention(built: Built):
    workspace = built.plan.one(WORKSPACE)["inputs"]
    assert workspace["sku"] == {"name": "PerGB2018"}
    assert workspace["features"]["disableLocalAuth"] is True
    # The schema's default in dev, prod's default (cluster.logRetentionDays) in prod.
    assert workspace["retentionInDays"] == {"dev": 30, "prod": 365}[built.plan.document["stack"]]
    assert workspace["resourceGroupName"] == f"centaurops-{built.plan.document['stack']}"


@pytest.mark.parametrize(("days", "kept"), [(1, 30), (7, 30), (30, 30), (90, 90), (365, 365), (731, 730), (3653, 730)])
def test_retention_is_clamped_to_what_a_workspace_accepts(days: int, kept: int):
    assert workspace_retention(days) == kept


def test_the_stacks_retention_reaches_the_workspace():
    workspace = azure("dev", cluster=cluster("dev", logRetentionDays=90)).plan.one(WORKSPACE)
    assert workspace["inputs"]["retentionInDays"] == 90


def test_the_workspace_never_waits_for_the_cluster(built: Built):
    plan = built.plan
    assert plan.one(CLUSTER)["urn"] not in waits_for(plan, plan.one(WORKSPACE))
