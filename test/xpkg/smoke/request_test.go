package smoke

import (
	"path/filepath"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// dependencies are the ServiceAccount and ConfigMap a first call composes,
// as Crossplane observes them on the second: with them the function
// composes the Deployment too, so every kind comes back.
var dependencies = filepath.Join("test", "render", "testdata", "observed", "dependencies")

// request is what Crossplane sends for the XR in xrFile composed by
// compFile once the objects its pods need exist: the observed XR and those
// objects, and the input of the Composition's AgentOps step.
func request(t *testing.T, xrFile, compFile string) *fnv1.RunFunctionRequest {
	t.Helper()
	xr, err := fixtures.Object(xrFile)
	if err != nil {
		t.Fatal(err)
	}
	req, err := fixtures.NewRequest(xr, compFile, filepath.Join(fixtures.Root(), dependencies))
	if err != nil {
		t.Fatal(err)
	}
	req.Meta.Tag = "smoke"
	return req
}
