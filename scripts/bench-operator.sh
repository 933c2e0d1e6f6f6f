#!/usr/bin/env bash
# Operator benchmark on the local control plane: one pipeline's apply→children→Ready time and API requests, the
# requests during a quiet minute (target: no writes), then N pipelines at once (default 200): time to all Ready,
# RSS and CPU. Writes bench/results/operator.md. Options: --pipelines N --quiet-seconds S
# Runs in its own java process (not Maven's) with the chart's heap: memory limit 512Mi x MaxRAMPercentage=75.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
scripts/control-plane/start.sh >/dev/null
mvn -B -q -pl operator -am install -DskipTests
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -B -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp"
java -Xmx384m -XX:+ExitOnOutOfMemoryError \
  -cp "operator/target/test-classes:operator/target/classes:$(cat "$cp")" io.reliabletx.operator.bench.OperatorBench "$@"
