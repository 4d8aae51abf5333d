package contract_test

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/runtime/contract"
	"github.com/agentops-io/agentops/runtime/internal/composetest"
)

// TestComposedDeploymentMeetsContract composes agents the way the function
// does and checks that everything their pods are given or asked for is
// something the runtime reads or serves: a variable or path the function
// adds without the runtime knowing it fails here.
func TestComposedDeploymentMeetsContract(t *testing.T) {
	cases := map[string]struct {
		reason string
		spec   string
		// wantEnv must be set on the container, beyond the common ones.
		wantEnv string
	}{
		"APIKeySecret": {
			reason:  "A hosted model with its key in a Secret gets API_KEY from it.",
			spec:    "{model: claude-sonnet-4-5, secrets: {apiKeySecret: anthropic-key}}",
			wantEnv: contract.EnvAPIKey,
		},
		"Vault": {
			reason:  "With Vault the key is a file the injector writes, named by API_KEY_FILE.",
			spec:    "{model: gpt-4o, secrets: {vault: {enabled: true, role: agents, secretPath: secret/data/openai}}}",
			wantEnv: contract.EnvAPIKeyFile,
		},
		"SelfHosted": {
			reason: "A self-hosted model needs no key.",
			spec:   "{model: llama-3.1-8b, autoscaling: {enabled: true}}",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := composetest.Workload(t, composetest.Agent("agent", tc.spec))
			pod := compose.Deployment(w).Spec.Template.Spec
			if len(pod.Containers) != 1 {
				t.Fatalf("%s\nwant one container, got %d", tc.reason, len(pod.Containers))
			}
			c := pod.Containers[0]
			checkEnv(t, c, tc.wantEnv)
			checkPorts(t, c)
			checkProbes(t, c)
			checkMounts(t, c, pod.Volumes)
			checkUser(t, pod, c)
			if got := compose.ServiceMonitor(w).Spec.Endpoints; len(got) != 1 || got[0].Path != contract.PathMetrics || got[0].Port != c.Ports[0].Name {
				t.Errorf("ServiceMonitor endpoints %+v: want %s on port %s", got, contract.PathMetrics, c.Ports[0].Name)
			}
		})
	}
}

func checkEnv(t *testing.T, c corev1.Container, want string) {
	t.Helper()
	names := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		if !slices.Contains(contract.Env, e.Name) {
			t.Errorf("the function sets %s, which the runtime does not read (runtime/contract.Env)", e.Name)
		}
		names[e.Name] = e
	}
	for _, n := range []string{contract.EnvPort, contract.EnvModelName, contract.EnvModelProvider, contract.EnvAPIEndpoint,
		contract.EnvMaxTokens, contract.EnvTemperature, contract.EnvSystemPromptFile, contract.EnvModelContextWindow} {
		if _, ok := names[n]; !ok {
			t.Errorf("the function does not set %s, which the contract says it composes", n)
		}
	}
	if want != "" {
		if _, ok := names[want]; !ok {
			t.Errorf("the function does not set %s", want)
		}
	}
	if got := names[contract.EnvPort].Value; got != strconv.Itoa(contract.Port) {
		t.Errorf("PORT=%q: the runtime serves on %d", got, contract.Port)
	}
	// Files named by the environment must lie under a directory the
	// runtime expects them in.
	for _, m := range contract.Mounts {
		if e, ok := names[m.FileEnv]; ok && m.FileEnv != "" && path.Dir(e.Value) != m.Dir {
			t.Errorf("%s=%q is not under %s", m.FileEnv, e.Value, m.Dir)
		}
	}
}

func checkPorts(t *testing.T, c corev1.Container) {
	t.Helper()
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != contract.Port {
		t.Errorf("container ports %+v: the runtime serves on %d only", c.Ports, contract.Port)
	}
}

func checkProbes(t *testing.T, c corev1.Container) {
	t.Helper()
	for what, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || p.HTTPGet == nil {
			t.Errorf("%s probe: want an HTTP GET", what)
			continue
		}
		if !slices.Contains(contract.Paths, p.HTTPGet.Path) {
			t.Errorf("%s probe path %s: the runtime serves %v", what, p.HTTPGet.Path, contract.Paths)
		}
		if p.HTTPGet.Port.String() != c.Ports[0].Name {
			t.Errorf("%s probe port %s: want the port %s", what, p.HTTPGet.Port.String(), c.Ports[0].Name)
		}
	}
	if c.ReadinessProbe.HTTPGet.Path != contract.PathReadyz || c.LivenessProbe.HTTPGet.Path != contract.PathHealthz {
		t.Errorf("probes: readiness must ask %s, liveness %s", contract.PathReadyz, contract.PathHealthz)
	}
}

func checkMounts(t *testing.T, c corev1.Container, volumes []corev1.Volume) {
	t.Helper()
	for _, vm := range c.VolumeMounts {
		i := slices.IndexFunc(contract.Mounts, func(m contract.Mount) bool { return m.Dir == vm.MountPath })
		if i < 0 {
			t.Errorf("the function mounts %s, which the runtime does not use (runtime/contract.Mounts)", vm.MountPath)
			continue
		}
		if m := contract.Mounts[i]; m.Writable == vm.ReadOnly {
			t.Errorf("mount %s: read-only %t, the runtime needs writable %t", vm.MountPath, vm.ReadOnly, m.Writable)
		}
		if vm.MountPath == contract.WritableDir {
			v := volumes[slices.IndexFunc(volumes, func(v corev1.Volume) bool { return v.Name == vm.Name })]
			if v.EmptyDir == nil {
				t.Errorf("%s: want an emptyDir, got %+v", contract.WritableDir, v.VolumeSource)
			}
		}
	}
	if !slices.ContainsFunc(c.VolumeMounts, func(vm corev1.VolumeMount) bool { return vm.MountPath == contract.WritableDir }) {
		t.Errorf("no writable %s: the root filesystem is read-only", contract.WritableDir)
	}
}

func checkUser(t *testing.T, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsUser == nil || *psc.RunAsUser != contract.UID || psc.RunAsGroup == nil || *psc.RunAsGroup != contract.GID {
		t.Errorf("pod securityContext %+v: want user and group %d:%d, the image's", psc, contract.UID, contract.GID)
	}
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("container securityContext: want a read-only root filesystem")
	}
}

// TestContractDocumented checks that docs/agent-contract.md names every
// variable and path the runtime reads or serves.
func TestContractDocumented(t *testing.T) {
	doc := readDoc(t)
	for _, e := range contract.Env {
		if !strings.Contains(doc, "`"+e+"`") {
			t.Errorf("docs/agent-contract.md does not mention %s", e)
		}
	}
	for _, p := range contract.Paths {
		if !strings.Contains(doc, " "+p+"`") {
			t.Errorf("docs/agent-contract.md does not mention %s", p)
		}
	}
	for _, m := range contract.Mounts {
		if !strings.Contains(doc, "`"+m.Dir+"`") {
			t.Errorf("docs/agent-contract.md does not mention %s", m.Dir)
		}
	}
}
