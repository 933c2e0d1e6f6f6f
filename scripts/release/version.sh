#!/usr/bin/env bash
# The release workflow's first step: checks that a version tag matches what the commit says, and prints the facts the
# rest of the release uses, as GitHub step outputs (version=..., registry=..., prerelease=true|false).
#   scripts/release/version.sh v0.2.0 [registry owner]
# The tag's version must equal the chart's version and appVersion and the project's (pom) version: the operator's
# default image references carry the same version (ReleaseVersionTest), so a release never names images it did not
# push. With an owner (the workflow passes the repository's), reliabletx.image.registry must be ghcr.io/<owner>: the
# chart and the operator name the images there.
set -euo pipefail
cd "$(dirname "$0")/../.."

die() { printf '[release] %s\n' "$*" >&2; exit 1; }
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  die "usage: scripts/release/version.sh v<major>.<minor>.<patch>[-<pre-release>] [registry owner]"
fi
tag=$1
[[ $tag =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$ ]] \
  || die "'$tag' is not a release tag: v<major>.<minor>.<patch>[-<pre-release>] (semantic versioning, as Helm wants)"
version=${tag#v}

chart=helm/reliable-tx-operator/Chart.yaml
chart_field() { sed -n "s/^$1:[[:space:]]*\"\{0,1\}\([^\"[:space:]]*\)\"\{0,1\}[[:space:]]*\$/\1/p" "$chart"; }
chart_version=$(chart_field version)
app_version=$(chart_field appVersion)
# Maven's own view of the pom (Debian's Maven 3.8 wraps -q output in colour codes even with -B: dropped).
pom_property() { mvn -B -q -N help:evaluate -Dexpression="$1" -DforceStdout | sed 's/\x1b\[[0-9;]*m//g'; }
pom_version=$(pom_property project.version)
registry=$(pom_property reliabletx.image.registry)

problems=()
[ "$chart_version" = "$version" ] || problems+=("$chart version is '$chart_version'")
[ "$app_version" = "$version" ] || problems+=("$chart appVersion is '$app_version'")
[ "$pom_version" = "$version" ] || problems+=("the project version (pom.xml) is '$pom_version'")
if [ $# -eq 2 ]; then
  expected="ghcr.io/${2,,}"
  [ "$registry" = "$expected" ] || problems+=("reliabletx.image.registry (pom.xml) is '$registry', not $expected, where this repository's release pushes")
fi
if [ ${#problems[@]} -gt 0 ]; then
  printf '[release] tag %s does not match the commit:\n' "$tag" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  die "set them all to $version (README: Releasing), commit, and tag that commit"
fi

prerelease=false
[[ $version == *-* ]] && prerelease=true
echo "version=$version"
echo "registry=$registry"
echo "prerelease=$prerelease"
