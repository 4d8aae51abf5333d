package main

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/agentops-io/agentops/internal/proc"
)

// componentGrace is how long a component left running by a supervisor that
// did not stop it (killed, say) gets between SIGTERM and SIGKILL.
const componentGrace = 10 * time.Second

// down stops the supervisor, which stops every component in order, then
// every recorded component still running, all by PID, and removes the
// state folder. If a process cannot be stopped the folder stays, so that
// `make down` can try again.
func down(c config) error {
	st, err := load(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		sayf("not running")
		return os.RemoveAll(c.dir)
	}
	if err != nil {
		return err
	}
	errs := []error{proc.StopPID(st.Supervisor.PID, st.Supervisor.Exe, supervisorGrace)}
	for _, p := range slices.Backward(st.Components) {
		errs = append(errs, proc.StopPID(p.PID, p.Exe, componentGrace))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	sayf("stopped %d processes; removing %s", len(st.all()), c.dir)
	return os.RemoveAll(c.dir)
}
