#!/usr/bin/env bash
# README command 2 (and all of CI): every test of every module, on real MariaDB, real RocketMQ and, for the tests
# tagged k8s, the local Kubernetes cluster built from Go modules (built once, then cached) with its real node, on
# which the tests tagged real-node run the product in real pods (images built by scripts/images, cached); first the
# GitHub Actions workflows are linted.
# Maven options pass through, e.g. the fast suite: scripts/test.sh -DexcludedGroups=k8s,faults
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
scripts/lint-workflows.sh   # the GitHub Actions workflows (actionlint + shellcheck; built once, then ~1 s)

if [[ " $* " != *"excludedGroups=k8s"* ]]; then
  scripts/control-plane/build.sh
  # Stop the cluster afterwards unless it was already running.
  if ! scripts/control-plane/start.sh --check >/dev/null 2>&1; then
    trap 'scripts/control-plane/stop.sh >/dev/null 2>&1 || true' EXIT
  fi
  scripts/control-plane/start.sh --node real >/dev/null
fi
mvn -B verify "$@"
