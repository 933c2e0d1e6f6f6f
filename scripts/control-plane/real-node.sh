#!/usr/bin/env bash
# The local cluster's real node: containerd + runc + CNI (Debian's packages), a kubelet and kube-proxy (the plane's
# multi-call binary) and the cluster DNS (CoreDNS), so pods really run. Called by start.sh --node real and stop.sh;
# needs root (network namespaces, mounts, iptables).
#
#   real-node.sh network   the pod bridge, before the API server binds to its address
#   real-node.sh start     containerd, images, kubelet, kube-proxy, DNS; waits for the node to be Ready
#   real-node.sh images    the images of this checkout built (cached) and imported (a running node gets new ones)
#   real-node.sh stop      everything above, the pods' tasks, mounts, netns, bridge and firewall rules undone
#
# Pod and Service traffic never leaves the machine: no masquerade onto the uplink, and forwarding is on only together
# with a rule that drops every forwarded packet that does not stay on the pod bridge (PROBES.md: ip_forward is 0 here).
set -euo pipefail
source "$(dirname "$0")/common.sh"
export PATH=$BIN_DIR:$PATH

NODE_DIR=$STATE_DIR/node
CONTAINERD_SOCKET=$NODE_DIR/containerd.sock
# Images outlive the plane: containerd's content store is kept with the binaries, its run state is not.
CONTAINERD_ROOT=${RELIABLETX_CONTAINERD_ROOT:-$CACHE_DIR/../containerd}
FILTER_CHAIN=RTX-NODE-ISOLATION

require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    log "the real node needs root (network namespaces, mounts, iptables); run as root, or use --node kwok"
    exit 1
  fi
  local missing=()
  for tool in containerd containerd-shim-runc-v2 runc ctr iptables conntrack ip; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
  if [ ${#missing[@]} -gt 0 ]; then
    log "missing for the real node: ${missing[*]} (scripts/prerequisites.sh installs them)"
    exit 1
  fi
}

sysctl_save_set() { # key value: remember the old value once, so stop restores the machine as it was
  local key=$1 value=$2 saved=$NODE_DIR/sysctl.saved
  [ -e "/proc/sys/${key//.//}" ] || return 0
  grep -q "^$key=" "$saved" 2>/dev/null || echo "$key=$(sysctl -n "$key")" >> "$saved"
  sysctl -qw "$key=$value"
}

network() {
  require_root
  mkdir -p "$NODE_DIR"
  modprobe br_netfilter 2>/dev/null || true
  if ! ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
    ip link add "$NODE_BRIDGE" type bridge
  fi
  ip addr replace "$NODE_IP/${POD_CIDR#*/}" dev "$NODE_BRIDGE"
  ip link set "$NODE_BRIDGE" up

  # Firewall first, then forwarding: forwarded packets must stay on the pod bridge (pod to pod, and pod to Service
  # after kube-proxy's DNAT). In the mangle table, which kube-proxy leaves alone, so its filter rules (which accept
  # some traffic outright) can never come first; NodePorts listen on the bridge address only (kube-proxy's flags).
  iptables -w -t mangle -N "$FILTER_CHAIN-FWD" 2>/dev/null || iptables -w -t mangle -F "$FILTER_CHAIN-FWD"
  iptables -w -t mangle -A "$FILTER_CHAIN-FWD" -i "$NODE_BRIDGE" -o "$NODE_BRIDGE" -j RETURN
  iptables -w -t mangle -A "$FILTER_CHAIN-FWD" -m comment --comment "reliable-tx: pod traffic stays on this machine" -j DROP
  iptables -w -t mangle -C FORWARD -j "$FILTER_CHAIN-FWD" 2>/dev/null || iptables -w -t mangle -I FORWARD 1 -j "$FILTER_CHAIN-FWD"
  # The host's own packets are checked in POSTROUTING: only there does the out-interface reflect kube-proxy's DNAT
  # (filter OUTPUT still sees the route chosen before it).
  iptables -w -t mangle -N "$FILTER_CHAIN" 2>/dev/null || iptables -w -t mangle -F "$FILTER_CHAIN"
  iptables -w -t mangle -A "$FILTER_CHAIN" -o "$NODE_BRIDGE" -j RETURN
  iptables -w -t mangle -A "$FILTER_CHAIN" -o lo -j RETURN
  for cidr in "$POD_CIDR" "$SERVICE_CIDR" "$KWOK_POD_CIDR"; do
    iptables -w -t mangle -A "$FILTER_CHAIN" -d "$cidr" -m comment --comment "reliable-tx: cluster addresses stay on this machine" -j DROP
  done
  iptables -w -t mangle -C POSTROUTING -j "$FILTER_CHAIN" 2>/dev/null || iptables -w -t mangle -I POSTROUTING 1 -j "$FILTER_CHAIN"
  sysctl_save_set net.bridge.bridge-nf-call-iptables 1
  sysctl_save_set net.ipv4.ip_forward 1
}

node_certificates() {
  cd "$STATE_DIR"
  [ -f pki/kubelet-client.crt ] && return 0
  # The kubelet's identity (the Node authorizer only lets system:node:<name> in system:nodes touch its own node),
  # its serving certificate on the node address, and the API server's client identity towards kubelets.
  issue_cert kubelet-client "/O=system:nodes/CN=system:node:$REAL_NODE_NAME" "extendedKeyUsage=clientAuth\n"
  issue_cert kubelet-serving "/CN=$REAL_NODE_NAME" "subjectAltName=IP:$NODE_IP,DNS:$REAL_NODE_NAME\nextendedKeyUsage=serverAuth\n"
}

start_containerd() {
  mkdir -p "$NODE_DIR/cni/net.d" "$NODE_DIR/cni/ipam" "$CONTAINERD_ROOT"
  rm -rf "$NODE_DIR/cni/ipam"/*  # no pod survives a node restart, so neither do its addresses
  cat > "$NODE_DIR/cni/net.d/10-reliable-tx.conflist" <<CNI
{
  "cniVersion": "1.0.0",
  "name": "reliable-tx",
  "plugins": [
    {"type": "bridge", "bridge": "$NODE_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$NODE_IP"}]],
              "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$NODE_DIR/cni/ipam"}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
CNI
  # restrict_oom_score_adj: these machines lack CAP_SYS_RESOURCE, and runc fails every sandbox that tries to lower
  # oom_score_adj (PROBES.md). The sandbox image is built here from Debian's catatonit (scripts/images).
  cat > "$NODE_DIR/containerd.toml" <<TOML
version = 2
root = "$CONTAINERD_ROOT"
state = "$NODE_DIR/containerd-state"
[grpc]
  address = "$CONTAINERD_SOCKET"
[ttrpc]
  address = "$CONTAINERD_SOCKET.ttrpc"
[debug]
  address = "$CONTAINERD_SOCKET.debug"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$SANDBOX_IMAGE"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$NODE_DIR/cni/net.d"
TOML
  log "starting containerd ($CONTAINERD_SOCKET, images kept in $CONTAINERD_ROOT)"
  launch containerd containerd --config "$NODE_DIR/containerd.toml"
  wait_for containerd 30 ctr --address "$CONTAINERD_SOCKET" version
}

start_kubelet() {
  mkdir -p "$NODE_DIR/kubelet" "$NODE_DIR/volume-plugins"
  write_kubeconfig "$NODE_DIR/kubelet.kubeconfig" "$NODE_IP" kubelet-client
  # Pods resolve through the cluster DNS only: they need no outside names, and the host's resolvers are not theirs.
  printf 'nameserver %s\n' "$NODE_IP" > "$NODE_DIR/resolv.conf"
  cat > "$NODE_DIR/kubelet.yaml" <<KUBELET
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# cgroup v1 hybrid here and no systemd: cgroupfs (v1.34 only warns about cgroup v1).
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCKET
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
tlsCertFile: $STATE_DIR/pki/kubelet-serving.crt
tlsPrivateKeyFile: $STATE_DIR/pki/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $STATE_DIR/pki/ca.crt}
authorization: {mode: Webhook}
clusterDNS: [$NODE_IP]
clusterDomain: cluster.local
resolvConf: $NODE_DIR/resolv.conf
podCIDR: $POD_CIDR
maxPods: 110
serializeImagePulls: false
# Images are imported, never pulled: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "200Mi", nodefs.available: "2%", imagefs.available: "2%"}
enforceNodeAllocatable: []
volumePluginDir: $NODE_DIR/volume-plugins
registerWithTaints:
- {key: $REAL_NODE_TAINT, value: "true", effect: NoSchedule}
KUBELET
  log "starting the kubelet of $REAL_NODE_NAME on $NODE_IP"
  launch kubelet kubelet --config "$NODE_DIR/kubelet.yaml" --kubeconfig "$NODE_DIR/kubelet.kubeconfig" \
    --root-dir "$NODE_DIR/kubelet" --cert-dir "$NODE_DIR/kubelet-pki" --node-ip "$NODE_IP" \
    --hostname-override "$REAL_NODE_NAME" --node-labels "$REAL_NODE_LABEL=real,type=real"
}

start_kube_proxy() {
  # Conntrack sysctls are left as they are (0 = do not set): the machine's own values work, and we restore nothing.
  log "starting kube-proxy (iptables mode)"
  launch kube-proxy kube-proxy --kubeconfig "$KUBECONFIG_FILE" --hostname-override "$REAL_NODE_NAME" \
    --proxy-mode iptables --cluster-cidr "$POD_CIDR" --bind-address 127.0.0.1 --nodeport-addresses "$NODE_IP/32" \
    --healthz-bind-address "127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT" --metrics-bind-address "127.0.0.1:$KUBE_PROXY_METRICS_PORT" \
    --conntrack-max-per-core 0 --conntrack-tcp-timeout-established 0 --conntrack-tcp-timeout-close-wait 0
}

start_dns() {
  cat > "$NODE_DIR/Corefile" <<COREFILE
.:53 {
  bind $NODE_IP
  errors
  health 127.0.0.1:$DNS_HEALTH_PORT
  ready 127.0.0.1:$DNS_READY_PORT
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    kubeconfig $KUBECONFIG_FILE
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
  }
  cache 5
}
COREFILE
  log "starting the cluster DNS (CoreDNS) on $NODE_IP:53"
  launch coredns coredns -conf "$NODE_DIR/Corefile"
  wait_for "the cluster DNS" 30 curl -sf "http://127.0.0.1:$DNS_READY_PORT/ready"
}

images() { # the images of this checkout, built (cached) and imported into the node (unchanged ones are skipped)
  "$REPO_ROOT/scripts/images/build.sh"
  "$REPO_ROOT/scripts/images/import.sh" --address "$CONTAINERD_SOCKET"
}

start() {
  require_root
  node_certificates
  start_containerd
  images
  start_kubelet
  start_kube_proxy
  start_dns
  wait_for "the real node" 120 bash -c "kubectl --kubeconfig '$KUBECONFIG_FILE' get node '$REAL_NODE_NAME' \
    -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -q True"
  log "node $REAL_NODE_NAME Ready (pods in namespaces labelled by scripts/control-plane/real-namespace.sh run here)"
}

stop() {
  [ "$(id -u)" -eq 0 ] || return 0
  # Only a node of this state dir: another plane's (other RELIABLETX_CONTROL_PLANE_DIR) shares the bridge name, the
  # containerd root and the firewall chains, and must not be torn down by this one's stop.
  [ -d "$NODE_DIR" ] || return 0
  stop_process kubelet
  stop_process coredns
  stop_process kube-proxy
  # The pods' tasks and shims outlive the kubelet (PROBES.md): kill them through containerd, then containerd itself.
  if [ -S "$CONTAINERD_SOCKET" ]; then
    local ctr=(ctr --address "$CONTAINERD_SOCKET" -n k8s.io)
    for task in $("${ctr[@]}" tasks list -q 2>/dev/null); do
      "${ctr[@]}" tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true
    done
    sleep 1
    for task in $("${ctr[@]}" tasks list -q 2>/dev/null); do
      "${ctr[@]}" tasks delete -f "$task" >/dev/null 2>&1 || true
    done
    for container in $("${ctr[@]}" containers list -q 2>/dev/null); do
      "${ctr[@]}" containers delete "$container" >/dev/null 2>&1 || true
    done
  fi
  stop_process containerd
  pkill -9 -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCKET" 2>/dev/null || true
  # Mounts under the kubelet's and containerd's dirs (volumes, sandboxes' shm, rootfs), deepest first.
  findmnt -rn -o TARGET | grep -E "^($NODE_DIR|$CONTAINERD_ROOT)/" | sort -r | while read -r target; do
    umount -l "$target" 2>/dev/null || true
  done
  for netns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do
    ip netns delete "$netns" 2>/dev/null || true
  done
  kube-proxy --cleanup >/dev/null 2>&1 || true
  iptables -w -t mangle -D FORWARD -j "$FILTER_CHAIN-FWD" 2>/dev/null || true
  iptables -w -t mangle -D POSTROUTING -j "$FILTER_CHAIN" 2>/dev/null || true
  iptables -w -t mangle -F "$FILTER_CHAIN-FWD" 2>/dev/null && iptables -w -t mangle -X "$FILTER_CHAIN-FWD" 2>/dev/null || true
  iptables -w -t mangle -F "$FILTER_CHAIN" 2>/dev/null && iptables -w -t mangle -X "$FILTER_CHAIN" 2>/dev/null || true
  ip link delete "$NODE_BRIDGE" 2>/dev/null || true
  if [ -f "$NODE_DIR/sysctl.saved" ]; then
    while IFS='=' read -r key value; do sysctl -qw "$key=$value" || true; done < "$NODE_DIR/sysctl.saved"
  fi
  rm -rf --one-file-system "$NODE_DIR"
  log "real node stopped"
}

case "${1:-}" in
  network) network ;;
  start) start ;;
  images) require_root; images ;;
  stop) stop ;;
  *) echo "usage: $0 network|start|images|stop" >&2; exit 2 ;;
esac
