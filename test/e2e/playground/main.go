// Command playground runs the e2e suite's cluster for a person to try
// AgentOps on, without Docker: `make up` starts etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok, a local registry,
// Crossplane and AgentOps in the background through the e2e harness
// (test/e2e/internal/controlplane), `make status` reports crashed
// components, `make down` stops everything by PID and removes the state.
//
//	playground up|status|down -dir .playground -repo . -tools-bin .cache/tools/bin -xpkg-dir _output/xpkg
//
// `up` starts a supervisor (`playground serve`) in a session of its own,
// which starts every component as its child (so they die with it, never
// half of them), records their PIDs in the state folder, and stops them in
// order on SIGTERM.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// supervisorName names the supervisor in the state and its log lines.
const supervisorName = "playground"

// sayf prints a line for the person at the terminal.
func sayf(format string, args ...any) {
	fmt.Fprintf(os.Stdout, supervisorName+": "+format+"\n", args...)
}

// config is what every command needs to know: flags set by make.
type config struct {
	dir      string
	repo     string
	toolsBin string
	xpkgDir  string
	cacheDir string
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "playground: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: playground up|status|down|serve [flags]")
	}
	cmd := args[0]
	fs := flag.NewFlagSet("playground "+cmd, flag.ContinueOnError)
	var c config
	fs.StringVar(&c.dir, "dir", ".playground", "The state folder: PIDs, kubeconfig, data, logs.")
	fs.StringVar(&c.repo, "repo", ".", "The repository's root.")
	fs.StringVar(&c.toolsBin, "tools-bin", filepath.Join(".cache", "tools", "bin"), "The pinned tools.")
	fs.StringVar(&c.xpkgDir, "xpkg-dir", filepath.Join("_output", "xpkg"), "make xpkg's packages.")
	fs.StringVar(&c.cacheDir, "cache-dir", filepath.Join(".cache", "e2e"), "Generated files kept between runs.")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	for _, p := range []*string{&c.dir, &c.repo, &c.toolsBin, &c.xpkgDir, &c.cacheDir} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	switch cmd {
	case "up":
		return up(c)
	case "serve":
		return serve(c)
	case "status":
		return status(c)
	case "down":
		return down(c)
	default:
		return fmt.Errorf("unknown command %q: up, status, down or serve", cmd)
	}
}
