#!/usr/bin/env bash
# Regenerates test/fixtures/observed/<scenario>/ (make observed-fixtures):
# starts a throwaway etcd and kube-apiserver on loopback, has the function
# compose each scenario's XR, applies the result, writes each scenario's
# status through the status subresource, and reads the objects back as the
# API server returns them. See test/fixtures/observed/README.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_BIN=${TOOLS_BIN:-$root/.cache/tools/bin}
"$root/tools/build.sh" etcd kube-apiserver kubectl controller-gen

work=$(mktemp -d /tmp/observed-fixtures.XXXXXX)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

etcd_client=$(free_port) etcd_peer=$(free_port) api_port=$(free_port)
"$TOOLS_BIN/etcd" --name=fixtures --data-dir="$work/etcd" \
	--listen-client-urls="http://127.0.0.1:$etcd_client" --advertise-client-urls="http://127.0.0.1:$etcd_client" \
	--listen-peer-urls="http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer" \
	--initial-cluster="fixtures=http://127.0.0.1:$etcd_peer" --unsafe-no-fsync --log-level=warn >"$work/etcd.log" 2>&1 &
pids+=($!)

openssl genrsa -out "$work/sa.key" 2048 2>/dev/null
token=$(openssl rand -hex 16)
echo "$token,admin,admin,system:masters" >"$work/tokens.csv"
"$TOOLS_BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_client" \
	--bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
	--cert-dir="$work/pki" --token-auth-file="$work/tokens.csv" --authorization-mode=RBAC \
	--service-account-issuer=https://kubernetes.default.svc.cluster.local \
	--service-account-key-file="$work/sa.key" --service-account-signing-key-file="$work/sa.key" \
	--service-cluster-ip-range=10.96.0.0/16 --endpoint-reconciler-type=none --profiling=false >"$work/apiserver.log" 2>&1 &
pids+=($!)

kubeconfig=$work/kubeconfig
cat >"$kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: fixtures, cluster: {server: "https://127.0.0.1:$api_port", insecure-skip-tls-verify: true}}]
users: [{name: admin, user: {token: "$token"}}]
contexts: [{name: fixtures, context: {cluster: fixtures, user: admin}}]
current-context: fixtures
KC
kubectl=("$TOOLS_BIN/kubectl" --kubeconfig="$kubeconfig")
for _ in $(seq 120); do
	"${kubectl[@]}" get --raw /readyz >/dev/null 2>&1 && break
	sleep 1
done
"${kubectl[@]}" get --raw /readyz >/dev/null || { tail -20 "$work/apiserver.log" >&2; exit 1; }

# The Prometheus Operator's CRDs, from the Go types the function builds on.
(cd "$root" && "$TOOLS_BIN/controller-gen" crd:crdVersions=v1 \
	paths=github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1 output:crd:dir="$work/crds")
"${kubectl[@]}" apply --server-side -f "$work/crds/monitoring.coreos.com_servicemonitors.yaml" -f "$work/crds/monitoring.coreos.com_prometheusrules.yaml" >/dev/null
"${kubectl[@]}" wait --for=condition=Established --timeout=60s crd/servicemonitors.monitoring.coreos.com crd/prometheusrules.monitoring.coreos.com >/dev/null

# KEDA's ScaledObject CRD (make generate copies it from the pinned release).
"${kubectl[@]}" apply --server-side -f "$root/test/fixtures/crds/keda.sh_scaledobjects.yaml" >/dev/null
"${kubectl[@]}" wait --for=condition=Established --timeout=60s crd/scaledobjects.keda.sh >/dev/null

# The OpenAPI v3 documents of the optional kinds' groups, as the API server
# serves them: `crossplane composition render --required-schemas` reads
# them, as Crossplane reads the API server's, to answer the Composition's
# required schemas.
mkdir -p "$root/test/fixtures/openapi"
for gv in monitoring.coreos.com/v1 keda.sh/v1alpha1; do
	for _ in $(seq 30); do
		"${kubectl[@]}" get --raw "/openapi/v3/apis/$gv" >"$work/openapi.json" 2>/dev/null && break
		sleep 1
	done
	python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), indent=1, sort_keys=True))' "$work/openapi.json" \
		>"$root/test/fixtures/openapi/${gv//\//_}.json"
done

cd "$root"
go run ./internal/fixtures/gen -kubectl="$TOOLS_BIN/kubectl" -kubeconfig="$kubeconfig" -work="$work" "$@"
