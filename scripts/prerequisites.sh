#!/usr/bin/env bash
# Installs what the build, the demo and the tests need and a fresh machine may lack: a JDK 17+, Maven, and
# Debian's mariadb-server (the tests start throwaway MariaDB servers of their own; nothing runs as a service);
# and what scripts/images/ needs to build the node's images without a registry (debootstrap, umoci, skopeo,
# catatonit for the pause image, jq) and to import them (containerd's ctr); the real node's runtime pieces; and
# shellcheck for the workflows' lint.
# Idempotent: a machine that has everything is left alone in well under a second.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
{ [ -x /usr/sbin/mariadbd ] || command -v mariadbd >/dev/null 2>&1; } || need+=(mariadb-server)
{ [ -x /usr/sbin/debootstrap ] || command -v debootstrap >/dev/null 2>&1; } || need+=(debootstrap)
command -v umoci >/dev/null 2>&1 || need+=(umoci)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
[ -x /usr/bin/catatonit ] || need+=(catatonit)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v ctr >/dev/null 2>&1 || need+=(containerd)
# The local cluster's real node (scripts/control-plane/real-node.sh): runc, the CNI plugins, kube-proxy's tools.
command -v runc >/dev/null 2>&1 || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v conntrack >/dev/null 2>&1 || need+=(conntrack)
# scripts/lint-workflows.sh: actionlint runs shellcheck on the workflows' run: scripts.
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "missing: ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${java_major%%.*}" -lt 17 ] 2>/dev/null; then
  echo "Java 17 or newer is needed, found $java_major (set JAVA_HOME)" >&2
  exit 1
fi
