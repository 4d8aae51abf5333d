package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/agentops-io/agentops/input/v1beta1"
)

func TestDeploymentMetadata(t *testing.T) {
	w := workload(t, example(t, "production-claude-agent.yaml"), nil)
	d := Deployment(w)
	wantLabels := map[string]string{
		"app.kubernetes.io/name":       "agentops-agent",
		"app.kubernetes.io/instance":   "production-claude-agent",
		"app.kubernetes.io/managed-by": "agentops",
		"app.kubernetes.io/component":  "agent",
		"agentops.io/model":            "claude-3-opus",
	}
	want := metav1.ObjectMeta{Name: "production-claude-agent", Namespace: "agents", Labels: wantLabels}
	if diff := cmp.Diff(want, d.ObjectMeta); diff != "" {
		t.Errorf("Deployment(...).ObjectMeta: -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff(wantLabels, d.Spec.Template.Labels); diff != "" {
		t.Errorf("Deployment(...).Spec.Template.Labels: -want, +got:\n%s", diff)
	}
	wantSelector := &metav1.LabelSelector{MatchLabels: map[string]string{
		"app.kubernetes.io/name": "agentops-agent", "app.kubernetes.io/instance": "production-claude-agent",
	}}
	if diff := cmp.Diff(wantSelector, d.Spec.Selector); diff != "" {
		t.Errorf("Deployment(...).Spec.Selector: -want, +got:\n%s", diff)
	}
	if d.Spec.ProgressDeadlineSeconds == nil || *d.Spec.ProgressDeadlineSeconds != 600 {
		t.Errorf("Deployment(...).Spec.ProgressDeadlineSeconds: want 600, got %v", d.Spec.ProgressDeadlineSeconds)
	}
	wantStrategy := appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
		MaxUnavailable: new(intstr.FromInt32(0)), MaxSurge: new(intstr.FromString("25%")),
	}}
	if diff := cmp.Diff(wantStrategy, d.Spec.Strategy); diff != "" {
		t.Errorf("Deployment(...).Spec.Strategy: -want, +got:\n%s", diff)
	}
	if got := d.Spec.Template.Annotations[AnnotationDefaultContainer]; got != "agent" {
		t.Errorf("Deployment(...): annotation %s: want agent, got %q", AnnotationDefaultContainer, got)
	}
}

// TestSelectorNeverChanges edits every spec field a user might edit and
// checks that the Deployment's selector, which is immutable, stays the same.
func TestSelectorNeverChanges(t *testing.T) {
	base := Deployment(workload(t, agentYAML("agent", "{model: gpt-4o, secrets: {apiKeySecret: k}}"), nil)).Spec.Selector
	edits := map[string]string{
		"Model":       "{model: claude-3-opus, secrets: {apiKeySecret: k}}",
		"Replicas":    "{model: gpt-4o, replicas: 7, secrets: {apiKeySecret: k}}",
		"Config":      "{model: gpt-4o, config: {maxTokens: 10, temperature: 0, systemPrompt: hi}, secrets: {apiKeySecret: k}}",
		"Image":       "{model: gpt-4o, image: 'r.example.com/a:v2', secrets: {apiKeySecret: k}}",
		"Resources":   "{model: gpt-4o, resources: {requests: {cpu: 1}, limits: {cpu: 2}}, secrets: {apiKeySecret: k}}",
		"Autoscaling": "{model: gpt-4o, autoscaling: {enabled: true, minReplicas: 2}, secrets: {apiKeySecret: k}}",
		"Vault":       "{model: gpt-4o, secrets: {vault: {enabled: true, role: r, secretPath: s}}}",
	}
	for name, spec := range edits {
		t.Run(name, func(t *testing.T) {
			w := workload(t, agentYAML("agent", spec), &v1beta1.Input{Images: &v1beta1.Images{Allowed: []string{"r.example.com/"}}})
			if diff := cmp.Diff(base, Deployment(w).Spec.Selector); diff != "" {
				t.Errorf("Deployment(...).Spec.Selector after a %s edit: -want, +got:\n%s", name, diff)
			}
			for _, other := range []*metav1.LabelSelector{
				{MatchLabels: Service(w).Spec.Selector},
				PodDisruptionBudget(w).Spec.Selector,
				&NetworkPolicy(w).Spec.PodSelector,
				&ServiceMonitor(w).Spec.Selector,
			} {
				if diff := cmp.Diff(base, other); diff != "" {
					t.Errorf("a selector of the agent's pods after a %s edit: -want, +got:\n%s", name, diff)
				}
			}
		})
	}
}

func TestPodSpec(t *testing.T) {
	w := workload(t, example(t, "production-claude-agent.yaml"), nil)
	p := Deployment(w).Spec.Template.Spec
	if p.ServiceAccountName != "production-claude-agent" {
		t.Errorf("ServiceAccountName: want production-claude-agent, got %q", p.ServiceAccountName)
	}
	if p.AutomountServiceAccountToken == nil || *p.AutomountServiceAccountToken {
		t.Errorf("AutomountServiceAccountToken: want false without Vault, got %v", p.AutomountServiceAccountToken)
	}
	wantVolumes := []corev1.Volume{
		{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: new(resource.MustParse("1Gi"))}}},
		{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "production-claude-agent-config"}}}},
	}
	if diff := cmp.Diff(wantVolumes, p.Volumes, quantityEqual); diff != "" {
		t.Errorf("Volumes: -want, +got:\n%s", diff)
	}
	if len(p.Containers) != 1 {
		t.Fatalf("Containers: want 1, got %d", len(p.Containers))
	}
	c := p.Containers[0]
	if c.Name != "agent" {
		t.Errorf("container name: want agent, got %q", c.Name)
	}
	if c.Image != "ghcr.io/agentops-io/agent-runtime:v0.1.0" {
		t.Errorf("container image: want the catalog's anthropic runtime, got %q", c.Image)
	}
	if diff := cmp.Diff([]corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}}, c.Ports); diff != "" {
		t.Errorf("container ports: -want, +got:\n%s", diff)
	}
	wantResources := corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("1Gi"), corev1.ResourceEphemeralStorage: resource.MustParse("384Mi")},
		Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourceMemory: resource.MustParse("4Gi"), corev1.ResourceEphemeralStorage: resource.MustParse("1152Mi")},
	}
	if diff := cmp.Diff(wantResources, c.Resources, quantityEqual); diff != "" {
		t.Errorf("container resources: -want, +got:\n%s", diff)
	}
	for name, pr := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if pr == nil || pr.HTTPGet == nil || pr.HTTPGet.Port != intstr.FromString("http") || pr.HTTPGet.Path == "" {
			t.Errorf("%s probe: want an HTTP GET on port http, got %+v", name, pr)
		}
	}
	if c.ReadinessProbe.HTTPGet.Path == c.LivenessProbe.HTTPGet.Path {
		t.Errorf("readiness and liveness probes share %s: a slow model API must not restart the agent", c.LivenessProbe.HTTPGet.Path)
	}
	wantMounts := []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}, {Name: "config", MountPath: "/etc/agentops/config", ReadOnly: true}}
	if diff := cmp.Diff(wantMounts, c.VolumeMounts); diff != "" {
		t.Errorf("container volume mounts: -want, +got:\n%s", diff)
	}
}

// TestPodSecurityRestricted checks the fields Pod Security Standards'
// restricted profile requires, for every example.
func TestPodSecurityRestricted(t *testing.T) {
	for _, f := range []string{"production-claude-agent.yaml", "minimal.yaml", "autoscaling-off.yaml", "vault.yaml", "self-hosted-llama.yaml"} {
		t.Run(f, func(t *testing.T) {
			p := Deployment(workload(t, example(t, f), nil)).Spec.Template.Spec
			psc := p.SecurityContext
			if psc == nil || !ptr.Deref(psc.RunAsNonRoot, false) {
				t.Errorf("pod securityContext.runAsNonRoot: want true, got %+v", psc)
			}
			if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
				t.Errorf("pod securityContext.seccompProfile: want RuntimeDefault, got %+v", psc)
			}
			if psc != nil && ptr.Deref(psc.RunAsUser, 0) == 0 {
				t.Errorf("pod securityContext.runAsUser: want a non-root UID, got %v", psc.RunAsUser)
			}
			for _, c := range p.Containers {
				sc := c.SecurityContext
				if sc == nil {
					t.Fatalf("container %s: no securityContext", c.Name)
				}
				if !ptr.Deref(sc.RunAsNonRoot, false) {
					t.Errorf("container %s: runAsNonRoot: want true", c.Name)
				}
				// The Vault Agent Injector reads container 0's user, not the pod's.
				if ptr.Deref(sc.RunAsUser, 0) == 0 || ptr.Deref(sc.RunAsGroup, 0) == 0 {
					t.Errorf("container %s: runAsUser, runAsGroup: want a non-root ID, got %v, %v", c.Name, sc.RunAsUser, sc.RunAsGroup)
				}
				if ptr.Deref(sc.AllowPrivilegeEscalation, true) {
					t.Errorf("container %s: allowPrivilegeEscalation: want false", c.Name)
				}
				if ptr.Deref(sc.Privileged, false) {
					t.Errorf("container %s: privileged: want false", c.Name)
				}
				if !ptr.Deref(sc.ReadOnlyRootFilesystem, false) {
					t.Errorf("container %s: readOnlyRootFilesystem: want true", c.Name)
				}
				if sc.Capabilities == nil || !cmp.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0 {
					t.Errorf("container %s: capabilities: want drop ALL and add none, got %+v", c.Name, sc.Capabilities)
				}
			}
			for _, v := range p.Volumes {
				if v.HostPath != nil {
					t.Errorf("volume %s: hostPath volumes are not allowed", v.Name)
				}
			}
		})
	}
}

func TestImage(t *testing.T) {
	cases := map[string]struct {
		reason string
		spec   string
		input  *v1beta1.Input
		want   string
	}{
		"Catalog": {
			reason: "Without an override the catalog's image serves the model.",
			spec:   "{model: gpt-4o, secrets: {apiKeySecret: k}}",
			want:   "ghcr.io/agentops-io/agent-runtime:v0.1.0",
		},
		"Platform": {
			reason: "The platform's input overrides the catalog.",
			spec:   "{model: gpt-4o, secrets: {apiKeySecret: k}}",
			input:  &v1beta1.Input{Models: []v1beta1.ModelOverride{{Name: "gpt-4o", Image: "mirror.example.com/openai:v1.4.0"}}},
			want:   "mirror.example.com/openai:v1.4.0",
		},
		"Spec": {
			reason: "spec.image overrides both.",
			spec:   "{model: gpt-4o, image: 'registry.example.com/team/agent:v9', secrets: {apiKeySecret: k}}",
			input: &v1beta1.Input{
				Models: []v1beta1.ModelOverride{{Name: "gpt-4o", Image: "mirror.example.com/openai:v1.4.0"}},
				Images: &v1beta1.Images{Allowed: []string{"registry.example.com/team/"}},
			},
			want: "registry.example.com/team/agent:v9",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Deployment(workload(t, agentYAML("agent", tc.spec), tc.input)).Spec.Template.Spec.Containers[0].Image
			if got != tc.want {
				t.Errorf("%s\nDeployment(...): image: want %q, got %q", tc.reason, tc.want, got)
			}
		})
	}
}

func TestEnv(t *testing.T) {
	configRef := func(name, key string) corev1.EnvVar {
		return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: "agent-config"}, Key: key,
		}}}
	}
	common := func(model, provider, window, endpoint string) []corev1.EnvVar {
		return []corev1.EnvVar{
			{Name: "MODEL_NAME", Value: model},
			{Name: "MODEL_PROVIDER", Value: provider},
			{Name: "MODEL_CONTEXT_WINDOW", Value: window},
			{Name: "API_ENDPOINT", Value: endpoint},
			configRef("MAX_TOKENS", "maxTokens"),
			configRef("TEMPERATURE", "temperature"),
			{Name: "SYSTEM_PROMPT_FILE", Value: "/etc/agentops/config/systemPrompt"},
			{Name: "PORT", Value: "8080"},
		}
	}
	cases := map[string]struct {
		reason string
		spec   string
		want   []corev1.EnvVar
	}{
		"APIKeySecret": {
			reason: "The API key comes from the named Secret's key, by reference only.",
			spec:   "{model: claude-3-opus, secrets: {apiKeySecret: anthropic, apiKeyKey: token}}",
			want: append(common("claude-3-opus", "anthropic", "200000", "https://api.anthropic.com/v1"), corev1.EnvVar{
				Name: "API_KEY", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "anthropic"}, Key: "token"}},
			}),
		},
		"Vault": {
			reason: "With Vault the key is a file the injector writes, not an environment variable.",
			spec:   "{model: gemini-2.5-pro, secrets: {vault: {enabled: true, role: agents, secretPath: secret/data/agents/gemini}}}",
			want:   append(common("gemini-2.5-pro", "google", "1048576", "https://generativelanguage.googleapis.com/v1beta"), corev1.EnvVar{Name: "API_KEY_FILE", Value: "/vault/secrets/api-key"}),
		},
		"SelfHosted": {
			reason: "A self-hosted model without a key gets no API key variable.",
			spec:   "{model: llama-2-70b}",
			want:   common("llama-2-70b", "self-hosted", "4096", "http://llama-2-70b.llm-serving.svc.cluster.local:8000/v1"),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Deployment(workload(t, agentYAML("agent", tc.spec), nil)).Spec.Template.Spec.Containers[0].Env
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nDeployment(...): env: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestVault(t *testing.T) {
	w := workload(t, example(t, "vault.yaml"), nil)
	p := Deployment(w).Spec.Template
	want := map[string]string{
		AnnotationConfigChecksum:                          w.ConfigChecksum,
		AnnotationDefaultContainer:                        "agent",
		"vault.hashicorp.com/agent-inject":                "true",
		"vault.hashicorp.com/role":                        "agents",
		"vault.hashicorp.com/agent-inject-secret-api-key": "secret/data/agents/gemini",
		"vault.hashicorp.com/agent-inject-template-api-key": `{{- with secret "secret/data/agents/gemini" -}}` +
			`{{ index .Data.data "api-key" }}{{- end -}}`,
		"vault.hashicorp.com/agent-run-as-same-user":                  "true",
		"vault.hashicorp.com/agent-inject-containers":                 "agent",
		"vault.hashicorp.com/agent-service-account-token-volume-name": "vault-token",
	}
	if diff := cmp.Diff(want, p.Annotations); diff != "" {
		t.Errorf("Deployment(...): pod annotations: -want, +got:\n%s", diff)
	}
	// Who holds a token: only Vault's agent, through the volume the
	// annotation names, which the injector mounts into its containers; the
	// agent's container never (no automount, no mount of that volume).
	if ptr.Deref(p.Spec.AutomountServiceAccountToken, true) {
		t.Errorf("Deployment(...): with Vault, want automountServiceAccountToken false (the agent container must not see a token), got %v", p.Spec.AutomountServiceAccountToken)
	}
	wantVolume := corev1.Volume{Name: "vault-token", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: []corev1.VolumeProjection{{
		ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: ptr.To[int64](3600)},
	}}}}}
	var gotVolume *corev1.Volume
	for i, v := range p.Spec.Volumes {
		if v.Name == p.Annotations["vault.hashicorp.com/agent-service-account-token-volume-name"] {
			gotVolume = &p.Spec.Volumes[i]
		}
	}
	if diff := cmp.Diff(&wantVolume, gotVolume); diff != "" {
		t.Errorf("Deployment(...): the token volume the injector looks up: -want, +got:\n%s", diff)
	}
	for _, c := range p.Spec.Containers {
		for _, m := range c.VolumeMounts {
			if m.Name == "vault-token" {
				t.Errorf("Deployment(...): container %s mounts the Vault token volume at %s; only the injector's containers may", c.Name, m.MountPath)
			}
		}
	}
	for _, e := range p.Spec.Containers[0].Env {
		if e.Name == "API_KEY" {
			t.Errorf("Deployment(...): with Vault, want no API_KEY variable, got %+v", e)
		}
	}
	for _, f := range []string{"minimal.yaml", "production-claude-agent.yaml"} {
		for k := range Deployment(workload(t, example(t, f), nil)).Spec.Template.Annotations {
			if k != AnnotationConfigChecksum && k != AnnotationDefaultContainer {
				t.Errorf("Deployment(%s): want no Vault annotations without Vault, got %s", f, k)
			}
		}
	}
}

// TestConfigChecksum checks that a config edit, and only a config edit,
// changes the pod template's checksum, so rolling the pods.
func TestConfigChecksum(t *testing.T) {
	sum := func(spec string) string {
		return Deployment(workload(t, agentYAML("agent", spec), nil)).Spec.Template.Annotations[AnnotationConfigChecksum]
	}
	base := sum("{model: gpt-4o, config: {maxTokens: 100, temperature: 0.5, systemPrompt: Be brief.}, secrets: {apiKeySecret: k}}")
	if len(base) != 64 {
		t.Fatalf("checksum: want a sha256 in hex, got %q", base)
	}
	cases := map[string]struct {
		reason  string
		spec    string
		changes bool
	}{
		"Same": {
			reason: "The same config gives the same checksum.",
			spec:   "{model: gpt-4o, config: {maxTokens: 100, temperature: 0.5, systemPrompt: Be brief.}, secrets: {apiKeySecret: k}}",
		},
		"Replicas": {
			reason: "A replica count change is not a config change.",
			spec:   "{model: gpt-4o, replicas: 4, config: {maxTokens: 100, temperature: 0.5, systemPrompt: Be brief.}, secrets: {apiKeySecret: k}}",
		},
		"Resources": {
			reason: "A resources change rolls the pods by itself; the checksum stays.",
			spec:   "{model: gpt-4o, resources: {limits: {memory: 2Gi}}, config: {maxTokens: 100, temperature: 0.5, systemPrompt: Be brief.}, secrets: {apiKeySecret: k}}",
		},
		"MaxTokens": {
			reason: "maxTokens is config.",
			spec:   "{model: gpt-4o, config: {maxTokens: 101, temperature: 0.5, systemPrompt: Be brief.}, secrets: {apiKeySecret: k}}", changes: true,
		},
		"Temperature": {
			reason: "temperature is config.",
			spec:   "{model: gpt-4o, config: {maxTokens: 100, temperature: 0.6, systemPrompt: Be brief.}, secrets: {apiKeySecret: k}}", changes: true,
		},
		"SystemPrompt": {
			reason: "systemPrompt is config.",
			spec:   "{model: gpt-4o, config: {maxTokens: 100, temperature: 0.5, systemPrompt: Be briefer.}, secrets: {apiKeySecret: k}}", changes: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := sum(tc.spec) != base; got != tc.changes {
				t.Errorf("%s\nchecksum changed: want %t, got %t", tc.reason, tc.changes, got)
			}
		})
	}
}

func TestChecksumNoAmbiguity(t *testing.T) {
	// Without length prefixes these two would hash the same bytes.
	a := checksum(map[string]string{"a": "bc", "d": ""})
	b := checksum(map[string]string{"a": "b", "cd": ""})
	if a == b {
		t.Errorf("checksum: two different maps hash alike: %s", a)
	}
}
