package compose

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/agentops-io/agentops/fn/crds"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// keyed lists the keys and kinds of composed objects.
func keyed(objs []Composed) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = fmt.Sprintf("%s=%T", o.Key, o.Object)
	}
	return out
}

func TestAll(t *testing.T) {
	all := []string{
		"serviceaccount=*v1.ServiceAccount", "configmap=*v1.ConfigMap", "deployment=*v1.Deployment", "service=*v1.Service",
		"horizontalpodautoscaler=*v2.HorizontalPodAutoscaler", "poddisruptionbudget=*v1.PodDisruptionBudget",
		"networkpolicy=*v1.NetworkPolicy", "servicemonitor=*v1.ServiceMonitor", "prometheusrule=*v1.PrometheusRule",
	}
	cases := map[string]struct {
		reason  string
		example string
		input   *v1beta1.Input
		// missing are the optional kinds without a CRD.
		missing []crds.Kind
		want    []string
	}{
		"Autoscaled": {
			reason:  "An autoscaled agent gets every kind, in a stable order.",
			example: "production-claude-agent.yaml",
			want:    all,
		},
		"Fixed": {
			reason:  "Without autoscaling there is no HPA.",
			example: "autoscaling-off.yaml",
			want:    append(all[:4:4], all[5:]...),
		},
		"Prefixed": {
			reason:  "The input's prefix goes before every key, so the function can share a pipeline.",
			example: "production-claude-agent.yaml",
			input:   &v1beta1.Input{ResourceNamePrefix: "agent-"},
			want: func() []string {
				out := make([]string, len(all))
				for i, k := range all {
					out[i] = "agent-" + k
				}
				return out
			}(),
		},
		"NothingOptional": {
			reason:  "The platform may turn every optional kind off.",
			example: "production-claude-agent.yaml",
			input: &v1beta1.Input{Compose: &v1beta1.Compose{
				HorizontalPodAutoscaler: new(false), PodDisruptionBudget: new(false), NetworkPolicy: new(false),
				ServiceMonitor: new(false), PrometheusRule: new(false),
			}},
			want: all[:4],
		},
		"KEDA": {
			reason:  "With the KEDA engine a ScaledObject scales the agent, and no HPA competes with the one KEDA makes.",
			example: "production-claude-agent.yaml",
			input:   &v1beta1.Input{Autoscaling: &v1beta1.Autoscaling{Engine: "KEDA"}},
			want:    slices.Concat(all[:4], []string{"scaledobject=*v1alpha1.ScaledObject"}, all[5:]),
		},
		"KEDANotInstalled": {
			reason:  "KEDA chosen but its CRD absent: no ScaledObject (Crossplane could not apply it), and no HPA either.",
			example: "production-claude-agent.yaml",
			input:   &v1beta1.Input{Autoscaling: &v1beta1.Autoscaling{Engine: "KEDA"}},
			missing: []crds.Kind{crds.ScaledObject},
			want:    append(all[:4:4], all[5:]...),
		},
		"MonitoringNotInstalled": {
			reason:  "Without the Prometheus Operator's CRDs, neither the ServiceMonitor nor the PrometheusRule, and everything else.",
			example: "production-claude-agent.yaml",
			missing: []crds.Kind{crds.ServiceMonitor, crds.PrometheusRule},
			want:    all[:7],
		},
		"RuleWithoutServiceMonitorCRD": {
			reason:  "A PrometheusRule CRD without the ServiceMonitor's: no rule, whose alerts select labels only the ServiceMonitor's scrape adds.",
			example: "production-claude-agent.yaml",
			missing: []crds.Kind{crds.ServiceMonitor},
			want:    all[:7],
		},
		"RuleCRDAbsent": {
			reason:  "Only the PrometheusRule CRD absent: the ServiceMonitor alone.",
			example: "production-claude-agent.yaml",
			missing: []crds.Kind{crds.PrometheusRule},
			want:    all[:8],
		},
		"ServiceMonitorOff": {
			reason:  "compose.serviceMonitor false turns the PrometheusRule off too, unless the input says otherwise (which it refuses).",
			example: "production-claude-agent.yaml",
			input:   &v1beta1.Input{Compose: &v1beta1.Compose{ServiceMonitor: new(false)}},
			want:    all[:7],
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := workload(t, example(t, tc.example), tc.input)
			w.Installed = crds.Without(tc.missing...)
			got := All(w)
			if diff := cmp.Diff(tc.want, keyed(got)); diff != "" {
				t.Errorf("%s\nAll(...): -want, +got:\n%s", tc.reason, diff)
			}
			// Builders are pure: a second call gives equal objects.
			if diff := cmp.Diff(got, All(w), cmp.Comparer(func(a, b runtime.Object) bool { return cmp.Equal(a, b, quantityEqual) })); diff != "" {
				t.Errorf("%s\nAll(...) twice: -first, +second:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestWorkload(t *testing.T) {
	w := workload(t, agentYAML("team.agent", "{model: llama-3.1-8b, replicas: 2, config: {temperature: 1, systemPrompt: hi}}"), nil)
	type summary struct {
		Image      string
		Autoscaled bool
		Guaranteed int32
		Config     map[string]string
		Key        Key
	}
	want := summary{
		Image:      "ghcr.io/agentops-io/agent-runtime:v0.1.0",
		Guaranteed: 2,
		Config:     map[string]string{"maxTokens": "4096", "temperature": "1", "systemPrompt": "hi"},
		Key:        "deployment",
	}
	got := summary{Image: w.Image, Autoscaled: w.Autoscaled(), Guaranteed: w.GuaranteedReplicas(), Config: w.Config, Key: w.Key(KeyDeployment)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NewWorkload(...): -want, +got:\n%s", diff)
	}
}
