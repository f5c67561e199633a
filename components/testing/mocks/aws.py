"""Mocked AWS outputs and invokes: shaped like the real ones, derived from resource names."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from .base import FAKE_CA_PEM, InvokeHandler, ProviderMocks, ResourceHandler, digest

ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
# Who runs `pulumi up` in the mocks: an assumed-role session, as in CI or with SSO.
DEPLOYER_ROLE = "centaurops-deployer"
DEPLOYER_SESSION = "ci-deploy"

# EC2-style id prefixes by resource type.
_ID_PREFIX = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
    "aws:ec2/flowLog:FlowLog": "fl-",
}


class AwsMocks(ProviderMocks):
    """Mocks for the AWS resources the components create and the invokes they make."""

    package = "aws"

    def __init__(
        self,
        region: str = DEFAULT_REGION,
        account_id: str = ACCOUNT_ID,
        deployer_role: str = DEPLOYER_ROLE,
        deployer_session: str = DEPLOYER_SESSION,
    ):
        self.region = region
        self.account_id = account_id
        self.deployer_role = deployer_role
        self.deployer_session = deployer_session

    def invokes(self) -> Mapping[str, InvokeHandler]:
        return {
            "aws:index/getCallerIdentity:getCallerIdentity": self._caller_identity,
            "aws:iam/getSessionContext:getSessionContext": self._session_context,
        }

    def resources(self) -> Mapping[str, ResourceHandler]:
        return {
            "pulumi:providers:aws": self._aws_provider,
            "aws:eks/cluster:Cluster": self._eks_cluster,
            "aws:eks/nodeGroup:NodeGroup": self._node_group,
            "aws:rds/instance:Instance": self._rds_instance,
            "aws:elasticache/replicationGroup:ReplicationGroup": self._replication_group,
            "aws:s3/bucket:Bucket": self._bucket,
            "aws:kms/key:Key": self._kms_key,
            "aws:iam/role:Role": self._iam_role,
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider": self._oidc_provider,
            "aws:cloudwatch/logGroup:LogGroup": self._log_group,
            "aws:ec2/flowLog:FlowLog": self._flow_log,
            "aws:ec2/launchTemplate:LaunchTemplate": lambda name, _: {"latestVersion": 1},
        }

    def complete(self, typ: str, name: str, outputs: dict[str, Any]) -> None:
        if "name" not in outputs:
            # Pulumi auto-names resources: the logical name plus a random suffix.
            outputs["name"] = f"{name}-{digest(name, 7)}"
        if "arn" not in outputs:
            outputs["arn"] = self._arn(typ, outputs.get("name") or name)

    def resource_id(self, typ: str, name: str, outputs: dict[str, Any]) -> str:
        return str(outputs.get("id") or f"{_ID_PREFIX.get(typ, '')}{digest(name)}")

    # --- realistic outputs per type --------------------------------------------------

    def _arn(self, typ: str, name: str) -> str:
        service = typ.split(":")[1].split("/")[0]
        kind = typ.rsplit(":", 1)[-1].lower()
        return f"arn:aws:{service}:{self.region}:{self.account_id}:{kind}/{name}"

    def _aws_provider(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        self.region = inputs.get("region", self.region)
        return {}

    def _eks_cluster(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        cluster = inputs.get("name", name)
        code = digest(cluster, 32).upper()
        return {
            "name": cluster,
            "arn": f"arn:aws:eks:{self.region}:{self.account_id}:cluster/{cluster}",
            "endpoint": f"https://{code}.gr7.{self.region}.eks.amazonaws.com",
            "certificateAuthority": {"data": base64.b64encode(FAKE_CA_PEM.encode()).decode()},
            "vpcConfig": {**inputs.get("vpcConfig", {}), "clusterSecurityGroupId": f"sg-{digest(cluster + 'cluster')}"},
            "identities": [{"oidcs": [{"issuer": f"https://oidc.eks.{self.region}.amazonaws.com/id/{code}"}]}],
            "platformVersion": "eks.1",
            "status": "ACTIVE",
        }

    def _node_group(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"nodeGroupName": name, "status": "ACTIVE"}

    def _rds_instance(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        identifier = inputs.get("identifier") or f"{name}-{digest(name, 7)}"
        address = f"{identifier}.c{digest(identifier, 11)}.{self.region}.rds.amazonaws.com"
        return {
            "identifier": identifier,
            "address": address,
            "endpoint": f"{address}:{inputs.get('port', 5432)}",
            "arn": f"arn:aws:rds:{self.region}:{self.account_id}:db:{identifier}",
        }

    def _replication_group(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        group = f"{name}-{digest(name, 7)}"
        suffix = f"{digest(group, 6)}.use1.cache.amazonaws.com"
        return {
            "replicationGroupId": group,
            "primaryEndpointAddress": f"master.{group}.{suffix}",
            "readerEndpointAddress": f"replica.{group}.{suffix}",
            "arn": f"arn:aws:elasticache:{self.region}:{self.account_id}:replicationgroup:{group}",
        }

    def _bucket(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        bucket = inputs.get("bucket") or f"{name}-{digest(name, 7)}"
        return {"bucket": bucket, "arn": f"arn:aws:s3:::{bucket}", "bucketDomainName": f"{bucket}.s3.amazonaws.com"}

    def _kms_key(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        h = digest(name, 32)
        key_id = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
        return {"id": key_id, "keyId": key_id, "arn": f"arn:aws:kms:{self.region}:{self.account_id}:key/{key_id}"}

    def _iam_role(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        role = f"{name}-{digest(name, 7)}"
        return {"name": role, "arn": f"arn:aws:iam::{self.account_id}:role/{role}", "uniqueId": f"AROA{digest(role, 17).upper()}"}

    def _oidc_provider(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        # IAM names an OIDC provider by its issuer's host and path.
        issuer = str(inputs.get("url", "")).removeprefix("https://")
        return {"arn": f"arn:aws:iam::{self.account_id}:oidc-provider/{issuer}"}

    def _log_group(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        group = inputs.get("name") or f"{name}-{digest(name, 7)}"
        # The provider strips the ":*" that the CloudWatch Logs API appends to a group's ARN.
        return {"name": group, "arn": f"arn:aws:logs:{self.region}:{self.account_id}:log-group:{group}"}

    def _flow_log(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        flow_log = f"fl-{digest(name)}"
        return {"id": flow_log, "arn": f"arn:aws:ec2:{self.region}:{self.account_id}:vpc-flow-log/{flow_log}"}

    # --- invokes -------------------------------------------------------------------------

    def _caller_identity(self, args: dict[str, Any]) -> dict[str, Any]:
        """sts:GetCallerIdentity of an assumed-role session: the ARN names the session, not the role."""
        return {
            "id": self.account_id,
            "accountId": self.account_id,
            "arn": f"arn:aws:sts::{self.account_id}:assumed-role/{self.deployer_role}/{self.deployer_session}",
            "userId": f"AROA{digest(self.deployer_role, 17).upper()}:{self.deployer_session}",
        }

    def _session_context(self, args: dict[str, Any]) -> dict[str, Any]:
        """The IAM role behind an assumed-role ARN; any other ARN passes through, as the provider does."""
        arn = str(args.get("arn", ""))
        parts = arn.split(":", 5)
        if len(parts) == 6 and parts[2] == "sts" and parts[5].startswith("assumed-role/"):
            _, role, session = parts[5].split("/", 2)
            issuer = f"arn:{parts[1]}:iam::{parts[4]}:role/{role}"
            return {
                "id": arn,
                "arn": arn,
                "issuerArn": issuer,
                "issuerId": f"AROA{digest(role, 17).upper()}",
                "issuerName": role,
                "sessionName": session,
            }
        return {"id": arn, "arn": arn, "issuerArn": arn, "issuerId": "", "issuerName": "", "sessionName": ""}
