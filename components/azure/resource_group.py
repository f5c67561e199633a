"""The resource group everything lives in, and the management locks of prod's stateful resources."""

from __future__ import annotations

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.resources as resources


class ResourceGroup(pulumi.ComponentResource):
    name: pulumi.Output[str]
    id: pulumi.Output[str]

    def __init__(self, name: str, *, location: str, tags: dict[str, str], opts: pulumi.ResourceOptions | None = None):
        super().__init__("centaurops:azure:ResourceGroup", name, None, opts)
        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=name,
            location=location,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.name, self.id = group.name, group.id
        self.register_outputs({"name": group.name})


def delete_lock(
    name: str, *, scope: pulumi.Input[str], what: str, parent: pulumi.Resource
) -> authorization.ManagementLockByScope:
    """A CanNotDelete management lock: Azure refuses to delete the resource (and its
    resource group) until the lock is removed, whoever asks (Azure Resource Manager,
    "Lock your resources to protect your infrastructure"). Pulumi's protect guards the
    state; the lock guards the resource from the portal, the CLI and other tools."""
    return authorization.ManagementLockByScope(
        f"{name}-lock",
        scope=scope,
        level="CanNotDelete",
        notes=f"centaurops prod: {what} holds data; remove this lock only to retire the environment",
        opts=pulumi.ResourceOptions(parent=parent),
    )
