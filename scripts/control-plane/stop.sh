#!/usr/bin/env bash
# Stops the local cluster started by start.sh (the real node first, then by PID file, newest first); idempotent. --purge also removes
# its state (etcd data, certificates, kubeconfig).
set -euo pipefail
source "$(dirname "$0")/common.sh"
"$(dirname "$0")/real-node.sh" stop || true
for name in volume-binder kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  pidfile=$STATE_DIR/pids/$name.pid
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
done
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$STATE_DIR"
fi
log "stopped"
