# Shared by the control-plane scripts: versions, where the binaries and the running plane live.
# shellcheck shell=bash
K8S_VERSION=v1.34.2          # k8s.io/kubernetes; staging modules at v0.34.2 (testing/control-plane/go.mod)
KWOK_VERSION=v0.7.0          # sigs.k8s.io/kwok: newest whose go.mod accepts this machine's Go (v0.8.0 wants 1.26.0+)
HELM_VERSION=v3.19.0         # helm.sh/helm/v3: built against client-go v0.34, like the plane

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE_DIR=${RELIABLETX_CONTROL_PLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reliable-tx/control-plane/$K8S_VERSION}
BIN_DIR=$CACHE_DIR/bin
STATE_DIR=${RELIABLETX_CONTROL_PLANE_DIR:-${TMPDIR:-/tmp}/reliable-tx-control-plane}
KUBECONFIG_FILE=$STATE_DIR/kubeconfig

# Loopback ports (override if taken): etcd client/peer, kube-apiserver, controller-manager and scheduler health.
ETCD_PORT=${RELIABLETX_ETCD_PORT:-32379}
ETCD_PEER_PORT=${RELIABLETX_ETCD_PEER_PORT:-32380}
APISERVER_PORT=${RELIABLETX_APISERVER_PORT:-36443}
CONTROLLER_MANAGER_PORT=${RELIABLETX_CONTROLLER_MANAGER_PORT:-30257}
SCHEDULER_PORT=${RELIABLETX_SCHEDULER_PORT:-30259}
KWOK_PORT=${RELIABLETX_KWOK_PORT:-30247}

log() { printf '[control-plane] %s\n' "$*" >&2; }
