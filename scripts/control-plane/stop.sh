#!/usr/bin/env bash
# Stops the local cluster started by start.sh (the real node first, then by PID file, newest first); idempotent. --purge also removes
# its state (etcd data, certificates, kubeconfig).
set -euo pipefail
source "$(dirname "$0")/common.sh"
"$(dirname "$0")/real-node.sh" stop || true
for name in volume-binder kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop_process "$name"
done
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$STATE_DIR"
fi
log "stopped"
