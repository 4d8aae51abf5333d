package agent

import (
	"errors"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/agentops-io/agentops/fn/internal/decode"
)

// checkQuantities parses spec.resources' quantities before the spec is
// decoded, because a quantity's own decoding error does not say which field
// it came from.
func checkQuantities(spec map[string]any, path *field.Path) field.ErrorList {
	res, ok := spec["resources"].(map[string]any)
	if !ok {
		return nil
	}
	var errs field.ErrorList
	for _, kind := range []string{"requests", "limits"} {
		amounts, ok := res[kind].(map[string]any)
		if !ok {
			continue
		}
		for _, name := range []string{"cpu", "memory"} {
			v, ok := amounts[name]
			if !ok {
				continue
			}
			p := path.Child("resources", kind, name)
			if err := checkQuantity(v); err != nil {
				errs = append(errs, field.Invalid(p, v, err.Error()))
			}
		}
	}
	return errs
}

func checkQuantity(v any) error {
	switch q := v.(type) {
	case string:
		parsed, err := resource.ParseQuantity(q)
		if err != nil {
			return errors.New("must be a Kubernetes quantity such as 500m, 2, 512Mi or 1Gi")
		}
		if decode.HugeExponent(q) {
			return errors.New("must have a decimal exponent between -18 and 18, such as 5e2")
		}
		if parsed.Sign() < 0 {
			return errors.New("must not be negative")
		}
	case float64:
		if q < 0 {
			return errors.New("must not be negative")
		}
	case int64:
		if q < 0 {
			return errors.New("must not be negative")
		}
	default:
		return errors.New("must be a Kubernetes quantity (a string such as 500m or 1Gi, or a number)")
	}
	return nil
}
