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

# Addresses of the cluster. Pods of the real node live on a bridge of their own; the API server, the kubelet and the
# cluster DNS listen on the bridge's address so pods can reach them, and nothing of it is routed off the machine.
SERVICE_CIDR=10.96.0.0/16
KWOK_POD_CIDR=10.0.1.0/24
POD_CIDR=10.244.0.0/24
NODE_BRIDGE=rtx0
NODE_IP=10.244.0.1
REAL_NODE_NAME=real-node-0
# The real node is tainted and labelled so that only pods of namespaces marked by real-namespace.sh run on it; the
# kwok node keeps every other pod (the fast tests and the benchmarks create hundreds).
REAL_NODE_TAINT=reliabletx.io/real-node
REAL_NODE_LABEL=reliabletx.io/node
SANDBOX_IMAGE=registry.k8s.io/pause:3.10
KUBELET_PORT=${RELIABLETX_KUBELET_PORT:-10250}
KUBELET_HEALTHZ_PORT=${RELIABLETX_KUBELET_HEALTHZ_PORT:-10248}
KUBE_PROXY_HEALTHZ_PORT=${RELIABLETX_KUBE_PROXY_HEALTHZ_PORT:-10256}
KUBE_PROXY_METRICS_PORT=${RELIABLETX_KUBE_PROXY_METRICS_PORT:-10249}
DNS_HEALTH_PORT=${RELIABLETX_DNS_HEALTH_PORT:-38080}
DNS_READY_PORT=${RELIABLETX_DNS_READY_PORT:-38181}

log() { printf '[control-plane] %s\n' "$*" >&2; }

# The plane's processes: started in the background with a log and a PID file, stopped by their PID file.
launch() { # name, command...
  local name=$1; shift
  nohup "$@" >"$STATE_DIR/logs/$name.log" 2>&1 &
  echo $! > "$STATE_DIR/pids/$name.pid"
}

wait_for() { # description, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  log "$what did not come up in ${seconds}s; logs in $STATE_DIR/logs"; tail -20 "$STATE_DIR"/logs/*.log >&2 || true
  exit 1
}

stop_process() { # name: SIGTERM, then SIGKILL after 5 s
  local pidfile=$STATE_DIR/pids/$1.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# A key and a certificate signed by the plane's CA: pki/NAME.key and pki/NAME.crt under $STATE_DIR.
issue_cert() { # name, subject, extensions (openssl x509 -extfile lines)
  local pki=$STATE_DIR/pki
  printf '%b' "$3" > "$pki/$1.ext"
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/$1.key" -out "$pki/$1.csr" -subj "$2" 2>/dev/null
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 3650 \
    -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
}

# A kubeconfig for the plane's API server at an address, as the user of a certificate of pki/.
write_kubeconfig() { # file, API server address, certificate name
  cat > "$1" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: reliable-tx-local
  cluster: {server: "https://$2:$APISERVER_PORT", certificate-authority: "$STATE_DIR/pki/ca.crt"}
users:
- name: $3
  user: {client-certificate: "$STATE_DIR/pki/$3.crt", client-key: "$STATE_DIR/pki/$3.key"}
contexts:
- name: reliable-tx-local
  context: {cluster: reliable-tx-local, user: $3}
current-context: reliable-tx-local
KUBECONFIG
}
