"""ingress-nginx behind the cloud's load balancer, on the system node pool."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from ..foundation import FoundationResult
from .common import chart_release, namespace

NAMESPACE = "ingress-nginx"
CLASS_NAME = "nginx"
REPOSITORY = "https://kubernetes.github.io/ingress-nginx"
# Selects the controller pods: the chart's selector labels plus its component
# (helm-chart-4.13.3 templates/_helpers.tpl:147-150, templates/controller-deployment.yaml:40-42);
# the admission hook jobs are `admission-webhook`.
CONTROLLER_LABELS = {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}
# The admission webhook's certificate jobs (kube-webhook-certgen), each: the request is the chart's own
# example for them (helm-chart-4.13.3 values.yaml, controller.admissionWebhooks.createSecretJob.resources,
# commented: 10m and 20Mi as request and limit). The limit is left above that example: no measured figure
# was found, and an OOM-killed hook job fails the whole install. No CPU limit: it only throttles.
CERTGEN_RESOURCES = {"requests": {"cpu": "10m", "memory": "20Mi"}, "limits": {"memory": "64Mi"}}


class IngressController(pulumi.ComponentResource):
    release: k8s.helm.v3.Release
    namespace: k8s.core.v1.Namespace

    def __init__(
        self,
        name: str,
        *,
        foundation: FoundationResult,
        chart_version: str,
        replicas: int,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("centaurops:kubernetes:IngressController", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # The controller binds 80/443 with NET_BIND_SERVICE: `baseline`, with `restricted` audited.
        self.namespace = namespace(NAMESPACE, enforce="baseline", opts=child)
        placement = foundation.system_nodes.values()
        self.release = chart_release(
            name,
            release=NAMESPACE,
            chart="ingress-nginx",
            version=chart_version,
            repository=REPOSITORY,
            namespace=self.namespace.metadata.name,
            values={
                "controller": {
                    "replicaCount": replicas,
                    # A PodDisruptionBudget once there is more than one replica.
                    "minAvailable": 1,
                    **placement,
                    "ingressClassResource": {"name": CLASS_NAME, "default": True},
                    "ingressClass": CLASS_NAME,
                    "allowSnippetAnnotations": False,
                    "config": {
                        "ssl-redirect": "true",
                        "hsts": "true",
                        "use-forwarded-headers": "false",
                        "server-tokens": "false",
                    },
                    "service": {
                        "annotations": foundation.ingress_service_annotations,
                        # Keep the client's address, for source allow-lists.
                        "externalTrafficPolicy": "Local",
                    },
                    "metrics": {"enabled": True},
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "512Mi"}},
                    # The root filesystem stays writable (the chart's controller.image.readOnlyRootFilesystem:
                    # false). Controller v1.13.3 rewrites /etc/nginx/nginx.conf and /etc/nginx/lua/cfg.json
                    # (internal/ingress/controller/util.go) beside the image's own Lua, template and modules,
                    # so no emptyDir can take their place without copying the image's /etc/nginx first, and
                    # chart 4.13.3 adds no volumes for it; upstream does not support a read-only root
                    # (kubernetes/ingress-nginx#9504, #12911). Non-root, no privilege escalation, seccomp
                    # RuntimeDefault and only NET_BIND_SERVICE come from the chart's defaults.
                    "topologySpreadConstraints": [
                        {
                            "maxSkew": 1,
                            "topologyKey": "topology.kubernetes.io/zone",
                            "whenUnsatisfiable": "ScheduleAnyway",
                            "labelSelector": {"matchLabels": CONTROLLER_LABELS},
                        }
                    ],
                    # job-createSecret.yaml and job-patchWebhook.yaml (helm-chart-4.13.3) render these as the
                    # container's resources; their securityContexts are already non-root and read-only by default.
                    "admissionWebhooks": {
                        "patch": placement,
                        "createSecretJob": {"resources": CERTGEN_RESOURCES},
                        "patchWebhookJob": {"resources": CERTGEN_RESOURCES},
                    },
                },
                "defaultBackend": {"enabled": False},
            },
            opts=child,
        )
        self.register_outputs({})
