#!/usr/bin/env bash
# README command 1: builds the project and runs the embedded-default demo: a throwaway MariaDB, an in-process
# RocketMQ name server + broker and both sample services on this machine; 1,000 concurrent orders over 3
# products; then the consistency report. Options go to the demo, e.g. scripts/demo.sh --orders 5000 --products 5
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
echo "building (first run downloads Maven dependencies)..."
mvn -B -q -pl demo -am install -DskipTests
exec java -Xmx1g -jar demo/target/reliable-tx-demo-exec.jar "$@"
