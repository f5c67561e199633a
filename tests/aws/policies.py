"""Reading IAM and KMS policy documents from a plan: who may do what, under which conditions."""

from __future__ import annotations

import fnmatch
import json
from typing import Any


def statements(document: str | dict[str, Any]) -> list[dict[str, Any]]:
    policy = json.loads(document) if isinstance(document, str) else document
    found = policy["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def principals(statement: dict[str, Any], kind: str = "AWS") -> list[str]:
    principal = statement.get("Principal", {})
    if principal == "*":
        return ["*"]
    return as_list(principal.get(kind, []))


def matches(patterns: list[str] | str, action: str) -> bool:
    """Whether IAM action patterns (with * and ?, case-insensitive) cover `action`."""
    return any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in as_list(patterns))


def allowed(document: str, principal: str, action: str, kind: str = "AWS") -> list[dict[str, Any]]:
    """The Allow statements that name `principal` (exactly) and cover `action`."""
    return [
        s
        for s in statements(document)
        if s["Effect"] == "Allow" and principal in principals(s, kind) and matches(s["Action"], action)
    ]


# Operations that read or produce data under a KMS key, and the one that delegates them.
KMS_DATA_OPERATIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateDataKeyPair",
    "kms:CreateGrant",
]
