//go:build e2e

package e2e

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// Remote delivery (docs/remote.md): provider-kubernetes v1.3.1, built from
// the module proxy (tools/provider-kubernetes), runs out of cluster against
// the control plane, and a second kube-apiserver, controller-manager,
// scheduler and kwok node play the workload cluster. Both start on first
// use, while the other scenarios run, and stop when the scenario ends.

const (
	remoteComposition = "agentdeployments-remote.agentops.io"
	// workloadConfig is the ClusterProviderConfig the remote Composition
	// names; brokenConfig one whose token the workload cluster refuses.
	workloadConfig = "workload"
	brokenConfig   = "workload-broken"
	objectResource = "objects.kubernetes.m.crossplane.io"
)

// remote is the workload cluster and the provider, once started.
var remote struct {
	once     sync.Once
	err      error
	cluster  *controlplane.ControlPlane
	provider *controlplane.Process
}

// workload starts the workload cluster and provider-kubernetes, once, and
// returns the workload cluster's kubectl.
func workload(t *testing.T) *kube.Kubectl {
	t.Helper()
	remote.once.Do(func() {
		start := time.Now()
		remote.err = startRemote(context.Background())
		logf("workload cluster and provider-kubernetes up in %s", time.Since(start).Round(100*time.Millisecond))
	})
	if remote.err != nil {
		t.Fatalf("remote delivery set-up: %v", remote.err)
	}
	return remote.cluster.Kubectl
}

// startRemote brings the workload cluster up beside the provider: neither
// needs the other until the ProviderConfig joins them.
func startRemote(ctx context.Context) error {
	var wg sync.WaitGroup
	var clusterErr, providerErr error
	wg.Go(func() {
		remote.cluster, clusterErr = controlplane.Start(ctx, controlplane.Options{
			ToolsBin: env.cp.ToolsBin, Dir: filepath.Join(env.cp.Dir, "workload"), KwokStages: env.cp.KwokStages,
		})
		if clusterErr == nil {
			clusterErr = installPrometheusCRDs(ctx, remote.cluster.Kubectl)
		}
	})
	wg.Go(func() { providerErr = startProvider(ctx) })
	wg.Wait()
	if err := errors.Join(clusterErr, providerErr); err != nil {
		return err
	}
	good, err := workloadKubeconfig(adminToken(remote.cluster))
	if err != nil {
		return err
	}
	broken, err := workloadKubeconfig("not-a-token")
	if err != nil {
		return err
	}
	for name, b := range map[string][]byte{workloadConfig: good, brokenConfig: broken} {
		if _, err := env.k.Apply(ctx, providerConfig(name, b)); err != nil {
			return err
		}
	}
	return nil
}

// workloadKubeconfig reaches the workload cluster with token. The provider
// reads a kubeconfig's inline data only (pkg/kube/client: CAData, never
// CAFile), so the CA goes in as certificate-authority-data.
func workloadKubeconfig(token string) ([]byte, error) {
	ca, err := os.ReadFile(remote.cluster.CAFile)
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, `apiVersion: v1
kind: Config
clusters:
- name: workload
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: admin
  user:
    token: %s
contexts:
- name: workload
  context: {cluster: workload, user: admin}
current-context: workload
`, remote.cluster.Server, base64.StdEncoding.EncodeToString(ca), token), nil
}

// adminToken is the token of the workload cluster's admin kubeconfig.
func adminToken(cp *controlplane.ControlPlane) string {
	b, err := os.ReadFile(cp.Kubeconfig)
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(b)) {
		if token, ok := strings.CutPrefix(strings.TrimSpace(line), "token: "); ok {
			return token
		}
	}
	return ""
}

// providerConfig is a ClusterProviderConfig and the Secret holding its
// kubeconfig, as docs/remote.md has a platform team write them.
func providerConfig(name string, kubeconfig []byte) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Secret
metadata:
  name: %[1]s-kubeconfig
  namespace: crossplane-system
data:
  kubeconfig: %[2]s
---
apiVersion: kubernetes.m.crossplane.io/v1alpha1
kind: ClusterProviderConfig
metadata:
  name: %[1]s
spec:
  credentials:
    source: Secret
    secretRef:
      namespace: crossplane-system
      name: %[1]s-kubeconfig
      key: kubeconfig
`, name, base64.StdEncoding.EncodeToString(kubeconfig))
}

// startProvider installs provider-kubernetes' namespaced CRDs from its
// module, as its package would, and runs the provider against the control
// plane, with watches on and a short poll, then applies the remote
// Composition.
func startProvider(ctx context.Context) error {
	tools := filepath.Join(env.repo, "tools", "provider-kubernetes")
	dir, err := controlplane.ModuleDir(ctx, tools, "github.com/crossplane-contrib/provider-kubernetes")
	if err != nil {
		return err
	}
	// Only the namespaced API: the cluster-scoped Object's CRD converts
	// through the provider's webhook Service, which only the package
	// manager can fill in.
	crds, err := filepath.Glob(filepath.Join(dir, "package", "crds", "kubernetes.m.crossplane.io_*.yaml"))
	if err != nil || len(crds) == 0 {
		return fmt.Errorf("provider-kubernetes CRDs in %s: none found (%w)", dir, err)
	}
	for _, f := range crds {
		if _, err := env.k.Run(ctx, "", "apply", "--server-side", "-f", f); err != nil {
			return err
		}
	}
	if _, err := env.k.Run(ctx, "", "wait", "--for=condition=Established", "--timeout=60s", "crd/objects.kubernetes.m.crossplane.io", "crd/clusterproviderconfigs.kubernetes.m.crossplane.io"); err != nil {
		return err
	}
	// The provider serves a conversion webhook: it needs a certificate even
	// though nothing calls it here.
	certs := filepath.Join(env.cp.Dir, "provider-kubernetes", "tls")
	if err := serverCertificate(ctx, certs); err != nil {
		return err
	}
	var health int
	remote.provider, err = env.cp.StartComponentBin(ctx, "provider-kubernetes", env.cp.Bin("provider-kubernetes"),
		[]string{"KUBECONFIG=" + env.cp.Kubeconfig, "TLS_SERVER_CERTS_DIR=" + certs}, time.Minute,
		func() ([]string, error) {
			ports := make([]int, 3)
			for i := range ports {
				if ports[i], err = env.cp.Ports.Free(); err != nil {
					return nil, err
				}
			}
			health = ports[1]
			return []string{
				"--debug",
				"--enable-watches",
				"--poll=15s",
				"--metrics-bind-address=" + controlplane.Addr(ports[0]),
				"--health-probe-bind-addr=" + controlplane.Addr(health),
				"--webhook-port=" + strconv.Itoa(ports[2]),
			}, nil
		}, func(ctx context.Context) error {
			return controlplane.HTTPOK(ctx, "http://"+controlplane.Addr(health)+"/readyz", "")
		})
	if err != nil {
		return err
	}
	_, err = env.k.Run(ctx, "", "apply", "-f", filepath.Join(env.repo, "compositions", "agentdeployment-remote.yaml"))
	return err
}

// serverCertificate writes a serving certificate for the provider's
// webhook, signed by Crossplane's root CA.
func serverCertificate(ctx context.Context, dir string) error {
	var ca struct {
		Data map[string]string `json:"data"`
	}
	if err := env.k.Get(ctx, &ca, "secret", "crossplane-root-ca", "-n", env.xp.Namespace); err != nil {
		return err
	}
	caCert, err1 := base64.StdEncoding.DecodeString(ca.Data["tls.crt"])
	caKey, err2 := base64.StdEncoding.DecodeString(ca.Data["tls.key"])
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	cert, err := controlplane.SignServerCert(caCert, caKey, "provider-kubernetes")
	if err != nil {
		return err
	}
	return controlplane.WriteTLSDir(dir, cert.Cert, cert.Key, cert.CA)
}

// testRemoteDelivery is the remote Composition's whole path on the real
// provider and a real second cluster. Crossplane runs with the circuit
// breaker burst docs/operations.md recommends for remote delivery on
// Crossplane v2.3.4, and every wait fails on an XR whose circuit opens.
func testRemoteDelivery(t *testing.T) {
	t.Parallel()
	wk := workload(t)
	t.Cleanup(func() {
		if t.Failed() {
			dumpWorkload(wk)
		}
		remote.provider.Stop(10 * time.Second)
		remote.cluster.Stop()
	})
	t.Run("Lifecycle", func(t *testing.T) {
		t.Parallel()
		testRemoteLifecycle(t, wk)
	})
	t.Run("BrokenProviderConfig", func(t *testing.T) {
		t.Parallel()
		testBrokenProviderConfig(t, wk)
	})
}

// remoteNamespace creates ns in both clusters, with the agent's API key
// Secret in the workload cluster: the agent's pods reference it there, and
// the function never copies Secrets.
func remoteNamespace(t *testing.T, wk *kube.Kubectl, ns string) string {
	t.Helper()
	ctx := context.Background()
	namespace(t, ns)
	if _, err := wk.Run(ctx, "", "create", "namespace", ns); err != nil {
		t.Fatal(err)
	}
	if _, err := wk.Run(ctx, "", "create", "secret", "generic", "anthropic-api-key", "-n", ns, "--from-literal=api-key=test"); err != nil {
		t.Fatal(err)
	}
	return ns
}

// remoteAgent is an autoscaled agent that selects a remote Composition, so
// that all nine kinds are composed.
func remoteAgent(ns, name, composition string) map[string]any {
	spec := baseSpec()
	spec["autoscaling"] = map[string]any{"enabled": true, "minReplicas": 2, "maxReplicas": 4}
	spec["crossplane"] = map[string]any{"compositionRef": map[string]any{"name": composition}}
	return agent(ns, name, spec)
}

// remoteObjects lists, per kind, the agent's objects in the workload
// cluster, by the label every composed object carries.
func remoteObjects(ctx context.Context, wk *kube.Kubectl, ns, name string) (map[string][]string, error) {
	got := map[string][]string{}
	for _, k := range composedKinds {
		out, err := wk.Run(ctx, "", "get", k.resource, "-n", ns, "-l", "app.kubernetes.io/instance="+name, "-o", "jsonpath={.items[*].metadata.name}")
		if err != nil {
			return nil, err
		}
		if names := strings.Fields(out); len(names) > 0 {
			got[k.resource] = names
		}
	}
	return got, nil
}

// Pending → Running from the remote pods, nine remote objects and none of
// the control plane's own, an update that rolls the remote Deployment, and
// a delete that removes every remote object.
func testRemoteLifecycle(t *testing.T, wk *kube.Kubectl) {
	ctx := context.Background()
	ns, name := remoteNamespace(t, wk, "remote"), "remote-agent"
	apply(t, remoteAgent(ns, name, remoteComposition))

	waitXR(t, ns, name, "Pending while the workload cluster's pods are not ready", func(x *xr) error {
		if x.Status.Phase != "Pending" || x.Status.condition("Delivered").Reason == "" {
			return fmt.Errorf("phase %q", x.Status.Phase)
		}
		return nil
	})
	x := waitXR(t, ns, name, "Running from the workload cluster's pods", running(2))
	if c := x.Status.condition("Delivered"); c.Status != "True" {
		t.Errorf("Running, but Delivered is %s: %s", c.Status, c.Message)
	}
	if want := name + "." + ns + ".svc.cluster.local:8080"; x.Status.Endpoint != want {
		t.Errorf("endpoint %q, want the workload cluster's Service %q", x.Status.Endpoint, want)
	}

	got, err := remoteObjects(ctx, wk, ns, name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantComposed(name, true), got); diff != "" {
		t.Fatalf("objects in the workload cluster (-want, +got):\n%s", diff)
	}
	ready, err := wk.Run(ctx, "", "get", "deployment", name, "-n", ns, "-o", "jsonpath={.status.readyReplicas}")
	if err != nil || ready != "2" {
		t.Errorf("the workload cluster's Deployment has %q ready replicas (%v); the XR says 2", ready, err)
	}
	local, err := env.k.Run(ctx, "", "get", "deployments,replicasets,pods,services,hpa", "-n", ns, "-o", "name")
	if err != nil || strings.TrimSpace(local) != "" {
		t.Errorf("the control plane holds objects of its own in %s: %q (%v)", ns, local, err)
	}
	objects, err := env.k.Run(ctx, "", "get", objectResource, "-n", ns, "-l", "crossplane.io/composite="+name, "-o", "name")
	if err != nil || len(strings.Fields(objects)) != len(composedKinds) {
		t.Errorf("the control plane holds %d Objects of %s, want %d: %q (%v)", len(strings.Fields(objects)), name, len(composedKinds), objects, err)
	}

	t.Run("Update", func(t *testing.T) {
		checksum := func() string {
			out, err := wk.Run(ctx, "", "get", "deployment", name, "-n", ns, "-o", `jsonpath={.spec.template.metadata.annotations.agentops\.io/config-checksum}`)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		before := checksum()
		updated := remoteAgent(ns, name, remoteComposition)
		updated["spec"].(map[string]any)["config"] = map[string]any{"temperature": 0.2}
		apply(t, updated)
		x := waitXR(t, ns, name, "Running after the update", func(x *xr) error {
			if x.Metadata.Generation < 2 {
				return errors.New("the update is not applied yet")
			}
			return running(2)(x)
		})
		if after := checksum(); after == before {
			t.Errorf("the workload cluster's Deployment kept its config checksum %q after generation %d", after, x.Metadata.Generation)
		}
		rolled, err := wk.Run(ctx, "", "get", "replicasets", "-n", ns, "-l", "app.kubernetes.io/instance="+name, "-o", "name")
		if err != nil || len(strings.Fields(rolled)) < 2 {
			t.Errorf("the update made no new ReplicaSet in the workload cluster: %q (%v)", rolled, err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if _, err := env.k.Run(ctx, "", "delete", "ad", name, "-n", ns, "--timeout=2m"); err != nil {
			t.Fatal(err)
		}
		err := kube.Eventually(ctx, patience, poll, func(ctx context.Context) error {
			left, err := remoteObjects(ctx, wk, ns, name)
			if err != nil {
				return err
			}
			objects, err := env.k.Run(ctx, "", "get", objectResource, "-n", ns, "-o", "name")
			if err != nil {
				return err
			}
			if len(left) > 0 || strings.TrimSpace(objects) != "" {
				return fmt.Errorf("still there: workload %v, control plane %q", left, objects)
			}
			return nil
		})
		if err != nil {
			t.Errorf("after kubectl delete ad %s: %v", name, err)
		}
	})
}

// A ProviderConfig whose credentials the workload cluster refuses is a
// Delivered=False condition naming it, not a silent Pending; with its
// credentials fixed the agent is delivered.
func testBrokenProviderConfig(t *testing.T, wk *kube.Kubectl) {
	ctx := context.Background()
	ns, name := remoteNamespace(t, wk, "remote-broken"), "broken-agent"
	composition := brokenComposition(t)
	apply(t, remoteAgent(ns, name, composition))

	x := waitXR(t, ns, name, "Delivered=False naming the ProviderConfig", func(x *xr) error {
		c := x.Status.condition("Delivered")
		if c.Status != "False" || c.Reason != "ObjectNotSynced" || !strings.Contains(c.Message, "ClusterProviderConfig "+brokenConfig) {
			return fmt.Errorf("Delivered %s %s", c.Status, c.Reason)
		}
		return nil
	})
	if x.Status.Phase != "Pending" {
		t.Errorf("phase %q with no remote object, want Pending", x.Status.Phase)
	}
	t.Logf("Delivered=False: %s", x.Status.condition("Delivered").Message)

	kubeconfig, err := workloadKubeconfig(adminToken(remote.cluster))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.k.Apply(ctx, providerConfig(brokenConfig, kubeconfig)); err != nil {
		t.Fatal(err)
	}
	waitXR(t, ns, name, "Running once the credentials are fixed", running(2))
}

// brokenComposition applies a copy of the remote Composition that goes
// through the broken ClusterProviderConfig, and returns its name.
func brokenComposition(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(env.repo, "compositions", "agentdeployment-remote.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	name := "agentdeployments-remote-broken.agentops.io"
	c["metadata"].(map[string]any)["name"] = name
	steps := c["spec"].(map[string]any)["pipeline"].([]any)
	input := steps[0].(map[string]any)["input"].(map[string]any)
	input["delivery"].(map[string]any)["providerConfigRef"].(map[string]any)["name"] = brokenConfig
	apply(t, c)
	t.Cleanup(func() { _, _ = env.k.Run(context.Background(), "", "delete", "composition", name) })
	return name
}

// dumpWorkload writes what the workload cluster and the control plane's
// Objects hold next to the workload cluster's logs, for a failed run.
func dumpWorkload(wk *kube.Kubectl) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var dump []byte
	for _, c := range []struct {
		k    *kube.Kubectl
		args []string
	}{
		{wk, []string{"get", "deployments,replicasets,pods,services,serviceaccounts,configmaps,hpa,pdb,networkpolicies,servicemonitors,prometheusrules", "-A", "-o", "yaml"}},
		{wk, []string{"get", "events", "-A", "--sort-by=.lastTimestamp"}},
		{env.k, []string{"get", objectResource + ",clusterproviderconfigs.kubernetes.m.crossplane.io", "-A", "-o", "yaml"}},
	} {
		out, err := c.k.Run(ctx, "", c.args...)
		dump = fmt.Appendf(dump, "#### kubectl %v\n%s\n", c.args, out)
		if err != nil {
			dump = fmt.Appendf(dump, "# error: %v\n", err)
		}
	}
	_ = os.WriteFile(filepath.Join(remote.cluster.LogDir, "workload-dump.yaml"), dump, 0o644)
}
