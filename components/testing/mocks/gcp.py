"""Mocked Google Cloud outputs and invokes: shaped like the real ones, derived from resource names.

Addresses land where Google Cloud puts them: a Cloud SQL instance and a Memorystore
instance in the private services range they were given, the GKE control plane's private
endpoint in its subnet; service agents are named by the project number as Google names them.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Mapping
from typing import Any

from .base import FAKE_CA_PEM, InvokeHandler, ProviderMocks, ResourceHandler, digest

PROJECT = "acme-flows-dev"
PROJECT_NUMBER = "123456789012"
DEFAULT_REGION = "us-central1"
# Regions whose zones are not a, b and c (https://cloud.google.com/compute/docs/regions-zones).
_ZONE_SUFFIXES = {"europe-west1": "bcd", "us-east1": "bcd", "us-central1": "abcf"}

# Resource id templates by type: {p} project, {r} region, {n} name.
_IDS = {
    "gcp:compute/network:Network": "projects/{p}/global/networks/{n}",
    "gcp:compute/subnetwork:Subnetwork": "projects/{p}/regions/{r}/subnetworks/{n}",
    "gcp:compute/router:Router": "projects/{p}/regions/{r}/routers/{n}",
    "gcp:compute/routerNat:RouterNat": "{p}/{r}/{n}",
    "gcp:compute/route:Route": "projects/{p}/global/routes/{n}",
    "gcp:compute/globalAddress:GlobalAddress": "projects/{p}/global/addresses/{n}",
    "gcp:dns/managedZone:ManagedZone": "projects/{p}/managedZones/{n}",
    "gcp:kms/keyRing:KeyRing": "projects/{p}/locations/{r}/keyRings/{n}",
    "gcp:container/cluster:Cluster": "projects/{p}/locations/{r}/clusters/{n}",
    "gcp:sql/databaseInstance:DatabaseInstance": "{n}",
    "gcp:redis/instance:Instance": "projects/{p}/locations/{r}/instances/{n}",
    "gcp:storage/bucket:Bucket": "{n}",
    "gcp:serviceaccount/account:Account": "projects/{p}/serviceAccounts/{n}@{p}.iam.gserviceaccount.com",
}
_COMPUTE = "https://www.googleapis.com/compute/v1/"
# Service agents: https://cloud.google.com/iam/docs/service-agents
_SERVICE_AGENTS = {
    "sqladmin.googleapis.com": "gcp-sa-cloud-sql",
    "redis.googleapis.com": "cloud-redis",
    "container.googleapis.com": "container-engine-robot",
}


def _ca_pem(name: str) -> str:
    """A PEM certificate, distinct per instance (the body is not a real DER certificate)."""
    body = base64.b64encode(f"acme-mock-ca-{name}".encode() * 3).decode()
    return f"-----BEGIN CERTIFICATE-----\n{body[:64]}\n-----END CERTIFICATE-----\n"


class GcpMocks(ProviderMocks):
    """Mocks for the Google Cloud resources the components create and the invokes they make."""

    package = "gcp"

    def __init__(self, project: str = PROJECT, project_number: str = PROJECT_NUMBER, region: str = DEFAULT_REGION):
        self.project = project
        self.project_number = project_number
        self.region = region
        # Reserved ranges by name: where Cloud SQL and Memorystore take their addresses.
        self._ranges: dict[str, ipaddress.IPv4Network] = {}
        # Subnets by id: where the control plane's private endpoint takes its address.
        self._subnets: dict[str, ipaddress.IPv4Network] = {}

    def invokes(self) -> Mapping[str, InvokeHandler]:
        return {
            "gcp:organizations/getProject:getProject": self._project,
            "gcp:compute/getZones:getZones": self._zones,
            "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": self._storage_agent,
        }

    def resources(self) -> Mapping[str, ResourceHandler]:
        return {
            "pulumi:providers:gcp": self._provider,
            "gcp:compute/globalAddress:GlobalAddress": self._global_address,
            "gcp:compute/subnetwork:Subnetwork": self._subnetwork,
            "gcp:servicenetworking/connection:Connection": self._connection,
            "gcp:container/cluster:Cluster": self._cluster,
            "gcp:container/nodePool:NodePool": self._node_pool,
            "gcp:sql/databaseInstance:DatabaseInstance": self._sql_instance,
            "gcp:redis/instance:Instance": self._redis,
            "gcp:storage/bucket:Bucket": self._bucket,
            "gcp:kms/cryptoKey:CryptoKey": self._crypto_key,
            "gcp:serviceaccount/account:Account": self._service_account,
            "gcp:projects/serviceIdentity:ServiceIdentity": self._service_identity,
            "gcp:projects/iAMCustomRole:IAMCustomRole": self._custom_role,
            "gcp:dns/managedZone:ManagedZone": self._managed_zone,
            "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": self._identity_pool,
            "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": self._identity_pool_provider,
        }

    def complete(self, typ: str, name: str, outputs: dict[str, Any]) -> None:
        if "name" not in outputs and typ in _IDS:
            # Pulumi auto-names resources: the logical name plus a random suffix.
            outputs["name"] = f"{name}-{digest(name, 7)}"
        if "id" not in outputs and typ in _IDS:
            outputs["id"] = self._id(typ, str(outputs.get("name", name)), str(outputs.get("project") or self.project))
        if typ.startswith("gcp:compute/") and "id" in outputs:
            outputs.setdefault("selfLink", f"{_COMPUTE}{outputs['id']}")
        if "labels" in outputs:
            outputs.setdefault("effectiveLabels", outputs["labels"])

    def resource_id(self, typ: str, name: str, outputs: dict[str, Any]) -> str:
        return str(outputs.get("id") or digest(name))

    # --- realistic outputs per type --------------------------------------------------

    def _id(self, typ: str, name: str, project: str) -> str:
        return _IDS[typ].format(p=project, r=self.region, n=name)

    def _provider(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        self.project = inputs.get("project", self.project)
        self.region = inputs.get("region", self.region)
        return {}

    def _global_address(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        address = f"{name}-{digest(name, 7)}"
        if inputs.get("address") and inputs.get("prefixLength"):
            self._ranges[address] = ipaddress.IPv4Network(f"{inputs['address']}/{int(inputs['prefixLength'])}")
        return {"name": address}

    def _subnetwork(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        subnet = f"{name}-{digest(name, 7)}"
        subnet_id = self._id("gcp:compute/subnetwork:Subnetwork", subnet, str(inputs.get("project") or self.project))
        if inputs.get("ipCidrRange"):
            self._subnets[subnet_id] = ipaddress.IPv4Network(inputs["ipCidrRange"])
        return {"name": subnet, "id": subnet_id, "gatewayAddress": str(next(self._hosts(subnet_id)))}

    def _hosts(self, subnet_id: str):
        network = self._subnets.get(subnet_id, ipaddress.IPv4Network("10.0.0.0/28"))
        return network.hosts()

    def _in_range(self, range_name: str, name: str) -> str:
        """An address of a reserved range, as a producer allocates it (a subnet of the range)."""
        network = self._ranges.get(range_name, ipaddress.IPv4Network("10.21.0.0/20"))
        offset = 2 + int(digest(name, 6), 16) % (network.num_addresses - 4)
        return str(network.network_address + offset)

    def _connection(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        network = str(inputs.get("network", ""))
        return {"id": f"{network}:{inputs.get('service', '')}", "peering": "servicenetworking-googleapis-com"}

    def _cluster(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        cluster = inputs.get("name", name)
        private = dict(inputs.get("privateClusterConfig") or {})
        hosts = self._hosts(str(private.get("privateEndpointSubnetwork", "")))
        next(hosts)  # the subnet's gateway
        private["privateEndpoint"] = str(next(hosts))
        octets = [int(digest(cluster + part, 2), 16) for part in "abc"]
        public = f"34.{octets[0] % 200 + 20}.{octets[1]}.{octets[2] % 254 + 1}"
        private["publicEndpoint"] = public if not private.get("enablePrivateEndpoint") else ""
        endpoints = dict(inputs.get("controlPlaneEndpointsConfig") or {})
        dns = dict(endpoints.get("dnsEndpointConfig") or {})
        dns["endpoint"] = f"gke-{digest(cluster, 32)}-{self.project_number}.{self.region}.gke.goog"
        endpoints["dnsEndpointConfig"] = dns
        return {
            "endpoint": private["publicEndpoint"] or private["privateEndpoint"],
            "privateClusterConfig": private,
            "controlPlaneEndpointsConfig": endpoints,
            "masterAuth": {
                **(inputs.get("masterAuth") or {}),
                "clusterCaCertificate": base64.b64encode(FAKE_CA_PEM.encode()).decode(),
            },
            "masterVersion": f"{inputs.get('minMasterVersion', '1.35')}.1-gke.1000",
            "labelFingerprint": digest(cluster, 8),
            "selfLink": f"https://container.googleapis.com/v1/projects/{self.project}/locations/{self.region}/clusters/{cluster}",
        }

    def _node_pool(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        pool = inputs.get("name", name)
        return {
            "id": f"{inputs.get('cluster')}/nodePools/{pool}",
            "instanceGroupUrls": [
                f"{_COMPUTE}projects/{self.project}/zones/{self.region}-b/instanceGroupManagers/gke-{pool}-{digest(name, 8)}-grp"
            ],
            "version": "1.35.1-gke.1000",
        }

    def _sql_instance(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        instance = inputs.get("name", name)
        settings = inputs.get("settings") or {}
        ip_range = str((settings.get("ipConfiguration") or {}).get("allocatedIpRange", ""))
        address = self._in_range(ip_range, instance)
        return {
            "privateIpAddress": address,
            "publicIpAddress": "",
            "ipAddresses": [{"ipAddress": address, "type": "PRIVATE"}],
            "connectionName": f"{self.project}:{self.region}:{instance}",
            "dnsName": f"{digest(instance, 12)}.{digest(self.project, 12)}.{self.region}.sql.goog.",
            "serverCaCerts": [
                {
                    "cert": _ca_pem(instance),
                    "commonName": f"C=US,O=Google\\, Inc,CN=Google Cloud SQL Server CA,dnQualifier={digest(instance, 36)}",
                }
            ],
            "serviceAccountEmailAddress": f"p{self.project_number}-{digest(instance, 6)}@gcp-sa-cloud-sql.iam.gserviceaccount.com",  # noqa: E501
            "selfLink": f"https://sqladmin.googleapis.com/sql/v1beta4/projects/{self.project}/instances/{instance}",
        }

    def _redis(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        instance = inputs.get("name", name)
        host = self._in_range(str(inputs.get("reservedIpRange", "")), instance)
        tls = inputs.get("transitEncryptionMode") == "SERVER_AUTHENTICATION"
        auth = (
            # A Memorystore AUTH string: a UUID.
            "-".join(
                (
                    digest(instance + "auth", 8),
                    digest(instance, 4),
                    f"4{digest(instance, 3)}",
                    f"a{digest(instance, 3)}",
                    digest(instance, 12),
                )
            )
            if inputs.get("authEnabled")
            else ""
        )
        return {
            "host": host,
            "port": 6378 if tls else 6379,
            "authString": auth,
            "serverCaCerts": [{"cert": _ca_pem(instance), "serialNumber": digest(instance, 10)}] if tls else [],
            "currentLocationId": f"{self.region}-b",
            "persistenceIamIdentity": f"serviceAccount:service-{self.project_number}@cloud-redis.iam.gserviceaccount.com",
        }

    def _bucket(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        bucket = inputs.get("name") or f"{name}-{digest(name, 7)}"
        return {"name": bucket, "url": f"gs://{bucket}", "selfLink": f"https://www.googleapis.com/storage/v1/b/{bucket}"}

    def _crypto_key(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        key = inputs.get("name", name)
        return {"id": f"{inputs.get('keyRing', '')}/cryptoKeys/{key}", "primary": [{"name": "1", "state": "ENABLED"}]}

    def _service_account(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        project = inputs.get("project") or self.project
        email = f"{inputs.get('accountId', name)}@{project}.iam.gserviceaccount.com"
        # A service account's name and id are its resource name, which IAM bindings on it take.
        resource = f"projects/{project}/serviceAccounts/{email}"
        return {
            "name": resource,
            "id": resource,
            "email": email,
            "member": f"serviceAccount:{email}",
            "uniqueId": str(int(digest(email, 10), 16))[:21],
        }

    def _service_identity(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        service = str(inputs.get("service", ""))
        agent = _SERVICE_AGENTS.get(service, f"gcp-sa-{service.split('.')[0]}")
        email = f"service-{self.project_number}@{agent}.iam.gserviceaccount.com"
        return {"email": email, "member": f"serviceAccount:{email}"}

    def _custom_role(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        # What IAM names a project's custom role (IAM API, projects.roles: projects/PROJECT/roles/ROLE_ID).
        role = f"projects/{inputs.get('project') or self.project}/roles/{inputs.get('roleId', name)}"
        return {"name": role, "id": role, "deleted": False}

    def _managed_zone(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"nameServers": ["ns-gcp-private.googledomains.com."], "managedZoneId": str(int(digest(name, 10), 16))}

    def _pool_name(self, pool_id: str) -> str:
        # Workload identity pools are named by the project's number, not its id.
        return f"projects/{self.project_number}/locations/global/workloadIdentityPools/{pool_id}"

    def _identity_pool(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        pool = self._pool_name(str(inputs.get("workloadIdentityPoolId", name)))
        return {"name": pool, "id": pool, "state": "ACTIVE"}

    def _identity_pool_provider(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        pool = self._pool_name(str(inputs.get("workloadIdentityPoolId", "")))
        provider = f"{pool}/providers/{inputs.get('workloadIdentityPoolProviderId', name)}"
        return {"name": provider, "id": provider, "state": "ACTIVE"}

    # --- invokes -------------------------------------------------------------------------

    def _project(self, args: dict[str, Any]) -> dict[str, Any]:
        project = args.get("projectId") or self.project
        return {"id": f"projects/{project}", "projectId": project, "name": project, "number": self.project_number}

    def _zones(self, args: dict[str, Any]) -> dict[str, Any]:
        region = args.get("region") or self.region
        suffixes = _ZONE_SUFFIXES.get(region, "abc")
        return {"id": f"projects/{self.project}/regions/{region}", "names": [f"{region}-{s}" for s in suffixes], "region": region}

    def _storage_agent(self, args: dict[str, Any]) -> dict[str, Any]:
        email = f"service-{self.project_number}@gs-project-accounts.iam.gserviceaccount.com"
        return {
            "id": email,
            "emailAddress": email,
            "member": f"serviceAccount:{email}",
            "project": args.get("project", self.project),
        }
