package render

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/agentops-io/agentops/internal/proc"
)

// The platform example (examples/platform): a parent XR whose Composition
// calls function-go-templating and function-auto-ready.
const (
	PlatformDir         = "examples/platform"
	PlatformExample     = PlatformDir + "/platform.yaml"
	platformComposition = PlatformDir + "/composition.yaml"
	platformFunctions   = PlatformDir + "/functions.yaml"
	// PlatformXRD defines the parent's kind, PlatformKind of PlatformGroup.
	PlatformXRD   = PlatformDir + "/definition.yaml"
	PlatformKind  = "AgentPlatform"
	PlatformGroup = "platform.example.org"
)

// StandinBinEnv names the variable holding the binary of the stand-in for
// function-go-templating and function-auto-ready (test/internal/templatefn),
// which make builds.
const StandinBinEnv = "TEMPLATEFN_BIN"

// StartStandin runs the stand-in as StartFunction runs ours.
func StartStandin(bin string) (*proc.Function, error) {
	return proc.StartFunction(bin, []string{"--insecure", "--shutdown-grace=2s"}, proc.Options{})
}

// A Level is one render of a platform: the parent, or one child.
type Level struct {
	// Name is "parent", or the child AgentDeployment's name.
	Name    string
	Request Request
	Result  Result
}

// Platform renders the parent XR in file (relative to root) through
// the stand-in at standin, then each AgentDeployment it composes through
// our function at function: `crossplane composition render` does not
// recurse into composed XRs. Children are written to dir. It stops at the
// first render that fails, which is then the last Level. full asks each
// render for the whole XR and the functions' results, as the goldens have
// them.
func Platform(ctx context.Context, t Tools, root, file, standin, function, dir string, full bool) ([]Level, error) {
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(root, p)
	}
	parent := Request{
		XR: abs(file), Composition: abs(platformComposition), Functions: abs(platformFunctions),
		XRD: abs(PlatformXRD), Target: standin, IncludeFullXR: full, IncludeResults: full,
	}
	res, err := Run(ctx, t, parent)
	if err != nil {
		return nil, err
	}
	levels := []Level{{Name: "parent", Request: parent, Result: res}}
	if res.ExitCode != 0 {
		return levels, nil
	}
	objs, err := SplitDocuments(res.Stdout)
	if err != nil {
		return levels, err
	}
	for _, o := range objs[1:] {
		if GetString(o, "apiVersion") != APIVersion || GetString(o, "kind") != Kind {
			continue
		}
		name := GetString(o, "metadata", "name")
		xr := filepath.Join(dir, "child-"+name+".yaml")
		if err := WriteObjects(xr, o); err != nil {
			return levels, err
		}
		in, err := InputsFor(root, xr, false, dir)
		if err != nil {
			return levels, fmt.Errorf("child %s: %w", name, err)
		}
		child := Request{
			XR: xr, Composition: in.Composition, Functions: abs(Functions), XRD: in.XRD, RequiredSchemas: in.RequiredSchemas, Target: function,
			IncludeFullXR: full, IncludeResults: full,
		}
		res, err := Run(ctx, t, child)
		if err != nil {
			return levels, err
		}
		levels = append(levels, Level{Name: name, Request: child, Result: res})
		if res.ExitCode != 0 {
			return levels, nil
		}
	}
	return levels, nil
}
