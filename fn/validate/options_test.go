package validate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// TestOptions: what an agent sets beyond its model is admitted within the
// platform's policy and refused outside it, each refusal naming the spec
// field and the rule (the input field that would allow it).
func TestOptions(t *testing.T) {
	search := &metav1.LabelSelector{MatchLabels: map[string]string{"app": "search"}}
	tcp := func(p int32) []v1alpha1.ToolPort { return []v1alpha1.ToolPort{{Port: p}} }
	open := &v1beta1.Input{AgentPolicy: v1beta1.AgentPolicy{
		Tools:       &v1beta1.ToolPolicy{Namespaces: []string{"support-tools"}, CIDRs: []string{"203.0.113.0/24"}},
		PodMetadata: &v1beta1.PodMetadataPolicy{LabelPrefixes: []string{"cost.example.com/", "app.kubernetes.io/"}, AnnotationPrefixes: []string{"sidecar.istio.io/inject", "vault.hashicorp.com/"}},
		Scheduling:  &v1beta1.Scheduling{NodePools: []v1beta1.NodePool{{Name: "agents", NodeSelector: map[string]string{"pool": "agents"}}}},
	}}
	closed := &v1beta1.Input{AgentPolicy: v1beta1.AgentPolicy{
		Tools:          &v1beta1.ToolPolicy{SameNamespace: new(false)},
		ImagePull:      &v1beta1.ImagePull{AgentSecrets: new(false), AllowedPolicies: []string{"Always"}},
		AgentOverrides: &v1beta1.AgentOverrides{MonitoringOff: new(false), Metrics: new(false), DisruptionBudget: new(false)},
	}}
	cases := map[string]struct {
		reason string
		spec   *v1alpha1.AgentDeploymentSpec
		input  *v1beta1.Input
		want   []string
	}{
		"EverythingAllowed": {
			reason: "Two in-cluster tools and an external one, env of every kind, pod metadata under the prefixes, pulls, a node pool and every switch, under a policy that allows them.",
			input:  open,
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Tools = []v1alpha1.Tool{
					{Name: "search", PodSelector: search, Ports: tcp(8080)},
					{Name: "tickets-db", Namespace: new("support-tools"), PodSelector: &metav1.LabelSelector{}, Ports: []v1alpha1.ToolPort{{Port: 5432, Protocol: new("TCP")}}},
					{Name: "crm", CIDR: new("203.0.113.16/28"), Ports: tcp(443)},
				}
				s.Env = []v1alpha1.EnvVar{
					{Name: "LOG_LEVEL", Value: new("debug")},
					{Name: "CRM_TOKEN", ValueFrom: &v1alpha1.EnvVarSource{SecretKeyRef: &v1alpha1.KeyReference{Name: "crm", Key: "token"}}},
					{Name: "FEATURES", ValueFrom: &v1alpha1.EnvVarSource{ConfigMapKeyRef: &v1alpha1.KeyReference{Name: "flags", Key: "features"}}},
				}
				s.PodMetadata = &v1alpha1.PodMetadata{Labels: map[string]string{"cost.example.com/team": "support", "app.kubernetes.io/version": "v1"}, Annotations: map[string]string{"sidecar.istio.io/inject": "false"}}
				s.ImagePullSecrets = []v1alpha1.LocalReference{{Name: "registry"}}
				s.ImagePullPolicy = new("Always")
				s.NodePool = new("agents")
				s.Monitoring = &v1alpha1.AgentMonitoring{Enabled: new(false), Path: new("/custom/metrics"), Interval: new("1m")}
				s.DisruptionBudget = &v1alpha1.DisruptionBudget{MaxUnavailable: new(intstr.FromString("50%"))}
			}),
		},
		"ToolsOutsideBounds": {
			reason: "By default tools are in the agent's namespace only: another namespace and any CIDR are refused, naming the input field that would allow them.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Tools = []v1alpha1.Tool{
					{Name: "db", Namespace: new("data"), PodSelector: search, Ports: tcp(5432)},
					{Name: "crm", CIDR: new("203.0.113.0/24"), Ports: tcp(443)},
				}
			}),
			want: []string{
				`spec.tools[0].namespace: Forbidden: namespace "data" is not one the platform admits tools in (input tools.namespaces): [], or leave namespace out for the agent's own`,
				`spec.tools[1].cidr: Forbidden: 203.0.113.0/24 is not inside a range the platform admits external tools in (input tools.cidrs): none`,
			},
		},
		"ToolCIDRWiderThanAllowed": {
			reason: "An external tool's range must lie inside an allowed one, not merely overlap it.",
			input:  open,
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Tools = []v1alpha1.Tool{{Name: "crm", CIDR: new("203.0.112.0/23"), Ports: tcp(443)}}
			}),
			want: []string{`spec.tools[0].cidr: Forbidden: 203.0.112.0/23 is not inside a range the platform admits external tools in (input tools.cidrs): ["203.0.113.0/24"]`},
		},
		"ToolsMalformed": {
			reason: "What the XRD's schema and CEL refuse is refused by the function too (a render has no API server).",
			input:  open,
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Tools = []v1alpha1.Tool{
					{Name: "both", PodSelector: search, CIDR: new("203.0.113.0/24"), Ports: tcp(443)},
					{Name: "both", Ports: []v1alpha1.ToolPort{{Port: 0, Protocol: new("SCTP")}}},
					{Name: "ns-on-cidr", Namespace: new("support-tools"), CIDR: new("203.0.113.1/24"), Ports: tcp(443)},
					{Name: "noports", PodSelector: search},
				}
			}),
			want: []string{
				`spec.tools[0]: Invalid value: "both": a tool is either in the cluster (podSelector, with an optional namespace) or outside it (cidr): set exactly one of podSelector and cidr`,
				`spec.tools[1].name: Duplicate value: "both"`,
				`spec.tools[1].ports[0].port: Invalid value: 0: must be between 1 and 65535`,
				`spec.tools[1].ports[0].protocol: Unsupported value: "SCTP": supported values: "TCP", "UDP"`,
				`spec.tools[1]: Invalid value: "both": a tool is either in the cluster (podSelector, with an optional namespace) or outside it (cidr): set exactly one of podSelector and cidr`,
				`spec.tools[2].namespace: Forbidden: namespace applies to an in-cluster tool: set podSelector with it`,
				`spec.tools[2].cidr: Invalid value: "203.0.113.1/24": must be a network address: 203.0.113.0/24`,
				`spec.tools[3].ports: Required value: a tool needs at least one port`,
			},
		},
		"SameNamespaceClosed": {
			reason: "A platform may close even the agent's own namespace to tools.",
			input:  closed,
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Tools = []v1alpha1.Tool{{Name: "search", PodSelector: search, Ports: tcp(8080)}}
			}),
			want: []string{`spec.tools[0].namespace: Forbidden: the platform admits no tool in the agent's own namespace (input tools.sameNamespace is false); allowed namespaces: []`},
		},
		"ReservedEnv": {
			reason: "The contract's names are the function's; duplicates and malformed values are refused.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Env = []v1alpha1.EnvVar{
					{Name: "API_KEY", Value: new("sk-nope")},
					{Name: "1BAD", Value: new("x")},
					{Name: "A", Value: new("x")},
					{Name: "A", Value: new("y"), ValueFrom: &v1alpha1.EnvVarSource{}},
					{Name: "B", ValueFrom: &v1alpha1.EnvVarSource{SecretKeyRef: &v1alpha1.KeyReference{Name: "Bad", Key: "k/ey"}}},
					{Name: "C", Value: new(strings.Repeat("x", MaxEnvValue+1))},
				}
			}),
			want: []string{
				`spec.env[0].name: Forbidden: API_KEY is reserved by the agent contract (PORT, MODEL_NAME, MODEL_PROVIDER, API_ENDPOINT, API_KEY, API_KEY_FILE, MAX_TOKENS, TEMPERATURE, SYSTEM_PROMPT_FILE, MODEL_CONTEXT_WINDOW): the function sets it`,
				`spec.env[1].name: Invalid value: "1BAD": must be at most 128 letters, digits and underscores, not starting with a digit`,
				`spec.env[3].name: Duplicate value: "A"`,
				`spec.env[3]: Invalid value: "A": set exactly one of value and valueFrom`,
				`spec.env[4].valueFrom.secretKeyRef.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
				`spec.env[4].valueFrom.secretKeyRef.key: Invalid value: "k/ey": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
				`spec.env[5].value: Too long: may not be more than 4096 bytes`,
			},
		},
		"PodMetadataOutsidePrefixes": {
			reason: "Keys outside the platform's prefixes, and our own keys even under them, are refused.",
			input:  open,
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.PodMetadata = &v1alpha1.PodMetadata{
					Labels:      map[string]string{"app.kubernetes.io/instance": "hijack", "agentops.io/model": "gpt-5", "team": "x"},
					Annotations: map[string]string{"vault.hashicorp.com/agent-inject-token": "true", "prometheus.io/scrape": "true"},
				}
			}),
			want: []string{
				`spec.podMetadata.labels[agentops.io/model]: Forbidden: agentops.io/model is set by AgentOps: keys ["app.kubernetes.io/name" "app.kubernetes.io/instance" "app.kubernetes.io/managed-by" "app.kubernetes.io/component"] and those under ["agentops.io/"] are its own`,
				`spec.podMetadata.labels[app.kubernetes.io/instance]: Forbidden: app.kubernetes.io/instance is set by AgentOps: keys ["app.kubernetes.io/name" "app.kubernetes.io/instance" "app.kubernetes.io/managed-by" "app.kubernetes.io/component"] and those under ["agentops.io/"] are its own`,
				`spec.podMetadata.labels[team]: Forbidden: team is not under a prefix the platform allows (input podMetadata.labelPrefixes): ["cost.example.com/" "app.kubernetes.io/"]`,
				`spec.podMetadata.annotations[prometheus.io/scrape]: Forbidden: prometheus.io/scrape is not under a prefix the platform allows (input podMetadata.annotationPrefixes): ["sidecar.istio.io/inject" "vault.hashicorp.com/"]`,
				`spec.podMetadata.annotations[vault.hashicorp.com/agent-inject-token]: Forbidden: vault.hashicorp.com/agent-inject-token is set by AgentOps: keys ["kubectl.kubernetes.io/default-container"] and those under ["agentops.io/" "vault.hashicorp.com/"] are its own`,
			},
		},
		"AnnotationsTooLarge": {
			reason: "Annotations over the API server's 256 KiB would make the Deployment unappliable.",
			input:  open,
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.PodMetadata = &v1alpha1.PodMetadata{Annotations: map[string]string{"sidecar.istio.io/inject": strings.Repeat("x", 300*1024)}}
			}),
			want: []string{"spec.podMetadata.annotations: Too long: may not be more than 262144 bytes"},
		},
		"NoPrefixesByDefault": {
			reason: "Without prefixes in the input no extra label is admitted.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.PodMetadata = &v1alpha1.PodMetadata{Labels: map[string]string{"cost.example.com/team": "support"}}
			}),
			want: []string{`spec.podMetadata.labels[cost.example.com/team]: Forbidden: cost.example.com/team is not under a prefix the platform allows (input podMetadata.labelPrefixes): []`},
		},
		"PlatformForbidsEverything": {
			reason: "A platform can forbid an agent's own pull secrets, a pull policy, monitoring off, metrics and the disruption budget, each refusal naming the input field.",
			input:  closed,
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.ImagePullSecrets = []v1alpha1.LocalReference{{Name: "registry"}}
				s.ImagePullPolicy = new("IfNotPresent")
				s.Monitoring = &v1alpha1.AgentMonitoring{Enabled: new(false), Interval: new("1m")}
				s.DisruptionBudget = &v1alpha1.DisruptionBudget{MinAvailable: new(intstr.FromInt32(0))}
			}),
			want: []string{
				`spec.imagePullSecrets: Forbidden: the platform sets the pull secrets of every agent (input imagePull.agentSecrets is false)`,
				`spec.imagePullPolicy: Unsupported value: "IfNotPresent": supported values: "Always"`,
				`spec.monitoring.enabled: Forbidden: the platform monitors every agent (input agentOverrides.monitoringOff is false)`,
				`spec.monitoring: Forbidden: the platform sets the metrics path and interval of every agent (input agentOverrides.metrics is false)`,
				`spec.disruptionBudget: Forbidden: the platform sets every agent's PodDisruptionBudget (input agentOverrides.disruptionBudget is false)`,
			},
		},
		"NeverPullByDefault": {
			reason: "Never is not among the default allowed pull policies.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.ImagePullPolicy = new(string(corev1.PullNever)) }),
			want:   []string{`spec.imagePullPolicy: Unsupported value: "Never": supported values: "Always", "IfNotPresent"`},
		},
		"UnknownNodePool": {
			reason: "Only the platform's node pools may be named.",
			input:  open,
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.NodePool = new("gpu") }),
			want:   []string{`spec.nodePool: Unsupported value: "gpu": supported values: "agents"`},
		},
		"NoNodePools": {
			reason: "Without node pools in the input, none may be named.",
			spec:   spec(func(s *v1alpha1.AgentDeploymentSpec) { s.NodePool = new("agents") }),
			want:   []string{`spec.nodePool: Forbidden: node pool "agents": the platform defines no node pool an agent may ask for (input scheduling.nodePools)`},
		},
		"BadMetrics": {
			reason: "The path must be a URL path; the interval between the platform's scrape timeout and an hour.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Monitoring = &v1alpha1.AgentMonitoring{Path: new("metrics"), Interval: new("5s")}
			}),
			want: []string{
				`spec.monitoring.path: Invalid value: "metrics": must be an absolute URL path of at most 256 characters, such as /metrics`,
				`spec.monitoring.interval: Invalid value: "5s": must be between the platform's scrape timeout (10s) and 1h0m0s`,
			},
		},
		"BudgetBlocksDrains": {
			reason: "A budget that leaves no pod to evict would block node drains forever.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.Replicas = new(int32(2))
				s.DisruptionBudget = &v1alpha1.DisruptionBudget{MinAvailable: new(intstr.FromInt32(2))}
			}),
			want: []string{`spec.disruptionBudget.minAvailable: Invalid value: "2": must leave a pod to evict: below the agent's 2 guaranteed replicas, so that node drains can proceed`},
		},
		"BudgetZeroUnavailable": {
			reason: "maxUnavailable 0% blocks every drain.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.DisruptionBudget = &v1alpha1.DisruptionBudget{MaxUnavailable: new(intstr.FromString("0%"))}
			}),
			want: []string{`spec.disruptionBudget.maxUnavailable: Invalid value: "0%": must be at least 1 (or 1%), so that node drains can proceed`},
		},
		"BudgetMalformed": {
			reason: "Both bounds, or a percentage over 100, are refused.",
			spec: spec(func(s *v1alpha1.AgentDeploymentSpec) {
				s.DisruptionBudget = &v1alpha1.DisruptionBudget{MinAvailable: new(intstr.FromString("150%")), MaxUnavailable: new(intstr.FromInt32(1))}
			}),
			want: []string{`spec.disruptionBudget: Invalid value: "<object>": set exactly one of minAvailable and maxUnavailable`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { checkSpec(t, tc.reason, tc.spec, tc.input, tc.want) })
	}
}

// checkSpec validates spec under the settings of input (nil: an empty one)
// and compares the errors with want; each must start with its spec field.
func checkSpec(t *testing.T, reason string, sp *v1alpha1.AgentDeploymentSpec, input *v1beta1.Input, want []string) {
	t.Helper()
	s := platform(t)
	if input != nil {
		s = resolve(t, input)
	}
	errs := Spec(sp, s)
	got := make([]string, 0, len(errs))
	for _, e := range errs {
		got = append(got, e.Error())
		if !strings.HasPrefix(e.Error(), e.Field+":") || !strings.HasPrefix(e.Field, "spec.") {
			t.Errorf("%s\nSpec(...): error %q does not start with its spec field %q", reason, e.Error(), e.Field)
		}
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s\nSpec(...): -want, +got:\n%s", reason, diff)
	}
}
