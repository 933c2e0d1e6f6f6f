#!/usr/bin/env bash
# README command 1: the product as a user runs it, on this machine. Starts the local Kubernetes cluster with a real
# node (built from Go modules and Debian packages the first time, then cached), builds the images (cached), installs
# the operator with Helm (it runs in a pod), applies a ReliableTxPipeline, waits until every pod is Ready, places
# orders through the order service's Service, prints the consistency report and `kubectl get rtp,pods`.
# The pipeline stays up afterwards to look at (the script prints how); scripts/control-plane/stop.sh stops it all.
#
#   scripts/demo.sh [--orders N] [--max-count N] [--concurrency N]
#   scripts/demo.sh --in-process [--orders N --products N --stock N --concurrency N]
#       the same pattern without Kubernetes: a throwaway MariaDB, an in-process RocketMQ and both services in one
#       JVM (for a machine without root or containerd)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh

if [ "${1:-}" = "--in-process" ]; then
  shift
  echo "building (first run downloads Maven dependencies)..."
  mvn -B -q -pl demo -am install -DskipTests
  exec java -Xmx1g -jar demo/target/reliable-tx-demo-exec.jar "$@"
fi

demo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --orders|--max-count|--concurrency)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "$1 takes a positive number" >&2; exit 2; }
      demo_args+=("$1" "$2"); shift 2 ;;
    *) echo "unknown option $1 (options: --orders N --max-count N --concurrency N, or --in-process ...)" >&2; exit 2 ;;
  esac
done

NAMESPACE=reliable-tx-demo
SYSTEM=rtx-system
PIPELINE=local
step() { printf '\n[%s] %s\n' "$1" "$2"; }
started=$(date +%s)

step 1/6 "local cluster with a real node (first run builds Kubernetes, CoreDNS and the images: ~15 min on 2 cores)"
kubeconfig=$(scripts/control-plane/start.sh --node real | tail -1)
export KUBECONFIG=$kubeconfig
eval "$(scripts/control-plane/env.sh)"
kubectl get nodes

step 2/6 "building the demo client"
mvn -B -q -pl demo -am package -DskipTests

step 3/6 "helm install the operator into $SYSTEM (it runs from its image in a pod)"
scripts/control-plane/real-namespace.sh "$SYSTEM" "$NAMESPACE"
kubectl label namespace "$SYSTEM" "$NAMESPACE" pod-security.kubernetes.io/enforce=restricted --overwrite >/dev/null
helm upgrade --install rtx helm/reliable-tx-operator --namespace "$SYSTEM" \
  --set "watchNamespaces={$NAMESPACE}" --wait --timeout 5m >/dev/null
kubectl get pods -n "$SYSTEM" -o wide

step 4/6 "kubectl apply -f examples/local.yaml (a fresh pipeline: last run's one and its claims are removed first)"
kubectl delete rtp "$PIPELINE" -n "$NAMESPACE" --ignore-not-found --wait=true --timeout=180s >/dev/null
kubectl delete pvc -n "$NAMESPACE" -l "app.kubernetes.io/instance=$PIPELINE" --ignore-not-found --wait=true >/dev/null
kubectl delete secret -n "$NAMESPACE" "$PIPELINE-credentials" --ignore-not-found >/dev/null
applied=$(date +%s)
kubectl apply -n "$NAMESPACE" -f examples/local.yaml
until kubectl wait rtp/"$PIPELINE" -n "$NAMESPACE" --for=condition=Ready --timeout=10s >/dev/null 2>&1; do
  if [ $(( $(date +%s) - applied )) -gt 900 ]; then
    echo "the pipeline did not become Ready in 15 minutes:" >&2
    kubectl describe rtp "$PIPELINE" -n "$NAMESPACE" >&2
    kubectl get pods -n "$NAMESPACE" -o wide >&2
    exit 1
  fi
  printf '  %4ds  %s\n' $(( $(date +%s) - applied )) \
    "$(kubectl get pods -n "$NAMESPACE" --no-headers 2>/dev/null | awk '{printf "%s %s %s; ", $1, $2, $3}')"
done
echo "  Ready $(( $(date +%s) - applied )) s after apply"

step 5/6 "orders through the order service's Service"
secret() { kubectl get secret "$PIPELINE-credentials" -n "$NAMESPACE" -o "jsonpath={.data.$1}" | base64 -d; }
order_ip=$(kubectl get service "$PIPELINE-order" -n "$NAMESPACE" -o jsonpath='{.spec.clusterIP}')
mysql_ip=$(kubectl get pod "$PIPELINE-mysql-0" -n "$NAMESPACE" -o jsonpath='{.status.podIP}')
# Credentials reach the client through its environment only, never its command line.
status=0
DEMO_ORDERS_JDBC_URL="jdbc:mysql://$mysql_ip:3306/tx-msg-orders" DEMO_STOCK_JDBC_URL="jdbc:mysql://$mysql_ip:3306/tx-msg-stock" \
DEMO_ORDERS_USER=$(secret orders-username) DEMO_ORDERS_PASSWORD=$(secret orders-password) \
DEMO_STOCK_USER=$(secret stock-username) DEMO_STOCK_PASSWORD=$(secret stock-password) \
  java -Xmx512m -jar demo/target/reliable-tx-demo-exec.jar cluster --order-url "http://$order_ip:8080" \
  ${demo_args[@]+"${demo_args[@]}"} || status=$?

step 6/6 "kubectl get rtp,pods -n $NAMESPACE"
kubectl get rtp,pods -n "$NAMESPACE" -o wide
echo
echo "The console is off here (no image of it can be built offline; real clusters get apacherocketmq/rocketmq-dashboard)."
echo "Done in $(( $(date +%s) - started )) s. The pipeline keeps running; to look around:"
echo "  eval \"\$(scripts/control-plane/env.sh)\"; kubectl get rtp,pods -n $NAMESPACE; kubectl logs -n $NAMESPACE deploy/$PIPELINE-order"
echo "Stop everything: scripts/control-plane/stop.sh"
exit $status
