#!/usr/bin/env bash
# Builds the project's pinned development tools from the Go module proxy into
# $TOOLS_BIN, each once per version: a tool is rebuilt only when its module's
# requirements (go.mod without its module line and comments, go.sum) or its
# build line below change.
#
#   tools/build.sh            build every tool but the release's
#   tools/build.sh NAME...    build the named tools (see TOOLS below)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOLS_BIN=${TOOLS_BIN:-$here/../.cache/tools/bin}
mkdir -p "$TOOLS_BIN"
TOOLS_BIN=$(cd "$TOOLS_BIN" && pwd)

k8s_version=v1.35.4
k8s_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
	k8s_ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=35 -X $pkg.gitTreeState=clean"
done
xp_version_var=github.com/crossplane/crossplane-runtime/v2/pkg/version.version

# name | module folder | package | ldflags
TOOLS=(
	"crossplane|crossplane-cli|github.com/crossplane/cli/v2/cmd/crossplane|-s -w -X=$xp_version_var=v2.5.0"
	"crossplane-core|crossplane-core|github.com/crossplane/crossplane/v2/cmd/crossplane|-s -w -X=$xp_version_var=v2.3.4"
	"crossplane-v1|crossplane-v1|github.com/crossplane/crossplane/cmd/crank|-s -w -X=github.com/crossplane/crossplane/internal/version.version=v1.20.11"
	"controller-gen|controller-gen|sigs.k8s.io/controller-tools/cmd/controller-gen|-s -w"
	"golangci-lint|golangci-lint|github.com/golangci/golangci-lint/v2/cmd/golangci-lint|-s -w -X=main.version=v2.15.0"
	"kube-apiserver|kubernetes|k8s.io/kubernetes/cmd/kube-apiserver|$k8s_ldflags"
	"kube-controller-manager|kubernetes|k8s.io/kubernetes/cmd/kube-controller-manager|$k8s_ldflags"
	"kube-scheduler|kubernetes|k8s.io/kubernetes/cmd/kube-scheduler|$k8s_ldflags"
	"kubectl|kubernetes|k8s.io/kubernetes/cmd/kubectl|$k8s_ldflags"
	"etcd|etcd|go.etcd.io/etcd/server/v3|-s -w"
	"kwok|kwok|sigs.k8s.io/kwok/cmd/kwok|-s -w"
	"registry|registry|github.com/google/go-containerregistry/cmd/registry|-s -w"
	"crane|registry|github.com/google/go-containerregistry/cmd/crane|-s -w"
	"benchstat|benchstat|golang.org/x/perf/cmd/benchstat|-s -w"
	"actionlint|actionlint|github.com/rhysd/actionlint/cmd/actionlint|-s -w -X=github.com/rhysd/actionlint.version=v1.7.12"
	"cyclonedx-gomod|cyclonedx-gomod|github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod|-s -w"
	"cosign|cosign|github.com/sigstore/cosign/v3/cmd/cosign|-s -w -X=sigs.k8s.io/release-utils/version.gitVersion=v3.0.5"
	"kube-score|kube-score|github.com/zegl/kube-score/cmd/kube-score|-s -w -X=main.version=1.20.0"
	"provider-kubernetes|provider-kubernetes|github.com/crossplane-contrib/provider-kubernetes/cmd/provider|-s -w -X=github.com/crossplane-contrib/provider-kubernetes/internal/version.Version=v1.3.1"
)
# Built only when named: the release workflow's signer and SBOM generator,
# which no test or lint runs.
RELEASE_ONLY=" cosign cyclonedx-gomod "

build() {
	local name=$1 dir=$2 pkg=$3 ldflags=$4
	local stamp="$TOOLS_BIN/.$name.stamp"
	local want
	# Files below the module's folder (a stand-in module it replaces a dependency with) count too.
	want=$(cat <(grep -Ev '^(module |//)' "$here/$dir/go.mod") "$here/$dir/go.sum" <(echo "$pkg $ldflags") \
		<(find "$here/$dir" -mindepth 2 -type f -print0 | sort -z | xargs -0r cat) | sha256sum | cut -d' ' -f1)
	if [[ -x "$TOOLS_BIN/$name" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
		return 0
	fi
	echo "tools: building $name ($pkg, module tools/$dir); a cold build can take minutes" >&2
	local start=$SECONDS
	(cd "$here/$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$TOOLS_BIN/$name.tmp" "$pkg")
	mv "$TOOLS_BIN/$name.tmp" "$TOOLS_BIN/$name"
	echo "$want" >"$stamp"
	echo "tools: built $name in $((SECONDS - start))s" >&2
}

found=0
for entry in "${TOOLS[@]}"; do
	IFS='|' read -r name dir pkg ldflags <<<"$entry"
	if { [[ $# -eq 0 ]] && [[ "$RELEASE_ONLY" != *" $name "* ]]; } || [[ " $* " == *" $name "* ]]; then
		build "$name" "$dir" "$pkg" "$ldflags"
		found=$((found + 1))
	fi
done
if [[ $found -eq 0 ]]; then
	echo "tools: no tool named: $*" >&2
	exit 2
fi
