//go:build render

package rendertest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/test/render/internal/render"
)

// Where the inputs are, relative to the repository root.
const (
	examplesDir  = "examples"
	legacyDir    = "examples/legacy"
	observedDir  = "test/fixtures/observed"
	scenarioFile = "test/fixtures/observed/scenarios.yaml"
	goldenDir    = "testdata/golden"
	// dependenciesDir is what the first call's ServiceAccount and ConfigMap
	// look like to the second call, which composes the Deployment.
	dependenciesDir = "test/render/testdata/observed/dependencies"
	// remoteDependenciesDir is the same for an example of the remote
	// Composition: the Objects that carry them, delivered.
	remoteDependenciesDir = "test/render/testdata/observed/dependencies-remote"
	// kedaComposition is the Composition of the KEDA engine.
	kedaComposition = "compositions/agentdeployment-keda.yaml"
	invalidDir      = "testdata/invalid"
)

// A goldenCase is one render compared with testdata/golden/<name>.yaml.
type goldenCase struct {
	reason string
	// phase is the status.phase the render must derive.
	phase string
	// input is the XR, or the legacy claim, relative to the root.
	input string
	claim bool
	// observed is the folder of observed composed resources, or "".
	observed string
	// composition replaces the XR's own Composition, if set.
	composition string
	// noCRDs renders for a cluster without the optional kinds' CRDs.
	noCRDs bool
}

// What each scenario shows, and the phase the function must derive from
// it (as fn/status/fixtures_test.go has it, here through the real CLI). A
// scenario of scenarios.yaml missing here fails: add it.
var scenarioWants = map[string]struct{ reason, phase string }{
	"steady":               {"every composed resource observed and ready", "Running"},
	"rolling-out":          {"an edit rolls out: one updated replica of three", "Degraded"},
	"failed":               {"the rollout exceeded its progress deadline", "Failed"},
	"degraded":             {"one of three replicas available", "Degraded"},
	"no-replica-available": {"no replica available for longer than the progress deadline", "Failed"},
	"hpa-metric-missing":   {"the HPA cannot read the requests-per-second metric; the replicas serve", "Running"},
	"deleting":             {"the Deployment is being deleted in the foreground", "Degraded"},
	"scaled-to-zero":       {"spec.replicas is 0 and the Deployment has no pods, as asked", "Running"},
	"legacy-claim":         {"the legacy XAgentDeployment of a claim, every resource observed ready", "Running"},
}

// phaseOnCreate is the phase of every example before anything is observed.
const phaseOnCreate = "Pending"

// goldenCases are every example on create (nothing observed) and on the
// second call (its ServiceAccount and ConfigMap observed), and every
// scenario of test/fixtures/observed/scenarios.yaml with its observed state.
func goldenCases(t *testing.T) map[string]goldenCase {
	t.Helper()
	cases := map[string]goldenCase{}
	for _, dir := range []string{examplesDir, legacyDir} {
		files, err := filepath.Glob(filepath.Join(env.root, dir, "*.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			obj, err := render.ReadObject(f)
			if err != nil {
				t.Fatal(err)
			}
			if render.GetString(obj, "kind") != render.Kind {
				continue // The functions file.
			}
			rel, _ := filepath.Rel(env.root, f)
			name := "examples/" + strings.TrimSuffix(filepath.Base(f), ".yaml")
			claim := dir == legacyDir
			if claim {
				name = "examples/legacy-" + strings.TrimSuffix(filepath.Base(f), ".yaml")
			}
			cases[name] = goldenCase{reason: rel + " on create: nothing observed yet, so no Deployment", phase: phaseOnCreate, input: rel, claim: claim}
			second := "second-call/" + strings.TrimPrefix(name, "examples/")
			dependencies := dependenciesDir
			if render.GetString(obj, "spec", "crossplane", "compositionRef", "name") == "agentdeployments-remote.agentops.io" {
				dependencies = remoteDependenciesDir
			}
			cases[second] = goldenCase{reason: rel + " on the second call: its ServiceAccount and ConfigMap observed, so the Deployment is composed", phase: phaseOnCreate, input: rel, claim: claim, observed: dependencies}
		}
	}
	// The engines and the optional CRDs: the production example composed
	// with the KEDA engine, and for a cluster without the Prometheus
	// Operator's or KEDA's CRDs.
	production := "examples/production-claude-agent.yaml"
	cases["engines/keda"] = goldenCase{reason: "the KEDA engine: a ScaledObject, no HPA", phase: phaseOnCreate, input: production, composition: kedaComposition}
	cases["engines/keda-without-crd"] = goldenCase{reason: "the KEDA engine without KEDA's CRD: no ScaledObject, no HPA, AutoscalingActive CRDNotInstalled", phase: phaseOnCreate, input: production, composition: kedaComposition, noCRDs: true}
	cases["crds/monitoring-not-installed"] = goldenCase{reason: "no Prometheus Operator CRDs: no ServiceMonitor or PrometheusRule, MonitoringAvailable CRDNotInstalled", phase: phaseOnCreate, input: production, noCRDs: true}
	for name, sc := range scenarios(t) {
		want, ok := scenarioWants[name]
		if !ok {
			t.Errorf("scenario %s of %s: add it, with the phase it must derive, to scenarioWants", name, scenarioFile)
			continue
		}
		cases["scenarios/"+name] = goldenCase{reason: want.reason, phase: want.phase, input: sc.XR, observed: filepath.Join(observedDir, name)}
	}
	return cases
}

type scenario struct {
	XR          string `json:"xr"`
	Composition string `json:"composition"`
}

// scenarios reads scenarios.yaml, and checks that every folder of observed
// state is a scenario and that each renders with its own Composition.
func scenarios(t *testing.T) map[string]scenario {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(env.root, scenarioFile))
	if err != nil {
		t.Fatalf("cannot read the observed-state scenarios: %v", err)
	}
	var doc struct {
		Scenarios map[string]scenario `json:"scenarios"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", scenarioFile, err)
	}
	dirs, err := os.ReadDir(filepath.Join(env.root, observedDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, ok := doc.Scenarios[d.Name()]; d.IsDir() && !ok {
			t.Errorf("%s/%s has no entry in %s", observedDir, d.Name(), scenarioFile)
		}
	}
	for name, sc := range doc.Scenarios {
		in, err := render.InputsFor(env.root, sc.XR, false, t.TempDir())
		if err != nil {
			t.Fatalf("scenario %s: %v", name, err)
		}
		if in.Composition != filepath.Join(env.root, sc.Composition) {
			t.Errorf("scenario %s: its XR renders with %s, but %s says %s", name, in.Composition, scenarioFile, sc.Composition)
		}
	}
	return doc.Scenarios
}

// sortedNames are the keys of m in order, so that failures read the same on
// every run.
func sortedNames[T any](m map[string]T) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// request is the render of c: with the XRD's defaults, the function's
// results and the full XR, so the golden shows everything a reviewer needs.
func request(t *testing.T, c goldenCase) render.Request {
	t.Helper()
	in, err := render.InputsFor(env.root, c.input, c.claim, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := render.Request{
		XR: in.XR, Composition: in.Composition, Functions: filepath.Join(env.root, render.Functions),
		Target: env.fn.Addr, XRD: in.XRD, RequiredSchemas: in.RequiredSchemas, IncludeResults: true, IncludeFullXR: true,
	}
	if c.composition != "" {
		r.Composition = filepath.Join(env.root, c.composition)
	}
	if c.noCRDs {
		r.RequiredSchemas = ""
	}
	if c.observed != "" {
		r.Observed = filepath.Join(env.root, c.observed)
	}
	return r
}

// header says, in the golden file, how it was made, without the run's
// temporary paths and port.
func header(c goldenCase, r render.Request) string {
	args := r.Args("crossplane-core")
	for i, a := range args {
		a = strings.ReplaceAll(a, env.fn.Addr, "<function>")
		a = strings.ReplaceAll(a, env.root+string(filepath.Separator), "")
		if a == r.XR && c.claim {
			a = "<XAgentDeployment of " + c.input + ">"
		}
		args[i] = a
	}
	return fmt.Sprintf("# Rendered by `make golden` (test/render); do not edit. The command:\n# crossplane %s\n", strings.Join(args, " "))
}
