//go:build render

package rendertest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentops-io/agentops/test/render/internal/render"
	"github.com/agentops-io/agentops/test/render/internal/schemas"
)

// pkgGroup is the API group of Crossplane's package objects: Configuration,
// Function, DeploymentRuntimeConfig, ImageConfig.
const pkgGroup = "pkg.crossplane.io"

// TestInstallManifests validates, with `crossplane resource validate`, every
// Crossplane package object the repository gives users to apply (deploy/,
// examples/) against the CRDs of the Crossplane release the e2e tests run
// (tools/crossplane-core), the signature-verification ImageConfig among
// them. Broken copies of that ImageConfig prove the schema is applied.
func TestInstallManifests(t *testing.T) {
	src, crds, err := schemas.CrossplaneCRDs(context.Background(), env.root)
	if err != nil {
		t.Fatal(err)
	}
	objs := packageObjects(t)
	for i, r := range validate(t, []string{crds}, objs).Resources {
		if r.Status != schemas.StatusValid {
			t.Errorf("%s: %s against the CRDs of %s %s: %v", objs[i].from, r.Status, src.Module, src.Version, r.Errors)
		}
	}

	base := findObject(t, objs, "ImageConfig", "agentops-signed-releases")
	authority := []any{"spec", "verification", "cosign", "authorities", 0}
	cases := map[string]struct {
		reason string
		break_ func(o render.Object)
		field  string
	}{
		"ProviderUnknown": {
			reason: "Cosign is the only verification provider.",
			break_: func(o render.Object) { set(o, "Notation", "spec", "verification", "provider") },
			field:  "spec.verification.provider",
		},
		"IdentityFieldMisspelt": {
			reason: "An identity has subject or subjectRegExp, not subjectRegex: a typo must not pass silently.",
			break_: func(o render.Object) {
				set(o, "^https://github.com/", append(authority, "keyless", "identities", 0, "subjectRegex")...)
			},
			field: "spec.verification.cosign.authorities[0].keyless.identities[0].subjectRegex",
		},
		"AuthorityUnnamed": {
			reason: "Every authority has a name.",
			break_: func(o render.Object) { del(o, append(authority, "name")...) },
			field:  "spec.verification.cosign.authorities[0].name",
		},
		"MatchTypeUnknown": {
			reason: "Images are matched by Prefix only.",
			break_: func(o render.Object) { set(o, "Regex", "spec", "matchImages", 0, "type") },
			field:  "spec.matchImages[0].type",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			o := deepCopy(base.obj)
			tc.break_(o)
			report := validate(t, []string{crds}, []labelled{{from: name, obj: o}})
			r := report.Resources[0]
			if r.Status != schemas.StatusInvalid || !hasField(r.Errors, tc.field) {
				t.Errorf("%s\nwant %s reported invalid, got %s: %v", tc.reason, tc.field, r.Status, r.Errors)
			}
		})
	}
}

// packageObjects are the pkg.crossplane.io objects of deploy/ and examples/.
func packageObjects(t *testing.T) []labelled {
	t.Helper()
	var files []string
	for _, pattern := range []string{"deploy/*.yaml", "deploy/*/*.yaml", "examples/*.yaml", "examples/*/*.yaml"} {
		m, err := filepath.Glob(filepath.Join(env.root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	var out []labelled
	for _, f := range files {
		objs, err := render.ReadObjects(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(env.root, f)
		for _, o := range objs {
			if strings.HasPrefix(render.GetString(o, "apiVersion"), pkgGroup+"/") {
				out = append(out, labelled{from: rel + " " + render.GetString(o, "kind"), obj: o})
			}
		}
	}
	return out
}

func findObject(t *testing.T, objs []labelled, kind, name string) labelled {
	t.Helper()
	for _, l := range objs {
		if render.GetString(l.obj, "kind") == kind && render.GetString(l.obj, "metadata", "name") == name {
			return l
		}
	}
	t.Fatalf("no %s %s among %d package objects", kind, name, len(objs))
	return labelled{}
}
