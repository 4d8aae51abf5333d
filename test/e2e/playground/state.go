package main

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/agentops-io/agentops/internal/proc"
)

// stateFile, in the state folder, records what runs: `up` writes it with
// the supervisor alone, the supervisor rewrites it with every component
// once the cluster is ready.
const stateFile = "state.json"

// component is a process the playground started.
type component struct {
	Name string `json:"name"`
	PID  int    `json:"pid"`
	// Exe is the binary the PID ran when it was recorded: a PID the kernel
	// has since reused for another program does not pass for it.
	Exe string `json:"exe"`
	Log string `json:"log,omitempty"`
	// Listening are the addresses it listened on once ready.
	Listening []netip.AddrPort `json:"listening,omitempty"`
}

// running reports whether the component's process still runs.
func (c component) running() bool { return proc.Running(c.PID, c.Exe) }

// state of a playground.
type state struct {
	Supervisor component `json:"supervisor"`
	// Components, oldest first, once Ready.
	Components []component `json:"components,omitempty"`
	Ready      bool        `json:"ready"`
	Started    time.Time   `json:"started"`
	// UpIn is how long the cluster took to start.
	UpIn       time.Duration `json:"upIn,omitempty"`
	Kubeconfig string        `json:"kubeconfig,omitempty"`
	Server     string        `json:"server,omitempty"`
	Registry   string        `json:"registry,omitempty"`
	LogDir     string        `json:"logDir,omitempty"`
}

// all is the supervisor and every component.
func (s *state) all() []component { return append([]component{s.Supervisor}, s.Components...) }

// crashed are the processes that no longer run.
func (s *state) crashed() []component {
	var out []component
	for _, c := range s.all() {
		if !c.running() {
			out = append(out, c)
		}
	}
	return out
}

// load reads the state folder's state; fs.ErrNotExist when there is none.
func load(dir string) (*state, error) {
	b, err := os.ReadFile(filepath.Join(dir, stateFile)) //nolint:gosec // the playground's own state folder
	if err != nil {
		return nil, err
	}
	var s state
	return &s, json.Unmarshal(b, &s)
}

// save writes the state atomically: a reader never sees half of it.
func (s *state) save(dir string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, stateFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, stateFile))
}
