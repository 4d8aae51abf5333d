package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalise(t *testing.T) {
	cases := map[string]struct {
		reason string
		in     string
		want   string
	}{
		"SortsResults": {
			reason: "The core emits its Results in map order; they are sorted, after the objects.",
			in: "---\nkind: AgentDeployment\n---\napiVersion: render.crossplane.io/v1beta1\nkind: Result\nmessage: b\n" +
				"---\napiVersion: v1\nkind: ConfigMap\n---\napiVersion: render.crossplane.io/v1beta1\nkind: Result\nmessage: a\n",
			want: "---\nkind: AgentDeployment\n---\napiVersion: v1\nkind: ConfigMap\n" +
				"---\napiVersion: render.crossplane.io/v1beta1\nkind: Result\nmessage: a\n---\napiVersion: render.crossplane.io/v1beta1\nkind: Result\nmessage: b\n",
		},
		"ReplacesElapsed": {
			reason: "How long a Deployment has lacked replicas depends on the clock.",
			in:     "---\nkind: AgentDeployment\nstatus:\n  message: lacked replicas for 17h58m34s, over its deadline of 600s\n",
			want:   "---\nkind: AgentDeployment\nstatus:\n  message: lacked replicas for <elapsed>, over its deadline of 600s\n",
		},
		"KeepsConstantDurations": {
			reason: "Durations of the input (5m, 30s) are not elapsed times; the document is left byte for byte.",
			in:     "---\nkind: ServiceMonitor\nspec:  {interval: 30s, for: 5m}\n",
			want:   "---\nkind: ServiceMonitor\nspec:  {interval: 30s, for: 5m}\n",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := Normalise([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("%s\nNormalise(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
