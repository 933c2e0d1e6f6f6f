#!/usr/bin/env bash
# Operator benchmark on the local control plane (kwok node): one pipeline's apply → children → Ready times and API
# requests, the requests during a quiet period (target: no writes), then N pipelines applied at once (default 200):
# time until every child of all N exists, until all are Ready, the operator's writes per child, CPU and RSS.
# Options: --pipelines N --quiet-seconds S --jvm "OPTIONS" (the operator's JVM; default the chart's) --heap 179m (only -Xmx)
# --create-threads T (concurrent creates of the N pipelines, default 8) --wait-seconds W (for all children, then for all
# Ready; default 1800). The operator's thread settings come from RECONCILE_THREADS / WORKFLOW_THREADS in this
# environment. Prints the report and writes operator/target/operator-bench.md
# (bench/results/operator.md is the curated record: copy what a run shows there by hand).
# The operator runs in a java process of its own (OperatorProcess) with the chart's JVM options read from its
# values.yaml and -XX:MaxRAM set to the chart's memory limit (so heap, maximum and initial, is sized as in the pod:
# 35 % of 512Mi = 179 MiB at most, 8 MiB at first; serial GC; MALLOC_ARENA_MAX=2), apart from this benchmark's client;
# the benchmark itself runs in another java process.
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
