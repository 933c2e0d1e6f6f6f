#!/usr/bin/env bash
# Operator benchmark on the local control plane (kwok node): one pipeline's apply → children → Ready times and API
# requests, the requests during a quiet period (target: no writes), then N pipelines applied at once (default 200):
# time until every child of all N exists, until all are Ready, the operator's writes per child, CPU and RSS.
# Options: --pipelines N --quiet-seconds S --heap 384m --wait-seconds W (for all children, then for all Ready; default 1800). Prints the report and writes operator/target/operator-bench.md
# (bench/results/operator.md is the curated record: copy what a run shows there by hand).
# The operator runs in a java process of its own (OperatorProcess) with the chart's heap (memory limit 512Mi x
# MaxRAMPercentage=75 = 384m), apart from this benchmark's client; the benchmark itself runs in another java process.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
scripts/control-plane/start.sh >/dev/null
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
# Built in the reactor (nothing installed into ~/.m2): the classpath names the modules' own jars.
mvn -B -q -pl operator -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp"
java -Xmx512m -cp "operator/target/test-classes:operator/target/classes:$(cat "$cp")" \
  io.reliabletx.operator.bench.OperatorBench "$@"
