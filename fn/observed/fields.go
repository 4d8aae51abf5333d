package observed

import (
	"maps"
	"reflect"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/health"
	"github.com/agentops-io/agentops/fn/internal/structcodec"
)

// The fields read of each observed object: those of the XR here, those of
// each composed kind in fn/health, next to the check that reads them
// (health.ReadFields). Reading (read.go) and trimming (trim.go) both take
// them from here and from there, and nowhere else.

// compositeFields are the fields of the XR agent.FromComposite reads, but
// for its spec (agentSpec): its kind, name, namespace, generation, and
// labels (a legacy XR's claim). Not its status: the function derives it anew
// on every call.
var compositeFields = health.NewFields(
	"apiVersion", "kind",
	"metadata.name", "metadata.namespace", "metadata.generation", "metadata.labels",
)

// compositeWireRead are the fields of the XR TrimRequest keeps: its spec
// whole, for agentSpec picks its fields ignoring case.
var compositeWireRead = func() health.Fields {
	f := maps.Clone(compositeFields)
	f["spec"] = nil
	return f
}()

// specFields are the JSON names of the AgentDeployment spec's fields.
var specFields = structcodec.JSONFieldNames(reflect.TypeFor[v1alpha1.AgentDeploymentSpec]())
