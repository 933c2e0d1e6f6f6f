# Shared by scripts/images/build.sh and import.sh: image names, versions (read from the project, never restated),
# where the archives live, logging.
# shellcheck shell=bash
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IMAGES_SRC=$REPO_ROOT/scripts/images
CACHE_DIR=${RELIABLETX_IMAGES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reliable-tx/images}
SUITE=bookworm

log() { printf '[images] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The one place each version is read: the chart's appVersion (operator and sample tags, as the operator's
# defaults and the chart's empty image.tag use), the root pom's rocketmq.version and reliabletx.image.registry
# (where a release publishes the Jib images: the names the chart and the operator default to).
APP_VERSION=$(sed -n 's/^appVersion:[[:space:]]*"\{0,1\}\([^"[:space:]]*\)"\{0,1\}[[:space:]]*$/\1/p' \
  "$REPO_ROOT/helm/reliable-tx-operator/Chart.yaml")
ROCKETMQ_VERSION=$(sed -n 's:.*<rocketmq.version>\([^<]*\)</rocketmq.version>.*:\1:p' "$REPO_ROOT/pom.xml" | head -n1)
IMAGE_REGISTRY=$(sed -n 's:.*<reliabletx.image.registry>\([^<]*\)</reliabletx.image.registry>.*:\1:p' "$REPO_ROOT/pom.xml" | head -n1)
[ -n "$APP_VERSION" ] || die "no appVersion in helm/reliable-tx-operator/Chart.yaml"
[ -n "$IMAGE_REGISTRY" ] || die "no <reliabletx.image.registry> in pom.xml"
[ -n "$ROCKETMQ_VERSION" ] || die "no <rocketmq.version> in pom.xml"

JAVA_BASE_IMAGE=localhost/reliabletx/java-base:17
ROCKETMQ_IMAGE=localhost/reliabletx/rocketmq:$ROCKETMQ_VERSION
MARIADB_IMAGE=localhost/reliabletx/mariadb:10.11
PAUSE_IMAGE=registry.k8s.io/pause:3.10
OPERATOR_IMAGE=$IMAGE_REGISTRY/operator:$APP_VERSION
ORDER_IMAGE=$IMAGE_REGISTRY/sample-order:$APP_VERSION
STOCK_IMAGE=$IMAGE_REGISTRY/sample-stock:$APP_VERSION
ADMIN_IMAGE=$IMAGE_REGISTRY/pipeline-admin:$APP_VERSION

# key -> image name; the archive of each is $CACHE_DIR/<key>.tar (a `docker save` tarball: Jib takes it as a
# tar:// base, and containerd's importer names it from its RepoTags, with no stray import-<date> refs).
IMAGE_KEYS=(java-base rocketmq mariadb pause operator sample-order sample-stock pipeline-admin)
image_name() {
  case $1 in
    java-base) echo "$JAVA_BASE_IMAGE" ;;
    rocketmq) echo "$ROCKETMQ_IMAGE" ;;
    mariadb) echo "$MARIADB_IMAGE" ;;
    pause) echo "$PAUSE_IMAGE" ;;
    operator) echo "$OPERATOR_IMAGE" ;;
    sample-order) echo "$ORDER_IMAGE" ;;
    sample-stock) echo "$STOCK_IMAGE" ;;
    pipeline-admin) echo "$ADMIN_IMAGE" ;;
    *) die "unknown image key: $1" ;;
  esac
}
