#!/usr/bin/env bash
# Marks namespaces whose pods run on the real node (start.sh --node real): creates each one if missing and sets the
# annotations that the API server's PodNodeSelector and PodTolerationRestriction admission plugins apply to every pod
# created there (the node selector of the real node, and a toleration of its taint). Other namespaces stay on kwok.
#   scripts/control-plane/real-namespace.sh rtx-system demo
set -euo pipefail
source "$(dirname "$0")/common.sh"
export PATH=$BIN_DIR:$PATH KUBECONFIG=$KUBECONFIG_FILE
[ $# -gt 0 ] || { echo "usage: $0 NAMESPACE..." >&2; exit 2; }
for namespace in "$@"; do
  kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl annotate namespace "$namespace" --overwrite >/dev/null \
    "scheduler.alpha.kubernetes.io/node-selector=$REAL_NODE_LABEL=real" \
    "scheduler.alpha.kubernetes.io/defaultTolerations=[{\"key\":\"$REAL_NODE_TAINT\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"
  log "namespace $namespace: pods run on the real node"
done
