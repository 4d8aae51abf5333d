package verify

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/agentops-io/agentops/test/xpkg/internal/testbin"
)

const fnPkg = "ghcr.io/agentops-io/function-agentops"

func TestFunctionPackage(t *testing.T) {
	type args struct {
		img  func(t *testing.T) v1.Image
		want Want
	}
	cases := map[string]struct {
		reason string
		args   args
		want   []error
	}{
		"ValidAmd64": {
			reason: "A static amd64 binary run as 65532 under a Function meta and its CRD is a good package.",
			args:   args{img: func(t *testing.T) v1.Image { return function(t, "amd64", "amd64") }, want: Want{Function, "amd64"}},
		},
		"ValidArm64": {
			reason: "The same holds for arm64.",
			args:   args{img: func(t *testing.T) v1.Image { return function(t, "arm64", "arm64") }, want: Want{Function, "arm64"}},
		},
		"AsPushed": {
			reason: "Marks xpkg push turned into layer annotations are read like the labels xpkg build writes.",
			args: args{img: func(t *testing.T) v1.Image {
				img := annotated(t, function(t, "amd64", "amd64"))
				return withConfig(t, img, func(c *v1.Config) { c.Labels = nil })
			}, want: Want{Function, "amd64"}},
		},
		"NoPackageLayer": {
			reason: "A runtime image without a marked package layer is no package.",
			args: args{img: func(t *testing.T) v1.Image {
				return runtimeOf(t, "amd64", testbin.Static(t, "amd64"))
			}, want: Want{Function, "amd64"}},
			want: []error{ErrBaseLayer},
		},
		"TwoPackageLayers": {
			reason: "Crossplane reads only the first marked layer, so a second one must be refused.",
			args: args{img: func(t *testing.T) v1.Image {
				return withPackage(t, function(t, "amd64", "amd64"), stream(functionMeta, inputCRD))
			}, want: Want{Function, "amd64"}},
			want: []error{ErrBaseLayer},
		},
		"ConfigurationMeta": {
			reason: "A Configuration meta is not a Function, even with a runtime under it.",
			args: args{img: func(t *testing.T) v1.Image {
				return withPackage(t, runtimeOf(t, "amd64", testbin.Static(t, "amd64")), configurationMeta(fnPkg, ">=v0.1.0"))
			}, want: Want{Function, "amd64"}},
			want: []error{ErrKind},
		},
		"CompositionInFunction": {
			reason: "Crossplane's Function linter admits only CRDs beside the meta.",
			args: args{img: func(t *testing.T) v1.Image {
				return withPackage(t, runtimeOf(t, "amd64", testbin.Static(t, "amd64")), stream(functionMeta, composition("x")))
			}, want: Want{Function, "amd64"}},
			want: []error{ErrLint},
		},
		"UnknownKind": {
			reason: "An object Crossplane's package schemes cannot decode, such as RBAC, fails to parse.",
			args: args{img: func(t *testing.T) v1.Image {
				return withPackage(t, runtimeOf(t, "amd64", testbin.Static(t, "amd64")), stream(functionMeta, clusterRole))
			}, want: Want{Function, "amd64"}},
			want: []error{ErrParse},
		},
		"NoAnnotations": {
			reason: "Each of the six meta annotations a registry shows is required, and the composition capability.",
			args: args{img: func(t *testing.T) v1.Image {
				return withPackage(t, runtimeOf(t, "amd64", testbin.Static(t, "amd64")), bareFunctionMeta)
			}, want: Want{Function, "amd64"}},
			want: []error{ErrMetadata, ErrMetadata, ErrMetadata, ErrMetadata, ErrMetadata, ErrMetadata, ErrMetadata},
		},
		"NoCapabilities": {
			reason: "A Function says it composes: spec.capabilities lists composition.",
			args: args{img: func(t *testing.T) v1.Image {
				return withPackage(t, runtimeOf(t, "amd64", testbin.Static(t, "amd64")), stream(uncapableFunctionMeta, inputCRD))
			}, want: Want{Function, "amd64"}},
			want: []error{ErrMetadata},
		},
		"PlatformMismatch": {
			reason: "An image whose config says arm64 is not the amd64 package, whatever its binary.",
			args:   args{img: func(t *testing.T) v1.Image { return function(t, "arm64", "amd64") }, want: Want{Function, "amd64"}},
			want:   []error{ErrPlatform},
		},
		"BinaryArchMismatch": {
			reason: "An amd64 binary under an arm64 config would fail with exec format error on arm64 nodes.",
			args:   args{img: func(t *testing.T) v1.Image { return function(t, "arm64", "amd64") }, want: Want{Function, "arm64"}},
			want:   []error{ErrArch},
		},
		"DynamicBinary": {
			reason: "A binary that needs a loader and libc cannot start in an image that has neither.",
			args: args{img: func(t *testing.T) v1.Image {
				return withPackage(t, runtimeOf(t, "amd64", testbin.Dynamic(t)), stream(functionMeta, inputCRD))
			}, want: Want{Function, "amd64"}},
			want: []error{ErrNotStatic, ErrNotStatic},
		},
		"RootUser": {
			reason: "uid 0 is root.",
			args: args{img: func(t *testing.T) v1.Image {
				return withUser(t, function(t, "amd64", "amd64"), "0:65532")
			}, want: Want{Function, "amd64"}},
			want: []error{ErrRoot},
		},
		"NoUser": {
			reason: "No user means the runtime's default, root.",
			args: args{img: func(t *testing.T) v1.Image {
				return withUser(t, function(t, "amd64", "amd64"), "")
			}, want: Want{Function, "amd64"}},
			want: []error{ErrRoot},
		},
		"NamedUser": {
			reason: "The kubelet cannot enforce runAsNonRoot on a user name.",
			args: args{img: func(t *testing.T) v1.Image {
				return withUser(t, function(t, "amd64", "amd64"), "nonroot")
			}, want: Want{Function, "amd64"}},
			want: []error{ErrRoot},
		},
		"EntrypointMissing": {
			reason: "An entrypoint that is not in the image cannot start.",
			args: args{img: func(t *testing.T) v1.Image {
				return withConfig(t, function(t, "amd64", "amd64"), func(c *v1.Config) { c.Entrypoint = []string{"/ko-app/function"} })
			}, want: Want{Function, "amd64"}},
			want: []error{ErrEntrypoint},
		},
		"EntrypointIsADirectory": {
			reason: "A directory is not an executable.",
			args: args{img: func(t *testing.T) v1.Image {
				return withConfig(t, function(t, "amd64", "amd64"), func(c *v1.Config) { c.Entrypoint = []string{"/tmp"} })
			}, want: Want{Function, "amd64"}},
			want: []error{ErrEntrypoint},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Problems(tc.args.img(t), tc.args.want)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateErrors(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\nProblems(...): -want, +got:\n%s\ngot: %v", tc.reason, diff, got)
			}
		})
	}
}

func TestConfigurationPackage(t *testing.T) {
	good := stream(configurationMeta(fnPkg, ">=v0.1.0"), composition("agentops-io-function-agentops"))
	cases := map[string]struct {
		reason string
		img    func(t *testing.T) v1.Image
		want   []error
	}{
		"Valid": {
			reason: "A Configuration whose Composition calls its Function dependency by the installed name is good.",
			img:    func(t *testing.T) v1.Image { return configuration(t, good) },
		},
		"AsPushed": {
			reason: "The pushed form, with layer annotations, is read the same way.",
			img:    func(t *testing.T) v1.Image { return annotated(t, configuration(t, good)) },
		},
		"FunctionRefIsPackageName": {
			reason: "Crossplane names the installed dependency after its repository path, not the package's meta name.",
			img: func(t *testing.T) v1.Image {
				return configuration(t, stream(configurationMeta(fnPkg, ">=v0.1.0"), composition("function-agentops")))
			},
			want: []error{ErrFunctionRef},
		},
		"OtherRegistrySameName": {
			reason: "The registry host is not part of the name, so a mirror keeps the functionRef valid.",
			img: func(t *testing.T) v1.Image {
				return configuration(t, stream(configurationMeta("127.0.0.1:5000/agentops-io/function-agentops", ">=v0.1.0"), composition("agentops-io-function-agentops")))
			},
		},
		"TaggedDependency": {
			reason: "The resolver appends the version to the package, so a tag in it is an error.",
			img: func(t *testing.T) v1.Image {
				return configuration(t, stream(configurationMeta(fnPkg+":v0.1.0", ">=v0.1.0"), composition("agentops-io-function-agentops")))
			},
			want: []error{ErrDependency, ErrFunctionRef},
		},
		"BadConstraint": {
			reason: "A version constraint the resolver cannot parse never resolves.",
			img: func(t *testing.T) v1.Image {
				return configuration(t, stream(configurationMeta(fnPkg, "latest"), composition("agentops-io-function-agentops")))
			},
			want: []error{ErrDependency},
		},
		"WithRuntime": {
			reason: "A Configuration on top of a runtime image carries an entrypoint and two layers Crossplane never runs.",
			img: func(t *testing.T) v1.Image {
				return withPackage(t, runtimeOf(t, "amd64", testbin.Static(t, "amd64")), good)
			},
			want: []error{ErrRuntime, ErrRuntime, ErrRuntime},
		},
		"FunctionMeta": {
			reason: "A Function meta is not a Configuration.",
			img:    func(t *testing.T) v1.Image { return configuration(t, stream(functionMeta, inputCRD)) },
			want:   []error{ErrKind},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Problems(tc.img(t), Want{Kind: Configuration})
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateErrors(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\nProblems(...): -want, +got:\n%s\ngot: %v", tc.reason, diff, got)
			}
		})
	}
}

// TestCrossplaneVersion: a Configuration may not admit a Crossplane older
// than the features of its XRDs, which older releases silently drop.
func TestCrossplaneVersion(t *testing.T) {
	const v1XRD, v2XRD = "apiextensions.crossplane.io/v1", "apiextensions.crossplane.io/v2"
	cases := map[string]struct {
		reason     string
		constraint string
		xrd        string
		want       []error
	}{
		"ScaleNeeds23": {
			reason:     "The scale subresource of a v2 XRD needs Crossplane v2.3: >=v2.0.0 admits v2.0 to v2.2.",
			constraint: ">=v2.0.0",
			xrd:        xrd(v2XRD, "", scaleSubresource),
			want:       []error{ErrCrossplaneVersion},
		},
		"Scale23": {
			reason:     "From v2.3 on the scale subresource is honoured.",
			constraint: ">=v2.3.0",
			xrd:        xrd(v2XRD, "", scaleSubresource),
		},
		"ScaleCaret": {
			reason:     "A caret range below v2.3 admits too old a release too.",
			constraint: "^2.2.1",
			xrd:        xrd(v2XRD, "", scaleSubresource),
			want:       []error{ErrCrossplaneVersion},
		},
		"LegacyScaleOnV1": {
			reason:     "A legacy v1 XRD with scope and scale admitted on Crossplane v1.20 loses both there.",
			constraint: ">=v1.20.0",
			xrd:        xrd(v1XRD, legacyScope, scaleSubresource),
			want:       []error{ErrCrossplaneVersion},
		},
		"LegacyScope": {
			reason:     "spec.scope needs Crossplane v2.",
			constraint: ">=v1.20.0",
			xrd:        xrd(v1XRD, legacyScope, ""),
			want:       []error{ErrCrossplaneVersion},
		},
		"PlainV1OnV1": {
			reason:     "A v1 XRD with neither runs on Crossplane v1.",
			constraint: ">=v1.20.0",
			xrd:        xrd(v1XRD, "", ""),
		},
		"V2XRDOnV2": {
			reason:     "A v2 XRD without scale needs only v2.0.",
			constraint: ">=v2.0.0",
			xrd:        xrd(v2XRD, "", ""),
		},
		"V2XRDOnV1": {
			reason:     "A v2 XRD does not exist on Crossplane v1.",
			constraint: ">=v1.14.0",
			xrd:        xrd(v2XRD, "", ""),
			want:       []error{ErrCrossplaneVersion},
		},
		"NoConstraint": {
			reason: "No constraint admits every release.",
			xrd:    xrd(v2XRD, "", scaleSubresource),
			want:   []error{ErrCrossplaneVersion},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			img := configuration(t, stream(constrainedConfigurationMeta(tc.constraint), tc.xrd, composition("agentops-io-function-agentops")))
			got := Problems(img, Want{Kind: Configuration})
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateErrors(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\nProblems(...): -want, +got:\n%s\ngot: %v", tc.reason, diff, got)
			}
		})
	}
}
