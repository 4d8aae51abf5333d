// Package scenario builds the RunFunctionRequests the benchmarks send, as
// Crossplane sends them for the production example: on create (nothing
// observed yet) and in the steady state (every composed resource observed as
// the API server returns it: server defaults, status, managed fields), for
// the example itself and for distinct variants of it (other names,
// namespaces and specs).
//
// It never imports package fn: the caller passes a Runner, so the same
// requests serve the in-process benchmarks and the gRPC load generator.
package scenario

import (
	"context"
	"fmt"
	"path/filepath"

	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/internal/fixtures"
)

// A Runner runs the function on one request.
type Runner func(context.Context, *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error)

// Files the scenarios are built from, relative to the repository's root.
const (
	ExampleFile     = "examples/production-claude-agent.yaml"
	CompositionFile = "compositions/agentdeployment.yaml"
	FixturesDir     = "test/fixtures/observed/steady"
)

// A Builder builds requests for the production example and its variants.
type Builder struct {
	example map[string]any
	input   map[string]any
	// fixtures are observed objects by composition resource name, when the
	// repository has them; else the API server's additions are built in.
	fixtures map[string]map[string]any
}

// New reads the example, the Composition's input and, if present, the
// observed-state fixtures under root.
func New(root string) (*Builder, error) {
	b := &Builder{}
	var err error
	example, err := fixtures.Object(filepath.Join(root, ExampleFile))
	if err != nil {
		return nil, err
	}
	b.example = example.Object
	if b.input, err = fixtures.Input(filepath.Join(root, CompositionFile)); err != nil {
		return nil, err
	}
	if b.fixtures, err = readFixtures(filepath.Join(root, FixturesDir)); err != nil {
		return nil, err
	}
	return b, nil
}

// ObservedSource says where the steady state's observed objects come from.
func (b *Builder) ObservedSource() string {
	if len(b.fixtures) > 0 {
		return FixturesDir
	}
	return "built-in API server defaults (internal/scenario/apiserver)"
}

// Create is the request for variant i before anything was composed.
func (b *Builder) Create(i int) (*fnv1.RunFunctionRequest, error) {
	v := b.variant(i)
	return b.request(observedXR(v, nil, nil), nil)
}

// Steady is the request for variant i once every composed resource exists
// and is ready, and the XR carries the status the function last derived. It
// runs the function as Crossplane would, each time on what the last call
// desired observed, until a call desires nothing new: the Deployment is
// composed only once what its pods need is observed, so that takes three
// calls.
func (b *Builder) Steady(ctx context.Context, run Runner, i int) (*fnv1.RunFunctionRequest, error) {
	v := b.variant(i)
	req, err := b.request(observedXR(v, nil, nil), nil)
	if err != nil {
		return nil, err
	}
	var observed map[string]map[string]any
	for calls := 1; ; calls++ {
		rsp, err := run(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("run %d of %s: %w", calls, v.name, err)
		}
		if len(observed) > 0 && len(rsp.GetDesired().GetResources()) == len(observed) {
			return b.request(observedXR(v, observed, rsp), observed)
		}
		if calls == maxSteadyCalls {
			return nil, fmt.Errorf("%s: still desiring new resources after %d calls", v.name, calls)
		}
		if observed, err = b.observeAll(v, rsp.GetDesired().GetResources()); err != nil {
			return nil, err
		}
		if req, err = b.request(observedXR(v, observed, nil), observed); err != nil {
			return nil, err
		}
	}
}

// maxSteadyCalls bounds Steady: create, compose what waited, observe all.
const maxSteadyCalls = 4

// request is what Crossplane sends to the pipeline's first (and only) step:
// the observed state, an empty desired state and context, and the input.
func (b *Builder) request(xr map[string]any, observed map[string]map[string]any) (*fnv1.RunFunctionRequest, error) {
	xrs, err := structpb.NewStruct(xr)
	if err != nil {
		return nil, fmt.Errorf("XR: %w", err)
	}
	in, err := structpb.NewStruct(b.input)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	req := &fnv1.RunFunctionRequest{
		Meta: &fnv1.RequestMeta{Tag: "bench", Capabilities: []fnv1.Capability{
			fnv1.Capability_CAPABILITY_CAPABILITIES, fnv1.Capability_CAPABILITY_REQUIRED_RESOURCES,
			fnv1.Capability_CAPABILITY_CREDENTIALS, fnv1.Capability_CAPABILITY_CONDITIONS,
		}},
		Observed:    &fnv1.State{Composite: &fnv1.Resource{Resource: xrs}, Resources: map[string]*fnv1.Resource{}},
		Desired:     &fnv1.State{},
		Input:       in,
		Context:     &structpb.Struct{Fields: map[string]*structpb.Value{}},
		Credentials: map[string]*fnv1.Credentials{},
	}
	for name, o := range observed {
		s, err := structpb.NewStruct(o)
		if err != nil {
			return nil, fmt.Errorf("observed %s: %w", name, err)
		}
		req.Observed.Resources[name] = &fnv1.Resource{Resource: s}
	}
	return req, nil
}
