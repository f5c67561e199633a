"""What `prod` changes from the field defaults (which are the small, cheap `dev` values).

Stack files only say what differs from these. Keys are the camelCase names users write.
"""

from __future__ import annotations

from typing import Any

from . import aws, azure, gcp

# Each cloud's file holds its own settings' prod defaults.
CLOUD_SETTINGS = {"aws": aws, "gcp": gcp, "azure": azure}

PROD_DEFAULTS: dict[str, Any] = {
    "network": {"zoneCount": 3, "natGateways": "perZone"},
    "cluster": {"logRetentionDays": 365},
    "nodePools": {
        "system": {"minSize": 2, "desiredSize": 2, "maxSize": 4},
        "workload": {"minSize": 2, "desiredSize": 3, "maxSize": 10, "capacityType": "onDemand"},
    },
    "database": {
        "storageGb": 100,
        "maxStorageGb": 1000,
        "multiAz": True,
        "deletionProtection": True,
        "backupRetentionDays": 14,
    },
    "cache": {"replicas": 1, "automaticFailover": True, "snapshotRetentionDays": 7},
    "objectStore": {"noncurrentVersionRetentionDays": 90},
    "workload": {"mode": "runtime", "autoscaling": {"enabled": True, "minReplicas": 2, "maxReplicas": 6}},
    "ingress": {"acmeServer": "production", "controllerReplicas": 2},
    **{cloud: module.PROD_DEFAULTS for cloud, module in CLOUD_SETTINGS.items()},
}


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` wins; nested mappings merge, anything else (lists included) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def environment_defaults(environment: str) -> dict[str, Any]:
    return PROD_DEFAULTS if environment == "prod" else {}
