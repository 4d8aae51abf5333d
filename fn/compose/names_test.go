package compose

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/util/validation"
)

func TestNamesFor(t *testing.T) {
	long := strings.Repeat("a", 57)
	cases := map[string]struct {
		reason string
		name   string
		want   Names
	}{
		"Short": {
			reason: "A short DNS-1035 label is used as it is.",
			name:   "support-agent",
			want:   Names{Base: "support-agent", Config: "support-agent-config"},
		},
		"LongestKept": {
			reason: "A 56-character name still leaves room for -config within 63.",
			name:   strings.Repeat("a", 56),
			want:   Names{Base: strings.Repeat("a", 56), Config: strings.Repeat("a", 56) + "-config"},
		},
		"TooLong": {
			reason: "A 57-character name is cut and hashed.",
			name:   long,
			want:   Names{Base: strings.Repeat("a", 47) + "-f13b2d72", Config: strings.Repeat("a", 47) + "-f13b2d72-config"},
		},
		"Longest": {
			reason: "A 253-character name (the most Kubernetes allows) is cut and hashed.",
			name:   strings.Repeat("b", 253),
			want:   Names{Base: strings.Repeat("b", 47) + "-af5a4872", Config: strings.Repeat("b", 47) + "-af5a4872-config"},
		},
		"Dots": {
			reason: "Dots are not allowed in a Service name: they become dashes, and a hash keeps the name apart from the dashed one.",
			name:   "team.support.agent",
			want:   Names{Base: "team-support-agent-cdc2bab2", Config: "team-support-agent-cdc2bab2-config"},
		},
		"LeadingDigit": {
			reason: "A Service name starts with a letter.",
			name:   "1st-agent",
			want:   Names{Base: "agent-1st-agent-82ddd548", Config: "agent-1st-agent-82ddd548-config"},
		},
		"CutAtDash": {
			reason: "A cut that ends in a dash loses it, so no double dash precedes the hash.",
			name:   strings.Repeat("a", 46) + "-" + strings.Repeat("b", 20),
			want:   Names{Base: strings.Repeat("a", 46) + "-fe115b04", Config: strings.Repeat("a", 46) + "-fe115b04-config"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := NamesFor(tc.name)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nNamesFor(%q): -want, +got:\n%s", tc.reason, tc.name, diff)
			}
			checkNames(t, tc.name, got)
		})
	}
}

// checkNames checks that names are valid for every kind they name: a
// Service's name must be a DNS-1035 label, every name at most 63 characters.
func checkNames(t *testing.T, from string, n Names) {
	t.Helper()
	for _, name := range []string{n.Base, n.Config} {
		if msgs := validation.IsDNS1035Label(name); len(msgs) > 0 {
			t.Errorf("NamesFor(%q): %q is not a DNS-1035 label: %v", from, name, msgs)
		}
		if msgs := validation.IsDNS1123Label(name); len(msgs) > 0 {
			t.Errorf("NamesFor(%q): %q is not an RFC 1123 label: %v", from, name, msgs)
		}
		if msgs := validation.IsValidLabelValue(n.Base); len(msgs) > 0 {
			t.Errorf("NamesFor(%q): %q is not a label value (it goes in app.kubernetes.io/instance): %v", from, n.Base, msgs)
		}
	}
}

// TestNamesForNeverCollide maps names that differ only where a cut or a
// cleaning would lose the difference, and checks that no two meet.
func TestNamesForNeverCollide(t *testing.T) {
	seen := map[string]string{}
	add := func(name string) {
		n := NamesFor(name)
		checkNames(t, name, n)
		if other, ok := seen[n.Base]; ok && other != name {
			t.Errorf("NamesFor(%q) and NamesFor(%q) are both %q", name, other, n.Base)
		}
		seen[n.Base] = name
		if again := NamesFor(name); again != n {
			t.Errorf("NamesFor(%q) is not stable: %v, then %v", name, n, again)
		}
	}
	prefix := strings.Repeat("x", 60)
	for i := range 2000 {
		add(fmt.Sprintf("%s-%d", prefix, i))    // differ after the cut
		add(fmt.Sprintf("agent.%d", i))         // differ from their dashed twin...
		add(fmt.Sprintf("agent-%d", i))         // ...which is kept as it is
		add(fmt.Sprintf("%d-agent", i))         // a leading digit
		add(fmt.Sprintf("%d.agent.example", i)) // both
	}
}
