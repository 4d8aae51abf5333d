package render

import (
	"fmt"
	"path/filepath"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// Inputs are the files of one render, relative to the repository root or
// absolute.
type Inputs struct {
	XR          string
	Composition string
	XRD         string
	// RequiredSchemas is the folder of OpenAPI documents that answers the
	// Composition's required schemas.
	RequiredSchemas string
}

// RequiredSchemas are the API server's OpenAPI documents of the Prometheus
// Operator's and KEDA's groups (make observed-fixtures writes them): the
// examples render for a cluster that has both, as Crossplane would find it.
const RequiredSchemas = "test/fixtures/openapi"

// apis maps an XR kind to its Composition and XRD.
var apis = map[string]Inputs{
	Kind:       {Composition: "compositions/agentdeployment.yaml", XRD: "apis/definition.yaml"},
	LegacyKind: {Composition: "compositions/legacy.yaml", XRD: "apis/legacy/definition.yaml"},
}

// compositions are the Compositions an XR may select by name
// (spec.crossplane.compositionRef, which the API server also sets to the
// XRD's default).
var compositions = map[string]string{
	"agentdeployments.agentops.io":        "compositions/agentdeployment.yaml",
	"xagentdeployments.agentops.io":       "compositions/legacy.yaml",
	"agentdeployments-remote.agentops.io": "compositions/agentdeployment-remote.yaml",
}

// Functions is the functions file of the examples.
const Functions = "examples/functions.yaml"

// InputsFor returns what renders the object in file (relative to root): an
// AgentDeployment XR with the v2 Composition and XRD, an XAgentDeployment
// with the legacy ones. A legacy claim (claim true) is first turned into its
// XAgentDeployment, written to dir. A relative file is relative to root.
func InputsFor(root, file string, claim bool, dir string) (Inputs, error) {
	xr := file
	if !filepath.IsAbs(xr) {
		xr = filepath.Join(root, file)
	}
	obj, err := ReadObject(xr)
	if err != nil {
		return Inputs{}, err
	}
	if claim {
		x, err := fixtures.ClaimXR(obj)
		if err != nil {
			return Inputs{}, fmt.Errorf("%s: %w", file, err)
		}
		xr = filepath.Join(dir, "xr-"+filepath.Base(file))
		if err := WriteObjects(xr, x); err != nil {
			return Inputs{}, err
		}
		obj = x
	}
	in, ok := apis[GetString(obj, "kind")]
	if GetString(obj, "apiVersion") != APIVersion || !ok {
		return Inputs{}, fmt.Errorf("%s: want an %s or %s of %s, got %s %s", file, Kind, LegacyKind, APIVersion, GetString(obj, "apiVersion"), GetString(obj, "kind"))
	}
	if ref := GetString(obj, "spec", "crossplane", "compositionRef", "name"); ref != "" {
		c, ok := compositions[ref]
		if !ok {
			return Inputs{}, fmt.Errorf("%s: selects Composition %q, which is not in the repository", file, ref)
		}
		in.Composition = c
	}
	in.XR = xr
	in.Composition = filepath.Join(root, in.Composition)
	in.XRD = filepath.Join(root, in.XRD)
	in.RequiredSchemas = filepath.Join(root, RequiredSchemas)
	return in, nil
}
