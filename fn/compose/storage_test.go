package compose

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// TestEphemeralStorage: every example's agent container requests and
// limits ephemeral storage, the limit holds a full /tmp and the logs, and
// the request is no more than the limit, so the kubelet evicts an agent for
// its disk only when it writes more than it was given.
func TestEphemeralStorage(t *testing.T) {
	for _, f := range []string{"production-claude-agent.yaml", "minimal.yaml", "autoscaling-off.yaml", "vault.yaml", "self-hosted-llama.yaml"} {
		t.Run(f, func(t *testing.T) {
			p := Deployment(workload(t, example(t, f), nil)).Spec.Template.Spec
			var tmp *resource.Quantity
			for _, v := range p.Volumes {
				if v.Name == tmpVolume && v.EmptyDir != nil {
					tmp = v.EmptyDir.SizeLimit
				}
			}
			if tmp == nil || tmp.IsZero() {
				t.Fatalf("the /tmp emptyDir has no sizeLimit: %+v", p.Volumes)
			}
			for _, c := range p.Containers {
				request, hasRequest := c.Resources.Requests[corev1.ResourceEphemeralStorage]
				limit, hasLimit := c.Resources.Limits[corev1.ResourceEphemeralStorage]
				if !hasRequest || !hasLimit {
					t.Fatalf("container %s: want an ephemeral-storage request and limit, got %+v", c.Name, c.Resources)
				}
				needed := tmp.DeepCopy()
				needed.Add(logsSize)
				if limit.Cmp(needed) != 0 {
					t.Errorf("container %s: ephemeral-storage limit: want /tmp's sizeLimit %s and the logs' %s = %s, got %s", c.Name, tmp, &logsSize, &needed, &limit)
				}
				if request.Cmp(limit) > 0 || request.Cmp(logsSize) < 0 {
					t.Errorf("container %s: ephemeral-storage request %s: want at least the logs' %s and at most the limit %s", c.Name, &request, &logsSize, &limit)
				}
			}
		})
	}
}
