package structcodec

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestJSONFieldNames(t *testing.T) {
	type inner struct {
		Shallow string `json:"shallow"`
		Deep    string `json:"deep"`
	}
	type outer struct {
		metav1.TypeMeta `json:",inline"`
		inner
		Shallow   int `json:"shallow"`
		Untagged  string
		Omitted   string `json:"omitted,omitempty"`
		Skipped   string `json:"-"`
		private   string //nolint:unused // encoding/json leaves unexported fields out: so must the plan.
		Anonymous *struct {
			X int `json:"x"`
		} `json:"anonymous"`
	}
	cases := map[string]struct {
		reason string
		typ    reflect.Type
		want   []string
	}{
		"Promoted": {
			reason: "Embedded structs without a JSON name promote their fields; the shallowest of a name wins; unexported and \"-\" fields are left out.",
			typ:    reflect.TypeFor[outer](),
			want:   []string{"kind", "apiVersion", "shallow", "deep", "Untagged", "omitted", "anonymous"},
		},
		"NotAStruct": {
			reason: "A type that is not a struct has no fields.",
			typ:    reflect.TypeFor[map[string]string](),
			want:   []string{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, JSONFieldNames(tc.typ)); diff != "" {
				t.Errorf("%s\nJSONFieldNames(%s): -want, +got:\n%s", tc.reason, tc.typ, diff)
			}
		})
	}
}
