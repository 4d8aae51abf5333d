//go:build !linux

package render

import "syscall"

// procAttr: outside Linux there is no parent-death signal; Stop, the
// signal handlers and the test cleanups stop the function.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{}
}
