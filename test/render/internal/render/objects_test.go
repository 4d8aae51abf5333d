package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClaimToXR(t *testing.T) {
	claim := func() Object {
		return Object{
			"apiVersion": APIVersion, "kind": Kind,
			"metadata": Object{"name": "legacy-claude-agent", "namespace": "team-a"},
			"spec":     Object{"model": "claude-3-sonnet", "replicas": float64(2)},
		}
	}
	cases := map[string]struct {
		reason  string
		claim   Object
		want    Object
		wantErr bool
	}{
		"Claim": {
			reason: "The XR is cluster-scoped, carries the claim's spec, a reference to it and the labels naming it; its name and UID are stable.",
			claim:  claim(),
			want: Object{
				"apiVersion": APIVersion, "kind": LegacyKind,
				"metadata": Object{
					"name": "legacy-claude-agent-4685e",
					"uid":  "4685e4ff-6d28-0ff7-d27a-d8e082a7ce5a",
					"labels": Object{
						LabelClaimName: "legacy-claude-agent", LabelClaimNamespace: "team-a", LabelComposite: "legacy-claude-agent-4685e",
					},
				},
				"spec": Object{
					"model": "claude-3-sonnet", "replicas": float64(2),
					"claimRef": Object{"apiVersion": APIVersion, "kind": Kind, "name": "legacy-claude-agent", "namespace": "team-a"},
				},
			},
		},
		"NotAClaim": {
			reason:  "Only an AgentDeployment is a claim of the legacy XRD.",
			claim:   Object{"apiVersion": APIVersion, "kind": LegacyKind, "metadata": Object{"name": "x", "namespace": "y"}},
			wantErr: true,
		},
		"NoNamespace": {
			reason:  "A claim is namespaced.",
			claim:   Object{"apiVersion": APIVersion, "kind": Kind, "metadata": Object{"name": "x"}},
			wantErr: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ClaimToXR(tc.claim)
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s\nClaimToXR(...): error %v, want error %t", tc.reason, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nClaimToXR(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
