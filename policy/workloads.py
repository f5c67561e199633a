"""Every Kubernetes workload runs as non-root, on a read-only root filesystem, with a memory limit.

Two shapes reach the engine: a workload object registered directly (its pod spec is in its inputs), and
a Helm release (its values; `charts.py` says what each chart runs and where its values set each of these).
A memory limit is what keeps one pod from exhausting its node; CPU limits are not required (they throttle,
they do not protect the node)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .charts import CHARTS, Merged, chart_name
from .model import ReportViolation, ResourceArgs, ResourcePolicy
from .values import at, items

RELEASE = "kubernetes:helm.sh/v3:Release"

# Where each workload kind keeps its pod spec (Kubernetes API: PodTemplateSpec in spec.template, a CronJob's
# in spec.jobTemplate.spec.template).
POD_SPECS: dict[str, tuple[str, ...]] = {
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:apps/v1:Deployment": ("spec", "template", "spec"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template", "spec"),
    "kubernetes:batch/v1:Job": ("spec", "template", "spec"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def container_problems(label: str, pod: Any, container: Any, resources: Any, fixed: frozenset[str] = frozenset()) -> list[str]:
    """What a container lacks, given its pod's security context: a container's runAsNonRoot overrides the pod's."""
    problems = []
    own = at(container, "runAsNonRoot")
    if "runAsNonRoot" not in fixed and not (own is True or (own is None and at(pod, "runAsNonRoot") is True)):
        problems.append(f"{label}: runAsNonRoot is not true")
    if "readOnlyRootFilesystem" not in fixed and at(container, "readOnlyRootFilesystem") is not True:
        problems.append(f"{label}: readOnlyRootFilesystem is not true")
    if not at(resources, "limits", "memory"):
        problems.append(f"{label}: no memory limit")
    return problems


def pod_spec_problems(spec: Any) -> list[str]:
    pod = at(spec, "securityContext")
    return [
        problem
        for container in [*items(at(spec, "initContainers")), *items(at(spec, "containers"))]
        for problem in container_problems(
            f"container {at(container, 'name')}", pod, at(container, "securityContext"), at(container, "resources")
        )
    ]


def release_problems(props: Mapping[str, Any]) -> list[str]:
    name, version = chart_name(at(props, "chart")), at(props, "version") or None
    chart = CHARTS.get(name)
    if chart is None:
        return [f"chart {name} is not in policy/charts.py: read its values and templates and add it"]
    defaults = chart.defaults.get(version, chart.defaults.get(None))
    if defaults is None:
        return [
            f"chart {name} {version} is not in policy/charts.py (known: {', '.join(map(str, chart.defaults))}): add its defaults"
        ]
    values = Merged(defaults, at(props, "values"))
    return [
        problem
        for component in chart.components
        if component.enabled is None or at(values, *component.enabled)
        for problem in container_problems(
            component.label,
            at(values, *component.pod) if component.pod else None,
            component.container(values),
            at(values, *component.resources),
            component.fixed.union(component.waived),
        )
    ]


def validate(args: ResourceArgs, report: ReportViolation) -> None:
    if args.resource_type == RELEASE:
        problems = release_problems(args.props)
    elif args.resource_type in POD_SPECS:
        problems = pod_spec_problems(at(args.props, *POD_SPECS[args.resource_type]))
    else:
        return
    for problem in problems:
        report(problem, args.urn)


WORKLOADS_HARDENED = ResourcePolicy(
    name="workloads-hardened",
    description="Every Kubernetes workload runs as non-root, with a read-only root filesystem and a memory limit.",
    validate=validate,
)
