package main

import (
	"context"
	"fmt"
	"os"

	"github.com/agentops-io/agentops/internal/proc"
	"github.com/agentops-io/agentops/test/render/internal/render"
)

// renderPlatform renders a parent XR of examples/platform/ and then each
// AgentDeployment it composes, printing each level after a comment that
// names it, and returns the exit code of the first render that failed.
func renderPlatform(ctx context.Context, o options, tools render.Tools, root, tmp string) (int, error) {
	standin, err := render.StartStandin(o.standin)
	if err != nil {
		return 0, fmt.Errorf("%w (is %s built? run make templatefn)", err, o.standin)
	}
	defer stop(standin)
	fn, err := render.StartFunction(o.function)
	if err != nil {
		return 0, fmt.Errorf("%w (is %s built? run make build)", err, o.function)
	}
	defer stop(fn)
	fmt.Fprintf(os.Stderr, "render: the stand-in for function-go-templating and function-auto-ready (pid %d) on %s, function-agentops (pid %d) on %s\n",
		standin.PID(), standin.Addr, fn.PID(), fn.Addr)
	levels, err := render.Platform(ctx, tools, root, o.example, standin.Addr, fn.Addr, tmp, false)
	if err != nil {
		return 0, err
	}
	for _, l := range levels {
		fmt.Fprintf(os.Stdout, "# ---- %s: crossplane composition render of %s\n", l.Name, l.Request.XR)
		_, _ = os.Stdout.Write(l.Result.Stdout)
		_, _ = os.Stderr.Write(l.Result.Stderr)
		if l.Result.ExitCode != 0 {
			return l.Result.ExitCode, nil
		}
	}
	return 0, nil
}

func stop(f *proc.Function) {
	if err := f.Stop(render.StopGrace); err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
	}
}
