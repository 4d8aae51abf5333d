// Package controlplane starts a Kubernetes control plane from the project's
// pinned binaries, without containers: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler and kwok (fake nodes whose pods
// become Ready without a kubelet). Everything listens on 127.0.0.1 on free
// ports and is stopped by PID.
package controlplane

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// Options of a control plane.
type Options struct {
	// ToolsBin holds kube-apiserver, kube-controller-manager,
	// kube-scheduler, kubectl, etcd and kwok.
	ToolsBin string
	// Dir is the control plane's work folder: data, certificates, logs.
	Dir string
	// KwokStages is a kwok configuration file with the Stages of fake nodes
	// and pods.
	KwokStages string
}

// ControlPlane is a running Kubernetes control plane.
type ControlPlane struct {
	Options
	Ports *Ports

	// Kubeconfig of a cluster admin (system:masters).
	Kubeconfig string
	// Server is the API server's URL.
	Server string
	// CAFile is the API server's serving certificate.
	CAFile  string
	Kubectl *kube.Kubectl

	LogDir  string
	pkiDir  string
	saKey   string
	etcdURL string
	started []*Process
}

// Start brings up etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and kwok with one fake node, and waits until the node is
// Ready. On error it stops what it started.
func Start(ctx context.Context, o Options) (*ControlPlane, error) {
	cp := &ControlPlane{Options: o, Ports: &Ports{}, LogDir: filepath.Join(o.Dir, "logs"), pkiDir: filepath.Join(o.Dir, "pki")}
	if err := cp.start(ctx); err != nil {
		cp.Stop()
		return cp, err
	}
	return cp, nil
}

func (cp *ControlPlane) start(ctx context.Context) error {
	for _, d := range []string{cp.LogDir, cp.pkiDir} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return err
		}
	}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"etcd", cp.startEtcd},
		{"kube-apiserver", cp.startAPIServer},
		{"kube-controller-manager", cp.startControllerManager},
		{"kube-scheduler", cp.startScheduler},
		{"kwok", cp.startKwok},
	}
	for _, s := range steps {
		start := time.Now()
		if err := s.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		logf("%s ready in %s", s.name, time.Since(start).Round(100*time.Millisecond))
	}
	return nil
}

// Stop stops every component, newest first.
func (cp *ControlPlane) Stop() {
	for _, p := range slices.Backward(cp.started) {
		p.Stop(10 * time.Second)
	}
	cp.started = nil
}

// Processes are the components running now, oldest first.
func (cp *ControlPlane) Processes() []*Process { return slices.Clone(cp.started) }

// Bin is the path of a pinned tool.
func (cp *ControlPlane) Bin(name string) string { return filepath.Join(cp.ToolsBin, name) }

// Run starts a component and records it for Stop.
func (cp *ControlPlane) Run(name string, env []string, bin string, args ...string) (*Process, error) {
	p, err := StartProcess(name, cp.LogDir, env, bin, args...)
	if err != nil {
		return nil, err
	}
	cp.started = append(cp.started, p)
	return p, nil
}

// forget drops a stopped process from the list Stop works through.
func (cp *ControlPlane) forget(p *Process) {
	for i, q := range cp.started {
		if q == p {
			cp.started = append(cp.started[:i], cp.started[i+1:]...)
			return
		}
	}
}

// StartComponent runs a component until ready says it serves, trying again
// with new ports (args is called per attempt) when it dies first.
func (cp *ControlPlane) StartComponent(ctx context.Context, name string, env []string, timeout time.Duration,
	args func() ([]string, error), ready func(context.Context) error,
) (*Process, error) {
	return cp.StartComponentBin(ctx, name, cp.Bin(name), env, timeout, args, ready)
}

// StartComponentBin is StartComponent for a binary not named after the
// component.
func (cp *ControlPlane) StartComponentBin(ctx context.Context, name, bin string, env []string, timeout time.Duration,
	args func() ([]string, error), ready func(context.Context) error,
) (*Process, error) {
	var p *Process
	err := Retry(3, func() error {
		a, err := args()
		if err != nil {
			return err
		}
		p, err = cp.Run(name, env, bin, a...)
		if err != nil {
			return err
		}
		if err := p.WaitReady(ctx, timeout, ready); err != nil {
			p.Stop(5 * time.Second)
			cp.forget(p)
			return err
		}
		return nil
	})
	return p, err
}

func (cp *ControlPlane) startEtcd(ctx context.Context) error {
	var client int
	_, err := cp.StartComponent(ctx, "etcd", nil, time.Minute, func() ([]string, error) {
		var err error
		if client, err = cp.Ports.Free(); err != nil {
			return nil, err
		}
		peer, err := cp.Ports.Free()
		if err != nil {
			return nil, err
		}
		data := filepath.Join(cp.Dir, "etcd")
		if err := os.RemoveAll(data); err != nil {
			return nil, err
		}
		clientURL, peerURL := "http://"+Addr(client), "http://"+Addr(peer)
		return []string{
			"--name=e2e", "--data-dir=" + data,
			"--listen-client-urls=" + clientURL, "--advertise-client-urls=" + clientURL,
			"--listen-peer-urls=" + peerURL, "--initial-advertise-peer-urls=" + peerURL,
			"--initial-cluster=e2e=" + peerURL,
			// A throwaway test store: no fsync, far faster on a shared disk.
			"--unsafe-no-fsync",
			"--log-level=warn",
		}, nil
	}, func(ctx context.Context) error {
		return HTTPOK(ctx, "http://"+Addr(client)+"/health", "")
	})
	cp.etcdURL = "http://" + Addr(client)
	return err
}

func (cp *ControlPlane) startAPIServer(ctx context.Context) error {
	cp.saKey = filepath.Join(cp.pkiDir, "sa.key")
	if err := writeRSAKey(cp.saKey); err != nil {
		return err
	}
	token := randomHex(16)
	tokens := filepath.Join(cp.pkiDir, "tokens.csv")
	if err := os.WriteFile(tokens, []byte(token+",admin,admin,system:masters\n"), 0o600); err != nil {
		return err
	}
	certDir := filepath.Join(cp.pkiDir, "apiserver")
	var port int
	_, err := cp.StartComponent(ctx, "kube-apiserver", nil, 2*time.Minute, func() ([]string, error) {
		var err error
		if port, err = cp.Ports.Free(); err != nil {
			return nil, err
		}
		return []string{
			"--etcd-servers=" + cp.etcdURL,
			"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
			"--secure-port=" + strconv.Itoa(port),
			"--cert-dir=" + certDir,
			"--token-auth-file=" + tokens,
			"--authorization-mode=RBAC",
			"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
			"--service-account-key-file=" + cp.saKey,
			"--service-account-signing-key-file=" + cp.saKey,
			"--service-cluster-ip-range=10.96.0.0/16",
			// On loopback there is no address to publish for the
			// kubernetes Service: keep the reconciler from trying.
			"--endpoint-reconciler-type=none",
			"--allow-privileged=true",
			"--profiling=false",
		}, nil
	}, func(ctx context.Context) error {
		return HTTPOK(ctx, "https://"+Addr(port)+"/readyz", token)
	})
	if err != nil {
		return err
	}
	cp.Server = "https://" + Addr(port)
	cp.CAFile = filepath.Join(certDir, "apiserver.crt")
	cp.Kubeconfig = filepath.Join(cp.Dir, "admin.kubeconfig")
	if err := WriteKubeconfig(cp.Kubeconfig, cp.Server, cp.CAFile, "admin", token); err != nil {
		return err
	}
	cp.Kubectl = &kube.Kubectl{Bin: cp.Bin("kubectl"), Kubeconfig: cp.Kubeconfig, CacheDir: filepath.Join(cp.Dir, "kubectl-cache")}
	return nil
}

func (cp *ControlPlane) startControllerManager(ctx context.Context) error {
	var port int
	flex := filepath.Join(cp.Dir, "flex-volume")
	if err := os.MkdirAll(flex, 0o750); err != nil {
		return err
	}
	_, err := cp.StartComponent(ctx, "kube-controller-manager", nil, 2*time.Minute, func() ([]string, error) {
		var err error
		if port, err = cp.Ports.Free(); err != nil {
			return nil, err
		}
		return []string{
			"--kubeconfig=" + cp.Kubeconfig,
			"--authentication-kubeconfig=" + cp.Kubeconfig,
			"--authorization-kubeconfig=" + cp.Kubeconfig,
			bindLoopback, "--secure-port=" + strconv.Itoa(port),
			"--leader-elect=false",
			"--service-account-private-key-file=" + cp.saKey,
			"--root-ca-file=" + cp.CAFile,
			"--use-service-account-credentials=false",
			"--flex-volume-plugin-dir=" + flex,
			"--controllers=*",
		}, nil
	}, func(ctx context.Context) error {
		return HTTPOK(ctx, "https://"+Addr(port)+"/healthz", "")
	})
	return err
}

func (cp *ControlPlane) startScheduler(ctx context.Context) error {
	var port int
	_, err := cp.StartComponent(ctx, "kube-scheduler", nil, time.Minute, func() ([]string, error) {
		var err error
		if port, err = cp.Ports.Free(); err != nil {
			return nil, err
		}
		return []string{
			"--kubeconfig=" + cp.Kubeconfig,
			"--authentication-kubeconfig=" + cp.Kubeconfig,
			"--authorization-kubeconfig=" + cp.Kubeconfig,
			bindLoopback, "--secure-port=" + strconv.Itoa(port),
			"--leader-elect=false",
		}, nil
	}, func(ctx context.Context) error {
		return HTTPOK(ctx, "https://"+Addr(port)+"/healthz", "")
	})
	return err
}

// bindLoopback keeps a component's server off every other interface.
const bindLoopback = "--bind-address=127.0.0.1"

// NodeName is the one fake node pods are scheduled to.
const NodeName = "kwok-node-0"

// FakeNode is a node kwok plays the kubelet for. Its capacity is that of a
// common node (32 CPUs, 110 pods) and large enough for every scenario; a
// pod asking for more than 32 CPUs stays Pending, which is how a test makes
// a rollout stall. Without an ephemeral-storage capacity no agent pod (they
// request some) would fit.
func FakeNode(name string) string {
	return `apiVersion: v1
kind: Node
metadata:
  name: ` + name + `
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: ` + name + `
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  allocatable: {cpu: "32", memory: 256Gi, ephemeral-storage: 500Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, ephemeral-storage: 500Gi, pods: "110"}
`
}

func (cp *ControlPlane) startKwok(ctx context.Context) error {
	p, err := cp.runKwok(ctx)
	if err != nil {
		return err
	}
	if _, err := cp.Kubectl.Apply(ctx, FakeNode(NodeName)); err != nil {
		return err
	}
	return p.WaitReady(ctx, 2*time.Minute, func(ctx context.Context) error {
		out, err := cp.Kubectl.Run(ctx, "", "get", "node", NodeName, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`)
		if err != nil {
			return err
		}
		if out != StatusTrue {
			return fmt.Errorf("node %s Ready=%q", NodeName, out)
		}
		return nil
	})
}

// NodeLeaseSeconds is the duration kwok sets on the Lease it renews for each
// node, as the kubelet's --node-lease-duration-seconds; it renews every
// quarter of it.
const NodeLeaseSeconds = 40

// runKwok starts kwok, which plays the kubelet of every node: it marks nodes
// Ready and takes pods to Running and Ready. A kwok started again would not
// play a node until the Lease the first one held expired.
func (cp *ControlPlane) runKwok(ctx context.Context) (*Process, error) {
	p, err := cp.Run("kwok", nil, cp.Bin("kwok"),
		"--kubeconfig="+cp.Kubeconfig,
		"--config="+cp.KwokStages,
		"--manage-all-nodes=true",
		// kwok gives fake pods their IPs from this range.
		"--cidr=10.244.0.0/16",
		"--node-ip=10.0.0.10",
		// A kubelet's heartbeat: kwok renews each node's Lease every
		// quarter of its duration (10 s). Unset, kwok v0.8.0 holds no
		// Lease (its default applies only with a KwokConfiguration) and
		// the node's only heartbeat is the node-heartbeat Stage, every 20
		// to 25 s and later under load; past kube-controller-manager's
		// 50 s grace the node goes NotReady, every pod on it is marked
		// unready and, being Running, stays so: no Stage readies it again.
		"--node-lease-duration-seconds="+strconv.Itoa(NodeLeaseSeconds),
	)
	if err != nil {
		return nil, err
	}
	return p, p.WaitReady(ctx, 10*time.Second, func(context.Context) error { return nil })
}

// WriteKubeconfig writes a kubeconfig for server authenticating with token.
func WriteKubeconfig(path, server, caFile, user, token string) error {
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: %s
  user:
    token: %s
contexts:
- name: e2e
  context: {cluster: e2e, user: %s}
current-context: e2e
`, server, caFile, user, token, user)
	return os.WriteFile(path, []byte(cfg), 0o600)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// insecure is only for health probes of components on 127.0.0.1 that serve
// self-signed certificates.
var insecure = &http.Client{
	Timeout:   5 * time.Second,
	Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, //nolint:gosec // loopback health probes
}

// dialTLS checks that something accepts TCP connections on addr.
func dialTLS(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return c.Close()
}

// HTTPOK succeeds when a GET of url (with token as a bearer token, if
// set) answers 200: a component's health or readiness probe.
func HTTPOK(ctx context.Context, url, token string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := insecure.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// LogPrefix starts every progress line: the e2e suite's, unless a program
// that runs the harness names itself.
var LogPrefix = "e2e"

// logf reports progress of slow steps on stderr, where `go test -v` and
// make show it as it happens.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, LogPrefix+": "+format+"\n", args...)
}
