//go:build render

package rendertest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/agentops-io/agentops/test/render/internal/render"
	"github.com/agentops-io/agentops/test/render/internal/schemas"
)

// Groups whose schemas are not Kubernetes' own.
const (
	monitoringGroup = "monitoring.coreos.com"
	objectGroup     = "kubernetes.m.crossplane.io"
	kedaGroup       = "keda.sh"
	// kedaCRD is KEDA's ScaledObject CRD, from the pinned release.
	kedaCRD = "test/fixtures/crds/keda.sh_scaledobjects.yaml"
)

// A labelled object: where it came from, for the failure messages.
type labelled struct {
	from string
	obj  render.Object
}

// TestSchemas validates, with `crossplane resource validate` (CLI v2),
// every example and fixture XR against its XRD (the legacy claim against
// the claim CRD the legacy XRD defines), and every XR and composed resource
// of every golden render (TestGolden proves they are the renders) against
// its schema: the XRD, the Kubernetes OpenAPI schema, or the Prometheus
// Operator CRD.
func TestSchemas(t *testing.T) {
	families := map[string]*struct {
		xrds []string
		objs []labelled
	}{
		render.Kind:       {xrds: []string{"apis/definition.yaml"}},
		render.LegacyKind: {xrds: []string{"apis/legacy/definition.yaml"}},
		// The platform example's parent renders compose AgentDeployments.
		render.PlatformKind: {xrds: []string{render.PlatformXRD, "apis/definition.yaml"}},
	}
	add := func(family string, l labelled) {
		f, ok := families[family]
		if !ok {
			t.Fatalf("%s: no XRD for %s", l.from, family)
		}
		f.objs = append(f.objs, l)
	}
	for _, l := range inputs(t) {
		family := render.GetString(l.obj, "kind")
		if strings.Contains(l.from, "/legacy/") { // A claim: the legacy XRD's.
			family = render.LegacyKind
		}
		add(family, l)
	}
	for family, objs := range goldenObjects(t) {
		for _, l := range objs {
			add(family, l)
		}
	}

	dir := schemaDir(t)
	for _, family := range sortedNames(families) {
		f := families[family]
		t.Run(family, func(t *testing.T) {
			extensions := make([]string, 0, 1+len(f.xrds))
			extensions = append(extensions, dir)
			for _, x := range f.xrds {
				extensions = append(extensions, filepath.Join(env.root, x))
			}
			report := validate(t, extensions, f.objs)
			for i, r := range report.Resources {
				if r.Status != schemas.StatusValid {
					t.Errorf("%s %s/%s (%s): %s %v", f.objs[i].from, r.Kind, r.Name, r.APIVersion, r.Status, r.Errors)
				}
			}
			t.Logf("%d objects valid against %s, the Kubernetes %s OpenAPI schemas and the %s and %s CRDs", report.Summary.Valid, strings.Join(f.xrds, ", "), kubeSource.Version, monitoringGroup, kedaGroup)
		})
	}
}

// inputs are the examples and the fixtures' XRs.
func inputs(t *testing.T) []labelled {
	t.Helper()
	var out []labelled
	for _, pattern := range []string{"examples/*.yaml", "examples/legacy/*.yaml", "test/fixtures/xr/*.yaml"} {
		files, err := filepath.Glob(filepath.Join(env.root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			obj, err := render.ReadObject(f)
			if err != nil {
				t.Fatal(err)
			}
			if render.GetString(obj, "apiVersion") != render.APIVersion {
				continue // The functions file.
			}
			rel, _ := filepath.Rel(env.root, f)
			out = append(out, labelled{from: rel, obj: obj})
		}
	}
	return out
}

// goldenObjects are the XRs and composed resources of the golden renders,
// by the kind of their XR. The function results are not objects.
func goldenObjects(t *testing.T) map[string][]labelled {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(goldenDir, "*", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden renders in %s: %v", goldenDir, err)
	}
	out := map[string][]labelled{}
	for _, f := range files {
		objs, err := render.ReadObjects(f)
		if err != nil {
			t.Fatal(err)
		}
		family := render.GetString(objs[0], "kind")
		for i, o := range objs {
			if render.GetString(o, "kind") == render.ResultKind {
				continue
			}
			out[family] = append(out[family], labelled{from: fmt.Sprintf("%s#%d", f, i), obj: o})
			// The provider-kubernetes Object's schema takes any manifest:
			// validate what it carries as the object it is.
			if gvkOf(o).Group == objectGroup {
				out[family] = append(out[family], labelled{from: fmt.Sprintf("%s#%d manifest", f, i), obj: manifestOf(t, o)})
			}
		}
	}
	return out
}

// manifestOf is the manifest a provider-kubernetes Object carries.
func manifestOf(t *testing.T, o render.Object) render.Object {
	t.Helper()
	spec, _ := o["spec"].(map[string]any)
	forProvider, _ := spec["forProvider"].(map[string]any)
	manifest, ok := forProvider["manifest"].(map[string]any)
	if !ok {
		t.Fatalf("%s %s has no spec.forProvider.manifest", render.GetString(o, "kind"), render.GetString(o, "metadata", "name"))
	}
	return manifest
}

// validate runs the CLI on objs and checks that it reported on each.
func validate(t *testing.T, extensions []string, objs []labelled) schemas.Report {
	t.Helper()
	var stream bytes.Buffer
	for _, l := range objs {
		b, err := yaml.Marshal(l.obj)
		if err != nil {
			t.Fatal(err)
		}
		stream.WriteString("---\n")
		stream.Write(b)
	}
	report, err := schemas.Validate(context.Background(), env.tools.CLI, extensions, stream.Bytes(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Resources) != len(objs) {
		t.Fatalf("crossplane resource validate reported on %d objects, want %d", len(report.Resources), len(objs))
	}
	for i, r := range report.Resources {
		if r.Kind != render.GetString(objs[i].obj, "kind") || r.Name != render.GetString(objs[i].obj, "metadata", "name") {
			t.Fatalf("report %d is on %s %s, want %s", i, r.Kind, r.Name, objs[i].from)
		}
	}
	return report
}

// The schemas, made once per run.
var schemaState struct {
	once sync.Once
	dir  string
	err  error
}

// kubeSource is where the Kubernetes schemas came from.
var kubeSource schemas.Source

// schemaDir is a folder of CRDs: one per Kubernetes kind the golden
// renders compose, from the OpenAPI v3 schemas of the Kubernetes release
// of the e2e tests, and the Prometheus Operator's, generated from the Go
// types the function is built with.
func schemaDir(t *testing.T) string {
	t.Helper()
	st := &schemaState
	st.once.Do(func() { st.dir, st.err = makeSchemas(t) })
	if st.err != nil {
		t.Fatalf("cannot make the schemas: %v", st.err)
	}
	return st.dir
}

func makeSchemas(t *testing.T) (string, error) {
	t.Helper()
	dir := filepath.Join(env.tmp, "schemas")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	var gvks []schemas.GVK
	seen := map[schemas.GVK]bool{}
	for _, objs := range goldenObjects(t) {
		for _, l := range objs {
			g := gvkOf(l.obj)
			if g.Group != render.Group && g.Group != render.PlatformGroup && g.Group != monitoringGroup && g.Group != objectGroup && g.Group != kedaGroup && !seen[g] {
				seen[g] = true
				gvks = append(gvks, g)
			}
		}
	}
	ctx := context.Background()
	var err error
	if kubeSource, err = schemas.KubernetesCRDs(ctx, env.root, dir, gvks); err != nil {
		return "", err
	}
	if _, err := schemas.MonitoringCRDs(ctx, env.root, env.tools.ControllerGen, dir); err != nil {
		return "", err
	}
	if _, err := schemas.ProviderKubernetesObjectCRD(ctx, env.root, dir); err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(env.root, kedaCRD))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(kedaCRD)), b, 0o600); err != nil {
		return "", err
	}
	return dir, nil
}

func gvkOf(o render.Object) schemas.GVK {
	group, version, ok := strings.Cut(render.GetString(o, "apiVersion"), "/")
	if !ok {
		group, version = "", group
	}
	return schemas.GVK{Group: group, Version: version, Kind: render.GetString(o, "kind")}
}
