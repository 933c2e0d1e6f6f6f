#!/usr/bin/env bash
# HTTP front benchmark, measured from outside: a throwaway MariaDB and the in-process RocketMQ of the tests (one JVM,
# io.reliabletx.bench.HttpFrontBed), the order and stock services as their own `java -jar` processes wired by the
# environment contract, and Debian's wrk (installed here if missing) placing orders with POST /orders: each request
# its own Idempotency-Key, over several products. For each connection count and repetition: accepted orders/s,
# p50/p95/p99 latency, non-2xx and socket errors; after the load, how long until every accepted order is CONFIRMED
# or CANCELLED (read from the orders database), the end-to-end rate, and CPU seconds per 1,000 orders of each
# process (/proc/<pid>/stat). Writes bench/results/http-front.md (and the raw rows beside it, http-front-runs.tsv).
#
#   scripts/bench-http.sh [--connections "16 64 128"] [--repeats 3] [--duration 20] [--warmup 120] [--products 8]
#                         [--threads 2] [--service-heap 512m] [--jvm-option OPT]... [--order-env KEY=VALUE]...
#                         [--jfr DIR] [--out bench/results/http-front.md]
#
# --warmup: seconds of uncounted load at 64 connections first (on 2 busy cores the JIT needs minutes: CPU per order
# fell from 11.9 ms after 30 s to 4.3-5.8 ms after 60-100 s). --jvm-option: added to both services' JVMs;
# --order-env: extra environment of the order service (e.g. SERVER_TOMCAT_THREADS_MAX=32), for tuning attempts.
# --jfr DIR records the order service with Java Flight Recorder into DIR/order.jfr; the bench's JfrBreakdown (its
# command is printed at the end) shares the recording's CPU samples out by component (Spring MVC, Tomcat, Jackson,
# JDBC, RocketMQ client, ...), all of it or within a time window (--from/--to HH:MM:SS) or for some
# threads. Everything runs under nice 10 (the machine is shared); the load average and the other processes' CPU
# during each point are in the results.
set -euo pipefail
cd "$(dirname "$0")/.."

connections="16 64 128"
repeats=3
duration=20
warmup=120
jvm_options=()
order_env=()
products=8
threads=2
heap=512m
jfr_dir=""
out=bench/results/http-front.md
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) [[ "${2:-}" =~ ^[1-9][0-9]*( [1-9][0-9]*)*$ ]] || { echo "$1 takes numbers, e.g. \"16 64 128\"" >&2; exit 2; }
      connections=$2; shift 2 ;;
    --repeats|--duration|--products|--threads) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "$1 takes a positive number" >&2; exit 2; }
      declare "${1#--}=$2"; shift 2 ;;
    --warmup) [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "$1 takes a number of seconds" >&2; exit 2; }
      warmup=$2; shift 2 ;;
    --service-heap) [[ "${2:-}" =~ ^[1-9][0-9]*[mg]$ ]] || { echo "$1 takes a size like 512m" >&2; exit 2; }
      heap=$2; shift 2 ;;
    --jvm-option) [[ "${2:-}" =~ ^-[A-Za-z0-9:+=._/-]+$ ]] || { echo "$1 takes one JVM option, e.g. -XX:+UseSerialGC" >&2; exit 2; }
      jvm_options+=("$2"); shift 2 ;;
    --order-env) [[ "${2:-}" =~ ^[A-Z][A-Z0-9_]*=[A-Za-z0-9:+=.,_/-]*$ ]] || { echo "$1 takes KEY=VALUE (plain characters)" >&2; exit 2; }
      order_env+=("$2"); shift 2 ;;
    --jfr) [ -n "${2:-}" ] || { echo "$1 takes a directory" >&2; exit 2; }
      jfr_dir=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --out) [ -n "${2:-}" ] || { echo "$1 takes a file" >&2; exit 2; }
      out=$2; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done

scripts/prerequisites.sh
if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "installing wrk (Debian)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
for tool in mariadb curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing (Debian: mariadb-client, curl)" >&2; exit 1; }
done

echo "building the services and the bench (package only: nothing is installed into ~/.m2)..."
nice -n 10 mvn -B -q -pl sample-order,sample-stock,bench -am package -DskipTests
order_jar=$(ls sample-order/target/sample-order-*-exec.jar)
stock_jar=$(ls sample-stock/target/sample-stock-*-exec.jar)
bench_jar=bench/target/reliable-tx-bench-exec.jar
lua=$PWD/bench/src/main/wrk/orders.lua

work=$(mktemp -d /tmp/bench-http.XXXXXX)
bed_pid="" order_pid="" stock_pid=""
# shellcheck disable=SC2317 # stop_pid and cleanup run from the EXIT trap
stop_pid() { # pid: TERM, then KILL after 30 s
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$1" 2>/dev/null || true
}
# shellcheck disable=SC2317 # run from the EXIT trap
cleanup() {
  stop_pid "$order_pid"; stop_pid "$stock_pid"
  exec 3>&- 2>/dev/null || true   # the bed exits when its standard input closes, stopping MariaDB and the broker
  [ -n "$bed_pid" ] && { for _ in $(seq 60); do kill -0 "$bed_pid" 2>/dev/null || break; sleep 0.5; done; stop_pid "$bed_pid"; }
  # with --jfr the logs stay for reading beside the recording; the environment files (passwords) never do
  if [ -n "$jfr_dir" ]; then rm -f "$work"/*.env "$work/bed.in"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "starting MariaDB and RocketMQ (logs in $work)..."
mkfifo "$work/bed.in"
nice -n 10 java -Xmx1g -cp "$bench_jar" -Dloader.main=io.reliabletx.bench.HttpFrontBed \
  org.springframework.boot.loader.launch.PropertiesLauncher --dir "$work" --products "$products" \
  <"$work/bed.in" >"$work/bed.log" 2>&1 &
bed_pid=$!
exec 3>"$work/bed.in"
for _ in $(seq 180); do grep -q '^READY' "$work/bed.log" && break; kill -0 "$bed_pid" || { cat "$work/bed.log" >&2; exit 1; }; sleep 1; done
grep -q '^READY' "$work/bed.log" || { echo "the bed did not start in 180 s" >&2; tail -30 "$work/bed.log" >&2; exit 1; }
value() { sed -n "s/^$1=//p" "$work/bed.env"; } # bed.env holds ports and pids only
order_port=$(value ORDER_PORT); stock_port=$(value STOCK_PORT); db_port=$(value MARIADB_PORT)
db_pid=$(value MARIADB_PID); broker_pid=$(value BROKER_PID)

# A service's environment comes from the bed's 0600 file (it holds the database password), never a command line.
start_service() { # name jar env-file [extra JVM options]
  local name=$1 jar=$2 envfile=$3; shift 3
  (
    while IFS= read -r line; do
      [[ "${line%%=*}" =~ ^[A-Z][A-Z0-9_]*$ ]] || { echo "bad line in $envfile" >&2; exit 1; }
      export "${line%%=*}=${line#*=}"
    done <"$envfile"
    if [ "$name" = order ]; then
      for kv in ${order_env[@]+"${order_env[@]}"}; do export "${kv%%=*}=${kv#*=}"; done
    fi
    exec nice -n 10 java "-Xmx$heap" ${jvm_options[@]+"${jvm_options[@]}"} "$@" -jar "$jar"
  ) >"$work/$name.log" 2>&1 &
}
order_jvm=()
[ -n "$jfr_dir" ] && order_jvm+=("-XX:StartFlightRecording=filename=$jfr_dir/order.jfr,settings=profile,dumponexit=true")
start_service stock "$stock_jar" "$work/stock.env"; stock_pid=$!
start_service order "$order_jar" "$work/order.env" ${order_jvm[@]+"${order_jvm[@]}"}; order_pid=$!
for port in "$stock_port" "$order_port"; do
  for _ in $(seq 180); do
    curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && break
    if ! kill -0 "$order_pid" || ! kill -0 "$stock_pid"; then tail -40 "$work/order.log" "$work/stock.log" >&2; exit 1; fi
    sleep 1
  done
  curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null || { echo "service on $port not ready" >&2; exit 1; }
done
echo "services ready: order :$order_port (pid $order_pid), stock :$stock_port (pid $stock_pid);" \
  "broker JVM pid $broker_pid, MariaDB pid $db_pid"

sql() { mariadb -h127.0.0.1 -P"$db_port" -uroot -N -B -e "$1" tx-msg-orders; }
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in ticks
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; } # the machine's busy ticks, all cores
w() { sed -n "s/^BENCH $1 //p" "$work/wrk-$tag.txt"; } # a figure of the current point's wrk (tag: point's local)

# One point: wrk for $duration s at $1 connections, then wait until no order of this point is PENDING.
# Prints one tab-separated row (header below).
point() {
  local conns=$1 tag=$2 base la0 la1 t0 t1 t2 pend_end drained c0 c1 wrk_cpu b0 b1
  base=$(sql "SELECT COALESCE(MAX(id), 0) FROM orders")
  la0=$(loadavg)
  c0=$(for p in "$order_pid" "$stock_pid" "$broker_pid" "$db_pid"; do cpu "$p"; done | paste -sd' ')
  b0=$(busy)
  t0=$(date +%s.%N)
  wrk_cpu=$( { TIMEFORMAT='%U %S'; time BENCH_PRODUCTS=$products BENCH_KEY_PREFIX=$tag \
    nice -n 10 wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 10s -s "$lua" "http://127.0.0.1:$order_port" \
    >"$work/wrk-$tag.txt"; } 2>&1 | awk '{print $1 + $2}')
  t1=$(date +%s.%N)
  pend_end=$(sql "SELECT COUNT(*) FROM orders WHERE id > $base AND status = 'PENDING'")
  drained=no
  for _ in $(seq 1200); do
    [ "$(sql "SELECT COUNT(*) FROM orders WHERE id > $base AND status = 'PENDING'")" = 0 ] && { drained=yes; break; }
    sleep 0.25
  done
  c1=$(for p in "$order_pid" "$stock_pid" "$broker_pid" "$db_pid"; do cpu "$p"; done | paste -sd' ')
  b1=$(busy)
  t2=$(date +%s.%N)
  la1=$(loadavg)
  local rows rowv
  rows=$(sql "SELECT COUNT(*), SUM(status = 'CONFIRMED'), SUM(status = 'CANCELLED'), SUM(status = 'PENDING'),
      UNIX_TIMESTAMP(MIN(create_time)), UNIX_TIMESTAMP(MAX(update_time)) FROM orders WHERE id > $base")
  printf '%s\t' "$conns" "$tag" "$(w duration_s)" "$(w requests)" "$(w s201)" "$(w s202)" "$(w s200)" "$(w s4xx)" \
    "$(w s5xx)" "$(w sother)" "$(( $(w errors_connect) + $(w errors_read) + $(w errors_write) + $(w errors_timeout) ))" \
    "$(w p50_ms)" "$(w p95_ms)" "$(w p99_ms)" "$(w max_ms)" "$t0" "$t1" "$pend_end" "$drained"
  read -r -a rowv <<<"$rows"
  printf '%s\t' "${rowv[@]}"
  awk -v a="$c0" -v b="$c1" -v t="$ticks" 'BEGIN { n = split(a, x, " "); split(b, y, " ");
    for (i = 1; i <= n; i++) printf "%.2f\t", (y[i] - x[i]) / t }'
  # CPU the rest of the machine used meanwhile (other engineers' work), in cores: busy ticks less ours, per second
  awk -v a="$c0" -v b="$c1" -v w="$wrk_cpu" -v t="$ticks" -v b0="$b0" -v b1="$b1" -v s="$t0" -v e="$t2" 'BEGIN {
    n = split(a, x, " "); split(b, y, " "); ours = w * t; for (i = 1; i <= n; i++) ours += y[i] - x[i];
    printf "%s\t%.2f\t", w, (b1 - b0 - ours) / t / (e - s) }'
  printf '%s\t%s\n' "$la0" "$la1"
}
header="connections	tag	duration_s	requests	s201	s202	s200	s4xx	s5xx	sother	socket_errors	p50_ms	p95_ms	p99_ms	max_ms	load_start	load_end	pending_at_load_end	drained	orders	confirmed	cancelled	pending	first_create	last_update	cpu_order_s	cpu_stock_s	cpu_broker_s	cpu_mariadb_s	cpu_wrk_s	other_cores	loadavg_before	loadavg_after"

runs="${out%.md}-runs.tsv"
mkdir -p "$(dirname "$out")"
started_load=$(loadavg)
run_id=$(date +%s)
if [ "$warmup" -gt 0 ]; then
  echo "warm-up: ${warmup} s at 64 connections (not counted)"
  saved=$duration; duration=$warmup
  point 64 "w$run_id" >/dev/null
  duration=$saved
fi
echo "$header" >"$work/runs.tsv"
read -r -a levels <<<"$connections"
for ((r = 0; r < repeats; r++)); do
  for ((i = 0; i < ${#levels[@]}; i++)); do
    c=${levels[$(( (i + r) % ${#levels[@]} ))]} # each repetition starts at another level
    row=$(point "$c" "r${run_id}x$((r + 1))c$c")
    echo "$row" >>"$work/runs.tsv"
    echo "$row" | awk -F'\t' '{ acc = ($5 + $6) / $3; printf "  %4d conns rep %d: %6.0f accepted/s  p50 %6.1f  p95 %6.1f  p99 %6.1f ms  non-2xx %d  socket errors %d  pending at end %d  drained %s  other processes %.2f cores  load %s -> %s\n", $1, '"$((r + 1))"', acc, $12, $13, $14, $8 + $9 + $10, $11, $18, $19, $31, $32, $33 }'
  done
done
finished_load=$(loadavg)
cp "$work/runs.tsv" "$runs"

# the report (medians and ranges, goals) is written by the bench's Java side from the rows
java -cp "$bench_jar" -Dloader.main=io.reliabletx.bench.HttpFrontReport \
  org.springframework.boot.loader.launch.PropertiesLauncher --runs "$runs" --out "$out" \
  --load-start "$started_load" --load-end "$finished_load" --duration "$duration" --products "$products" \
  --threads "$threads" --service-heap "$heap" --warmup "$warmup" \
  --jvm-options "${jvm_options[*]:-none}" --order-env "${order_env[*]:-none}" \
  --mariadb "$(mariadb -h127.0.0.1 -P"$db_port" -uroot -N -B -e 'SELECT VERSION()')" \
  --cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" --cores "$(nproc)" \
  --wrk "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
if [ -n "$jfr_dir" ]; then
  echo "JFR of the order service: $jfr_dir/order.jfr (written when the service stops); logs in $work"
  echo "its CPU samples by component: java -cp $bench_jar -Dloader.main=io.reliabletx.bench.JfrBreakdown" \
    "org.springframework.boot.loader.launch.PropertiesLauncher $jfr_dir/order.jfr" \
    "[--from HH:MM:SS --to HH:MM:SS] [--thread http-nio]"
fi
exit 0
