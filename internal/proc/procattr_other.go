//go:build !linux

package proc

import "syscall"

// dieWithParent: outside Linux there is no parent-death signal; Stop and
// the callers' cleanups stop the child.
func dieWithParent(*syscall.SysProcAttr) {}
