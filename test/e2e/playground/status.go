package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// status reports every process of the playground, and fails if one has
// crashed.
func status(c config) error {
	st, err := load(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		sayf("not running; `make up` starts it")
		return nil
	}
	if err != nil {
		return err
	}
	report(st)
	if crashed := st.crashed(); len(crashed) > 0 {
		names := make([]string, len(crashed))
		for i, p := range crashed {
			names[i] = p.Name
		}
		return fmt.Errorf("crashed: %s; read their logs, then `make down` and `make up`", strings.Join(names, ", "))
	}
	if !st.Ready {
		sayf("starting since %s", st.Started.Format(time.RFC3339))
	}
	return nil
}

// report prints one line per process: running or crashed, its addresses
// and its log.
func report(st *state) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "COMPONENT\tPID\tSTATE\tLISTENING\tLOG")
	for _, p := range st.all() {
		state := "running"
		if !p.running() {
			state = "CRASHED"
		}
		addrs := make([]string, len(p.Listening))
		for i, a := range p.Listening {
			addrs[i] = a.String()
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\n", p.Name, p.PID, state, strings.Join(addrs, ","), p.Log)
	}
	_ = w.Flush()
}
