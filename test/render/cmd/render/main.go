// Command render is `make render`: it starts the AgentOps function on a free
// loopback port, renders one AgentDeployment through the real crossplane CLI
// and Crossplane core binary (no Docker), prints what the CLI prints, and
// stops the function on every exit path, Ctrl-C included.
//
//	render -function _output/bin/function [-standin BIN] [-observed DIR] [-claim] EXAMPLE [-- CLI FLAGS...]
//
// An example under examples/platform/ is a parent XR: it is rendered with
// the stand-in for function-go-templating and function-auto-ready
// (-standin), then each AgentDeployment it composes with the function.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/agentops-io/agentops/internal/fixtures"
	"github.com/agentops-io/agentops/test/render/internal/render"
)

// Exit codes besides the CLI's own.
const (
	exitUsage       = 2
	exitInterrupted = 130
)

type options struct {
	function, standin, tools, observed string
	claim                              bool
	example                            string
	extra                              []string
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	o, err := parse(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := render1(ctx, o)
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "render: interrupted; the function is stopped")
		return exitInterrupted
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		return 1
	}
	return code
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.StringVar(&o.function, "function", "_output/bin/function", "The function's binary (make build).")
	fs.StringVar(&o.standin, "standin", "_output/bin/templatefn", "The stand-in for function-go-templating and function-auto-ready, for examples/platform/ (make templatefn).")
	fs.StringVar(&o.tools, "tools", "", "Folder of the pinned tools (default $TOOLS_BIN or .cache/tools/bin).")
	fs.StringVar(&o.observed, "observed", "", "File or folder of observed composed resources (default: none, as on create).")
	claim := fs.String("claim", "auto", "Treat the example as a legacy AgentDeployment claim: true, false, or auto (examples/legacy/ holds claims).")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() < 1 {
		return o, errors.New("usage: render [flags] EXAMPLE [-- CLI flags]")
	}
	o.example, o.extra = fs.Arg(0), fs.Args()[1:]
	if len(o.extra) > 0 && o.extra[0] == "--" {
		o.extra = o.extra[1:]
	}
	switch *claim {
	case "true":
		o.claim = true
	case "false":
	case "auto":
		o.claim = strings.Contains(filepath.ToSlash(o.example), "/legacy/")
	default:
		return o, fmt.Errorf("-claim must be true, false or auto, not %q", *claim)
	}
	return o, nil
}

// render1 renders o.example and returns the CLI's exit code.
func render1(ctx context.Context, o options) (int, error) {
	root := fixtures.Root()
	if o.tools == "" {
		o.tools = render.DefaultToolsBin(root)
	}
	tools := render.ToolsIn(o.tools)
	if err := tools.Check("crossplane", "crossplane-core"); err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp("", "agentops-make-render-")
	if err != nil {
		return 0, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()

	if strings.HasPrefix(filepath.ToSlash(o.example), render.PlatformDir+"/") {
		return renderPlatform(ctx, o, tools, root, tmp)
	}
	in, err := render.InputsFor(root, o.example, o.claim, tmp)
	if err != nil {
		return 0, err
	}
	fn, err := render.StartFunction(o.function)
	if err != nil {
		return 0, fmt.Errorf("%w (is %s built? run make build)", err, o.function)
	}
	defer func() {
		if err := fn.Stop(render.StopGrace); err != nil {
			fmt.Fprintln(os.Stderr, "render:", err)
		}
	}()

	req := render.Request{
		XR: in.XR, Composition: in.Composition, Functions: filepath.Join(root, render.Functions),
		Target: fn.Addr, Observed: o.observed, XRD: in.XRD, RequiredSchemas: in.RequiredSchemas, Extra: o.extra,
	}
	cmdline := strings.ReplaceAll(tools.CLI+" "+strings.Join(req.Args(tools.Core), " "), root+string(filepath.Separator), "")
	fmt.Fprintf(os.Stderr, "render: function-agentops (pid %d) serving on %s\nrender: %s\n", fn.PID(), fn.Addr, cmdline)
	res, err := render.Run(ctx, tools, req)
	if err != nil {
		return 0, err
	}
	_, _ = os.Stdout.Write(res.Stdout)
	_, _ = os.Stderr.Write(res.Stderr)
	switch {
	case res.ExitCode == 0:
	case res.EngineExitCode == render.ExitPipelineFatal:
		// The function's Fatal result, naming the field, is in the CLI's
		// message above.
		fmt.Fprintf(os.Stderr, "render: the function rejected %s (CLI exit %d, render engine exit %d)\n", o.example, res.ExitCode, res.EngineExitCode)
	default:
		fmt.Fprintf(os.Stderr, "render: the CLI exited %d (render engine: %d); the function's log:\n", res.ExitCode, res.EngineExitCode)
		_, _ = os.Stderr.WriteString(fn.Output())
	}
	return res.ExitCode, nil
}
