#!/usr/bin/env bash
# README command 2 (and all of CI): every test of every module, on real MariaDB, real RocketMQ and, for the
# tests tagged k8s, the real local Kubernetes control plane built from Go modules (cached after the first build).
# Fast suite without the control plane: scripts/test.sh -DexcludedGroups=k8s
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
if [ -x scripts/control-plane/build.sh ] && [[ " $* " != *"excludedGroups=k8s"* ]]; then
  scripts/control-plane/build.sh
fi
exec mvn -B verify "$@"
