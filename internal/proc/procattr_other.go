//go:build !linux

package proc

import "syscall"

// DieWithParent: outside Linux there is no parent-death signal; Stop and
// the callers' cleanups stop the child.
func DieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{}
}
