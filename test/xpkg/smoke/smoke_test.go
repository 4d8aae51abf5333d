package smoke

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthgrpc "google.golang.org/grpc/health/grpc_health_v1"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/internal/proc"
	"github.com/agentops-io/agentops/test/xpkg/internal/artifacts"
	"github.com/agentops-io/agentops/tools/runtime-image/runtimeimage"
)

// The production example turns every optional resource on, so each kind we
// compose must come back, once.
var wantKinds = map[string]int{
	"Deployment":              1,
	"Service":                 1,
	"ServiceAccount":          1,
	"ConfigMap":               1,
	"HorizontalPodAutoscaler": 1,
	"PodDisruptionBudget":     1,
	"NetworkPolicy":           1,
	"ServiceMonitor":          1,
	"PrometheusRule":          1,
}

// crossplaneRuntimeUID is the uid Crossplane's default function runtime
// runs every function container as, overriding the image's user
// (crossplane internal/controller/pkg/runtime/runtime.go, RunAsUser).
const crossplaneRuntimeUID = 2000

func TestPackagedFunctionComposes(t *testing.T) {
	p := artifacts.Require(t)
	// Asked to check the package (make xpkg-verify), the test must check it
	// as its runtimes run it, or fail: a skip would pass unseen.
	if os.Geteuid() != 0 {
		t.Fatalf("cannot run the function as uids %d and %d, as its runtimes do: that needs root (euid is %d); run make xpkg-verify as root, as CI does", runtimeimage.UID, crossplaneRuntimeUID, os.Geteuid())
	}
	bin := extractEntrypoint(t, p.Function("amd64"))
	req := request(t, p.InRepo("examples/production-claude-agent.yaml"), p.InRepo("compositions/agentdeployment.yaml"))
	cases := map[string]struct {
		reason string
		uid    uint32
	}{
		"ImageUser": {
			reason: "The image's own user, 65532, as docker run and crossplane render run it.",
			uid:    runtimeimage.UID,
		},
		"CrossplaneRuntime": {
			reason: "Crossplane's default runtime overrides the user with 2000:2000; the files must serve it too.",
			uid:    crossplaneRuntimeUID,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rsp := serveAndCall(t, bin, tc.uid, req)
			for _, r := range rsp.GetResults() {
				if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
					t.Errorf("%s\nRunFunction returned a fatal result: %s", tc.reason, r.GetMessage())
				}
			}
			if diff := cmp.Diff(wantKinds, kinds(rsp)); diff != "" {
				t.Errorf("%s\nRunFunction(production example): composed kinds, -want, +got:\n%s", tc.reason, diff)
			}
			if rsp.GetMeta().GetTag() != req.GetMeta().GetTag() {
				t.Errorf("%s\nRunFunction: response tag %q, want the request's %q", tc.reason, rsp.GetMeta().GetTag(), req.GetMeta().GetTag())
			}
		})
	}
}

// serveAndCall runs bin as uid:uid on a free loopback port, insecure and
// without metrics, calls RunFunction once and stops it.
func serveAndCall(t *testing.T, bin string, uid uint32, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	cmd := exec.Command(bin, "--insecure", "--address=127.0.0.1:0", "--metrics-address=")
	cmd.Dir = "/"
	cmd.Env = []string{} // An image's env, not the test's.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
	fn, err := proc.StartCmd(cmd, proc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = fn.Stop(5 * time.Second)
		if t.Failed() {
			t.Logf("output of the function (pid %d):\n%s", fn.PID(), fn.Output())
		}
	}()
	addr, err := fn.WaitFor(proc.ServingAddress, time.Minute)
	if err != nil {
		t.Fatalf("%v\n%s", err, fn.Output())
	}
	if got, want := uidOf(t, fn.PID()), strconv.FormatUint(uint64(uid), 10); got != want {
		t.Errorf("function runs as uid %s, want %s", got, want)
	}

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	waitServing(ctx, t, conn, fn)
	rsp, err := fnv1.NewFunctionRunnerServiceClient(conn).RunFunction(ctx, req)
	if err != nil {
		t.Fatalf("RunFunction: %v", err)
	}
	return rsp
}

// waitServing waits for the gRPC health service to report SERVING.
func waitServing(ctx context.Context, t *testing.T, conn *grpc.ClientConn, fn *proc.Process) {
	t.Helper()
	hc := healthgrpc.NewHealthClient(conn)
	for {
		rsp, err := hc.Check(ctx, &healthgrpc.HealthCheckRequest{})
		if err == nil && rsp.GetStatus() == healthgrpc.HealthCheckResponse_SERVING {
			return
		}
		if exited, werr := fn.Exited(); exited {
			t.Fatalf("function exited before serving: %v", werr)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("function not serving: last health check: %v %v", rsp.GetStatus(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// kinds counts the desired composed resources by kind.
func kinds(rsp *fnv1.RunFunctionResponse) map[string]int {
	out := map[string]int{}
	for _, r := range rsp.GetDesired().GetResources() {
		out[r.GetResource().GetFields()["kind"].GetStringValue()]++
	}
	return out
}

// uidOf is the real uid of a running process, from /proc.
func uidOf(t *testing.T, pid int) string {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for l := range strings.SplitSeq(string(status), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "Uid:" {
			return f[1]
		}
	}
	t.Fatalf("no Uid line in /proc/%d/status", pid)
	return ""
}
