#!/usr/bin/env bash
# Builds every image the local cluster's real node runs, from Debian and Maven Central packages only (no container
# registry is reachable here), as `docker save` archives in $CACHE_DIR (see common.sh):
#   java-base    debootstrap minbase + openjdk-17-jre-headless, trimmed, default user 65532 (umoci, skopeo)
#   rocketmq     java-base + the RocketMQ server/tools jars from Maven Central + launchers of our own
#   mariadb      debootstrap minbase + Debian's mariadb-server/-client + an entrypoint of our own
#   pause        Debian's static catatonit
#   operator, sample-order, sample-stock, pipeline-admin   Jib (jib:buildTar) on the java-base archive
# Each image is rebuilt only when a hash of its inputs changed (stamp beside the archive); a run with nothing
# changed takes a few seconds. Needs root (debootstrap, chroot, file ownership). Usage: build.sh [key...]
# (keys: java-base rocketmq mariadb pause operator sample-order sample-stock pipeline-admin; default all).
set -euo pipefail
source "$(dirname "$0")/common.sh"

[ "$(id -u)" -eq 0 ] || die "run as root: debootstrap, chroot and the images' file ownership need it"
for tool in debootstrap umoci skopeo mvn java sha256sum chroot; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/prerequisites.sh"
done

WORK=$CACHE_DIR/work
mkdir -p "$CACHE_DIR" "$WORK"
exec 9>"$CACHE_DIR/.build.lock"
flock -n 9 || { log "another build.sh holds $CACHE_DIR/.build.lock; waiting"; flock 9; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
size_of() { du -h --apparent-size "$1" | cut -f1; }

# The machine's Debian mirror: the first enabled `deb` source for the suite (one-line .list or deb822 .sources).
apt_mirror() {
  if [ -n "${RELIABLETX_APT_MIRROR:-}" ]; then echo "$RELIABLETX_APT_MIRROR"; return; fi
  local f found=""
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    found=$(awk -v s="$SUITE" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
      if ($(i + 1) == s) { print $i; exit } }' "$f")
    [ -n "$found" ] && break
  done
  if [ -z "$found" ]; then
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      found=$(awk -v s="$SUITE" 'function flush() { if (!done && deb && suite && uri != "" && !off) { print uri; done = 1; exit } deb = suite = off = 0; uri = "" }
        /^[[:space:]]*$/ { flush(); next }
        /^Types:/ { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
        /^URIs:/ { uri = $2 }
        /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) suite = 1 }
        /^Enabled:[[:space:]]*no/ { off = 1 }
        END { flush() }' "$f")
      [ -n "$found" ] && break
    done
  fi
  [ -n "$found" ] || die "no apt source for $SUITE in /etc/apt/sources.list{,.d}; set RELIABLETX_APT_MIRROR"
  echo "$found"
}
MIRROR=$(apt_mirror)

# Hash of the given strings and of the contents (not paths' mtimes) of the given repo paths' files; so any
# checkout of the same sources hits the cache. Files come from git (tracked + untracked, .gitignore respected).
tree_hash() {
  (cd "$REPO_ROOT" && git ls-files -z -co --exclude-standard -- "$@" | sort -z \
    | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
    | xargs -0 -r sha256sum) | sha256sum | cut -c1-16
}
recipe_hash() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }

stamp_file() { echo "$CACHE_DIR/$1.stamp"; }
archive() { echo "$CACHE_DIR/$1.tar"; }
is_fresh() { [ -f "$(archive "$1")" ] && [ "$(cat "$(stamp_file "$1")" 2>/dev/null)" = "$2" ]; }
mark_built() { printf '%s\n' "$2" >"$(stamp_file "$1")"; }

# Drops what a container never reads: docs, man pages, locales, apt lists and caches, logs, device nodes
# (the runtime mounts /dev), the build host's resolv.conf.
trim_rootfs() {
  local r=$1
  rm -rf "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/* \
    "$r"/usr/share/lintian "$r"/usr/share/bug \
    "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/* "$r"/var/cache/debconf/*-old "$r"/var/lib/dpkg/*-old \
    "$r"/var/cache/man "$r"/var/log/* "$r"/dev/* "$r"/tmp/* "$r"/var/tmp/* "$r"/debootstrap
  : >"$r/etc/resolv.conf"
  # Keep dpkg from putting any of it back if someone apt-gets in a derived image.
  mkdir -p "$r/etc/dpkg/dpkg.cfg.d"
  printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
    'path-exclude=/usr/share/locale/*' >"$r/etc/dpkg/dpkg.cfg.d/reliabletx-trim"
}

# Anything still mounted under a rootfs (debootstrap's /proc on a failed run) must not be packed or rm -rf'd.
unmount_under() {
  local m
  awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
}

# umoci: an empty image in a fresh OCI layout, unpacked to $2/bundle (rootfs at $2/bundle/rootfs).
oci_start() {
  local w=$1
  unmount_under "$w"
  rm -rf "$w" && mkdir -p "$w"
  umoci init --layout "$w/oci"
  umoci new --image "$w/oci:img"
  umoci unpack --image "$w/oci:img" "$w/bundle" >/dev/null
}
oci_repack() { umoci repack --image "$1/oci:img" "$1/bundle"; rm -rf "$1/bundle"; }
# Exports the layout's image as a docker-archive named $3 (written aside, then renamed: never a half archive).
oci_export() {
  local w=$1 key=$2 name=$3
  umoci gc --layout "$w/oci"
  rm -f "$(archive "$key").part"
  skopeo --insecure-policy copy -q "oci:$w/oci:img" "docker-archive:$(archive "$key").part:$name"
  mv -f "$(archive "$key").part" "$(archive "$key")"
}

build_java_base() {
  local w=$WORK/java-base r
  oci_start "$w"; r=$w/bundle/rootfs
  log "java-base: debootstrap $SUITE minbase + openjdk-17-jre-headless from $MIRROR (~1 min)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless "$SUITE" "$r" "$MIRROR" >"$w/debootstrap.log" 2>&1 \
    || { unmount_under "$r"; tail -n 20 "$w/debootstrap.log" >&2; die "debootstrap failed (log: $w/debootstrap.log)"; }
  unmount_under "$r"
  log "java-base: untrimmed $(du -sh "$r" | cut -f1)"
  trim_rootfs "$r"
  # The default non-root user (distroless' 65532); images built on this base pick their own.
  echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin' >>"$r/etc/passwd"
  echo 'nonroot:x:65532:' >>"$r/etc/group"
  install -d -o 65532 -g 65532 -m 0755 "$r/home/nonroot"
  log "java-base: trimmed $(du -sh "$r" | cut -f1)"
  # Derived images (rocketmq) add users to copies of these.
  mkdir -p "$w/etc" && cp "$r/etc/passwd" "$r/etc/group" "$w/etc/"
  local java_home
  java_home=$(dirname "$(dirname "$(chroot "$r" readlink -f /usr/bin/java)")")
  oci_repack "$w"
  umoci config --image "$w/oci:img" --author reliable-tx --config.user 65532:65532 --config.workingdir / \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env LANG=C.UTF-8 --config.env "JAVA_HOME=$java_home"
  oci_export "$w" java-base "$JAVA_BASE_IMAGE"
}

build_rocketmq() {
  local w=$WORK/rocketmq base=$WORK/java-base s home=/home/rocketmq
  local dist=$home/rocketmq-$ROCKETMQ_VERSION
  [ -d "$base/oci" ] || die "rocketmq: the java-base layout is missing ($base/oci): rm $(stamp_file java-base) and run again"
  rm -rf "$w" && mkdir -p "$w" && cp -a "$base/oci" "$w/oci"
  s=$w/stage
  log "rocketmq: resolving rocketmq-namesrv/-broker/-tools $ROCKETMQ_VERSION and their runtime dependencies (Maven)"
  mvn -B -q -f "$IMAGES_SRC/rocketmq/pom.xml" dependency:copy-dependencies -Drocketmq.version="$ROCKETMQ_VERSION" \
    -DincludeScope=runtime -DoutputDirectory="$s$dist/lib" >"$w/mvn.log" 2>&1 \
    || { tail -n 40 "$w/mvn.log" >&2; die "resolving the RocketMQ jars failed (log: $w/mvn.log)"; }
  # Native libraries for other platforms (netty's macOS/aarch64/riscv64 transports) are dead weight here.
  find "$s$dist/lib" \( -name '*-osx-*.jar' -o -name '*-linux-aarch_64.jar' -o -name '*-linux-riscv64.jar' \) -delete
  install -d "$s$dist/bin"
  install -m 0755 "$IMAGES_SRC"/rocketmq/bin/* "$s$dist/bin/"
  # The upstream image's user: rocketmq 3000:3000, home /home/rocketmq; logs and store pre-created for runs
  # without volumes (a read-only root filesystem needs volumes there: see bin/rocketmq-java).
  install -d "$s/etc"
  cp "$base/etc/passwd" "$base/etc/group" "$s/etc/"
  echo "rocketmq:x:3000:3000:rocketmq:$home:/bin/sh" >>"$s/etc/passwd"
  echo 'rocketmq:x:3000:' >>"$s/etc/group"
  install -d -o 3000 -g 3000 -m 0755 "$s$home" "$s$home/logs" "$s$home/store" "$s$home/namesrv" "$s$home/conf"
  chown -R 0:0 "$s$dist"
  umoci insert --image "$w/oci:img" "$s" /
  umoci config --image "$w/oci:img" --author reliable-tx --config.user 3000:3000 --config.workingdir "$dist/bin" \
    --config.env "ROCKETMQ_HOME=$dist" --config.env "HOME=$home" \
    --config.exposedports 9876/tcp --config.exposedports 10909/tcp --config.exposedports 10911/tcp \
    --config.exposedports 10912/tcp
  rm -rf "$s"
  oci_export "$w" rocketmq "$ROCKETMQ_IMAGE"
}

# Two stages: the Debian root filesystem (slow, cached in $WORK/mariadb-rootfs by its own hash) and a layer with our
# entrypoint and config on top, so changing those rebuilds in seconds.
build_mariadb_rootfs() {
  local w=$WORK/mariadb-rootfs r old_uid old_gid
  oci_start "$w"; r=$w/bundle/rootfs
  log "mariadb: debootstrap $SUITE minbase + mariadb-server + mariadb-client from $MIRROR (~2-4 min)"
  # Two debootstrap stages, so a policy-rc.d can keep the packages' maintainer scripts from starting a server.
  debootstrap --foreign --variant=minbase --include=mariadb-server,mariadb-client "$SUITE" "$r" "$MIRROR" \
    >"$w/debootstrap.log" 2>&1 || { tail -n 20 "$w/debootstrap.log" >&2; die "debootstrap failed (log: $w/debootstrap.log)"; }
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d" && chmod 0755 "$r/usr/sbin/policy-rc.d"
  chroot "$r" /debootstrap/debootstrap --second-stage >>"$w/debootstrap.log" 2>&1 \
    || { unmount_under "$r"; tail -n 20 "$w/debootstrap.log" >&2; die "debootstrap --second-stage failed (log: $w/debootstrap.log)"; }
  unmount_under "$r"
  rm -f "$r/usr/sbin/policy-rc.d"
  log "mariadb: untrimmed $(du -sh "$r" | cut -f1)"
  # The official image's mysql user is 999:999 (the operator's pod runs as 999); Debian picked a system id.
  old_uid=$(awk -F: '$1 == "mysql" { print $3 }' "$r/etc/passwd")
  old_gid=$(awk -F: '$1 == "mysql" { print $3 }' "$r/etc/group")
  chroot "$r" groupmod -g 999 mysql
  chroot "$r" usermod -u 999 -g 999 mysql
  find "$r" -xdev \( -uid "$old_uid" -o -gid "$old_gid" \) -exec chown -h 999:999 {} +
  trim_rootfs "$r"
  # Debian's postinst initialised a data dir: the entrypoint initialises the (empty) volume itself. Debian's
  # my.cnf (and its include dirs) give way to ours.
  rm -rf "$r/var/lib/mysql" "$r/etc/mysql/my.cnf" "$r/etc/mysql/my.cnf.fallback"
  install -d -o 999 -g 999 -m 0750 "$r/var/lib/mysql"
  install -d -m 0755 "$r/docker-entrypoint-initdb.d"
  # Socket, pid file and tmpdir: writable by whatever uid runs the server.
  install -d -o 999 -g 999 -m 1777 "$r/run/mysqld"
  log "mariadb: trimmed $(du -sh "$r" | cut -f1)"
  oci_repack "$w"
}

build_mariadb() {
  local w=$WORK/mariadb base=$WORK/mariadb-rootfs s
  if [ "$(cat "$base/stamp" 2>/dev/null)" != "${HASH[mariadb-rootfs]}" ] || [ ! -d "$base/oci" ]; then
    build_mariadb_rootfs
    echo "${HASH[mariadb-rootfs]}" >"$base/stamp"
  fi
  rm -rf "$w" && mkdir -p "$w" && cp -a "$base/oci" "$w/oci"
  s=$w/stage
  install -d "$s/etc/mysql" "$s/usr/local/bin"
  install -m 0644 "$IMAGES_SRC/mariadb/my.cnf" "$s/etc/mysql/my.cnf"
  install -m 0755 "$IMAGES_SRC/mariadb/docker-entrypoint.sh" "$s/usr/local/bin/docker-entrypoint.sh"
  umoci insert --image "$w/oci:img" "$s" /
  rm -rf "$s"
  umoci config --image "$w/oci:img" --author reliable-tx --config.user 999:999 --config.workingdir / \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env LANG=C.UTF-8 \
    --config.entrypoint docker-entrypoint.sh --config.cmd mariadbd \
    --config.exposedports 3306/tcp --config.volume /var/lib/mysql
  oci_export "$w" mariadb "$MARIADB_IMAGE"
}

build_pause() {
  local w=$WORK/pause
  oci_start "$w"
  install -m 0755 /usr/bin/catatonit "$w/bundle/rootfs/catatonit"
  oci_repack "$w"
  umoci config --image "$w/oci:img" --author reliable-tx --config.user 65535:65535 \
    --config.entrypoint /catatonit --config.entrypoint -P
  oci_export "$w" pause "$PAUSE_IMAGE"
}

# The Jib images, in one reactor run (-am builds their project dependencies; nothing is installed into ~/.m2,
# which other checkouts share). The `images` profile binds jib:buildTar to package in each image module; the base
# is the java-base archive, so Jib never contacts a registry.
build_jib() {
  local modules=("$@") pl
  pl=$(IFS=,; echo "${modules[*]}")
  log "jib: mvn package -pl $pl -am -Pimages (base tar://$(archive java-base))"
  # Maven's -q output is only errors (and stray colour codes): kept in a log, shown when the build fails.
  (cd "$REPO_ROOT" && mvn -B -q -pl "$pl" -am package -DskipTests -Pimages \
    -Djib.from.image="tar://$(archive java-base)" -Dreliabletx.image.tag="$APP_VERSION" >"$WORK/jib-mvn.log" 2>&1) \
    || { tail -n 40 "$WORK/jib-mvn.log" >&2; die "the Jib build failed (log: $WORK/jib-mvn.log)"; }
  local m
  for m in "${modules[@]}"; do
    mv -f "$REPO_ROOT/$m/target/jib-image.tar" "$(archive "$m")"
  done
}

# Inputs of each image: its recipe (the functions' text), what it copies in, and what it derives from.
recipe_common=$(declare -f trim_rootfs oci_start oci_repack oci_export unmount_under)
declare -A HASH
HASH[java-base]=$(recipe_hash "$recipe_common" "$(declare -f build_java_base)" "$MIRROR" "$SUITE" "$JAVA_BASE_IMAGE")
HASH[rocketmq]=$(recipe_hash "$recipe_common" "$(declare -f build_rocketmq)" "${HASH[java-base]}" \
  "$ROCKETMQ_IMAGE" "$(tree_hash scripts/images/rocketmq)")
HASH[mariadb-rootfs]=$(recipe_hash "$recipe_common" "$(declare -f build_mariadb_rootfs)" "$MIRROR" "$SUITE")
HASH[mariadb]=$(recipe_hash "$(declare -f build_mariadb)" "${HASH[mariadb-rootfs]}" "$MARIADB_IMAGE" \
  "$(tree_hash scripts/images/mariadb)")
HASH[pause]=$(recipe_hash "$recipe_common" "$(declare -f build_pause)" "$PAUSE_IMAGE" "$(sha256sum </usr/bin/catatonit)")
jib_common=$(recipe_hash "$(declare -f build_jib)" "${HASH[java-base]}" "$APP_VERSION" "$(tree_hash pom.xml schema)")
HASH[operator]=$(recipe_hash "$jib_common" "$(tree_hash pipeline-model operator)")
HASH[sample-order]=$(recipe_hash "$jib_common" "$(tree_hash sample-messages sample-common sample-order)")
HASH[sample-stock]=$(recipe_hash "$jib_common" "$(tree_hash sample-messages sample-common sample-stock)")
HASH[pipeline-admin]=$(recipe_hash "$jib_common" "$(tree_hash pipeline-model pipeline-admin)")

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${IMAGE_KEYS[@]}")
for key in "${wanted[@]}"; do image_name "$key" >/dev/null; done
want() { local k; for k in "${wanted[@]}"; do [ "$k" = "$1" ] && return 0; done; return 1; }
# A derived image needs its base's archive up to date.
if want rocketmq || want operator || want sample-order || want sample-stock || want pipeline-admin; then want java-base || wanted+=(java-base); fi

total=$(now)
for key in java-base rocketmq mariadb pause; do
  want "$key" || continue
  if is_fresh "$key" "${HASH[$key]}"; then
    log "$key: up to date ($(image_name "$key"), $(size_of "$(archive "$key")"))"
    continue
  fi
  t=$(now)
  "build_${key//-/_}"
  mark_built "$key" "${HASH[$key]}"
  log "$key: built $(image_name "$key") in $(since "$t") s, archive $(size_of "$(archive "$key")")"
done

stale=()
for key in operator sample-order sample-stock pipeline-admin; do
  want "$key" || continue
  if is_fresh "$key" "${HASH[$key]}"; then
    log "$key: up to date ($(image_name "$key"), $(size_of "$(archive "$key")"))"
  else
    stale+=("$key")
  fi
done
if [ ${#stale[@]} -gt 0 ]; then
  t=$(now)
  build_jib "${stale[@]}"
  for key in "${stale[@]}"; do
    mark_built "$key" "${HASH[$key]}"
    log "$key: built $(image_name "$key"), archive $(size_of "$(archive "$key")")"
  done
  log "jib: ${stale[*]} in $(since "$t") s"
fi
log "done in $(since "$total") s; archives in $CACHE_DIR (import: scripts/images/import.sh --address <containerd socket>)"
