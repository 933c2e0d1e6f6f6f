#!/usr/bin/env bash
# Prints the environment for using the local control plane by hand:  eval "$(scripts/control-plane/env.sh)"
source "$(dirname "$0")/common.sh"
echo "export KUBECONFIG=$KUBECONFIG_FILE"
echo "export PATH=$BIN_DIR:\$PATH"
