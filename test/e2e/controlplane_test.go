//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agentops-io/agentops/test/e2e/internal/controlplane"
	"github.com/agentops-io/agentops/test/e2e/internal/kube"
)

// TestControlPlane checks the cluster under every other test: a Deployment
// gets Ready pods from the scheduler and kwok, the node keeps a heartbeat,
// and Crossplane runs with the permissions of a Helm install, not as an
// admin.
func TestControlPlane(t *testing.T) {
	ctx := context.Background()

	// A node whose heartbeat lapses goes NotReady and its pods unready for
	// good (kwok readies only Pending pods): an agent then stays Degraded,
	// as AutoscalingToggle once did when kwok held no Lease.
	t.Run("NodeLeaseRenewed", func(t *testing.T) {
		t.Parallel()
		renewed := func(ctx context.Context) (string, error) {
			return jsonPath(ctx, "{.spec.holderIdentity} {.spec.leaseDurationSeconds} {.spec.renewTime}",
				"lease", controlplane.NodeName, "-n", "kube-node-lease")
		}
		first, err := renewed(ctx)
		if err != nil {
			t.Fatalf("node %s has no Lease: kwok gives it no heartbeat but the node-heartbeat Stage: %v", controlplane.NodeName, err)
		}
		if f := strings.Fields(first); len(f) != 3 || f[1] != strconv.Itoa(controlplane.NodeLeaseSeconds) {
			t.Fatalf("Lease of node %s: holder, duration and renewTime %q, want a %d s Lease", controlplane.NodeName, first, controlplane.NodeLeaseSeconds)
		}
		// Renewed every quarter of its duration; twice that is ample.
		err = kube.Eventually(ctx, time.Duration(controlplane.NodeLeaseSeconds)*time.Second/2, time.Second, func(ctx context.Context) error {
			now, err := renewed(ctx)
			if err != nil {
				return err
			}
			if now == first {
				return fmt.Errorf("Lease still %q", now)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("kwok does not renew the Lease of node %s: %v", controlplane.NodeName, err)
		}
	})

	t.Run("DeploymentBecomesAvailable", func(t *testing.T) {
		ns := "e2e-smoke"
		if _, err := env.k.Run(ctx, "", "create", "namespace", ns); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = env.k.Run(context.Background(), "", "delete", "namespace", ns, "--wait=false") })
		if _, err := env.k.Run(ctx, "", "-n", ns, "create", "deployment", "web", "--image=registry.example.com/web:1", "--replicas=2"); err != nil {
			t.Fatal(err)
		}
		err := kube.Eventually(ctx, 2*time.Minute, time.Second, func(ctx context.Context) error {
			out, err := env.k.Run(ctx, "", "-n", ns, "get", "deployment", "web", "-o", "jsonpath={.status.availableReplicas}")
			if err != nil {
				return err
			}
			if out != "2" {
				return fmt.Errorf("availableReplicas %q, want 2", out)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Deployment web never became Available on node %s: %v", controlplane.NodeName, err)
		}
	})

	t.Run("CrossplaneIsNotClusterAdmin", func(t *testing.T) {
		sa := "system:serviceaccount:crossplane-system:crossplane"
		cases := map[string]struct {
			reason string
			verb   string
			what   string
			want   string
		}{
			"ManagesCRDs": {
				reason: "Crossplane creates the CRDs of XRDs and packages.",
				verb:   "create", what: "customresourcedefinitions.apiextensions.k8s.io", want: "yes",
			},
			"ManagesDeployments": {
				reason: "The chart grants Crossplane Deployments.",
				verb:   "create", what: "deployments.apps", want: "yes",
			},
			"NoClusterRoleBindings": {
				reason: "A Helm install does not let Crossplane bind roles.",
				verb:   "create", what: "clusterrolebindings.rbac.authorization.k8s.io", want: "no",
			},
			"NoNodes": {
				reason: "Crossplane has no business with nodes.",
				verb:   "delete", what: "nodes", want: "no",
			},
		}
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				out, _ := env.k.Run(ctx, "", "auth", "can-i", tc.verb, tc.what, "--as="+sa)
				if got := strings.TrimSpace(out); got != tc.want {
					t.Errorf("%s\nkubectl auth can-i %s %s --as=%s: got %q, want %q", tc.reason, tc.verb, tc.what, sa, got, tc.want)
				}
			})
		}
	})

	t.Run("CrossplaneAPIsServed", func(t *testing.T) {
		for _, crd := range []string{"compositeresourcedefinitions.apiextensions.crossplane.io", "compositions.apiextensions.crossplane.io", "functions.pkg.crossplane.io", "configurations.pkg.crossplane.io"} {
			out, err := env.k.Run(ctx, "", "get", "crd", crd, "-o", `jsonpath={.status.conditions[?(@.type=="Established")].status}`)
			if err != nil || out != "True" {
				t.Errorf("CRD %s Established=%q (%v), want True", crd, out, err)
			}
		}
	})
}
