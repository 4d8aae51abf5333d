package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/agentops-io/agentops/internal/proc"
)

// Annotations of the CLI's Development runtime: call a function already
// running at the target instead of pulling and running its image.
const (
	AnnotationRuntime       = "render.crossplane.io/runtime"
	AnnotationRuntimeTarget = "render.crossplane.io/runtime-development-target"
	RuntimeDevelopment      = "Development"
)

// ExitPipelineFatal is the exit code of `crossplane internal render` (the
// core binary) when a pipeline step returns a Fatal result. The CLI reports
// it as "pipeline returned fatal" and exits 1 itself.
const ExitPipelineFatal = 3

// A Request is one render of an XR.
type Request struct {
	XR          string
	Composition string
	Functions   string
	// Target is the function's host:port.
	Target string
	// Observed is a file or folder of observed composed resources.
	Observed string
	// XRD, when set, makes the CLI apply its defaults to the XR, as the API
	// server would.
	XRD string
	// RequiredSchemas, when set, is a folder of OpenAPI documents the CLI
	// answers required schemas from; without, every schema is absent.
	RequiredSchemas string
	IncludeResults  bool
	IncludeFullXR   bool
	// Extra are further CLI flags.
	Extra []string
}

// A Result is what the CLI printed and how it exited.
type Result struct {
	Stdout, Stderr []byte
	ExitCode       int
	// EngineExitCode is how the core binary exited, or -1 when unknown.
	EngineExitCode int
}

// Args are the v2 CLI's arguments for r, rendering with the core binary at
// core. Every function is forced to the Development runtime at r.Target, so
// that the CLI never tries Docker, whatever the functions file says.
func (r Request) Args(core string) []string {
	args := []string{"composition", "render", r.XR, r.Composition, r.Functions,
		"--crossplane-binary=" + core,
		"--function-annotations=" + AnnotationRuntime + "=" + RuntimeDevelopment,
		"--function-annotations=" + AnnotationRuntimeTarget + "=" + r.Target,
	}
	if r.Observed != "" {
		args = append(args, "--observed-resources="+r.Observed)
	}
	if r.XRD != "" {
		args = append(args, "--xrd="+r.XRD)
	}
	if r.RequiredSchemas != "" {
		args = append(args, "--required-schemas="+r.RequiredSchemas)
	}
	if r.IncludeResults {
		args = append(args, "--include-function-results")
	}
	if r.IncludeFullXR {
		args = append(args, "--include-full-xr")
	}
	return append(args, r.Extra...)
}

// Run runs `crossplane composition render` (CLI v2) for r. The core
// binary runs behind a small wrapper that records its exit code, so that a
// caller can tell a Fatal result (3) from any other failure. A non-zero exit
// is a Result, not an error.
func Run(ctx context.Context, t Tools, r Request) (Result, error) {
	dir, err := os.MkdirTemp("", "agentops-render-")
	if err != nil {
		return Result{}, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	wrapper, rcFile := filepath.Join(dir, "crossplane-core"), filepath.Join(dir, "engine-exit-code")
	script := fmt.Sprintf("#!/bin/sh\n%q \"$@\"\nrc=$?\necho $rc > %q\nexit $rc\n", t.Core, rcFile)
	if err := os.WriteFile(wrapper, []byte(script), 0o700); err != nil { //nolint:gosec // An executable wrapper, ours alone.
		return Result{}, err
	}
	res, err := run(ctx, t.CLI, r.Args(wrapper))
	res.EngineExitCode = -1
	if b, rerr := os.ReadFile(rcFile); rerr == nil { //nolint:gosec // Our temp file.
		res.EngineExitCode, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	return res, err
}

// RunV1 runs `crossplane render` of the last 1.x CLI for r. It renders
// in-process and has no flag to override function annotations, so
// r.Functions must already point at the function (see WriteFunctions).
func RunV1(ctx context.Context, t Tools, r Request) (Result, error) {
	args := []string{"render", r.XR, r.Composition, r.Functions}
	if r.Observed != "" {
		args = append(args, "--observed-resources="+r.Observed)
	}
	if r.IncludeResults {
		args = append(args, "--include-function-results")
	}
	if r.IncludeFullXR {
		args = append(args, "--include-full-xr")
	}
	res, err := run(ctx, t.CLIv1, append(args, r.Extra...))
	res.EngineExitCode = -1
	return res, err
}

func run(ctx context.Context, bin string, args []string) (Result, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...) //nolint:gosec // The pinned CLIs.
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = proc.DieWithParent()
	err := cmd.Run()
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.Exited():
		res.ExitCode = exit.ExitCode()
	default:
		return res, fmt.Errorf("cannot run %s %s: %w", bin, strings.Join(args, " "), err)
	}
	return res, nil
}
