"""The preview's products: plan.json, the resource tree, and Kubernetes manifests."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from .charts import chart_releases
from .runner import ProgramRun

STACK_TYPE = "pulumi:pulumi:Stack"


def plan_document(run: ProgramRun, cloud: str) -> dict[str, Any]:
    resources = [r.as_json() for r in sorted(run.resources, key=lambda r: r.urn)]
    return {
        "project": run.project,
        "stack": run.stack,
        "cloud": cloud,
        "resources": resources,
        "outputs": run.outputs,
        "warnings": run.warnings,
        # Third-party charts cannot be fetched offline: each release is listed instead.
        "charts": chart_releases(resources),
    }


def render_tree(plan: dict[str, Any]) -> str:
    """The resource tree the way `pulumi preview` shows it, and a count."""
    resources = plan["resources"]
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for resource in resources:
        children[resource["parent"]].append(resource)
    rows: list[tuple[str, str, bool]] = []

    def walk(resource: dict[str, Any], prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("└─ " if last else "├─ ")
        rows.append((f"{prefix}{branch}{resource['type']}", resource["name"], resource["protect"]))
        kids = sorted(children.get(resource["urn"], []), key=lambda r: (r["custom"], r["type"], r["name"]))
        deeper = prefix if top else prefix + ("   " if last else "│  ")
        for index, kid in enumerate(kids):
            walk(kid, deeper, index == len(kids) - 1, False)

    for root in children.get("", []):
        walk(root, "", True, True)
    width = max((len(label) for label, _, _ in rows), default=4) + 2
    lines = [f"     {'Type':<{width}}Name"]
    lines += [f" +  {'🔒' if locked else ' '}{label:<{width}}{name}" for label, name, locked in rows]
    protected = sum(1 for r in resources if r["protect"])
    lines += ["", "Resources:", f"    + {len(resources)} to create ({protected} protected: 🔒)"]
    return "\n".join(lines)


def kubernetes_objects(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Kubernetes object the program registers directly, as its manifest."""
    objects = []
    for resource in plan["resources"]:
        kind = resource["type"]
        if not kind.startswith("kubernetes:") or "helm.sh" in kind or kind.endswith(("ConfigGroup", "ConfigFile")):
            continue
        objects.append(resource["inputs"])
    return objects


# libyaml's emitter when PyYAML was built with it (its wheels are), Python's otherwise: the
# same documents written 5x faster; only where a long quoted string is folded may differ
# (tests/preview/test_plan.py loads both back).
SAFE_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def write_outputs(plan: dict[str, Any], out_dir: Path, rendered: list[dict[str, Any]] | None = None) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "plan.json").write_text(json.dumps(plan, indent=2, sort_keys=False) + "\n")
    manifests = out_dir / "manifests"
    manifests.mkdir(exist_ok=True)
    for stale in manifests.glob("*.yaml"):
        stale.unlink()
    for obj in [*kubernetes_objects(plan), *(rendered or [])]:
        meta = obj.get("metadata", {})
        parts = [obj.get("kind", "object"), meta.get("namespace", ""), meta.get("name", "unnamed")]
        filename = re.sub(r"[^a-zA-Z0-9_.-]+", "-", "-".join(p for p in parts if p)).lower() + ".yaml"
        (manifests / filename).write_text(yaml.dump(obj, Dumper=SAFE_DUMPER, sort_keys=False))
