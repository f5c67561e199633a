"""Helm charts in a plan: each release listed, and local charts rendered offline by the
real Helm library (helm-python-sdk) with exactly the values the program passes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

RELEASE_TYPE = "kubernetes:helm.sh/v3:Release"


def chart_releases(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """name, chart, repository, version, namespace and values of every Helm release."""
    releases = []
    for resource in resources:
        if resource["type"] != RELEASE_TYPE:
            continue
        inputs = resource["inputs"]
        releases.append(
            {
                "release": inputs.get("name", resource["name"]),
                "chart": inputs["chart"],
                "repository": inputs.get("repositoryOpts", {}).get("repo", ""),
                "version": inputs.get("version", ""),
                "namespace": inputs.get("namespace", ""),
                "values": inputs.get("values", {}),
            }
        )
    return sorted(releases, key=lambda r: r["release"])


def local_chart(release: dict[str, Any], project_dir: Path) -> Path | None:
    """The chart directory of a release that names a local chart, else None."""
    if release["repository"]:
        return None
    path = project_dir / release["chart"]
    return path if (path / "Chart.yaml").is_file() else None


def render(chart_dir: Path, release: dict[str, Any]) -> list[dict[str, Any]]:
    """The chart's objects, as `helm template` would print them."""
    import helm_python  # loaded only when a local chart is rendered: a 80 MB library

    rendered = helm_python.Chart.load(chart_dir).render(
        release["values"], name=release["release"], namespace=release["namespace"], is_install=True
    )
    objects = []
    for path, text in sorted(rendered.items()):
        if not path.endswith((".yaml", ".yml")):
            continue
        for document in yaml.safe_load_all(text):
            if document:
                document.setdefault("metadata", {}).setdefault("namespace", release["namespace"])
                objects.append(document)
    return objects
