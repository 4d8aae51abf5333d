package controlplane

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// CrossplaneOptions of a Crossplane install.
type CrossplaneOptions struct {
	// Version of Crossplane, for chart labels.
	Version string
	// Source is the Crossplane module's folder (the version the
	// crossplane-core tool is built from): its Helm chart and CRDs.
	Source string
	// PackageRuntime is Crossplane's --package-runtime: RuntimeExternal
	// (the default: the tests run functions themselves) or
	// RuntimeDeployment.
	PackageRuntime string
	// AsInstalled runs Crossplane with the settings of a default install:
	// the circuit breaker's default burst and no debug logging, as the
	// scale benchmark measures it. The e2e suite raises the burst (below).
	AsInstalled bool
	// CircuitBreakerDefaults keeps the circuit breaker's defaults, and the
	// debug log TestCircuitBreaker reads.
	CircuitBreakerDefaults bool
	// TokenDuration is how long the ServiceAccount token Crossplane runs
	// with lasts: a day unless set.
	TokenDuration time.Duration
}

// Crossplane's package runtimes (--package-runtime).
const (
	// RuntimeExternal: Crossplane runs no package; something else serves
	// each function and sets its revision's endpoint.
	RuntimeExternal = "External"
	// RuntimeDeployment: Crossplane renders a Deployment, a Service and a
	// ServiceAccount for each package revision, with the runtime config
	// its ImageConfig or package names.
	RuntimeDeployment = "Deployment"
)

// Crossplane is Crossplane core running as a local process with the
// identity and permissions a Helm install gives it.
type Crossplane struct {
	cp        *ControlPlane
	Namespace string
	// Kubeconfig of Crossplane's ServiceAccount.
	Kubeconfig string
	// ClientCertsDir holds the client certificate Crossplane calls
	// functions with, and the CA both sides trust.
	ClientCertsDir string
	// MetricsURL is Crossplane's Prometheus endpoint; ProfileURL its
	// net/http/pprof root, on loopback.
	MetricsURL, ProfileURL string
	proc                   *Process
	env                    []string
	cache                  string
	asInstalled            bool
	breakerDefaults        bool
}

// Namespace Crossplane runs in, as the Helm chart's default.
const crossplaneNamespace = "crossplane-system"

// chartRBAC are the chart's templates that grant Crossplane its
// permissions; the rbac-manager ones add the aggregated roles it relies on.
var chartRBAC = []string{
	"serviceaccount.yaml",
	"clusterrole.yaml",
	"clusterrolebinding.yaml",
	"rbac-manager-managed-clusterroles.yaml",
	"rbac-manager-allowed-provider-permissions.yaml",
}

// InstallCrossplane installs and starts Crossplane core against cp: the
// chart's ServiceAccount and RBAC, `crossplane core init` (CRDs and TLS
// secrets) and `crossplane core start` with the External package runtime,
// authenticated as its ServiceAccount, not as an admin.
func InstallCrossplane(ctx context.Context, cp *ControlPlane, o CrossplaneOptions) (*Crossplane, error) {
	xp := &Crossplane{cp: cp, Namespace: crossplaneNamespace, asInstalled: o.AsInstalled, breakerDefaults: o.CircuitBreakerDefaults}
	k := cp.Kubectl
	if _, err := k.Run(ctx, "", "create", "namespace", xp.Namespace); err != nil {
		return nil, err
	}
	rbac, err := RenderChart(filepath.Join(o.Source, "cluster", "charts", "crossplane"), "crossplane", xp.Namespace,
		o.Version, chartRBAC, "ServiceAccount", "ClusterRole", "ClusterRoleBinding")
	if err != nil {
		return nil, fmt.Errorf("render Crossplane's chart: %w", err)
	}
	if err := os.WriteFile(filepath.Join(cp.Dir, "crossplane-rbac.yaml"), []byte(rbac), 0o600); err != nil {
		return nil, err
	}
	if _, err := k.Apply(ctx, rbac); err != nil {
		return nil, err
	}
	if o.TokenDuration == 0 {
		o.TokenDuration = 24 * time.Hour
	}
	token, err := k.Run(ctx, "", "create", "token", "crossplane", "-n", xp.Namespace, "--duration="+o.TokenDuration.String())
	if err != nil {
		return nil, err
	}
	xp.Kubeconfig = filepath.Join(cp.Dir, "crossplane.kubeconfig")
	if err := WriteKubeconfig(xp.Kubeconfig, cp.Server, cp.CAFile, "system:serviceaccount:crossplane-system:crossplane", strings.TrimSpace(token)); err != nil {
		return nil, err
	}

	env := []string{
		"KUBECONFIG=" + xp.Kubeconfig,
		"POD_NAMESPACE=" + xp.Namespace,
		"POD_SERVICE_ACCOUNT=crossplane",
		"ENABLE_WEBHOOKS=false",
		"LEADER_ELECTION=false",
		"TLS_CA_SECRET_NAME=crossplane-root-ca",
		"TLS_SERVER_SECRET_NAME=crossplane-tls-server",
		"TLS_CLIENT_SECRET_NAME=crossplane-tls-client",
	}
	start := time.Now()
	if err := xp.init(ctx, filepath.Join(o.Source, "cluster", "crds"), env); err != nil {
		return nil, err
	}
	logf("crossplane core init done in %s", time.Since(start).Round(100*time.Millisecond))

	xp.ClientCertsDir = filepath.Join(cp.Dir, "crossplane", "tls-client")
	if err := xp.writeSecret(ctx, "crossplane-tls-client", xp.ClientCertsDir); err != nil {
		return nil, err
	}
	xp.cache = filepath.Join(cp.Dir, "crossplane", "xpkg-cache")
	if err := os.MkdirAll(xp.cache, 0o750); err != nil {
		return nil, err
	}
	xp.env = slices.Concat(env, []string{"TLS_CLIENT_CERTS_DIR=" + xp.ClientCertsDir})
	if err := xp.start(ctx, o.PackageRuntime); err != nil {
		return nil, err
	}
	return xp, nil
}

// Restart stops Crossplane and starts it again with another package
// runtime. What it stored in the cluster stays.
func (xp *Crossplane) Restart(ctx context.Context, packageRuntime string) error {
	xp.Stop()
	xp.cp.forget(xp.proc)
	return xp.start(ctx, packageRuntime)
}

// start runs `crossplane core start` until it is ready.
func (xp *Crossplane) start(ctx context.Context, packageRuntime string) error {
	if packageRuntime == "" {
		packageRuntime = RuntimeExternal
	}
	start := time.Now()
	var health int
	var err error
	xp.proc, err = xp.cp.StartComponentBin(ctx, "crossplane", xp.bin(), xp.env, 2*time.Minute,
		func() ([]string, error) {
			ports := make([]int, 3)
			for i := range ports {
				if ports[i], err = xp.cp.Ports.Free(); err != nil {
					return nil, err
				}
			}
			health = ports[2]
			var profile int
			if profile, err = xp.cp.Ports.Free(); err != nil {
				return nil, err
			}
			xp.MetricsURL = "http://" + Addr(ports[1]) + "/metrics"
			xp.ProfileURL = "http://" + Addr(profile) + "/debug/pprof"
			return append([]string{
				"core", "start",
				"--enable-webhooks=false",
				"--package-runtime=" + packageRuntime,
				"--xpkg-cache-dir=" + xp.cache,
				// Crossplane binds these on every interface (its flags take a
				// port only): free ports, never its defaults 8080 and 9443.
				"--webhook-port=" + strconv.Itoa(ports[0]),
				"--metrics-port=" + strconv.Itoa(ports[1]),
				"--health-probe-port=" + strconv.Itoa(ports[2]),
				// Idle until asked: profiles of a slow run.
				"--profile=" + Addr(profile),
			}, testSettings(xp.asInstalled, xp.breakerDefaults)...), nil
		}, func(ctx context.Context) error {
			return HTTPOK(ctx, "http://"+Addr(health)+"/readyz", "")
		})
	if err != nil {
		return err
	}
	logf("crossplane ready in %s (package runtime %s)", time.Since(start).Round(100*time.Millisecond), packageRuntime)
	return nil
}

// testSettings are the flags the e2e suite adds to a default install.
func testSettings(asInstalled, breakerDefaults bool) []string {
	switch {
	case asInstalled:
		return nil
	case breakerDefaults:
		return []string{"--debug"}
	}
	return []string{
		// kwok packs a rollout's minutes of status updates into
		// seconds; at the default burst (100 tokens, two per update)
		// the per-XR circuit breaker opens during an ordinary
		// create-scale-rollout sequence and then drops the XR's next
		// spec change. Four times the burst absorbs that compression.
		// RemoteDelivery needs nine times that again: Crossplane
		// v2.3.4 watches Object once per Object of the first XR that
		// composes them (docs/remote.md), so every Object event costs
		// up to nine tokens; docs/operations.md recommends the same
		// factor to users. Refill and cooldown stay at their defaults,
		// and the tests fail on any XR whose circuit opens anyway
		// (Responsive=False).
		"--circuit-breaker-burst=3600",
		"--debug",
	}
}

// Process is Crossplane's process.
func (xp *Crossplane) Process() *Process { return xp.proc }

// The crossplane binary is named crossplane-core among the tools, beside
// the crossplane CLI.
func (xp *Crossplane) bin() string { return xp.cp.Bin("crossplane-core") }

// init runs `crossplane core init`, again when it fails: on a fresh cluster
// its first run can race the discovery of the CRDs it just created.
func (xp *Crossplane) init(ctx context.Context, crds string, env []string) error {
	logPath := filepath.Join(xp.cp.LogDir, "crossplane-init.log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600) //nolint:gosec // the test's own log folder
	if err != nil {
		return err
	}
	defer f.Close()
	var last error
	for attempt := range 6 {
		ictx, cancel := context.WithTimeout(ctx, 3*time.Minute)
		cmd := exec.CommandContext(ictx, xp.bin(), "core", "init") //nolint:gosec // the pinned crossplane
		cmd.Env = append(append(os.Environ(), env...), "CRDS_PATH="+crds)
		cmd.Stdout, cmd.Stderr = f, f
		last = cmd.Run()
		cancel()
		if last == nil {
			return nil
		}
		fmt.Fprintf(f, "==== attempt %d failed: %v\n", attempt+1, last)
		time.Sleep(2 * time.Second)
	}
	return fmt.Errorf("crossplane core init failed: %w; see %s", last, logPath)
}

// writeSecret writes a TLS Secret's ca.crt, tls.crt and tls.key into dir,
// as a volume mount would.
func (xp *Crossplane) writeSecret(ctx context.Context, name, dir string) error {
	var s struct {
		Data map[string]string `json:"data"`
	}
	if err := xp.cp.Kubectl.Get(ctx, &s, "secret", name, "-n", xp.Namespace); err != nil {
		return err
	}
	var files [3][]byte
	for i, key := range []string{fileCert, fileKey, fileCA} {
		b, err := base64.StdEncoding.DecodeString(s.Data[key])
		if err != nil || len(b) == 0 {
			return fmt.Errorf("secret %s has no %s", name, key)
		}
		files[i] = b
	}
	return WriteTLSDir(dir, files[0], files[1], files[2])
}

// Stop stops Crossplane.
func (xp *Crossplane) Stop() {
	if xp != nil && xp.proc != nil {
		xp.proc.Stop(10 * time.Second)
	}
}

// StartRBACManager does what Crossplane's RBAC manager does for XRDs, until
// ctx ends: as soon as an XRD appears it creates the ClusterRole, aggregated
// into Crossplane's own, that lets Crossplane manage the XRD's composite
// resources and claims. Without it Crossplane cannot even establish the
// XRD. The RBAC manager itself binds :8080 with no flag to move it, so the
// test cannot run it.
func (xp *Crossplane) StartRBACManager(ctx context.Context) {
	granted := map[string]bool{}
	go func() {
		for {
			xp.grantAll(ctx, granted)
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

// grantAll grants access to every XRD not granted yet.
func (xp *Crossplane) grantAll(ctx context.Context, granted map[string]bool) {
	var list struct {
		Items []xrd `json:"items"`
	}
	if err := xp.cp.Kubectl.Get(ctx, &list, "compositeresourcedefinitions"); err != nil {
		return // The next round tries again.
	}
	for _, d := range list.Items {
		if granted[d.Metadata.UID] {
			continue
		}
		if err := xp.grant(ctx, d); err != nil {
			if ctx.Err() == nil {
				logf("rbac: cannot grant Crossplane access to XRD %s: %v", d.Metadata.Name, err)
			}
			continue
		}
		granted[d.Metadata.UID] = true
	}
}

type xrd struct {
	Metadata struct {
		Name string `json:"name"`
		UID  string `json:"uid"`
	} `json:"metadata"`
	Spec struct {
		Group string `json:"group"`
		Names struct {
			Plural string `json:"plural"`
		} `json:"names"`
		ClaimNames *struct {
			Plural string `json:"plural"`
		} `json:"claimNames"`
	} `json:"spec"`
}

// grant creates the RBAC manager's crossplane:composite:<xrd>:aggregate-to-crossplane role.
func (xp *Crossplane) grant(ctx context.Context, d xrd) error {
	resources := []string{d.Spec.Names.Plural}
	if d.Spec.ClaimNames != nil {
		resources = append(resources, d.Spec.ClaimNames.Plural)
	}
	all := make([]string, 0, 2*len(resources))
	finalizers := make([]string, 0, len(resources))
	for _, r := range resources {
		all = append(all, r, r+"/status")
		finalizers = append(finalizers, r+"/finalizers")
	}
	type rule struct {
		APIGroups []string `json:"apiGroups"`
		Resources []string `json:"resources"`
		Verbs     []string `json:"verbs"`
	}
	type ownerRef struct {
		APIVersion         string `json:"apiVersion"`
		Kind               string `json:"kind"`
		Name               string `json:"name"`
		UID                string `json:"uid"`
		Controller         bool   `json:"controller"`
		BlockOwnerDeletion bool   `json:"blockOwnerDeletion"`
	}
	type meta struct {
		Name            string            `json:"name"`
		Labels          map[string]string `json:"labels"`
		OwnerReferences []ownerRef        `json:"ownerReferences"`
	}
	role := struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   meta   `json:"metadata"`
		Rules      []rule `json:"rules"`
	}{
		APIVersion: "rbac.authorization.k8s.io/v1",
		Kind:       "ClusterRole",
		Metadata: meta{
			Name:   "crossplane:composite:" + d.Metadata.Name + ":aggregate-to-crossplane",
			Labels: map[string]string{"rbac.crossplane.io/aggregate-to-crossplane": "true"},
			// Owned by the XRD, so it goes when the XRD goes.
			OwnerReferences: []ownerRef{{
				APIVersion: "apiextensions.crossplane.io/v1", Kind: "CompositeResourceDefinition",
				Name: d.Metadata.Name, UID: d.Metadata.UID, Controller: true, BlockOwnerDeletion: true,
			}},
		},
		Rules: []rule{
			{APIGroups: []string{d.Spec.Group}, Resources: all, Verbs: []string{"*"}},
			{APIGroups: []string{d.Spec.Group}, Resources: finalizers, Verbs: []string{"update"}},
		},
	}
	b, err := json.Marshal(role)
	if err != nil {
		return err
	}
	_, err = xp.cp.Kubectl.Apply(ctx, string(b))
	return err
}

// RunFunction plays Crossplane's function runtime for a Function installed
// from a package: it starts the function's binary as a local process
// serving mTLS with a certificate signed by Crossplane's root CA, stores
// that certificate in the <function>-tls-server Secret and points the
// FunctionRevision at the process.
func (xp *Crossplane) RunFunction(ctx context.Context, function, bin string, extraArgs ...string) (*Process, error) {
	return xp.RunFunctionWith(ctx, function, bin, TrustedCert, extraArgs...)
}

// RunFunctionWith is RunFunction serving the certificate issue makes: the
// outage scenarios serve one Crossplane must refuse.
func (xp *Crossplane) RunFunctionWith(ctx context.Context, function, bin string, issue CertIssuer, extraArgs ...string) (*Process, error) {
	k := xp.cp.Kubectl
	var ca struct {
		Data map[string]string `json:"data"`
	}
	if err := k.Get(ctx, &ca, "secret", "crossplane-root-ca", "-n", xp.Namespace); err != nil {
		return nil, err
	}
	caCert, err1 := base64.StdEncoding.DecodeString(ca.Data[fileCert])
	caKey, err2 := base64.StdEncoding.DecodeString(ca.Data[fileKey])
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("secret crossplane-root-ca: %w", errors.Join(err1, err2))
	}
	cert, err := issue(caCert, caKey, function)
	if err != nil {
		return nil, err
	}
	tlsDir := filepath.Join(xp.cp.Dir, "functions", function)
	if err := WriteTLSDir(tlsDir, cert.Cert, cert.Key, cert.CA); err != nil {
		return nil, err
	}

	var port int
	p, err := xp.cp.StartComponentBin(ctx, function, bin, nil, 30*time.Second, func() ([]string, error) {
		var err error
		if port, err = xp.cp.Ports.Free(); err != nil {
			return nil, err
		}
		metrics, err := xp.cp.Ports.Free()
		if err != nil {
			return nil, err
		}
		return append([]string{
			"--address=" + Addr(port),
			"--tls-server-certs-dir=" + tlsDir,
			"--metrics-address=" + Addr(metrics),
		}, extraArgs...), nil
	}, func(ctx context.Context) error {
		return dialTLS(ctx, Addr(port))
	})
	if err != nil {
		return nil, err
	}

	// Opaque, as the Secret Crossplane's Deployment runtime makes under the
	// same name (the install's runtime check leaves it behind): a Secret's
	// type cannot change.
	secret := map[string]any{
		"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
		"metadata": map[string]any{"name": function + "-tls-server", "namespace": xp.Namespace},
		"data": map[string]string{
			fileCert: base64.StdEncoding.EncodeToString(cert.Cert),
			fileKey:  base64.StdEncoding.EncodeToString(cert.Key),
			fileCA:   base64.StdEncoding.EncodeToString(cert.CA),
		},
	}
	b, err := json.Marshal(secret)
	if err != nil {
		return p, err
	}
	if _, err := k.Apply(ctx, string(b)); err != nil {
		return p, err
	}
	return p, xp.pointRevision(ctx, function, "dns:///"+Addr(port))
}

// ActiveRevision is the name of a Function's active revision.
func (xp *Crossplane) ActiveRevision(ctx context.Context, function string) (string, error) {
	var list struct {
		Items []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
			Spec struct {
				DesiredState string `json:"desiredState"`
			} `json:"spec"`
		} `json:"items"`
	}
	if err := xp.cp.Kubectl.Get(ctx, &list, "functionrevisions", "-l", "pkg.crossplane.io/package="+function); err != nil {
		return "", err
	}
	for _, r := range list.Items {
		if r.Spec.DesiredState == "Active" {
			return r.Metadata.Name, nil
		}
	}
	return "", fmt.Errorf("function %s has no active revision yet", function)
}

// pointRevision waits for the Function's active revision and sets what the
// runtime would: its endpoint, its TLS Secret and RuntimeHealthy.
func (xp *Crossplane) pointRevision(ctx context.Context, function, endpoint string) error {
	k := xp.cp.Kubectl
	var rev string
	err := kube.Eventually(ctx, 3*time.Minute, time.Second, func(ctx context.Context) error {
		var err error
		rev, err = xp.ActiveRevision(ctx, function)
		return err
	})
	if err != nil {
		return err
	}
	patch := fmt.Sprintf(`{"status":{"endpoint":%q,"tlsServerSecretName":%q}}`, endpoint, function+"-tls-server")
	if _, err := k.Run(ctx, "", "patch", "functionrevision", rev, "--subresource=status", "--type=merge", "-p", patch); err != nil {
		return err
	}
	healthy := `{"type":"RuntimeHealthy","status":"True","reason":"HealthyPackageRuntime","lastTransitionTime":"` +
		time.Now().UTC().Format(time.RFC3339) + `"}`
	return kube.Eventually(ctx, time.Minute, time.Second, func(ctx context.Context) error {
		var r struct {
			Status struct {
				Conditions []Condition `json:"conditions"`
			} `json:"status"`
		}
		if err := k.Get(ctx, &r, "functionrevision", rev); err != nil {
			return err
		}
		// The API server refuses a second condition of a type: a function
		// started again (the outage scenario) finds it there already, and
		// the Deployment runtime (the install's runtime check) may have
		// left it False.
		patch := `[{"op":"add","path":"/status/conditions/-","value":` + healthy + `}]`
		for i, c := range r.Status.Conditions {
			if c.Type != "RuntimeHealthy" {
				continue
			}
			if c.Status == StatusTrue {
				return nil
			}
			patch = fmt.Sprintf(`[{"op":"test","path":"/status/conditions/%d/type","value":"RuntimeHealthy"},{"op":"replace","path":"/status/conditions/%d","value":%s}]`, i, i, healthy)
		}
		_, err := k.Run(ctx, "", "patch", "functionrevision", rev, "--subresource=status", "--type=json", "-p", patch)
		return err
	})
}
