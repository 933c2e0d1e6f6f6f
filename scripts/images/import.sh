#!/usr/bin/env bash
# Imports the archives scripts/images/build.sh made into a containerd's k8s.io namespace (the one the CRI plugin,
# i.e. the kubelet, uses) under the names pods ask for. An image already there with the same config digest is
# skipped, so a repeated import takes about a second.
#   scripts/images/import.sh --address /run/containerd/containerd.sock [key...]
# Names as the CRI plugin resolves them: a name without a registry, e.g. mysql:8.4, is docker.io/library/mysql:8.4.
set -euo pipefail
source "$(dirname "$0")/common.sh"

address="" namespace=k8s.io keys=()
while [ $# -gt 0 ]; do
  case $1 in
    --address) [ $# -ge 2 ] || die "--address needs a socket path"; address=$2; shift 2 ;;
    --address=*) address=${1#--address=}; shift ;;
    --namespace) [ $# -ge 2 ] || die "--namespace needs a value"; namespace=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (options: --address <containerd socket> [--namespace k8s.io] [image key...])" ;;
    *) image_name "$1" >/dev/null; keys+=("$1"); shift ;;
  esac
done
[ -n "$address" ] || die "--address <containerd socket> is required (never guessed: several containerds may run here)"
[ -S "$address" ] || die "$address is not a socket"
[ ${#keys[@]} -gt 0 ] || keys=("${IMAGE_KEYS[@]}")
command -v jq >/dev/null 2>&1 || die "jq is missing: run scripts/prerequisites.sh"

ctr_() { ctr --address "$address" --namespace "$namespace" "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# docker.io's implicit parts, as containerd and the kubelet add them.
normalize() {
  local n=$1 first=${1%%/*}
  if [ "$first" = "$n" ] || { [[ $first != *.* ]] && [[ $first != *:* ]] && [ "$first" != localhost ]; }; then
    [[ $n == */* ]] || n=library/$n
    n=docker.io/$n
  fi
  echo "$n"
}

# The image's identity: the digest of its config (what `docker images` calls the image ID), read from the
# archive's manifest.json; the same for the same image whatever the layers' compression.
archive_config_digest() {
  local a=$1 config
  config=$(tar -xOf "$a" manifest.json | jq -r '.[0].Config')
  echo "sha256:$(tar -xOf "$a" "$config" | sha256sum | cut -d' ' -f1)"
}

# The config digest of an image in containerd, or nothing when absent.
containerd_config_digest() {
  local target media digest
  target=$(ctr_ images ls "name==$1" | awk 'NR == 2 { print $2, $3 }')
  [ -n "$target" ] || return 0
  media=${target%% *} digest=${target#* }
  if [[ $media == *index* || $media == *manifest.list* ]]; then
    digest=$(ctr_ content get "$digest" | jq -r '.manifests[0].digest')
  fi
  ctr_ content get "$digest" | jq -r '.config.digest'
}

total=$(now)
for key in "${keys[@]}"; do
  archive=$CACHE_DIR/$key.tar
  [ -f "$archive" ] || die "$archive is missing: run scripts/images/build.sh"
  name=$(normalize "$(image_name "$key")")
  want=$(archive_config_digest "$archive")
  have=$(containerd_config_digest "$name" 2>/dev/null || true)
  have_before=$have
  if [ "$want" = "$have" ]; then
    log "$name: present (${want:0:19})"
    continue
  fi
  t=$(now)
  # The archive's RepoTags name the image (docker-archive: no import-<date> ref; --index-name would add a
  # second record under the same name, pointing at an index that is then garbage-collected).
  ctr_ images import "$archive" >/dev/null
  # Should one appear anyway (PROBES.md), drop it: the CRI plugin would resolve the image under it and fail.
  ctr_ images ls -q | { grep -E '^import-[0-9]' || true; } | while read -r stray; do
    ctr_ images rm "$stray" >/dev/null && log "removed stray ref $stray"
  done
  have=$(containerd_config_digest "$name")
  [ "$want" = "$have" ] || die "$name: imported, but containerd holds config ${have:-nothing}, expected $want"
  # The CRI plugin refers to images by config digest too (a sha256:<config> ref): drop the replaced image's.
  if [ -n "$have_before" ] && [ "$have_before" != "$want" ] && ctr_ images ls -q | grep -qxF "$have_before"; then
    ctr_ images rm "$have_before" >/dev/null && log "removed the replaced image's ref $have_before"
  fi
  log "$name: imported in $(since "$t") s (${want:0:19})"
done
log "done in $(since "$total") s (containerd $address, namespace $namespace)"
