package compose

import (
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/input/v1beta1"
)

// platformPolicy admits what the options tests ask for.
func platformPolicy(edit func(p *v1beta1.AgentPolicy)) *v1beta1.Input {
	p := v1beta1.AgentPolicy{
		Tools:       &v1beta1.ToolPolicy{Namespaces: []string{"support-tools"}, CIDRs: []string{"203.0.113.0/24"}},
		PodMetadata: &v1beta1.PodMetadataPolicy{LabelPrefixes: []string{"cost.example.com/"}, AnnotationPrefixes: []string{"sidecar.istio.io/"}},
		Scheduling: &v1beta1.Scheduling{NodePools: []v1beta1.NodePool{{
			Name:         "agents",
			NodeSelector: map[string]string{"pool": "agents"},
			Tolerations:  []corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "agents", Effect: corev1.TaintEffectNoSchedule}},
		}}},
	}
	if edit != nil {
		edit(&p)
	}
	return &v1beta1.Input{AgentPolicy: p}
}

const hosted = "model: gpt-4o, secrets: {apiKeySecret: k}"

func TestToolEgress(t *testing.T) {
	cases := map[string]struct {
		reason string
		spec   string
		want   []networkingv1.NetworkPolicyEgressRule
	}{
		"None": {
			reason: "An agent without tools gets no extra egress.",
			spec:   "{" + hosted + "}",
		},
		"InClusterAndExternal": {
			reason: "A tool in the agent's namespace is selected by pods alone (the policy's namespace), one elsewhere by its namespace's name too, an external one by its CIDR; each on its own ports.",
			spec: "{" + hosted + `, tools: [
				{name: search, podSelector: {matchLabels: {app: search}}, ports: [{port: 8080}]},
				{name: tickets, namespace: support-tools, podSelector: {matchLabels: {app: tickets}}, ports: [{port: 5432}, {port: 53, protocol: UDP}]},
				{name: crm, cidr: 203.0.113.16/28, ports: [{port: 443}]}]}`,
			want: []networkingv1.NetworkPolicyEgressRule{
				{To: []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "search"}}}}, Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolTCP, 8080)}},
				{To: []networkingv1.NetworkPolicyPeer{{
					NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "support-tools"}},
					PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "tickets"}},
				}}, Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolTCP, 5432), port(corev1.ProtocolUDP, 53)}},
				{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "203.0.113.16/28"}}}, Ports: []networkingv1.NetworkPolicyPort{port(corev1.ProtocolTCP, 443)}},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := workload(t, agentYAML("agent", tc.spec), platformPolicy(nil))
			np := NetworkPolicy(w)
			// The tools' rules come after DNS and the model API, which stay as they were.
			if diff := cmp.Diff(tc.want, np.Spec.Egress[2:], cmp.Transformer("empty", func(r []networkingv1.NetworkPolicyEgressRule) []networkingv1.NetworkPolicyEgressRule {
				if len(r) == 0 {
					return nil
				}
				return r
			})); diff != "" {
				t.Errorf("%s\nNetworkPolicy(...).Spec.Egress[2:]: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestPodOptions(t *testing.T) {
	agentsPool := []corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "agents", Effect: corev1.TaintEffectNoSchedule}}
	spread := corev1.TopologySpreadConstraint{MaxSkew: 1, TopologyKey: corev1.LabelHostname, WhenUnsatisfiable: corev1.ScheduleAnyway, LabelSelector: &metav1.LabelSelector{MatchLabels: selector("agent")}}
	zoneSpread := corev1.TopologySpreadConstraint{MaxSkew: 1, TopologyKey: corev1.LabelTopologyZone, WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: &metav1.LabelSelector{MatchLabels: selector("agent")}}
	affinity := &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
		NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "kubernetes.io/arch", Operator: corev1.NodeSelectorOpIn, Values: []string{"amd64"}}}}},
	}}}
	platformDefaults := func(p *v1beta1.AgentPolicy) {
		p.ImagePull = &v1beta1.ImagePull{Secrets: []string{"platform-registry"}, Policy: "Always"}
		p.Scheduling.NodeSelector = map[string]string{"kubernetes.io/os": "linux"}
		p.Scheduling.Tolerations = []corev1.Toleration{{Key: "spot", Operator: corev1.TolerationOpExists}}
		p.Scheduling.Affinity = affinity
		p.Scheduling.PriorityClassName = "agents"
		p.Scheduling.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: corev1.LabelTopologyZone, WhenUnsatisfiable: corev1.DoNotSchedule}}
	}
	type want struct {
		labels, annotations map[string]string
		pullSecrets         []corev1.LocalObjectReference
		pullPolicy          corev1.PullPolicy
		nodeSelector        map[string]string
		tolerations         []corev1.Toleration
		affinity            *corev1.Affinity
		priorityClass       string
		spread              []corev1.TopologySpreadConstraint
	}
	ours := labels("agent", "gpt-4o")
	cases := map[string]struct {
		reason string
		spec   string
		input  *v1beta1.Input
		want   want
	}{
		"Nothing": {
			reason: "Without options nor platform defaults the pod template is as it always was.",
			spec:   "{" + hosted + "}",
			input:  platformPolicy(nil),
			want:   want{labels: ours, pullPolicy: corev1.PullIfNotPresent, spread: []corev1.TopologySpreadConstraint{spread}},
		},
		"AgentOptions": {
			reason: "The agent's labels, annotations, pull secrets, pull policy and node pool reach the pod template; ours stay.",
			spec: "{" + hosted + `, podMetadata: {labels: {cost.example.com/team: support}, annotations: {sidecar.istio.io/inject: "false"}},
				imagePullSecrets: [{name: team-registry}], imagePullPolicy: Always, nodePool: agents}`,
			input: platformPolicy(nil),
			want: want{
				labels:      withEntry(ours, "cost.example.com/team", "support"),
				annotations: map[string]string{"sidecar.istio.io/inject": "false"},
				pullSecrets: []corev1.LocalObjectReference{{Name: "team-registry"}},
				pullPolicy:  corev1.PullAlways, nodeSelector: map[string]string{"pool": "agents"}, tolerations: agentsPool,
				spread: []corev1.TopologySpreadConstraint{spread},
			},
		},
		"PlatformDefaults": {
			reason: "The platform's defaults apply to every agent; a node pool adds to them; a spread constraint without a selector spreads this agent's pods; a pull secret named twice is listed once.",
			spec:   "{" + hosted + ", imagePullSecrets: [{name: team-registry}, {name: platform-registry}], nodePool: agents}",
			input:  platformPolicy(platformDefaults),
			want: want{
				labels:       ours,
				pullSecrets:  []corev1.LocalObjectReference{{Name: "platform-registry"}, {Name: "team-registry"}},
				pullPolicy:   corev1.PullAlways,
				nodeSelector: map[string]string{"kubernetes.io/os": "linux", "pool": "agents"},
				tolerations:  append([]corev1.Toleration{{Key: "spot", Operator: corev1.TolerationOpExists}}, agentsPool...),
				affinity:     affinity, priorityClass: "agents",
				spread: []corev1.TopologySpreadConstraint{spread, zoneSpread},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := workload(t, agentYAML("agent", tc.spec), tc.input)
			tmpl := Deployment(w).Spec.Template
			annotations := map[string]string{}
			for k, v := range tmpl.Annotations {
				if k != AnnotationConfigChecksum && k != AnnotationDefaultContainer {
					annotations[k] = v
				}
			}
			p := tmpl.Spec
			got := want{
				labels: tmpl.Labels, annotations: annotations, pullSecrets: p.ImagePullSecrets, pullPolicy: p.Containers[0].ImagePullPolicy,
				nodeSelector: p.NodeSelector, tolerations: p.Tolerations, affinity: p.Affinity, priorityClass: p.PriorityClassName, spread: p.TopologySpreadConstraints,
			}
			if tc.want.annotations == nil {
				tc.want.annotations = map[string]string{}
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nDeployment(...).Spec.Template: -want, +got:\n%s", tc.reason, diff)
			}
			// The platform's settings are shared by every call: never edited.
			if s := w.Settings.Policy.Scheduling; len(s.NodeSelector) > 1 || len(s.Tolerations) > 1 {
				t.Errorf("%s\nDeployment(...) changed the platform's scheduling: %+v", tc.reason, s)
			}
		})
	}
}

func withEntry(m map[string]string, k, v string) map[string]string {
	out := maps.Clone(m)
	out[k] = v
	return out
}

func TestExtraEnv(t *testing.T) {
	w := workload(t, agentYAML("agent", "{"+hosted+`, env: [
		{name: LOG_LEVEL, value: debug},
		{name: CRM_TOKEN, valueFrom: {secretKeyRef: {name: crm, key: token}}},
		{name: FEATURES, valueFrom: {configMapKeyRef: {name: flags, key: features}}}]}`), nil)
	env := Deployment(w).Spec.Template.Spec.Containers[0].Env
	want := []corev1.EnvVar{
		{Name: "LOG_LEVEL", Value: "debug"},
		{Name: "CRM_TOKEN", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "crm"}, Key: "token"}}},
		{Name: "FEATURES", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "flags"}, Key: "features"}}},
	}
	if diff := cmp.Diff(want, env[len(env)-3:]); diff != "" {
		t.Errorf("the agent's own variables come after the contract's: -want, +got:\n%s", diff)
	}
}

// TestReservedEnvNames: every variable the function composes, with an API
// key Secret, with Vault, self-hosted, is reserved, so that spec.env can
// never override one.
func TestReservedEnvNames(t *testing.T) {
	for _, spec := range []string{"{" + hosted + "}", "{model: gpt-4o, secrets: {vault: {enabled: true, role: r, secretPath: s}}}", "{model: llama-2-70b}"} {
		for _, e := range Deployment(workload(t, agentYAML("agent", spec), nil)).Spec.Template.Spec.Containers[0].Env {
			if !slices.Contains(v1alpha1.ReservedEnvNames, e.Name) {
				t.Errorf("%s: the function composes %s, which v1alpha1.ReservedEnvNames does not reserve", spec, e.Name)
			}
		}
	}
}

func TestSwitches(t *testing.T) {
	cases := map[string]struct {
		reason       string
		spec         string
		wantKeys     []Key
		wantPath     string
		wantInterval string
		wantMin      *intstr.IntOrString
		wantMax      *intstr.IntOrString
	}{
		"Defaults": {
			reason:   "Monitored, on /metrics at the platform's interval, with the default budget.",
			spec:     "{" + hosted + "}",
			wantKeys: []Key{KeyServiceAccount, KeyConfigMap, KeyDeployment, KeyService, KeyPDB, KeyNetworkPolicy, KeyServiceMonitor, KeyPrometheusRule},
			wantPath: "/metrics", wantInterval: "30s", wantMax: new(intstr.FromInt32(1)),
		},
		"MonitoringOff": {
			reason:   "Monitoring off composes no ServiceMonitor and no PrometheusRule.",
			spec:     "{" + hosted + ", monitoring: {enabled: false}, disruptionBudget: {minAvailable: 50%}, replicas: 3}",
			wantKeys: []Key{KeyServiceAccount, KeyConfigMap, KeyDeployment, KeyService, KeyPDB, KeyNetworkPolicy},
			wantPath: "/metrics", wantInterval: "30s", wantMin: new(intstr.FromString("50%")),
		},
		"Metrics": {
			reason:   "The agent's path and interval reach the ServiceMonitor.",
			spec:     "{" + hosted + ", monitoring: {path: /stats, interval: 1m}, disruptionBudget: {maxUnavailable: 2}}",
			wantKeys: []Key{KeyServiceAccount, KeyConfigMap, KeyDeployment, KeyService, KeyPDB, KeyNetworkPolicy, KeyServiceMonitor, KeyPrometheusRule},
			wantPath: "/stats", wantInterval: "1m", wantMax: new(intstr.FromInt32(2)),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := workload(t, agentYAML("agent", tc.spec), nil)
			keys := make([]Key, 0, len(tc.wantKeys))
			for _, c := range All(w) {
				keys = append(keys, c.Key)
			}
			if diff := cmp.Diff(tc.wantKeys, keys); diff != "" {
				t.Errorf("%s\nAll(...): -want, +got:\n%s", tc.reason, diff)
			}
			ep := ServiceMonitor(w).Spec.Endpoints[0]
			if ep.Path != tc.wantPath || string(ep.Interval) != tc.wantInterval {
				t.Errorf("%s\nServiceMonitor(...): want path %s interval %s, got %s %s", tc.reason, tc.wantPath, tc.wantInterval, ep.Path, ep.Interval)
			}
			pdb := PodDisruptionBudget(w).Spec
			if diff := cmp.Diff([]*intstr.IntOrString{tc.wantMin, tc.wantMax}, []*intstr.IntOrString{pdb.MinAvailable, pdb.MaxUnavailable}); diff != "" {
				t.Errorf("%s\nPodDisruptionBudget(...): -want [min, max], +got:\n%s", tc.reason, diff)
			}
		})
	}
}
