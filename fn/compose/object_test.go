package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestObjectKeys: Object mode's composition resource names never meet
// Local mode's, with or without a prefix, and lead back to them.
func TestObjectKeys(t *testing.T) {
	kinds := []string{KeyServiceAccount, KeyConfigMap, KeyDeployment, KeyService, KeyHPA, KeyPDB, KeyNetworkPolicy, KeyServiceMonitor, KeyPrometheusRule}
	cases := map[string]struct {
		reason string
		prefix string
	}{
		"NoPrefix":   {reason: "The default names."},
		"Prefix":     {reason: "A prefix that ends like a kind's name.", prefix: "deployment-"},
		"BarePrefix": {reason: "A prefix without a dash.", prefix: "object"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			local := map[Key]bool{}
			for _, k := range kinds {
				local[Key(tc.prefix+k)] = true
			}
			for k := range local {
				o := ObjectKey(k)
				if local[o] {
					t.Errorf("%s\nObjectKey(%q) = %q, a Local mode name", tc.reason, k, o)
				}
				back, ok := LocalKey(o)
				if diff := cmp.Diff(k, back); !ok || diff != "" {
					t.Errorf("%s\nLocalKey(ObjectKey(%q)) = %q, %t", tc.reason, k, back, ok)
				}
				if _, ok := LocalKey(k); ok {
					t.Errorf("%s\nLocalKey(%q): a Local mode name read as an Object's", tc.reason, k)
				}
			}
		})
	}
}
