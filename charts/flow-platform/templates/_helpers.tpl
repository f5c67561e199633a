{{/*
Names, labels, the image reference and the checks every render makes.
Nothing here is random or time-based: the same values always render the same bytes.
*/}}

{{/* The chart name. */}}
{{- define "flow-platform.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name: the release name when it already holds the chart name. */}}
{{- define "flow-platform.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* name-version, for the helm.sh/chart label. */}}
{{- define "flow-platform.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The app version label: the image tag when it is a valid label value, else appVersion. */}}
{{- define "flow-platform.version" -}}
{{- $tag := .Values.image.tag | default "" | toString -}}
{{- if and $tag (regexMatch "^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$" $tag) -}}
{{- $tag -}}
{{- else -}}
{{- .Chart.AppVersion -}}
{{- end -}}
{{- end -}}

{{/* Selector labels: stable for the life of the release (never the version or the mode). */}}
{{- define "flow-platform.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flow-platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "flow-platform.labels" -}}
helm.sh/chart: {{ include "flow-platform.chart" . }}
{{ include "flow-platform.selectorLabels" . }}
app.kubernetes.io/version: {{ include "flow-platform.version" . | quote }}
app.kubernetes.io/component: {{ .Values.mode }}
app.kubernetes.io/part-of: flow-platform
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The ServiceAccount the pods run as. */}}
{{- define "flow-platform.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "flow-platform.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image: repository@digest when a digest is set, else repository:tag (never latest). */}}
{{- define "flow-platform.image" -}}
{{- $image := .Values.image -}}
{{- $default := ternary "langflowai/langflow-backend" "langflowai/langflow" (eq .Values.mode "runtime") -}}
{{- $repository := $image.repository | default $default -}}
{{- $tag := $image.tag | default "" | toString -}}
{{- if eq (lower $tag) "latest" -}}
{{- fail "flow-platform: image.tag must not be \"latest\"; pin a version (e.g. 1.13.0) or set image.digest" -}}
{{- end -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $repository $image.digest -}}
{{- else if $tag -}}
{{- printf "%s:%s" $repository $tag -}}
{{- else -}}
{{- fail "flow-platform: set image.tag (a pinned version, e.g. 1.13.0) or image.digest (sha256:...)" -}}
{{- end -}}
{{- end -}}

{{/* The runtime mounts flows only when a ConfigMap is named; ide never does. */}}
{{- define "flow-platform.loadsFlows" -}}
{{- if and (eq .Values.mode "runtime") .Values.flows.configMap -}}true{{- end -}}
{{- end -}}

{{/* Environment variables read from the existing Secret: name -> the Secret's key. */}}
{{- define "flow-platform.secretEnv" -}}
LANGFLOW_DATABASE_URL: DATABASE_URL
LANGFLOW_REDIS_URL: REDIS_URL
LANGFLOW_REDIS_QUEUE_URL: REDIS_QUEUE_URL
LANGFLOW_RATE_LIMIT_STORAGE_URI: RATE_LIMIT_STORAGE_URI
LANGFLOW_SECRET_KEY: SECRET_KEY
LANGFLOW_CACHE_SIGNING_KEY: CACHE_SIGNING_KEY
LANGFLOW_SUPERUSER_PASSWORD: SUPERUSER_PASSWORD
{{- end -}}

{{/* Names of the environment variables the chart sets itself; extraEnv may not repeat them. */}}
{{- define "flow-platform.reservedEnv" -}}
HOME TMPDIR PYTHONDONTWRITEBYTECODE LANGFLOW_HOST LANGFLOW_PORT LANGFLOW_WORKERS LANGFLOW_AUTO_LOGIN LANGFLOW_CONFIG_DIR LANGFLOW_CACHE_TYPE LANGFLOW_JOB_QUEUE_TYPE LANGFLOW_ENABLE_SIGNUP LANGFLOW_ACCESS_SECURE LANGFLOW_REFRESH_SECURE LANGFLOW_ENABLE_SUPERUSER_CLI LANGFLOW_CUSTOM_COMPONENT_ADMIN_ONLY LANGFLOW_CORS_ORIGINS LANGFLOW_CORS_ALLOW_CREDENTIALS DO_NOT_TRACK LANGFLOW_STORE_ENVIRONMENT_VARIABLES LANGFLOW_RATE_LIMIT_TRUST_PROXY LANGFLOW_STORAGE_TYPE LANGFLOW_OBJECT_STORAGE_BUCKET_NAME LANGFLOW_OBJECT_STORAGE_PREFIX AWS_DEFAULT_REGION AWS_REGION LANGFLOW_BACKEND_ONLY LANGFLOW_CREATE_STARTER_PROJECTS LANGFLOW_LOAD_FLOWS_PATH LANGFLOW_LOAD_FLOWS_OVERWRITE_ON_NAME_MATCH LANGFLOW_SUPERUSER {{ keys (include "flow-platform.secretEnv" . | fromYaml) | sortAlpha | join " " }}
{{- end -}}

{{/* Checks that fail the render with a clear message. */}}
{{- define "flow-platform.validate" -}}
{{- $keys := values (include "flow-platform.secretEnv" . | fromYaml) | sortAlpha | join ", " -}}
{{- $_ := required (printf "flow-platform: existingSecret is required: the name of a Secret with the keys %s; the chart creates no secrets" $keys) .Values.existingSecret -}}
{{- if not (regexMatch "^https://[^/]+$" (toString .Values.publicUrl)) -}}
{{- fail (printf "flow-platform: publicUrl must be the platform's https:// origin (scheme and host, e.g. https://flows.example.com): its sign-in cookies are Secure and CORS admits only it; got %q" (toString .Values.publicUrl)) -}}
{{- end -}}
{{- if and (eq .Values.storage.type "s3") (not (and .Values.storage.s3.bucket .Values.storage.s3.region)) -}}
{{- fail "flow-platform: storage.s3.bucket and storage.s3.region are required when storage.type is s3" -}}
{{- end -}}
{{- if not (has .Values.mode (list "ide" "runtime")) -}}
{{- fail (printf "flow-platform: mode must be ide or runtime, not %q" (toString .Values.mode)) -}}
{{- end -}}
{{- $_ = include "flow-platform.image" . -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- fail "flow-platform: autoscaling.minReplicas must not exceed autoscaling.maxReplicas" -}}
{{- end -}}
{{- $reserved := splitList " " (include "flow-platform.reservedEnv" .) -}}
{{- range $name, $_ := .Values.extraEnv -}}
{{- if has $name $reserved -}}
{{- fail (printf "flow-platform: extraEnv.%s is set by the chart and cannot be overridden" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
