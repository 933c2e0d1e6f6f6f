#!/usr/bin/env bash
# Starts the local cluster on this machine: etcd, kube-apiserver (TLS, RBAC, service-account keys),
# kube-controller-manager, kube-scheduler, kwok (fake kubelets for one fake node) and a small volume binder; with
# --node real also a real node (containerd, kubelet, kube-proxy, cluster DNS: real-node.sh) whose pods really run.
# Writes a kubeconfig, waits until the API server and the nodes are Ready and prints the kubeconfig path.
# Idempotent: when it is already up with the node kind asked for, it only prints the kubeconfig path
# (--check: exit 0 if it is up, 1 if not, start nothing). Stop with scripts/control-plane/stop.sh.
#   --node kwok   (default, or RELIABLETX_NODE) only the fake node: fast, no root needed, pods run nothing
#   --node real   the fake node and a real one (root; images built by scripts/images and imported)
set -euo pipefail
source "$(dirname "$0")/common.sh"

node_kind=${RELIABLETX_NODE:-kwok}
check_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check_only=true ;;
    --node) node_kind=${2:-}; shift ;;
    --node=*) node_kind=${1#--node=} ;;
    *) log "unknown option $1 (options: --node kwok|real, --check)"; exit 2 ;;
  esac
  shift
done
case "$node_kind" in kwok|real) ;; *) log "--node takes kwok or real, not '$node_kind'"; exit 2 ;; esac

export PATH=$BIN_DIR:$PATH
if [ -x "$BIN_DIR/kubectl" ] && [ -f "$KUBECONFIG_FILE" ] \
    && kubectl --kubeconfig "$KUBECONFIG_FILE" --request-timeout=2s get --raw /readyz >/dev/null 2>&1; then
  running_kind=$(cat "$STATE_DIR/node-kind" 2>/dev/null || echo kwok)
  if $check_only || [ "$running_kind" = real ] || [ "$node_kind" = kwok ]; then
    log "already running (node: $running_kind)"
    if ! $check_only && [ "$node_kind" = real ]; then
      # The node keeps the images it was started with: bring this checkout's (cached builds, changed ones imported).
      "$REPO_ROOT/scripts/control-plane/real-node.sh" images >&2
    fi
    echo "$KUBECONFIG_FILE"
    exit 0
  fi
  log "running with the kwok node only; restarting with a real node"
fi
if $check_only; then # only tell whether it runs
  exit 1
fi
"$(dirname "$0")/build.sh"
"$(dirname "$0")/stop.sh" >/dev/null 2>&1 || true

mkdir -p "$STATE_DIR"/{pki,logs,pids}
cd "$STATE_DIR"
start=$(date +%s)
rm -f "$STATE_DIR/node-kind"

# The API server listens on loopback, or, with a real node, on the pod bridge's address so that pods reach it too
# (through the kubernetes Service); the bridge exists before the API server binds to it.
if [ "$node_kind" = real ]; then
  "$REPO_ROOT/scripts/control-plane/real-node.sh" network
  api_address=$NODE_IP
else
  api_address=127.0.0.1
fi

# --- certificates: a CA, the API server's serving cert, an admin client cert, service-account keys -------------
if [ ! -f pki/apiserver-kubelet-client.crt ]; then # also renews the certificates of an older layout
  log "generating certificates in $STATE_DIR/pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout pki/ca.key -out pki/ca.crt \
    -subj "/CN=reliable-tx-local-ca" 2>/dev/null
  issue_cert apiserver "/CN=kube-apiserver" "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,IP:$NODE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n"
  issue_cert admin "/O=system:masters/CN=admin" "extendedKeyUsage=clientAuth\n"
  openssl genrsa -out pki/sa.key 2048 2>/dev/null
  openssl rsa -in pki/sa.key -pubout -out pki/sa.pub 2>/dev/null
  # The API server's identity towards kubelets (logs, exec, port-forward on the real node).
  issue_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "extendedKeyUsage=clientAuth\n"
fi

write_kubeconfig "$KUBECONFIG_FILE" "$api_address" admin

log "starting etcd on 127.0.0.1:$ETCD_PORT"
launch etcd etcd --data-dir "$STATE_DIR/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --quota-backend-bytes 4294967296
wait_for etcd 30 curl -sf "http://127.0.0.1:$ETCD_PORT/health"

log "starting kube-apiserver on https://$api_address:$APISERVER_PORT"
launch kube-apiserver kube-apiserver --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address "$api_address" --advertise-address "$api_address" --secure-port "$APISERVER_PORT" \
  --tls-cert-file pki/apiserver.crt --tls-private-key-file pki/apiserver.key --client-ca-file pki/ca.crt \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file pki/sa.pub \
  --service-account-signing-key-file pki/sa.key --service-cluster-ip-range 10.96.0.0/16 \
  --authorization-mode Node,RBAC --allow-privileged=true \
  --endpoint-reconciler-type "$([ "$node_kind" = real ] && echo lease || echo none)" \
  --enable-admission-plugins NodeRestriction,PodNodeSelector,PodTolerationRestriction \
  --kubelet-client-certificate pki/apiserver-kubelet-client.crt --kubelet-client-key pki/apiserver-kubelet-client.key \
  --kubelet-preferred-address-types InternalIP \
  --cert-dir "$STATE_DIR/pki/generated"
wait_for kube-apiserver 90 kubectl --kubeconfig "$KUBECONFIG_FILE" --request-timeout=2s get --raw /readyz

# The scheduler retries unschedulable pods after 10 s, not 5 min: the volume binder below binds claims out of band,
# and a pod that was tried before its claim was bound otherwise waited the full 5 minutes (seen on the real node).
# A node is declared NotReady only after an hour without heartbeats: on a loaded machine kwok's heartbeats come
# late, and a NotReady fake node makes every pod unready for good (kwok does not set them back). The node-lifecycle
# controller itself stays: it removes the not-ready taint every new node is born with.
log "starting kube-controller-manager, kube-scheduler and kwok"
launch kube-controller-manager kube-controller-manager --kubeconfig "$KUBECONFIG_FILE" \
  --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
  --bind-address 127.0.0.1 --secure-port "$CONTROLLER_MANAGER_PORT" --leader-elect=false \
  --service-account-private-key-file pki/sa.key --root-ca-file pki/ca.crt \
  --cluster-signing-cert-file pki/ca.crt --cluster-signing-key-file pki/ca.key --controllers '*,-nodeipam' --node-monitor-grace-period 1h
launch kube-scheduler kube-scheduler --kubeconfig "$KUBECONFIG_FILE" \
  --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
  --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --leader-elect=false \
  --pod-max-in-unschedulable-pods-duration 10s
launch kwok kwok --kubeconfig "$KUBECONFIG_FILE" --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --cidr 10.0.1.0/24 --node-ip 127.0.0.1 \
  --server-address "127.0.0.1:$KWOK_PORT"

kubectl --kubeconfig "$KUBECONFIG_FILE" apply -f - >/dev/null <<'OBJECTS'
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node-0, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
status:
  allocatable: {cpu: "1000", memory: 8Ti, pods: "4000"}
  capacity: {cpu: "1000", memory: 8Ti, pods: "4000"}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
reclaimPolicy: Retain
OBJECTS

# kwok fakes kubelets, not volumes: this loop plays a provisioner for the default class, creating a PV pre-bound
# to each pending claim and deleting PVs whose claim is gone.
cat > volume-binder.sh <<BINDER
#!/usr/bin/env bash
export PATH=$BIN_DIR:\$PATH KUBECONFIG=$KUBECONFIG_FILE
while true; do
  kubectl get pvc -A --no-headers -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name,SIZE:.spec.resources.requests.storage,UID:.metadata.uid,PHASE:.status.phase 2>/dev/null \
  | while read -r ns name size uid phase; do
      [ "\$phase" = Pending ] || continue
      # Pods run as arbitrary non-root uids and fsGroup is not applied to hostPath volumes: the directory is open.
      mkdir -p "/tmp/reliable-tx-pv/\$uid" && chmod 0777 "/tmp/reliable-tx-pv/\$uid"
      cat <<PV | kubectl apply -f - >/dev/null 2>&1
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-\$uid, labels: {reliabletx.io/local-binder: "true"}}
spec:
  capacity: {storage: \$size}
  accessModes: [ReadWriteOnce, ReadWriteMany, ReadOnlyMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: standard
  hostPath: {path: /tmp/reliable-tx-pv/\$uid, type: Directory}
  claimRef: {namespace: \$ns, name: \$name, uid: \$uid}
PV
    done
  kubectl get pv -l reliabletx.io/local-binder=true --no-headers -o custom-columns=NAME:.metadata.name,PHASE:.status.phase 2>/dev/null \
  | awk '\$2=="Released" || \$2=="Failed" {print \$1}' | while read -r pv; do
      kubectl delete pv "\$pv" --wait=false >/dev/null 2>&1 && rm -rf --one-file-system "/tmp/reliable-tx-pv/\${pv#pv-}"
    done
  sleep 1
done
BINDER
chmod +x volume-binder.sh
launch volume-binder ./volume-binder.sh

wait_for "the fake node" 60 bash -c "kubectl --kubeconfig '$KUBECONFIG_FILE' get node kwok-node-0 -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -q True"
wait_for "the default service account" 60 kubectl --kubeconfig "$KUBECONFIG_FILE" get serviceaccount default -n default
if [ "$node_kind" = real ]; then
  "$REPO_ROOT/scripts/control-plane/real-node.sh" start
else
  kubectl --kubeconfig "$KUBECONFIG_FILE" delete node "$REAL_NODE_NAME" --ignore-not-found >/dev/null
fi
echo "$node_kind" > "$STATE_DIR/node-kind"
log "ready in $(( $(date +%s) - start )) s (node: $node_kind): export KUBECONFIG=$KUBECONFIG_FILE"
echo "$KUBECONFIG_FILE"
