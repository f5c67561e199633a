"""Mocked Azure outputs and invokes: shaped like the real ones, derived from resource names.

Resource ids are ARM ids (/subscriptions/<sub>/resourceGroups/<rg>/providers/<namespace>/
<type>/<name>, children nested under their parents), principal and client ids are GUIDs,
endpoints are the services' real host name patterns. The AKS user credentials come back
as AKS returns them for an Entra ID cluster with local accounts disabled: a base64
kubeconfig whose kubelogin exec asks for a device code.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import yaml

from .base import FAKE_CA_PEM, InvokeHandler, ProviderMocks, ResourceHandler, digest

SUBSCRIPTION_ID = "4f1c2b7e-8d3a-4e5f-9a6b-0c1d2e3f4a5b"
TENANT_ID = "7a9b8c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
DEFAULT_LOCATION = "westeurope"
# Who runs `pulumi up` in the mocks (az login): an Entra ID object id.
DEPLOYER_OBJECT_ID = "2c5e8f1a-3b4d-4c6e-9f0a-1b2c3d4e5f60"
# The AKS AAD server application every managed Entra ID cluster uses (the kubelogin --server-id).
AKS_AAD_SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630"
# The Azure CLI's public client application, which AKS writes as the device-code --client-id.
AZURE_CLI_CLIENT_ID = "80faf920-1908-4b52-b5ef-a8e7bedfc67a"

# type token -> (ARM resource type under its parent, input naming the resource, parent inputs)
_ARM: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "azure-native:network:VirtualNetwork": ("Microsoft.Network/virtualNetworks", "virtualNetworkName", ()),
    "azure-native:network:Subnet": (
        "subnets",
        "subnetName",
        (("Microsoft.Network/virtualNetworks", "virtualNetworkName"),),
    ),
    "azure-native:network:NatGateway": ("Microsoft.Network/natGateways", "natGatewayName", ()),
    "azure-native:network:PublicIPAddress": ("Microsoft.Network/publicIPAddresses", "publicIpAddressName", ()),
    "azure-native:network:NetworkSecurityGroup": (
        "Microsoft.Network/networkSecurityGroups",
        "networkSecurityGroupName",
        (),
    ),
    "azure-native:network:PrivateEndpoint": ("Microsoft.Network/privateEndpoints", "privateEndpointName", ()),
    "azure-native:network:PrivateDnsZoneGroup": (
        "privateDnsZoneGroups",
        "privateDnsZoneGroupName",
        (("Microsoft.Network/privateEndpoints", "privateEndpointName"),),
    ),
    "azure-native:privatedns:PrivateZone": ("Microsoft.Network/privateDnsZones", "privateZoneName", ()),
    "azure-native:privatedns:VirtualNetworkLink": (
        "virtualNetworkLinks",
        "virtualNetworkLinkName",
        (("Microsoft.Network/privateDnsZones", "privateZoneName"),),
    ),
    "azure-native:managedidentity:UserAssignedIdentity": (
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "resourceName",
        (),
    ),
    "azure-native:managedidentity:FederatedIdentityCredential": (
        "federatedIdentityCredentials",
        "federatedIdentityCredentialResourceName",
        (("Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName"),),
    ),
    "azure-native:containerservice:ManagedCluster": (
        "Microsoft.ContainerService/managedClusters",
        "resourceName",
        (),
    ),
    "azure-native:containerservice:AgentPool": (
        "agentPools",
        "agentPoolName",
        (("Microsoft.ContainerService/managedClusters", "resourceName"),),
    ),
    "azure-native:containerservice:MaintenanceConfiguration": (
        "maintenanceConfigurations",
        "configName",
        (("Microsoft.ContainerService/managedClusters", "resourceName"),),
    ),
    "azure-native:dbforpostgresql:Server": ("Microsoft.DBforPostgreSQL/flexibleServers", "serverName", ()),
    "azure-native:dbforpostgresql:Configuration": (
        "configurations",
        "configurationName",
        (("Microsoft.DBforPostgreSQL/flexibleServers", "serverName"),),
    ),
    "azure-native:dbforpostgresql:Database": (
        "databases",
        "databaseName",
        (("Microsoft.DBforPostgreSQL/flexibleServers", "serverName"),),
    ),
    "azure-native:redisenterprise:RedisEnterprise": ("Microsoft.Cache/redisEnterprise", "clusterName", ()),
    "azure-native:redisenterprise:Database": (
        "databases",
        "databaseName",
        (("Microsoft.Cache/redisEnterprise", "clusterName"),),
    ),
    "azure-native:storage:StorageAccount": ("Microsoft.Storage/storageAccounts", "accountName", ()),
    "azure-native:storage:BlobServiceProperties": (
        "blobServices",
        "blobServicesName",
        (("Microsoft.Storage/storageAccounts", "accountName"),),
    ),
    "azure-native:storage:BlobContainer": (
        "blobServices/default/containers",
        "containerName",
        (("Microsoft.Storage/storageAccounts", "accountName"),),
    ),
    "azure-native:storage:FileServiceProperties": (
        "fileServices",
        "fileServicesName",
        (("Microsoft.Storage/storageAccounts", "accountName"),),
    ),
    "azure-native:operationalinsights:Workspace": (
        "Microsoft.OperationalInsights/workspaces",
        "workspaceName",
        (),
    ),
    "azure-native:keyvault:Vault": ("Microsoft.KeyVault/vaults", "vaultName", ()),
    "azure-native:keyvault:Key": ("keys", "keyName", (("Microsoft.KeyVault/vaults", "vaultName"),)),
    "azure-native:storage:FileShare": (
        "fileServices/default/shares",
        "shareName",
        (("Microsoft.Storage/storageAccounts", "accountName"),),
    ),
}


def guid(text: str) -> str:
    """A GUID derived from `text` (object, principal, client and tenant ids)."""
    h = digest(text, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


class AzureMocks(ProviderMocks):
    """Mocks for the Azure resources the components create and the invokes they make."""

    package = "azure-native"

    def __init__(
        self,
        subscription_id: str = SUBSCRIPTION_ID,
        tenant_id: str = TENANT_ID,
        location: str = DEFAULT_LOCATION,
        deployer_object_id: str = DEPLOYER_OBJECT_ID,
    ):
        self.subscription_id = subscription_id
        self.tenant_id = tenant_id
        self.location = location
        self.deployer_object_id = deployer_object_id
        # AKS API server host names by cluster name, for the credentials invoke.
        self._servers: dict[str, str] = {}

    def resources(self) -> Mapping[str, ResourceHandler]:
        return {
            "pulumi:providers:azure-native": self._provider,
            "azure-native:resources:ResourceGroup": self._resource_group,
            "azure-native:managedidentity:UserAssignedIdentity": self._identity,
            "azure-native:containerservice:ManagedCluster": self._managed_cluster,
            "azure-native:dbforpostgresql:Server": self._postgres,
            "azure-native:redisenterprise:RedisEnterprise": self._redis,
            "azure-native:storage:StorageAccount": self._storage_account,
            "azure-native:network:PublicIPAddress": self._public_ip,
            "azure-native:network:PrivateEndpoint": self._private_endpoint,
            "azure-native:authorization:RoleAssignment": self._role_assignment,
            "azure-native:authorization:ManagementLockByScope": self._lock,
            "azure-native:operationalinsights:Workspace": self._workspace,
            "azure-native:monitor:DiagnosticSetting": self._diagnostic_setting,
            "azure-native:keyvault:Vault": self._vault,
            "azure-native:keyvault:Key": self._vault_key,
            # Storage account names are globally unique: the program suffixes them with this.
            "random:index/randomString:RandomString": self._random_string,
        }

    def invokes(self) -> Mapping[str, InvokeHandler]:
        return {
            "azure-native:authorization:getClientConfig": self._client_config,
            "azure-native:containerservice:listManagedClusterUserCredentials": self._user_credentials,
            "azure-native:redisenterprise:listDatabaseKeys": self._redis_keys,
        }

    def complete(self, typ: str, name: str, outputs: dict[str, Any]) -> None:
        arm = _ARM.get(typ)
        if arm is None:
            outputs.setdefault("name", outputs.get("name") or name)
            return
        _, name_key, _ = arm
        # azure-native auto-names a resource whose name is not given: logical name plus a suffix.
        resource_name = outputs.get(name_key) or f"{name}{digest(name, 8)}"
        outputs[name_key] = resource_name
        outputs.setdefault("name", resource_name)
        outputs.setdefault("id", self._arm_id(typ, outputs))
        outputs.setdefault("provisioningState", "Succeeded")
        if "location" in outputs or typ.endswith((":VirtualNetwork", ":NatGateway", ":NetworkSecurityGroup")):
            outputs.setdefault("location", self.location)

    def resource_id(self, typ: str, name: str, outputs: dict[str, Any]) -> str:
        return str(outputs.get("id") or f"/subscriptions/{self.subscription_id}/providers/{typ}/{name}")

    # --- ids ---------------------------------------------------------------------------

    def _group_id(self, group: str) -> str:
        return f"/subscriptions/{self.subscription_id}/resourceGroups/{group}"

    def _arm_id(self, typ: str, outputs: dict[str, Any]) -> str:
        arm_type, name_key, parents = _ARM[typ]
        path = "".join(f"/{parent_type}/{outputs.get(key, '')}" for parent_type, key in parents)
        if parents:
            return f"{self._group_id(str(outputs.get('resourceGroupName', '')))}/providers{path}/{arm_type}/{outputs[name_key]}"
        return f"{self._group_id(str(outputs.get('resourceGroupName', '')))}/providers/{arm_type}/{outputs[name_key]}"

    # --- realistic outputs per type --------------------------------------------------

    def _provider(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        self.location = inputs.get("location", self.location)
        self.subscription_id = inputs.get("subscriptionId", self.subscription_id)
        return {}

    def _resource_group(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        group = inputs.get("resourceGroupName") or f"{name}{digest(name, 8)}"
        return {"name": group, "id": self._group_id(group), "location": inputs.get("location", self.location)}

    def _identity(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"principalId": guid(f"{name}:principal"), "clientId": guid(f"{name}:client"), "tenantId": self.tenant_id}

    def _user_assigned(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """A resource's `identity` as Azure answers it: the user-assigned identities given as a
        list (or a map) of ids come back as a map of id to principal and client ids."""
        identity = dict(inputs.get("identity") or {})
        ids = identity.get("userAssignedIdentities") or []
        identity["userAssignedIdentities"] = {
            ident: {"principalId": guid(f"{ident}:principal"), "clientId": guid(f"{ident}:client")} for ident in ids
        }
        return identity

    def _managed_cluster(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        cluster = inputs.get("resourceName") or name
        location = inputs.get("location", self.location)
        prefix = inputs.get("dnsPrefix", cluster)
        fqdn = f"{prefix}-{digest(cluster, 8)}.hcp.{location}.azmk8s.io"
        self._servers[cluster] = fqdn
        profile = inputs.get("identityProfile") or {}
        return {
            "identity": self._user_assigned(inputs),
            "fqdn": fqdn,
            "azurePortalFQDN": f"{prefix}-{digest(cluster, 8)}.portal.hcp.{location}.azmk8s.io",
            "oidcIssuerProfile": {
                **(inputs.get("oidcIssuerProfile") or {}),
                "issuerURL": f"https://{location}.oic.prod-aks.azure.com/{self.tenant_id}/{guid(cluster + ':oidc')}/",
            },
            "identityProfile": profile,
            "currentKubernetesVersion": f"{inputs.get('kubernetesVersion', '1.35')}.1",
            "nodeResourceGroup": inputs.get("nodeResourceGroup") or f"MC_{inputs.get('resourceGroupName')}_{cluster}_{location}",
            "powerState": {"code": "Running"},
        }

    def _postgres(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        server = inputs.get("serverName") or f"{name}{digest(name, 8)}"
        return {
            "serverName": server,
            "fullyQualifiedDomainName": f"{server}.postgres.database.azure.com",
            "state": "Ready",
            **({"identity": self._user_assigned(inputs)} if inputs.get("identity") else {}),
        }

    def _redis(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        cluster = inputs.get("clusterName") or f"{name}{digest(name, 8)}"
        location = inputs.get("location", self.location)
        return {
            "clusterName": cluster,
            "hostName": f"{cluster}.{location}.redis.azure.net",
            "redisVersion": "7.4",
            **({"identity": self._user_assigned(inputs)} if inputs.get("identity") else {}),
        }

    def _storage_account(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        account = inputs.get("accountName") or f"{name.replace('-', '')[:16]}{digest(name, 8)}"
        endpoints = {kind: f"https://{account}.{kind}.core.windows.net/" for kind in ("blob", "file", "queue", "table", "dfs")}
        return {
            "accountName": account,
            "primaryEndpoints": endpoints,
            **({"identity": self._user_assigned(inputs)} if inputs.get("identity") else {}),
        }

    def _public_ip(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        # From Azure's public ranges (20.0.0.0/8 is Microsoft's).
        h = int(digest(name, 6), 16)
        return {"ipAddress": f"20.{h >> 16 & 255}.{h >> 8 & 255}.{h & 255}"}

    def _private_endpoint(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"networkInterfaces": [{"id": f"{name}-nic"}]}

    def _role_assignment(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        assignment = inputs.get("roleAssignmentName") or guid(name)
        scope = inputs.get("scope", "")
        return {"name": assignment, "id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{assignment}"}

    def _lock(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        lock = inputs.get("lockName") or name
        scope = inputs.get("scope", "")
        return {"name": lock, "id": f"{scope}/providers/Microsoft.Authorization/locks/{lock}"}

    def _workspace(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        # The workspace id agents and queries use (customerId) is a GUID, besides the ARM id.
        return {"customerId": guid(f"{name}:workspace"), "provisioningState": "Succeeded"}

    def _diagnostic_setting(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        # An extension resource: its id hangs under the resource it reads.
        setting = inputs.get("name") or name
        scope = inputs.get("resourceUri", "")
        return {"name": setting, "id": f"{scope}/providers/Microsoft.Insights/diagnosticSettings/{setting}"}

    def _vault(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        vault = inputs.get("vaultName") or f"{name}{digest(name, 8)}"
        return {"properties": {**(inputs.get("properties") or {}), "vaultUri": f"https://{vault}.vault.azure.net/"}}

    def _vault_key(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        key = f"https://{inputs.get('vaultName')}.vault.azure.net/keys/{inputs.get('keyName', name)}"
        return {"keyUri": key, "keyUriWithVersion": f"{key}/{digest(name, 32)}"}

    def _random_string(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        length = int(inputs.get("length", 8))
        return {"result": "".join(alphabet[int(c, 16) % len(alphabet)] for c in digest(name, 64))[:length]}

    # --- invokes -------------------------------------------------------------------------

    def _client_config(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "clientId": AZURE_CLI_CLIENT_ID,
            "objectId": self.deployer_object_id,
            "subscriptionId": self.subscription_id,
            "tenantId": self.tenant_id,
        }

    def _user_credentials(self, args: dict[str, Any]) -> dict[str, Any]:
        """What AKS returns for an Entra ID cluster: a kubeconfig whose user runs kubelogin
        with the device-code flow, base64-encoded."""
        cluster = str(args.get("resourceName", "cluster"))
        server = args.get("serverFqdn") or self._servers.get(cluster) or f"{cluster}.hcp.{self.location}.azmk8s.io"
        context = cluster
        user = f"clusterUser_{args.get('resourceGroupName')}_{cluster}"
        kubeconfig = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": cluster,
                    "cluster": {
                        "certificate-authority-data": base64.b64encode(FAKE_CA_PEM.encode()).decode(),
                        "server": f"https://{server}:443",
                    },
                }
            ],
            "contexts": [{"name": context, "context": {"cluster": cluster, "user": user}}],
            "current-context": context,
            "preferences": {},
            "users": [
                {
                    "name": user,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "args": [
                                "get-token",
                                "--environment",
                                "AzurePublicCloud",
                                "--server-id",
                                AKS_AAD_SERVER_ID,
                                "--client-id",
                                AZURE_CLI_CLIENT_ID,
                                "--tenant-id",
                                self.tenant_id,
                                "--login",
                                "devicecode",
                            ],
                            "command": "kubelogin",
                            "env": None,
                            "installHint": "\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n",
                            "provideClusterInfo": False,
                        }
                    },
                }
            ],
        }
        value = base64.b64encode(yaml.safe_dump(kubeconfig, sort_keys=False).encode()).decode()
        return {"kubeconfigs": [{"name": "clusterUser", "value": value}]}

    def _redis_keys(self, args: dict[str, Any]) -> dict[str, Any]:
        cluster = str(args.get("clusterName", ""))
        primary = base64.b64encode(bytes.fromhex(digest(f"{cluster}:primary", 64))).decode()
        secondary = base64.b64encode(bytes.fromhex(digest(f"{cluster}:secondary", 64))).decode()
        return {"primaryKey": primary, "secondaryKey": secondary}
