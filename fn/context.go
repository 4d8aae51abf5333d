package fn

import (
	"fmt"
	"maps"

	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/apis/v1alpha1"
	"github.com/agentops-io/agentops/fn/compose"
	"github.com/agentops-io/agentops/fn/internal/structcodec"
	"github.com/agentops-io/agentops/fn/status"
)

// ContextKey is the pipeline context key under which the function publishes
// what later steps need to reach the agent (docs/composability.md). A
// function-go-templating step after ours reads it as
// {{ index .context "agentops.io/agent" }} instead of guessing names.
const ContextKey = "agentops.io/agent"

// AgentContext is the value under ContextKey.
type AgentContext struct {
	// Name and Namespace of the AgentDeployment.
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	// Endpoint is status.endpoint: host:port of the Service, empty until
	// the Service is observed ready.
	Endpoint string `json:"endpoint"`
	// Service is the agent's Service, known from the first call.
	Service ServiceRef `json:"service"`
	// ServiceAccountName is status.serviceAccountName.
	ServiceAccountName string `json:"serviceAccountName"`
	// Selector labels of the agent's pods (a NetworkPolicy's podSelector,
	// a gateway's backend).
	Selector map[string]string `json:"selector"`
	// Phase is status.phase of this call; Ready is whether it is Running.
	Phase v1alpha1.Phase `json:"phase"`
	Ready bool           `json:"ready"`
}

// ServiceRef names the agent's Service and its http port.
type ServiceRef struct {
	Name string `json:"name"`
	Port int32  `json:"port"`
}

// newAgentContext is the entry of one call.
func newAgentContext(w *compose.Workload, r status.Result) *AgentContext {
	return &AgentContext{
		Name:               w.Agent.Name,
		Namespace:          w.Agent.Namespace,
		Endpoint:           r.Status.Endpoint,
		Service:            ServiceRef{Name: w.Names.Base, Port: compose.HTTPPort},
		ServiceAccountName: r.Status.ServiceAccountName,
		Selector:           w.Selector(),
		Phase:              r.Status.Phase,
		Ready:              r.Ready,
	}
}

// setContext adds the agent's entry to the response's context, beside what
// earlier steps put there. The request's context is shared, never changed:
// only its top-level map is copied.
func setContext(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, c *AgentContext) error {
	e := structcodec.GetEncoder()
	defer structcodec.PutEncoder(e)
	s, err := e.Object(c, "")
	if err != nil {
		return fmt.Errorf("cannot encode the pipeline context %s: %w", ContextKey, err)
	}
	earlier := req.GetContext().GetFields()
	fields := make(map[string]*structpb.Value, len(earlier)+1)
	maps.Copy(fields, earlier)
	fields[ContextKey] = structpb.NewStructValue(s)
	rsp.Context = &structpb.Struct{Fields: fields}
	return nil
}
