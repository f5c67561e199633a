"""Control-plane logs: a Log Analytics workspace and the cluster's diagnostic settings.

AKS writes its control plane's logs (API server, audit, controller manager, scheduler,
autoscaler, Entra ID / Azure RBAC authorization) nowhere until a diagnostic setting sends
them somewhere ("Azure resources generate resource logs automatically, but you must create a
diagnostic setting to collect them": Azure Monitor, "Collect resource logs from an Azure
resource", MicrosoftDocs/azure-docs articles/azure-monitor/essentials/tutorial-resource-logs.md;
categories: Azure Monitor reference, "Supported logs for
Microsoft.ContainerService/managedClusters"). They go to a workspace of this
environment, kept `cluster.logRetentionDays` where the workspace allows it, in the
resource-specific tables (AKSControlPlane, AKSAuditAdmin) rather than AzureDiagnostics."""

from __future__ import annotations

import pulumi
import pulumi_azure_native.monitor as monitor
import pulumi_azure_native.operationalinsights as operationalinsights

from .resource_group import delete_lock

# kube-audit-admin, not kube-audit: the same audit events without get and list, the reads
# every controller makes all the time, which multiply the cost (PSRule for Azure, rules
# Azure.AKS.AuditAdmin and Azure.AKS.AuditLogs); guard: Entra ID and Azure RBAC decisions;
# csi-azurefile-controller: the driver that mounts the files share.
CONTROL_PLANE_LOGS = (
    "kube-apiserver",
    "kube-audit-admin",
    "kube-controller-manager",
    "kube-scheduler",
    "cluster-autoscaler",
    "cloud-controller-manager",
    "guard",
    "csi-azurefile-controller",
)
# A Pay-As-You-Go (PerGB2018) workspace keeps data 30 to 730 days (terraform-provider-azurerm
# website/docs/r/log_analytics_workspace.html.markdown, retention_in_days: "7 (Free Tier
# only) or range between 30 and 730"); ingestion pays for the first 31 days anyway (Azure
# Monitor, "Manage data retention in a Log Analytics workspace").
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 30, 730


def workspace_retention(days: int) -> int:
    """`cluster.logRetentionDays`, within what the workspace accepts."""
    return min(max(days, MIN_RETENTION_DAYS), MAX_RETENTION_DAYS)


class ControlPlaneLogs(pulumi.ComponentResource):
    workspace: operationalinsights.Workspace

    def __init__(
        self,
        name: str,
        *,
        cluster_id: pulumi.Input[str],
        retention_days: int,
        resource_group_name: pulumi.Input[str],
        location: str,
        prod: bool,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:azure:ControlPlaneLogs", name, None, opts)
        self.workspace = operationalinsights.Workspace(
            f"{name}-logs",
            workspace_name=f"{name}-logs",
            resource_group_name=resource_group_name,
            location=location,
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=workspace_retention(retention_days),
            # Entra ID only: no shared workspace keys (diagnostic settings need none), and
            # reading a resource's logs needs rights on that resource or the workspace.
            features=operationalinsights.WorkspaceFeaturesArgs(
                disable_local_auth=True, enable_log_access_using_only_resource_permissions=True
            ),
            tags=tags,
            # The audit trail outlives a mistaken `pulumi destroy` in prod.
            opts=pulumi.ResourceOptions(parent=self, protect=prod),
        )
        if prod:
            delete_lock(f"{name}-logs", scope=self.workspace.id, what="the control plane's audit logs", parent=self)
        monitor.DiagnosticSetting(
            f"{name}-control-plane-logs",
            name="control-plane-logs",
            resource_uri=cluster_id,
            workspace_id=self.workspace.id,
            # Resource-specific tables (AKSControlPlane, AKSAudit, AKSAuditAdmin), not AzureDiagnostics.
            log_analytics_destination_type="Dedicated",
            logs=[monitor.DiagnosticsLogSettingsArgs(category=category, enabled=True) for category in CONTROL_PLANE_LOGS],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"workspaceId": self.workspace.id})
