#!/usr/bin/env bash
# Publishes a release (.github/workflows/release.yml runs it on a version
# tag): pushes every package and the agent runtime's image with
# `make xpkg-push`, signs every pushed digest with cosign, and attests an SBOM
# of each Function and runtime image.
#
#   hack/release.sh TAG
#
# TAG must equal the VERSION file. XPKG_REPO is where the packages go
# (ghcr.io/agentops-io in the workflow), RUNTIME_IMAGE_REPO the runtime's
# image (ghcr.io/agentops-io/agent-runtime). Signing is keyless by default: in
# GitHub Actions cosign takes the workflow's OIDC token, and the signature
# names the workflow as its subject. COSIGN_KEY=<file> signs with a key
# instead (a dry run against a registry of your own).
#
# Signatures use cosign's tag-based format (sha256-<digest>.sig), the one
# Crossplane's package signature verification reads (crossplane-runtime
# pkg/xpkg/signature calls cosign.VerifyImageSignatures without the new
# bundle format); cosign v3 signs with the new bundle format unless told not to.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
TOOLS_BIN=${TOOLS_BIN:-$root/.cache/tools/bin}
XPKG_DIR=${XPKG_DIR:-$root/_output/xpkg}

tag=${1:?usage: hack/release.sh TAG}
version=$(cat VERSION)
if [[ "$tag" != "$version" ]]; then
	echo "release: tag $tag differs from VERSION ($version); bump VERSION (and run make generate) before tagging" >&2
	exit 1
fi
: "${XPKG_REPO:?set XPKG_REPO, e.g. ghcr.io/agentops-io}"
: "${RUNTIME_IMAGE_REPO:=${XPKG_REPO}/agent-runtime}"
command -v jq >/dev/null || { echo "release: jq is required" >&2; exit 1; }

tools/build.sh cosign cyclonedx-gomod crane
cosign=$TOOLS_BIN/cosign
crane=$TOOLS_BIN/crane

make --no-print-directory xpkg-push VERSION="$version" XPKG_REPO="$XPKG_REPO" RUNTIME_IMAGE_REPO="$RUNTIME_IMAGE_REPO"

# Every digest a pull can start from: each tag's manifest, and for an image
# index each of its platform manifests (a node pulls the one for its arch).
digests=()
images=()
while read -r ref; do
	repo=${ref%:*}
	top=$("$crane" digest "$ref")
	digests+=("$repo@$top")
	manifest=$("$crane" manifest "$repo@$top")
	if jq -e '.manifests' >/dev/null <<<"$manifest"; then
		while read -r platform child; do
			digests+=("$repo@$child")
			images+=("$platform $repo@$child")
		done < <(jq -r '.manifests[] | "\(.platform.os)/\(.platform.architecture) \(.digest)"' <<<"$manifest")
	fi
done <"$XPKG_DIR/pushed.txt"

sign_flags=(--yes --new-bundle-format=false --use-signing-config=false)
if [[ -n "${COSIGN_KEY:-}" ]]; then
	sign_flags+=(--key "$COSIGN_KEY" --tlog-upload=false)
fi

for d in "${digests[@]}"; do
	echo "release: signing $d"
	"$cosign" sign "${sign_flags[@]}" "$d"
done

# An SBOM per platform image of the Function and of the agent runtime: the
# Go modules linked into its binary, written by cyclonedx-gomod from the
# module, main package and build tags make xpkg builds it with.
sbom_dir=$XPKG_DIR/sbom
mkdir -p "$sbom_dir"
for entry in "${images[@]}"; do
	read -r platform d <<<"$entry"
	arch=${platform#*/}
	case "$d" in
	"$XPKG_REPO/function-agentops@"*) name=function-agentops module=. main=fn/cmd/function tags=-tags=grpcnotrace ;;
	"$RUNTIME_IMAGE_REPO@"*) name=agent-runtime module=runtime main=cmd/agent-runtime tags= ;;
	*) continue ;;
	esac
	sbom=$sbom_dir/$name-$arch.cdx.json
	(cd "$module" && GOOS=linux GOARCH=$arch GOFLAGS="${GOFLAGS:-} $tags" \
		"$TOOLS_BIN/cyclonedx-gomod" app -json -licenses -std -main "$main" -output "$sbom" .)
	echo "release: attesting $sbom on $d"
	"$cosign" attest "${sign_flags[@]}" --type cyclonedx --predicate "$sbom" "$d"
done

printf '%s\n' "${digests[@]}" >"$XPKG_DIR/signed.txt"
echo "release: signed ${#digests[@]} digests (listed in $XPKG_DIR/signed.txt)"
