package verify

import (
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg"

	"github.com/agentops-io/agentops/test/xpkg/internal/testbin"
	"github.com/agentops-io/agentops/tools/runtime-image/runtimeimage"
)

const annotations = `
  annotations:
    meta.crossplane.io/maintainer: AgentOps <maintainers@agentops.io>
    meta.crossplane.io/source: https://github.com/agentops-io/agentops
    meta.crossplane.io/license: Apache-2.0
    meta.crossplane.io/description: test package
    meta.crossplane.io/readme: test package
    meta.crossplane.io/iconURI: data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=`

const functionMeta = `apiVersion: meta.pkg.crossplane.io/v1
kind: Function
metadata:
  name: function-agentops` + annotations + `
spec:
  crossplane:
    version: ">=v1.20.0"
  capabilities: [composition]
`

// uncapableFunctionMeta declares no capabilities.
const uncapableFunctionMeta = `apiVersion: meta.pkg.crossplane.io/v1
kind: Function
metadata:
  name: function-agentops` + annotations + `
spec:
  crossplane:
    version: ">=v1.20.0"
`

const bareFunctionMeta = `apiVersion: meta.pkg.crossplane.io/v1
kind: Function
metadata:
  name: function-agentops
`

const inputCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: inputs.agentops.fn.crossplane.io
spec:
  group: agentops.fn.crossplane.io
  names:
    kind: Input
    listKind: InputList
    plural: inputs
    singular: input
  scope: Namespaced
  versions:
  - name: v1beta1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
`

const clusterRole = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: agentops
rules: []
`

// configurationMeta depends on the Function at pkg with version constraint v.
func configurationMeta(pkg, v string) string {
	return `apiVersion: meta.pkg.crossplane.io/v1
kind: Configuration
metadata:
  name: configuration-agentops` + annotations + `
spec:
  dependsOn:
  - apiVersion: pkg.crossplane.io/v1
    kind: Function
    package: ` + pkg + `
    version: "` + v + `"
`
}

// constrainedConfigurationMeta is configurationMeta admitting the
// Crossplane versions xp ("" for any).
func constrainedConfigurationMeta(xp string) string {
	m := configurationMeta(fnPkg, ">=v0.1.0")
	if xp == "" {
		return m
	}
	return strings.Replace(m, "spec:\n", "spec:\n  crossplane:\n    version: \""+xp+"\"\n", 1)
}

// xrd is an XRD of apiVersion (apiextensions.crossplane.io/v1 or v2) with
// extra lines under spec (scope) and under its one version (subresources).
func xrd(apiVersion, specExtra, versionExtra string) string {
	return `apiVersion: ` + apiVersion + `
kind: CompositeResourceDefinition
metadata:
  name: agentdeployments.agentops.io
spec:
  group: agentops.io
  names:
    kind: AgentDeployment
    plural: agentdeployments
` + specExtra + `  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
` + versionExtra
}

const (
	scaleSubresource = `    subresources:
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
`
	legacyScope = "  scope: LegacyCluster\n"
)

// composition calls the function named fn.
func composition(fn string) string {
	return `apiVersion: apiextensions.crossplane.io/v1
kind: Composition
metadata:
  name: agentdeployments
spec:
  compositeTypeRef:
    apiVersion: agentops.io/v1alpha1
    kind: AgentDeployment
  mode: Pipeline
  pipeline:
  - step: compose
    functionRef:
      name: ` + fn + `
`
}

func stream(docs ...string) string {
	return strings.Join(docs, "---\n")
}

// runtimeOf is a runtime image of bin whose config says arch.
func runtimeOf(t *testing.T, arch string, bin []byte) v1.Image {
	t.Helper()
	img, err := runtimeimage.Build(bin, runtimeimage.Options{Arch: arch, Created: time.Unix(1700000000, 0)})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// withPackage appends a package layer the way crossplane xpkg build does
// (crossplane-runtime's xpkg.Layer and a config label) without linting, so
// tests can build the broken packages the CLI would refuse.
func withPackage(t *testing.T, base v1.Image, s string) v1.Image {
	t.Helper()
	cf, err := base.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg := *cf.Config.DeepCopy()
	if cfg.Labels == nil {
		cfg.Labels = map[string]string{}
	}
	l, err := xpkg.Layer(strings.NewReader(s), xpkg.StreamFile, xpkg.PackageAnnotation, int64(len(s)), xpkg.StreamFileMode, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(base, l)
	if err != nil {
		t.Fatal(err)
	}
	img, err = mutate.Config(img, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// function is a Function package for arch with a static binary of binArch.
func function(t *testing.T, arch, binArch string) v1.Image {
	t.Helper()
	return withPackage(t, runtimeOf(t, arch, testbin.Static(t, binArch)), stream(functionMeta, inputCRD))
}

// withUser replaces the runtime's user.
func withUser(t *testing.T, img v1.Image, user string) v1.Image {
	t.Helper()
	return withConfig(t, img, func(c *v1.Config) { c.User = user })
}

func withConfig(t *testing.T, img v1.Image, edit func(*v1.Config)) v1.Image {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg := *cf.Config.DeepCopy()
	edit(&cfg)
	img, err = mutate.Config(img, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func configuration(t *testing.T, s string) v1.Image {
	t.Helper()
	return withPackage(t, empty.Image, s)
}

// annotated is img as xpkg push sends it: labels turned into layer
// annotations by crossplane-runtime's AnnotateLayers.
func annotated(t *testing.T, img v1.Image) v1.Image {
	t.Helper()
	out, err := xpkg.AnnotateLayers(img)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
