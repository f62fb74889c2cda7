{{- define "kbench.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kbench.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "kbench.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kbench.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kbench.signingSecret" -}}
{{- .Values.signing.existingSecret | default (printf "%s-signing" (include "kbench.fullname" .)) -}}
{{- end -}}

{{- define "kbench.clientSecret" -}}
{{- .Values.kafka.existingClientSecret | default (printf "%s-client" (include "kbench.fullname" .)) -}}
{{- end -}}

{{- define "kbench.signed" -}}
{{- if or .Values.signing.key .Values.signing.existingSecret }}true{{ end -}}
{{- end -}}

{{- define "kbench.clientConfig" -}}
{{- if or .Values.kafka.clientProperties .Values.kafka.existingClientSecret }}true{{ end -}}
{{- end -}}

{{/* Arguments every process shares: the control cluster, the prefix, client settings and the signing key. */}}
{{- define "kbench.clusterArgs" -}}
- --bootstrap-server={{ .Values.kafka.bootstrapServers }}
- --topic-prefix={{ .Values.kafka.topicPrefix }}
{{- if include "kbench.clientConfig" . }}
- --command-config=/etc/kbench/client/client.properties
{{- end }}
{{- if include "kbench.signed" . }}
- --secret-file=/etc/kbench/signing/secret
{{- end }}
{{- end -}}

{{- define "kbench.secretMounts" -}}
{{- if include "kbench.clientConfig" . }}
- name: client
  mountPath: /etc/kbench/client
  readOnly: true
{{- end }}
{{- if include "kbench.signed" . }}
- name: signing
  mountPath: /etc/kbench/signing
  readOnly: true
{{- end }}
{{- end -}}

{{- define "kbench.secretVolumes" -}}
{{- if include "kbench.clientConfig" . }}
- name: client
  secret:
    secretName: {{ include "kbench.clientSecret" . }}
{{- end }}
{{- if include "kbench.signed" . }}
- name: signing
  secret:
    secretName: {{ include "kbench.signingSecret" . }}
{{- end }}
{{- end -}}

{{- define "kbench.scrapeAnnotations" -}}
{{- if .root.Values.metrics.scrapeAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}
