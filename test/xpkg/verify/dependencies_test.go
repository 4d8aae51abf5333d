package verify

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInstalledName(t *testing.T) {
	type want struct {
		name string
		err  bool
	}
	cases := map[string]struct {
		reason string
		source string
		want   want
	}{
		"OurFunction": {
			reason: "The registry host is dropped and the repository path's slashes become dashes.",
			source: "xpkg.crossplane.io/agentops-io/function-agentops",
			want:   want{name: "agentops-io-function-agentops"},
		},
		"LocalRegistry": {
			reason: "A local registry with a port names the dependency the same, so tests against it prove the real name.",
			source: "127.0.0.1:5000/agentops-io/function-agentops",
			want:   want{name: "agentops-io-function-agentops"},
		},
		"LongPath": {
			reason: "Names are cut to a 63 character DNS label.",
			source: "ghcr.io/a-very-long-organisation-name/and-a-very-long-function-package-name",
			want:   want{name: "a-very-long-organisation-name-and-a-very-long-function-package"},
		},
		"Tagged": {
			reason: "The resolver appends the version itself, so a tag in the source is refused.",
			source: "xpkg.crossplane.io/agentops-io/function-agentops:v0.1.0",
			want:   want{err: true},
		},
		"NoRegistry": {
			reason: "A source without a registry would silently mean Docker Hub; Crossplane requires one.",
			source: "agentops-io/function-agentops",
			want:   want{err: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			n, err := InstalledName(tc.source)
			if diff := cmp.Diff(tc.want, want{name: n, err: err != nil}, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nInstalledName(%q): -want, +got:\n%s", tc.reason, tc.source, diff)
			}
		})
	}
}
