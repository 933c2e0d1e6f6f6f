{{/*
Chart name, overridable with nameOverride. Names are cut at 63 characters (DNS label limit).
*/}}
{{- define "reliable-tx-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of every object the chart creates: the release name, followed by the chart name unless
the release name already contains it; overridable with fullnameOverride.
*/}}
{{- define "reliable-tx-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart label value: name-version.
*/}}
{{- define "reliable-tx-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels: stable for the life of a release (a Deployment's selector is immutable).
*/}}
{{- define "reliable-tx-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "reliable-tx-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{/*
Labels on every object the chart creates.
*/}}
{{- define "reliable-tx-operator.labels" -}}
helm.sh/chart: {{ include "reliable-tx-operator.chart" . }}
{{ include "reliable-tx-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: reliable-tx
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Name of the ServiceAccount the operator runs as.
*/}}
{{- define "reliable-tx-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "reliable-tx-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Operator image reference: repository:tag, or repository@digest when a digest is given (repository:tag@digest
when both are: the digest decides what runs, the tag documents it).
*/}}
{{- define "reliable-tx-operator.image" -}}
{{- if .Values.image.digest }}
{{- if .Values.image.tag }}
{{- printf "%s:%s@%s" .Values.image.repository .Values.image.tag .Values.image.digest }}
{{- else }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- end }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
"true" when leader election is on: forced by leaderElection.enabled, or more than one replica.
*/}}
{{- define "reliable-tx-operator.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{/*
Name of the leader-election Lease.
*/}}
{{- define "reliable-tx-operator.leaseName" -}}
{{- default (printf "%s-lock" (include "reliable-tx-operator.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{/*
The namespaces the operator watches, as a JSON list: watchNamespaces when given, [] for every namespace
(watchAnyNamespace), else the release namespace alone. The one place the three cases are decided: the RBAC, the
operator's WATCH_NAMESPACES, the PodMonitor and the notes all read it. Fails when both are set.
*/}}
{{- define "reliable-tx-operator.watchedNamespaces" -}}
{{- if .Values.watchAnyNamespace }}
{{- if not (empty .Values.watchNamespaces) }}
{{- fail (printf "watchAnyNamespace=true and watchNamespaces [%s] exclude each other: set watchAnyNamespace=false to watch only the listed namespaces, or watchNamespaces=[] to watch every namespace" (join ", " .Values.watchNamespaces)) }}
{{- end }}
{{- list | toJson }}
{{- else if empty .Values.watchNamespaces }}
{{- list .Release.Namespace | toJson }}
{{- else }}
{{- .Values.watchNamespaces | toJson }}
{{- end }}
{{- end }}

{{/*
The rules the operator needs on the namespaces it watches. One list, used by the ClusterRole
(all namespaces) and by each per-namespace Role, so the two modes cannot drift apart.
Keep in step with the operator's code (operator/): its informers, dependents and event recorder.
*/}}
{{- define "reliable-tx-operator.rules" -}}
# Exactly what the operator does (it writes with server-side apply: patch, never update). ChartInstallTest proves
# on a real API server that these suffice; ChartRbacTest pins them.
# The custom resource: informer only.
- apiGroups: ["reliabletx.io"]
  resources: ["reliabletxpipelines"]
  verbs: ["get", "list", "watch"]
# Status written by the reconciler.
- apiGroups: ["reliabletx.io"]
  resources: ["reliabletxpipelines/status"]
  verbs: ["patch"]
# Owner references with blockOwnerDeletion on children need this where the
# OwnerReferencesPermissionEnforcement admission plugin is on (e.g. OpenShift).
- apiGroups: ["reliabletx.io"]
  resources: ["reliabletxpipelines/finalizers"]
  verbs: ["update"]
# Children: NameServer/Broker/MySQL StatefulSets (never deleted by the operator: they go by owner references).
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["get", "list", "watch", "create", "patch"]
# Children: the broker group's PodDisruptionBudget (never deleted by the operator: it goes by owner references).
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch"]
# Children: console/order/stock Deployments (delete: a switched-off console).
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# Children: Services (delete: a switched-off console's).
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# Children: the broker.conf and init-SQL ConfigMaps, the generated credentials Secret (never deleted by the
# operator: the Secret is kept with MySQL's data on purpose).
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["get", "list", "watch", "create", "patch"]
# Children: the topic-creation Job (delete: the Job superseded when a topic changes).
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# Children: the NetworkPolicies of MySQL, the name server and the broker (delete: switched off in the spec).
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# Kubernetes Events about the pipeline.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}
