#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows/) with actionlint, which also runs shellcheck on every `run:`
# script. actionlint is built from its Go module the first time, into a cache dir keyed by version (like the
# control plane's binaries); later runs take about a second. Part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_VERSION=v1.7.12   # github.com/rhysd/actionlint
TOOLS_DIR=${RELIABLETX_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reliable-tx/tools}/actionlint-$ACTIONLINT_VERSION
log() { printf '[lint-workflows] %s\n' "$*" >&2; }

if [ ! -x "$TOOLS_DIR/actionlint" ]; then
  if ! command -v go >/dev/null 2>&1; then
    for candidate in /usr/local/go/bin /usr/lib/go/bin; do
      [ -x "$candidate/go" ] && PATH=$candidate:$PATH
    done
  fi
  command -v go >/dev/null 2>&1 || { log "Go is missing: actionlint is built from its Go module. Install Go 1.24+ and run again."; exit 1; }
  log "building actionlint $ACTIONLINT_VERSION into $TOOLS_DIR (once)"
  mkdir -p "$TOOLS_DIR"
  GOBIN=$TOOLS_DIR GOFLAGS=-trimpath go install -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi
# The run: scripts are checked by shellcheck, which actionlint would silently skip if it were missing.
shellcheck=$(command -v shellcheck) || { log "shellcheck is missing: run scripts/prerequisites.sh"; exit 1; }

"$TOOLS_DIR/actionlint" -no-color -shellcheck="$shellcheck" -pyflakes=
log "workflows clean: $(cd .github/workflows && echo *.yml)"
