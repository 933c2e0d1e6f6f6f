#!/usr/bin/env bash
# Operator benchmark on the local control plane: one pipeline's apply→children→Ready time and API requests, the
# requests during a quiet minute (target: no writes), then N pipelines at once (default 200): time to all Ready,
# RSS and CPU. Writes bench/results/operator.md. Options: --pipelines N --quiet-seconds S
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
scripts/control-plane/start.sh >/dev/null
mvn -B -q -pl operator -am install -DskipTests
exec mvn -B -q -pl operator org.codehaus.mojo:exec-maven-plugin:3.5.1:exec -Dexec.executable=java \
  -Dexec.classpathScope=test -Dexec.args="-Xmx1g -cp %classpath io.reliabletx.operator.bench.OperatorBench $*"
