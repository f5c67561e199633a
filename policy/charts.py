"""What the Helm charts this program installs run, and where their values set each pod's security context
and resources: what a `kubernetes:helm.sh/v3:Release` says about its workloads.

Under `pulumi preview` a release is one resource whose inputs carry only the values the program passes;
Helm merges them over the chart's own values.yaml. So each chart version is listed with the defaults it
ships at the paths read here (copied from that version's values.yaml), and a chart or version not listed is
reported: bumping a chart means reading its values and templates again, and adding it here.

A new chart is one entry in CHARTS."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .values import at


@dataclass(frozen=True)
class Component:
    """One pod template of a chart: where its pod and container security contexts and its resources come from.
    `fixed` names what the chart's templates set whatever the values say (runAsNonRoot, readOnlyRootFilesystem);
    `waived` names a check the component cannot meet, with the reason (each one is listed in docs/policy.md)."""

    label: str
    container: Callable[[Mapping[str, Any]], Any]
    resources: tuple[str, ...]
    pod: tuple[str, ...] | None = None
    enabled: tuple[str, ...] | None = None
    fixed: frozenset[str] = field(default_factory=frozenset)
    waived: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chart:
    components: tuple[Component, ...]
    # The chart's own values at the paths the components read, per version (None: any version, for a
    # chart in this repository whose templates are read with it).
    defaults: Mapping[str | None, Mapping[str, Any]]


def path(*steps: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda values: at(values, *steps)


def _ingress_nginx_controller(values: Mapping[str, Any]) -> Any:
    # templates/_helpers.tpl, "ingress-nginx.controller.containerSecurityContext": controller.containerSecurityContext
    # when set, otherwise built from controller.image.{runAsNonRoot, readOnlyRootFilesystem, ...}.
    explicit = at(values, "controller", "containerSecurityContext")
    if explicit:
        return explicit
    return {
        "runAsNonRoot": at(values, "controller", "image", "runAsNonRoot"),
        "readOnlyRootFilesystem": at(values, "controller", "image", "readOnlyRootFilesystem"),
    }


_HARDENED_JOB = {"runAsNonRoot": True, "readOnlyRootFilesystem": True}

CHARTS: dict[str, Chart] = {
    # This repository's chart: templates/deployment.yaml sets runAsNonRoot (pod and container) and
    # readOnlyRootFilesystem itself; resources come from values (values.schema.json requires them).
    "flow-platform": Chart(
        components=(
            Component(
                "langflow",
                container=lambda _: {},
                resources=("resources",),
                fixed=frozenset({"runAsNonRoot", "readOnlyRootFilesystem"}),
            ),
        ),
        defaults={None: {}},
    ),
    # kubernetes/ingress-nginx, tag helm-chart-4.13.3: values.yaml, templates/controller-deployment.yaml,
    # templates/admission-webhooks/job-patch/job-{createSecret,patchWebhook}.yaml.
    "ingress-nginx": Chart(
        components=(
            Component(
                "controller",
                _ingress_nginx_controller,
                ("controller", "resources"),
                pod=("controller", "podSecurityContext"),
                waived={
                    "readOnlyRootFilesystem": (
                        # controller-v1.13.3, internal/ingress/controller/util.go: nginx.conf and lua/cfg.json are
                        # rewritten beside the image's own files, which the chart mounts no volume over.
                        "the controller rewrites /etc/nginx/nginx.conf and /etc/nginx/lua/cfg.json at runtime; "
                        "its project does not support a read-only root (kubernetes/ingress-nginx#9504, #12911)"
                    )
                },
            ),
            Component(
                "admission webhook secret job",
                path("controller", "admissionWebhooks", "createSecretJob", "securityContext"),
                ("controller", "admissionWebhooks", "createSecretJob", "resources"),
                pod=("controller", "admissionWebhooks", "patch", "securityContext"),
                enabled=("controller", "admissionWebhooks", "patch", "enabled"),
            ),
            Component(
                "admission webhook patch job",
                path("controller", "admissionWebhooks", "patchWebhookJob", "securityContext"),
                ("controller", "admissionWebhooks", "patchWebhookJob", "resources"),
                pod=("controller", "admissionWebhooks", "patch", "securityContext"),
                enabled=("controller", "admissionWebhooks", "patch", "enabled"),
            ),
        ),
        defaults={
            "4.13.3": {
                "controller": {
                    "image": {"runAsNonRoot": True, "readOnlyRootFilesystem": False},
                    "containerSecurityContext": {},
                    "podSecurityContext": {},
                    "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}},
                    "admissionWebhooks": {
                        "createSecretJob": {"securityContext": _HARDENED_JOB, "resources": {}},
                        "patchWebhookJob": {"securityContext": _HARDENED_JOB, "resources": {}},
                        "patch": {"enabled": True, "securityContext": {}},
                    },
                }
            }
        },
    ),
    # cert-manager/cert-manager, tag v1.19.1: deploy/charts/cert-manager/values.yaml and templates/
    # {deployment,webhook-deployment,cainjector-deployment,startupapicheck-job}.yaml.
    "cert-manager": Chart(
        components=(
            Component("controller", path("containerSecurityContext"), ("resources",), pod=("securityContext",)),
            Component(
                "webhook",
                path("webhook", "containerSecurityContext"),
                ("webhook", "resources"),
                pod=("webhook", "securityContext"),
            ),
            Component(
                "cainjector",
                path("cainjector", "containerSecurityContext"),
                ("cainjector", "resources"),
                pod=("cainjector", "securityContext"),
                enabled=("cainjector", "enabled"),
            ),
            Component(
                "startupapicheck",
                path("startupapicheck", "containerSecurityContext"),
                ("startupapicheck", "resources"),
                pod=("startupapicheck", "securityContext"),
                enabled=("startupapicheck", "enabled"),
            ),
        ),
        defaults={
            "v1.19.1": {
                "securityContext": {"runAsNonRoot": True},
                "containerSecurityContext": {"readOnlyRootFilesystem": True},
                "resources": {},
                **{
                    part: {
                        "securityContext": {"runAsNonRoot": True},
                        "containerSecurityContext": {"readOnlyRootFilesystem": True},
                        "resources": {},
                        "enabled": True,
                    }
                    for part in ("webhook", "cainjector", "startupapicheck")
                },
            }
        },
    ),
    # kubernetes-sigs/metrics-server, tag metrics-server-helm-chart-3.13.1: charts/metrics-server/values.yaml
    # and templates/deployment.yaml (addonResizer is off by default).
    "metrics-server": Chart(
        components=(Component("metrics-server", path("securityContext"), ("resources",), pod=("podSecurityContext",)),),
        defaults={
            "3.13.1": {
                "podSecurityContext": {},
                "securityContext": {"readOnlyRootFilesystem": True, "runAsNonRoot": True},
                "resources": {"requests": {"cpu": "100m", "memory": "200Mi"}},
            }
        },
    ),
    # kubernetes/autoscaler, tags cluster-autoscaler-chart-9.51.0, 9.53.0, 9.59.0: values.yaml and
    # templates/deployment.yaml, the same in all three (securityContext, containerSecurityContext and
    # resources empty by default).
    "cluster-autoscaler": Chart(
        components=(Component("cluster-autoscaler", path("containerSecurityContext"), ("resources",), pod=("securityContext",)),),
        defaults={
            version: {"securityContext": {}, "containerSecurityContext": {}, "resources": {}}
            for version in ("9.51.0", "9.53.0", "9.59.0")
        },
    ),
}


def chart_name(chart: Any) -> str:
    """A release's chart as CHARTS names it: `charts/flow-platform` (a local path) is `flow-platform`."""
    return str(chart).rstrip("/").rsplit("/", 1)[-1]


class Merged(Mapping[str, Any]):
    """Values over a chart's defaults, as Helm merges them (maps key by key, anything else replaced, a null
    value deleting the default: Helm, "Deleting a default key"), read lazily: under the engine a value not
    known until another resource exists raises when read, so only the paths a policy reads are touched."""

    def __init__(self, defaults: Any, values: Any) -> None:
        self._defaults = defaults if isinstance(defaults, Mapping) else {}
        self._values = values if isinstance(values, Mapping) else {}

    def __getitem__(self, key: str) -> Any:
        if key in self._values:
            value = self._values[key]
            if value is None:
                raise KeyError(key)
            default = self._defaults.get(key)
            return Merged(default, value) if isinstance(value, Mapping) and isinstance(default, Mapping) else value
        return self._defaults[key]

    def __iter__(self) -> Iterator[str]:
        yield from (key for key in self._defaults if key not in self._values or self._values[key] is not None)
        yield from (key for key in self._values if key not in self._defaults and self._values[key] is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
