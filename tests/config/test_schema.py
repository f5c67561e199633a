"""One value at a time: each bad value gives exactly one line naming its key and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import Settings, settings_from_config
from tests.config.problems import problems
from tests.plans import config_map

TOP_LEVEL_KEYS = (
    "addons, aws, azure, cache, cloud, cluster, database, environment, gcp, ingress, network, nodePools, objectStore, workload"
)


@pytest.mark.parametrize(
    ("values", "line"),
    [
        (
            {"database": {"backupRetentionDays": 0}},
            "centaurops:database.backupRetentionDays: must be between 1 and 35, got 0",
        ),
        (
            {"database": {"backupRetentionDays": 36}},
            "centaurops:database.backupRetentionDays: must be between 1 and 35, got 36",
        ),
        ({"database": {"storageGb": 19}}, "centaurops:database.storageGb: must be between 20 and 65536, got 19"),
        ({"network": {"zoneCount": 4}}, "centaurops:network.zoneCount: must be between 2 and 3, got 4"),
        ({"network": {"zoneCount": 1}}, "centaurops:network.zoneCount: must be between 2 and 3, got 1"),
        (
            {"nodePools": {"workload": {"maxSize": 0}}},
            "centaurops:nodePools.workload.maxSize: must be between 1 and 100, got 0",
        ),
        (
            {"nodePools": {"system": {"minSize": 101}}},
            "centaurops:nodePools.system.minSize: must be between 0 and 100, got 101",
        ),
        (
            {"nodePools": {"system": {"diskSizeGb": 10}}},
            "centaurops:nodePools.system.diskSizeGb: must be between 20 and 1000, got 10",
        ),
        ({"cache": {"replicas": 6}}, "centaurops:cache.replicas: must be between 0 and 5, got 6"),
        (
            {"objectStore": {"noncurrentVersionRetentionDays": 0}},
            "centaurops:objectStore.noncurrentVersionRetentionDays: must be between 1 and 3650, got 0",
        ),
        ({"workload": {"replicas": 0}}, "centaurops:workload.replicas: must be between 1 and 50, got 0"),
        ({"workload": {"replicas": 51}}, "centaurops:workload.replicas: must be between 1 and 50, got 51"),
        (
            {"workload": {"autoscaling": {"minReplicas": 0}}},
            "centaurops:workload.autoscaling.minReplicas: must be between 1 and 50, got 0",
        ),
        (
            {"workload": {"autoscaling": {"maxReplicas": 101}}},
            "centaurops:workload.autoscaling.maxReplicas: must be between 1 and 100, got 101",
        ),
        (
            {"workload": {"autoscaling": {"targetCpuPercent": 5}}},
            "centaurops:workload.autoscaling.targetCpuPercent: must be between 10 and 100, got 5",
        ),
        (
            {"ingress": {"controllerReplicas": 11}},
            "centaurops:ingress.controllerReplicas: must be between 1 and 10, got 11",
        ),
    ],
)
def test_a_number_out_of_range_names_the_key_and_the_range(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"environment": "staging"}, "centaurops:environment: must be one of 'dev' or 'prod', got 'staging'"),
        ({"cloud": "oracle"}, "centaurops:cloud: must be one of 'aws', 'gcp' or 'azure', got 'oracle'"),
        (
            {"cluster": {"kubernetesVersion": "1.29"}},
            "centaurops:cluster.kubernetesVersion: must be one of '1.33', '1.34', '1.35' or '1.36', got '1.29'",
        ),
        (
            {"nodePools": {"workload": {"capacityType": "reserved"}}},
            "centaurops:nodePools.workload.capacityType: must be one of 'onDemand' or 'spot', got 'reserved'",
        ),
        (
            {"network": {"natGateways": "perAz"}},
            "centaurops:network.natGateways: must be one of 'single' or 'perZone', got 'perAz'",
        ),
        ({"database": {"engineVersion": "15"}}, "centaurops:database.engineVersion: must be one of '16' or '17', got '15'"),
        (
            {"cluster": {"logRetentionDays": 2}},
            "centaurops:cluster.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,"
            " 545, 731, 1827 or 3653, got 2",
        ),
        ({"workload": {"mode": "editor"}}, "centaurops:workload.mode: must be one of 'ide' or 'runtime', got 'editor'"),
        (
            {"ingress": {"acmeServer": "prod"}},
            "centaurops:ingress.acmeServer: must be one of 'staging' or 'production', got 'prod'",
        ),
    ],
)
def test_a_value_outside_a_fixed_set_lists_the_allowed_values(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


@pytest.mark.parametrize(
    "cidr",
    [
        "10.0.0.1/16",  # host bits set
        "garbage",
        "10.0.0.0/33",
        "10.0.0.256/16",
        "fd00::/16",  # IPv6
    ],
)
def test_a_bad_network_cidr_says_what_a_cidr_looks_like(cidr: str) -> None:
    assert problems({"network": {"cidr": cidr}}) == [
        f"centaurops:network.cidr: must be an IPv4 CIDR such as 10.0.0.0/16, got {cidr!r}",
    ]


def test_a_bad_ingress_source_cidr_names_its_index() -> None:
    assert problems({"ingress": {"allowedSourceCidrs": ["198.51.100.0/24", "198.51.100.1/24"]}}) == [
        "centaurops:ingress.allowedSourceCidrs[1]: must be an IPv4 CIDR such as 10.0.0.0/16, got '198.51.100.1/24'",
    ]


def test_a_bare_address_is_a_slash_32_and_too_small_a_network() -> None:
    assert problems({"network": {"cidr": "10.0.0.0"}}) == [
        "centaurops:network.cidr: must be a /16 to /20 network, got 10.0.0.0/32",
    ]


def test_a_bad_cidr_in_a_list_names_its_index() -> None:
    values = {"cluster": {"endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24", "203.0.113.7/24"]}}
    assert problems(values) == [
        "centaurops:cluster.publicAccessCidrs[1]: must be an IPv4 CIDR such as 10.0.0.0/16, got '203.0.113.7/24'"
    ]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"aws": {"region": "Europe"}}, "centaurops:aws.region: must look like eu-west-1, got 'Europe'"),
        ({"aws": {"region": "us-east-1a"}}, "centaurops:aws.region: must look like eu-west-1, got 'us-east-1a'"),
        (
            {"aws": {"availabilityZones": ["us-east-1a", "us-east-1"]}},
            "centaurops:aws.availabilityZones[1]: must look like eu-west-1a, got 'us-east-1'",
        ),
        (
            {"aws": {"adminPrincipalArns": ["arn:aws:iam::1234:role/admin"]}},
            "centaurops:aws.adminPrincipalArns[0]: must look like arn:aws:iam::123456789012:role/platform-admin,"
            " got 'arn:aws:iam::1234:role/admin'",
        ),
        (
            {"aws": {"nodePools": {"workload": {"instanceTypes": ["m7i.large", "large"]}}}},
            "centaurops:aws.nodePools.workload.instanceTypes[1]: must look like m7i.large, got 'large'",
        ),
        (
            {"aws": {"addonVersions": {"coredns": "v1.13.1"}}},
            "centaurops:aws.addonVersions.coredns: must look like v1.21.1-eksbuild.1, got 'v1.13.1'",
        ),
        (
            {"aws": {"databaseInstanceClass": "t4g.medium"}},
            "centaurops:aws.databaseInstanceClass: must look like db.t4g.medium, got 't4g.medium'",
        ),
        (
            {"aws": {"cacheNodeType": "db.t4g.small"}},
            "centaurops:aws.cacheNodeType: must look like cache.t4g.small, got 'db.t4g.small'",
        ),
        (
            {"database": {"name": "Flow-DB"}},
            "centaurops:database.name: must look like centaurops (lowercase, digits, _), got 'Flow-DB'",
        ),
        (
            {"workload": {"namespace": "Flow_Platform"}},
            "centaurops:workload.namespace: must look like flow-platform, got 'Flow_Platform'",
        ),
    ],
)
def test_a_value_of_the_wrong_shape_shows_an_example(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"network": {"zoneCount": "abc"}}, "centaurops:network.zoneCount: must be a whole number, got 'abc'"),
        (
            {"database": {"backupRetentionDays": 7.5}},
            "centaurops:database.backupRetentionDays: must be a whole number, got 7.5",
        ),
        (
            {"cluster": {"endpointPublicAccess": "maybe"}},
            "centaurops:cluster.endpointPublicAccess: must be true or false, got 'maybe'",
        ),
        ({"network": {"cidr": 10}}, "centaurops:network.cidr: must be a string, got 10"),
        # Strict types: YAML's true is not 1 and "yes" is not true.
        (
            {"database": {"backupRetentionDays": True}},
            "centaurops:database.backupRetentionDays: must be a whole number, got True",
        ),
        ({"database": {"multiAz": "yes"}}, "centaurops:database.multiAz: must be true or false, got 'yes'"),
        (
            {"cluster": {"kubernetesVersion": 1.35}},
            "centaurops:cluster.kubernetesVersion: must be one of '1.33', '1.34', '1.35' or '1.36', got 1.35"
            " (a number: write the value in quotes)",
        ),
        (
            {"cluster": {"publicAccessCidrs": "203.0.113.0/24"}},
            "centaurops:cluster.publicAccessCidrs: must be a list, got '203.0.113.0/24'",
        ),
        ({"network": ["10.0.0.0/16"]}, "centaurops:network: must be a mapping of keys, got ['10.0.0.0/16']"),
        ({"network": "10.0.0.0/16"}, "centaurops:network: must be a mapping of keys, got '10.0.0.0/16'"),
        (
            {"nodePools": {"workload": [{"maxSize": 4}]}},
            "centaurops:nodePools.workload: must be a mapping of keys, got [{'maxSize': 4}]",
        ),
        (
            {"aws": {"nodePools": {"system": {"instanceTypes": []}}}},
            "centaurops:aws.nodePools.system.instanceTypes: must have at least 1 item(s), got []",
        ),
    ],
)
def test_a_value_of_the_wrong_type_names_the_type_wanted(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


# --- the Kubernetes layer's values -------------------------------------------------------------

SHA = "sha256:" + "0123456789abcdef" * 4


def _at(key: str, value: Any) -> dict[str, Any]:
    """`ingress.host`, "x" -> {"ingress": {"host": "x"}}."""
    top, *rest = key.split(".")
    for part in reversed(rest):
        value = {part: value}
    return {top: value}


def _dig(settings: Settings, key: str) -> Any:
    value: Any = settings.model_dump(by_alias=True)
    for part in key.split("."):
        value = value[part]
    return value


SHAPES: dict[str, tuple[str, list[str], list[str]]] = {
    # key: (example in the message, accepted, refused)
    "ingress.host": (
        "flows.example.com",
        ["flows.example.com", "a.io", "flows.eu-1.example.co.uk", "x" * 63 + ".example.com"],
        [
            "flows",
            "Flows.Example.com",
            "flows.example.com.",
            "-flows.example.com",
            "flows_app.example.com",
            "https://flows.example.com",
            "flows.example.com/app",
            "x" * 64 + ".example.com",
            "flows.example.c0m",
            "",
        ],
    ),
    "ingress.acmeEmail": (
        "platform@example.com",
        ["platform@example.com", "ops+acme@mail.example.co.uk"],
        ["platform", "platform@localhost", "platform@", "@example.com", "plat form@example.com", "ops@Example.com", ""],
    ),
    "workload.resources.cpuRequest": (
        "500m, 2, 1.5",
        ["500m", "2", "0.5", "250m"],
        ["500 m", "1Gi", "1GB", "-1", "one", "1.5.2", "2cores", ".5", ""],
    ),
    "workload.resources.memoryLimit": (
        "512Mi, 2Gi, 1G",
        ["2Gi", "512Mi", "1.5Gi", "1Ti", "1024Ki", "1G", "512M"],
        # Memory needs a unit: "500m" would be half a byte, "2" two bytes.
        ["500m", "2", "2GiB", "2 Gi", "2gi", "Gi", ""],
    ),
    "workload.resources.memoryRequest": ("512Mi, 2Gi, 1G", ["1Gi"], ["1 Gi"]),
    "workload.resources.cpuLimit": ("500m, 2, 1.5", ["2", "1500m"], ["2 CPUs"]),
    "addons.ingressNginxChart": (
        "4.13.3, v1.19.1",
        ["4.13.3", "v4.13.3", "4.13.3-rc.1", "4.13.3+build.7", "10.0.0"],
        ["4.13", "latest", "4.x", ">=4.13.0", "4.13.3 ", "~4.13.3", ""],
    ),
    "addons.certManagerChart": ("4.13.3, v1.19.1", ["v1.19.1", "1.19.1"], ["v1.19", "v1.19.*"]),
    "workload.image.tag": (
        "1.13.0 (never latest)",
        ["1.13.0", "1.13.0-python3.12", "v1", "latest-1.13", "sha-0a1b2c3", "x" * 128],
        ["latest", "", "-1.13.0", ".1", "1.13.0:extra", "1.13/0", "x" * 129],
    ),
    "workload.image.digest": (
        "sha256:<64 hex digits>",
        [SHA, ""],
        ["sha256:abc", SHA.upper(), SHA + "0", "md5:" + "0" * 32, SHA.removeprefix("sha256:"), "sha256:" + "g" * 64],
    ),
    "workload.image.repository": (
        "ghcr.io/acme/flows",
        ["", "langflowai/langflow", "ghcr.io/acme/flows", "registry.example.com:5000/team/flows", "flows"],
        ["ghcr.io/acme/flows:1.13.0", "GHCR.io/acme/flows", "ghcr.io/acme/flows@" + SHA, "ghcr.io/acme flows"],
    ),
}


@pytest.mark.parametrize(("key", "value"), [(key, value) for key, (_, accepted, _) in SHAPES.items() for value in accepted])
def test_a_kubernetes_value_of_the_right_shape_is_taken_as_is(key: str, value: str) -> None:
    values = _at(key, value)
    if key.startswith("workload.resources."):
        # its request or limit too, so that the request never exceeds the limit
        twin = key.rsplit(".", 1)[1].replace("Limit", "Twin").replace("Request", "Limit").replace("Twin", "Request")
        values["workload"]["resources"][twin] = value
    assert _dig(settings_from_config(config_map(values), "dev"), key) == value


@pytest.mark.parametrize(("key", "value"), [(key, value) for key, (_, _, refused) in SHAPES.items() for value in refused])
def test_a_kubernetes_value_of_the_wrong_shape_shows_an_example(key: str, value: str) -> None:
    example = SHAPES[key][0]
    assert problems(_at(key, value)) == [f"centaurops:{key}: must look like {example}, got {value!r}"]


def test_a_cpu_quantity_written_as_a_number_is_read_as_text() -> None:
    # YAML reads `cpuLimit: 2` as a number; the quantity is "2".
    settings = settings_from_config(config_map({"workload": {"resources": {"cpuLimit": 2, "cpuRequest": 0.5}}}), "dev")
    assert (settings.workload.resources.cpu_limit, settings.workload.resources.cpu_request) == ("2", "0.5")


def test_a_memory_quantity_written_as_a_number_has_no_unit() -> None:
    assert problems({"workload": {"resources": {"memoryLimit": 2}}}) == [
        "centaurops:workload.resources.memoryLimit: must look like 512Mi, 2Gi, 1G, got '2'"
    ]


@pytest.mark.parametrize(
    ("chart", "line"),
    [
        (
            {"repository": "charts.example.com"},
            "centaurops:workload.chart.repository: must look like https://charts.example.com,"
            " oci://registry.example.com/charts, got 'charts.example.com'",
        ),
        ({"version": "latest"}, "centaurops:workload.chart.version: must look like 2.1.0 (pinned), got 'latest'"),
        ({"version": "*"}, "centaurops:workload.chart.version: must look like 2.1.0 (pinned), got '*'"),
        ({"name": "Flow Platform"}, "centaurops:workload.chart.name: must look like flow-platform, got 'Flow Platform'"),
    ],
)
def test_a_published_chart_source_is_checked(chart: dict[str, str], line: str) -> None:
    assert problems({"workload": {"chart": chart}}) == [line]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        (
            {"workload": {"image": {"name": "flows"}}},
            "centaurops:workload.image.name: unknown key; allowed keys: digest, repository, tag",
        ),
        (
            {"workload": {"autoscaling": {"targetCPUUtilizationPercentage": 70}}},
            "centaurops:workload.autoscaling.targetCPUUtilizationPercentage: unknown key; allowed keys: enabled,"
            " maxReplicas, minReplicas, targetCpuPercent",
        ),
        (
            {"workload": {"resources": {"requests": {"cpu": "1"}}}},
            "centaurops:workload.resources.requests: unknown key; allowed keys: cpuLimit, cpuRequest, memoryLimit, memoryRequest",
        ),
        (
            {"workload": {"chart": {"url": "https://charts.example.com"}}},
            "centaurops:workload.chart.url: unknown key; allowed keys: name, path, repository, version",
        ),
        (
            {"ingress": {"hostname": "flows.example.com"}},
            "centaurops:ingress.hostname: unknown key; allowed keys: acmeEmail, acmeServer, allowedSourceCidrs,"
            " controllerReplicas, host",
        ),
        (
            {"addons": {"certManager": "v1.19.1"}},
            "centaurops:addons.certManager: unknown key; allowed keys: certManagerChart, ingressNginxChart",
        ),
    ],
)
def test_an_unknown_kubernetes_key_lists_the_keys_allowed_there(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


def test_an_unknown_top_level_key_lists_the_allowed_keys() -> None:
    assert problems({"databse": {"storageGb": 50}}) == [
        f"centaurops:databse: unknown key; allowed keys: {TOP_LEVEL_KEYS}",
    ]


@pytest.mark.parametrize(
    ("values", "line"),
    [
        (
            {"database": {"backupRetention": 7}},
            "centaurops:database.backupRetention: unknown key; allowed keys: backupRetentionDays, deletionProtection,"
            " engineVersion, maxStorageGb, multiAz, name, storageGb, username",
        ),
        (
            # snake_case is not accepted: keys are the camelCase names.
            {"network": {"zone_count": 3}},
            "centaurops:network.zone_count: unknown key; allowed keys: cidr, natGateways, zoneCount",
        ),
        (
            {"nodePools": {"workload": {"mxSize": 6}}},
            "centaurops:nodePools.workload.mxSize: unknown key; allowed keys: capacityType, desiredSize, diskSizeGb,"
            " maxSize, minSize",
        ),
        (
            {"nodePools": {"gpu": {"maxSize": 2}}},
            "centaurops:nodePools.gpu: unknown key; allowed keys: system, workload",
        ),
        (
            {"aws": {"nodePools": {"system": {"instanceType": "m7i.large"}}}},
            "centaurops:aws.nodePools.system.instanceType: unknown key; allowed keys: instanceTypes",
        ),
    ],
)
def test_an_unknown_nested_key_lists_the_keys_allowed_there(values: dict[str, Any], line: str) -> None:
    assert problems(values) == [line]


def test_only_the_centaurops_namespace_is_validated() -> None:
    config = {
        "aws:region": "eu-west-1",
        "pulumi:template": "x",
        "pulumi:disable-default-providers": '["kubernetes"]',
        "other:databse": "{}",
    }
    assert settings_from_config(config, "dev").aws.region == "us-east-1"


def test_every_problem_is_one_line_with_no_python_in_it() -> None:
    found = problems(
        {
            "network": {"zoneCount": "many", "cidr": "10.0.0.1/8"},
            "databse": {},
            "cluster": {"kubernetesVersion": 1.35},
            "aws": {"region": None},
        }
    )
    assert len(found) == 5
    for line in found:
        assert line.startswith("centaurops:")
        assert "\n" not in line
        assert "pydantic" not in line
        assert "https://" not in line  # pydantic's "For further information visit ..."
        assert "Traceback" not in line
