package render

import "syscall"

// procAttr makes the kernel send a child (the function, the CLI) SIGTERM
// when the process that started it dies, even by SIGKILL or a test timeout
// that skips deferred calls, so that nothing outlives its render.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
