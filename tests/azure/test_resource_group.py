"""components/azure/resource_group.py: one group, tagged; delete locks in prod only."""

from tests.azure.helpers import takes_tags
from tests.azure.stacks import Built, tags

LOCK = "azure-native:authorization:ManagementLockByScope"


def test_one_resource_group_named_after_the_stack(built: Built):
    (group,) = built.plan.of_type("azure-native:resources:ResourceGroup")
    stack = built.plan.document["stack"]
    assert group["inputs"]["resourceGroupName"] == f"centaurops-{stack}"
    assert group["inputs"]["location"] == "westeurope"


def test_every_resource_that_takes_tags_is_tagged(built: Built):
    stack = built.plan.document["stack"]
    azure = [r for r in built.plan.resources if r["type"].startswith("azure-native:")]
    tagged = [r for r in azure if takes_tags(r["type"])]
    assert len(tagged) > 20
    for resource in tagged:
        assert resource["inputs"].get("tags") == tags(stack), resource["urn"]


def test_every_azure_resource_uses_the_explicit_provider(built: Built):
    (provider,) = built.plan.of_type("pulumi:providers:azure-native")
    assert provider["inputs"]["location"] == "westeurope"
    for resource in built.plan.resources:
        if resource["type"].startswith("azure-native:"):
            assert resource["provider"] == provider["urn"], resource["urn"]


def test_prod_locks_each_stateful_resource_and_dev_locks_nothing(dev: Built, prod: Built):
    assert dev.plan.of_type(LOCK) == []
    locks = prod.plan.of_type(LOCK)
    assert {lock["inputs"]["level"] for lock in locks} == {"CanNotDelete"}
    locked = {lock["inputs"]["scope"].split("/providers/", 1)[1].split("/")[1] for lock in locks}
    assert locked == {"flexibleServers", "redisEnterprise", "storageAccounts", "workspaces", "vaults"}
    accounts = prod.plan.of_type("azure-native:storage:StorageAccount")
    for account in accounts:
        assert any(lock["inputs"]["scope"].endswith(account["inputs"]["accountName"]) for lock in locks)


def test_stateful_resources_are_protected_in_prod_only(dev: Built, prod: Built):
    stateful = (
        "azure-native:dbforpostgresql:Server",
        "azure-native:dbforpostgresql:Database",
        "azure-native:redisenterprise:RedisEnterprise",
        "azure-native:redisenterprise:Database",
        "azure-native:storage:StorageAccount",
        "azure-native:storage:BlobContainer",
        "azure-native:storage:FileShare",
        "azure-native:operationalinsights:Workspace",
        "azure-native:keyvault:Vault",
        "azure-native:keyvault:Key",
    )
    for type_ in stateful:
        assert prod.plan.of_type(type_) and all(r["protect"] for r in prod.plan.of_type(type_)), type_
        assert not any(r["protect"] for r in dev.plan.of_type(type_)), type_
