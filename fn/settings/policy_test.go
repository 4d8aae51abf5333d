package settings

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/agentops-io/agentops/input/v1beta1"
)

func TestResolvePolicy(t *testing.T) {
	dedicated := v1beta1.NodePool{
		Name:         "agents",
		NodeSelector: map[string]string{"pool": "agents"},
		Tolerations:  []corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "agents", Effect: corev1.TaintEffectNoSchedule}},
	}
	defaultPolicy := func(edit func(p *Policy)) *Policy {
		p := &Policy{
			ToolsSameNamespace: true, AgentPullSecrets: true,
			PullPolicy: corev1.PullIfNotPresent, AllowedPullPolicies: []string{"Always", "IfNotPresent"},
			Scheduling:         Scheduling{NodePools: map[string]v1beta1.NodePool{}},
			AllowMonitoringOff: true, AllowMetrics: true, AllowDisruptionBudget: true,
		}
		if edit != nil {
			edit(p)
		}
		return p
	}
	cases := map[string]struct {
		reason string
		in     v1beta1.AgentPolicy
		want   *Policy
		errs   []string
	}{
		"Defaults": {
			reason: "Without a policy: tools in the agent's namespace only, no extra pod metadata, IfNotPresent, no node pool, every switch open.",
			want:   defaultPolicy(nil),
		},
		"Everything": {
			reason: "Every policy field reaches the settings.",
			in: v1beta1.AgentPolicy{
				Tools:       &v1beta1.ToolPolicy{SameNamespace: new(false), Namespaces: []string{"support-tools"}, CIDRs: []string{"203.0.113.0/24", "2001:db8::/48"}},
				PodMetadata: &v1beta1.PodMetadataPolicy{LabelPrefixes: []string{"cost.example.com/"}, AnnotationPrefixes: []string{"sidecar.istio.io/inject"}},
				ImagePull:   &v1beta1.ImagePull{Secrets: []string{"platform-registry"}, AgentSecrets: new(false), Policy: "Always", AllowedPolicies: []string{"Always"}},
				Scheduling: &v1beta1.Scheduling{
					NodeSelector:              map[string]string{"kubernetes.io/os": "linux"},
					Tolerations:               []corev1.Toleration{{Key: "spot", Operator: corev1.TolerationOpExists}},
					PriorityClassName:         "agents",
					TopologySpreadConstraints: []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: "topology.kubernetes.io/zone", WhenUnsatisfiable: corev1.ScheduleAnyway}},
					NodePools:                 []v1beta1.NodePool{dedicated},
				},
				AgentOverrides: &v1beta1.AgentOverrides{MonitoringOff: new(false), Metrics: new(false), DisruptionBudget: new(false)},
			},
			want: &Policy{
				ToolNamespaces: []string{"support-tools"},
				ToolCIDRs:      []string{"203.0.113.0/24", "2001:db8::/48"},
				LabelPrefixes:  []string{"cost.example.com/"}, AnnotationPrefixes: []string{"sidecar.istio.io/inject"},
				PullSecrets: []string{"platform-registry"}, PullPolicy: corev1.PullAlways, AllowedPullPolicies: []string{"Always"},
				Scheduling: Scheduling{
					NodeSelector:              map[string]string{"kubernetes.io/os": "linux"},
					Tolerations:               []corev1.Toleration{{Key: "spot", Operator: corev1.TolerationOpExists}},
					PriorityClassName:         "agents",
					TopologySpreadConstraints: []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: "topology.kubernetes.io/zone", WhenUnsatisfiable: corev1.ScheduleAnyway}},
					NodePools:                 map[string]v1beta1.NodePool{"agents": dedicated},
					NodePoolNames:             []string{"agents"},
				},
			},
		},
		"BadTools": {
			reason: "Tool bounds must be namespaces and network addresses, never the metadata service's or loopback ranges.",
			in:     v1beta1.AgentPolicy{Tools: &v1beta1.ToolPolicy{Namespaces: []string{"Not_A_Namespace"}, CIDRs: []string{"example.com", "203.0.113.1/24", "169.254.0.0/16", "0.0.0.0/0", "fe80::/64"}}},
			errs: []string{
				`input.tools.namespaces[0]: Invalid value: "Not_A_Namespace": must be a namespace's name: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
				`input.tools.cidrs[0]: Invalid value: "example.com": must be a CIDR such as 203.0.113.0/24 or 2001:db8::/48`,
				`input.tools.cidrs[1]: Invalid value: "203.0.113.1/24": must be a network address: 203.0.113.0/24`,
				`input.tools.cidrs[2]: Invalid value: "169.254.0.0/16": must not overlap loopback (127.0.0.0/8, ::1/128) or link-local ranges (169.254.0.0/16, fe80::/10, where cloud metadata services answer)`,
				`input.tools.cidrs[3]: Invalid value: "0.0.0.0/0": must not overlap loopback (127.0.0.0/8, ::1/128) or link-local ranges (169.254.0.0/16, fe80::/10, where cloud metadata services answer)`,
				`input.tools.cidrs[4]: Invalid value: "fe80::/64": must not overlap loopback (127.0.0.0/8, ::1/128) or link-local ranges (169.254.0.0/16, fe80::/10, where cloud metadata services answer)`,
			},
		},
		"BadMetadataAndPulls": {
			reason: "An empty prefix would admit every key; pull secrets are Secret names; pull policies are Kubernetes'.",
			in: v1beta1.AgentPolicy{
				PodMetadata: &v1beta1.PodMetadataPolicy{LabelPrefixes: []string{""}},
				ImagePull:   &v1beta1.ImagePull{Secrets: []string{"Bad Name"}, Policy: "Sometimes", AllowedPolicies: []string{"Often"}},
			},
			errs: []string{
				`input.podMetadata.labelPrefixes[0]: Invalid value: "": must not be empty: an empty prefix would admit every key`,
				`input.imagePull.secrets[0]: Invalid value: "Bad Name": must name a Secret: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
				`input.imagePull.policy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`,
				`input.imagePull.allowedPolicies[0]: Unsupported value: "Often": supported values: "Always", "IfNotPresent", "Never"`,
			},
		},
		"BadScheduling": {
			reason: "What the API server would refuse in the pod template is refused in the input, naming its field.",
			in: v1beta1.AgentPolicy{Scheduling: &v1beta1.Scheduling{
				NodeSelector:              map[string]string{"bad key!": "x"},
				Tolerations:               []corev1.Toleration{{Operator: corev1.TolerationOpEqual}, {Key: "k", Operator: "Near", Effect: "Sometimes"}},
				PriorityClassName:         "Not Valid",
				TopologySpreadConstraints: []corev1.TopologySpreadConstraint{{TopologyKey: "", WhenUnsatisfiable: "Maybe", LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"a": "b c"}}}},
				NodePools:                 []v1beta1.NodePool{{Name: "empty"}, {Name: "empty"}},
			}},
			errs: []string{
				`input.scheduling.nodeSelector: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
				`input.scheduling.tolerations[0].operator: Invalid value: "Equal": must be Exists when the key is empty`,
				`input.scheduling.tolerations[1].operator: Unsupported value: "Near": supported values: "Equal", "Exists"`,
				`input.scheduling.tolerations[1].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
				`input.scheduling.priorityClassName: Invalid value: "Not Valid": must name a PriorityClass: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
				`input.scheduling.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be at least 1`,
				`input.scheduling.topologySpreadConstraints[0].topologyKey: Invalid value: "": name part must be non-empty`,
				`input.scheduling.topologySpreadConstraints[0].topologyKey: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
				`input.scheduling.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"`,
				`input.scheduling.topologySpreadConstraints[0].labelSelector.matchLabels: Invalid value: "b c": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
				`input.scheduling.nodePools[0]: Required value: a node pool needs a nodeSelector, tolerations or both`,
				`input.scheduling.nodePools[1].name: Duplicate value: "empty"`,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, errs := Resolve(&v1beta1.Input{AgentPolicy: tc.in})
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			if diff := cmp.Diff(tc.errs, msgs); diff != "" {
				t.Errorf("%s\nResolve(...): -want errors, +got errors:\n%s", tc.reason, diff)
			}
			if tc.want == nil {
				return
			}
			if got == nil {
				t.Fatalf("%s\nResolve(...): no settings", tc.reason)
			}
			if diff := cmp.Diff(tc.want, &got.Policy); diff != "" {
				t.Errorf("%s\nResolve(...).Policy: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
