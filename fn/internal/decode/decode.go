// Package decode holds what decoding the XR (fn/agent) and the function's
// input (fn/settings) share: the names of JSON types for messages, and the
// bound on a quantity's exponent. It imports no package of the function.
package decode

import (
	"regexp"
	"strconv"
)

// JSONType names the JSON type of a Go kind, for messages about values of
// the wrong type.
func JSONType(goKind string) string {
	switch goKind {
	case "int32", "int64", "int":
		return "integer"
	case "float64", "float32":
		return "number"
	case "bool":
		return "boolean"
	case "struct", "map", "ptr":
		return "object"
	case "slice":
		return "array"
	default:
		return goKind
	}
}

// exponent is a quantity's decimal exponent, as in 5e2.
var exponent = regexp.MustCompile(`[eE]([+-]?[0-9]+)$`)

// HugeExponent reports whether a quantity's decimal exponent is beyond any
// real amount: the API server admits 1e10000000, which parses at once but
// takes seconds to compare or print, and minutes as the exponent grows.
func HugeExponent(q string) bool {
	m := exponent.FindStringSubmatch(q)
	if m == nil {
		return false
	}
	n, err := strconv.Atoi(m[1])
	return err != nil || n > 18 || n < -18
}
