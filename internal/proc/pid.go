package proc

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// Running reports whether pid is a live process running bin (Linux /proc).
// Checking the binary, not the PID alone, keeps a PID the kernel has since
// given to another program from passing for ours; a zombie, which has
// exited but not been reaped, is not running.
func Running(pid int, bin string) bool {
	if pid <= 0 {
		return false
	}
	exe, err := Exe(pid)
	return err == nil && (exe == bin || exe == bin+" (deleted)")
}

// Exe is the binary process pid runs (Linux /proc), to check with Running
// later that the PID still belongs to it.
func Exe(pid int) (string, error) { return os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe") }

// StopPID stops a process this one did not start (a daemon started by an
// earlier run), by its PID and only while it runs bin: SIGTERM, then SIGKILL
// after grace. It returns once the process is gone, or an error saying why
// it could not be stopped.
func StopPID(pid int, bin string, grace time.Duration) error {
	if !Running(pid, bin) {
		return nil
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		if err := syscall.Kill(pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("cannot signal %s (pid %d): %w", bin, pid, err)
		}
		deadline := time.Now().Add(grace)
		for Running(pid, bin) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if !Running(pid, bin) {
			return nil
		}
	}
	return fmt.Errorf("%s (pid %d) survived SIGKILL for %s", bin, pid, grace)
}
