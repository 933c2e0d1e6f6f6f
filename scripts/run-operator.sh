#!/usr/bin/env bash
# Runs the operator out of cluster against the current KUBECONFIG (development, and the local control plane, where
# kwok's pods run nothing). OPERATOR_SERVICE_ACCOUNT=<ns>:<name> makes it act as that ServiceAccount (impersonation),
# e.g. the one `helm install rtx helm/reliable-tx-operator -n rtx-system` created: rtx-system:rtx-reliable-tx-operator.
# Other settings through the operator's env vars (WATCH_NAMESPACES, METRICS_PORT...; see operator/README.md). As that
# ServiceAccount, set WATCH_NAMESPACES to the namespaces the release watches (the chart's default: its own namespace,
# e.g. WATCH_NAMESPACES=rtx-system): empty, the operator watches every namespace, which only watchAnyNamespace=true grants.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${OPERATOR_SERVICE_ACCOUNT:-}" ]; then
  export KUBERNETES_IMPERSONATE_USERNAME="system:serviceaccount:${OPERATOR_SERVICE_ACCOUNT}"
fi
mvn -B -q -pl operator -am install -DskipTests
exec mvn -B -q -pl operator org.codehaus.mojo:exec-maven-plugin:3.5.1:java -Dexec.mainClass=io.reliabletx.operator.OperatorMain
