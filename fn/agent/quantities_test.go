package agent

import (
	"fmt"
	"testing"

	"github.com/agentops-io/agentops/fn/internal/decode"
)

// TestHugeExponent pins the exponent bound at its boundaries: ±18 (an
// exabyte, an atto-core) pass, ±19 and anything a 64-bit integer cannot
// hold are refused, and FromComposite refuses them naming the field.
func TestHugeExponent(t *testing.T) {
	cases := map[string]struct {
		reason string
		q      string
		want   bool
	}{
		"NoExponent":         {reason: "A plain quantity has no exponent.", q: "512Mi", want: false},
		"ExaSuffix":          {reason: "The E suffix is a unit, not an exponent.", q: "1E", want: false},
		"Max":                {reason: "The largest exponent allowed.", q: "1e18", want: false},
		"MaxUpperCaseSigned": {reason: "E and an explicit sign read alike.", q: "1E+18", want: false},
		"OverMax":            {reason: "One past the largest.", q: "1e19", want: true},
		"Min":                {reason: "The smallest exponent allowed.", q: "1e-18", want: false},
		"UnderMin":           {reason: "One past the smallest.", q: "1e-19", want: true},
		"FuzzFound":          {reason: "The quantity fuzzing found, which takes seconds to print.", q: "1e10000000", want: true},
		"Overflow":           {reason: "An exponent no int holds is refused, not wrapped around.", q: "1e99999999999999999999", want: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := decode.HugeExponent(tc.q); got != tc.want {
				t.Errorf("%s\nHugeExponent(%q): want %v, got %v", tc.reason, tc.q, tc.want, got)
			}
			spec := fmt.Sprintf("{model: gpt-4o, secrets: {apiKeySecret: k}, resources: {limits: {memory: %q}}}", tc.q)
			_, errs := FromComposite(xr(t, "{apiVersion: agentops.io/v1alpha1, kind: AgentDeployment, metadata: {name: a, namespace: agents}, spec: "+spec+"}"))
			refused := len(errs) == 1 && errs[0].Field == "spec.resources.limits.memory"
			if refused != tc.want || (!tc.want && len(errs) > 0) {
				t.Errorf("%s\nFromComposite(memory limit %q): want refused %v, got errors %v", tc.reason, tc.q, tc.want, errs)
			}
		})
	}
}
