package proc

import "syscall"

// DieWithParent makes the kernel kill a child when the process that started
// it dies, even by SIGKILL or a test timeout that skips deferred calls, so
// that nothing outlives its test.
func DieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
