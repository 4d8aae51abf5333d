// Command verify-xpkg checks built Crossplane packages before they are
// pushed, as Crossplane's package manager will read them (see package
// verify), and prints each one's size and the digest xpkg push will give it.
//
//	verify-xpkg function/amd64=fn-amd64.xpkg function/arm64=fn-arm64.xpkg configuration=cfg.xpkg
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg"

	"github.com/agentops-io/agentops/test/xpkg/verify"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: verify-xpkg function/ARCH=FILE|configuration=FILE...")
		os.Exit(2)
	}
	failed := false
	for _, arg := range os.Args[1:] {
		if err := check(arg); err != nil {
			fmt.Fprintf(os.Stdout, "FAIL %s\n%v\n", arg, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

func check(arg string) error {
	spec, file, ok := strings.Cut(arg, "=")
	kind, arch, _ := strings.Cut(spec, "/")
	if !ok || kind == "" {
		return fmt.Errorf("want KIND[/ARCH]=FILE, got %q", arg)
	}
	w := verify.Want{Kind: verify.Kind(strings.ToUpper(kind[:1]) + kind[1:]), Arch: arch}
	img, err := verify.Load(file)
	if err != nil {
		return err
	}
	if err := verify.Package(img, w); err != nil {
		return err
	}
	st, err := os.Stat(file) //nolint:gosec // Checking the files named on the command line is this tool's job.
	if err != nil {
		return err
	}
	pushed, err := xpkg.AnnotateLayers(img)
	if err != nil {
		return err
	}
	d, err := pushed.Digest()
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "ok   %-16s %-52s %9s  pushes as %s\n", spec, file, size(st.Size()), d)
	return nil
}

func size(b int64) string {
	if b < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
