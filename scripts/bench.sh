#!/usr/bin/env bash
# Data-plane benchmark: raw baseline, outbox baseline and the pipeline on the same MariaDB and broker, then plain vs
# transactional sends; writes bench/results/data-plane.md. Options go to the benchmark, e.g.
#   scripts/bench.sh --orders 8000 --clients 32 --consumer-threads 16 --flush-log-at-commit 2
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
mvn -B -q -pl bench -am install -DskipTests
exec java -Xmx2g -jar bench/target/reliable-tx-bench-exec.jar "$@"
