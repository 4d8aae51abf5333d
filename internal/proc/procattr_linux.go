package proc

import "syscall"

// dieWithParent makes the kernel kill a child when the process that started
// it dies, even by SIGKILL or a test timeout that skips deferred calls, so
// that nothing outlives its test.
func dieWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
