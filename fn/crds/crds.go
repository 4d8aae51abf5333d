// Package crds says which optional kinds the cluster can hold: the
// Prometheus Operator's ServiceMonitor and PrometheusRule and KEDA's
// ScaledObject are composed only where their CRDs are installed, for
// Crossplane cannot apply an object of a kind the API server does not
// serve, and an XR with one composed resource it cannot apply never gets
// its status.
//
// It reads Crossplane's required schemas (Crossplane v2.2 and later): the
// OpenAPI schema of each kind, empty when no CRD serves it. A Composition
// declares them in its step (requirements.requiredSchemas, under the names
// Kind.Name), so they come with the first call; otherwise the function asks
// for them itself and Crossplane calls it again with them.
package crds

import (
	"slices"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// A Kind composed only where a CRD serves it.
type Kind struct {
	// Name is the requirement name a Composition declares its schema under.
	Name       string
	APIVersion string
	Kind       string
}

// The optional kinds.
var (
	ServiceMonitor = Kind{Name: "servicemonitor", APIVersion: "monitoring.coreos.com/v1", Kind: "ServiceMonitor"}
	PrometheusRule = Kind{Name: "prometheusrule", APIVersion: "monitoring.coreos.com/v1", Kind: "PrometheusRule"}
	ScaledObject   = Kind{Name: "scaledobject", APIVersion: "keda.sh/v1alpha1", Kind: "ScaledObject"}

	Optional = []Kind{ServiceMonitor, PrometheusRule, ScaledObject}
)

// askedPrefix names the schemas the function asks for itself. They must
// not be the names a Composition declares: Crossplane calls a function again
// until it answers with the requirements it answered before, so a function
// that asks only for what it lacks would, without a declaration, ask on one
// call and not on the next, and never settle. With other names, a request
// holding the declared names needs nothing more (one call), and one without
// them asks for the same names every time (two calls).
const askedPrefix = "agentops-"

// Installed says which optional kinds the cluster serves.
type Installed struct {
	missing []Kind
}

// Has reports whether k's CRD is installed.
func (i Installed) Has(k Kind) bool { return !slices.Contains(i.missing, k) }

// Missing are the optional kinds without a CRD, in Optional's order.
func (i Installed) Missing() []Kind { return i.missing }

// Read returns which optional kinds the request says are installed, and
// the requirements to answer with: nil when the Composition declared every
// schema. A Crossplane that predates required schemas cannot say: every kind
// counts as installed, and the input's toggles alone decide, as before.
func Read(req *fnv1.RunFunctionRequest) (Installed, *fnv1.Requirements) {
	if !slices.Contains(req.GetMeta().GetCapabilities(), fnv1.Capability_CAPABILITY_REQUIRED_SCHEMAS) {
		return Installed{}, nil
	}
	schemas := req.GetRequiredSchemas()
	declared := true
	for _, k := range Optional {
		if _, ok := schemas[k.Name]; !ok {
			declared = false
		}
	}
	var rq *fnv1.Requirements
	prefix := ""
	if !declared {
		prefix = askedPrefix
		rq = Requirements(askedPrefix)
	}
	var in Installed
	for _, k := range Optional {
		s, answered := schemas[prefix+k.Name]
		// Not answered yet: the first of two calls, whose response
		// Crossplane drops once it has fetched the schemas.
		if answered && s.GetOpenapiV3() == nil {
			in.missing = append(in.missing, k)
		}
	}
	return in, rq
}

// Requirements asks for the optional kinds' schemas, each under prefix and
// its Name.
func Requirements(prefix string) *fnv1.Requirements {
	rq := &fnv1.Requirements{Schemas: make(map[string]*fnv1.SchemaSelector, len(Optional))}
	for _, k := range Optional {
		rq.Schemas[prefix+k.Name] = &fnv1.SchemaSelector{ApiVersion: k.APIVersion, Kind: k.Kind}
	}
	return rq
}

// Without says every optional kind is installed but ks.
func Without(ks ...Kind) Installed {
	var in Installed
	for _, k := range Optional {
		if slices.Contains(ks, k) {
			in.missing = append(in.missing, k)
		}
	}
	return in
}
