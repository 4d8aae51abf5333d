package main

import (
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/agentops-io/agentops/internal/proc"
)

// TestCrashed: a recorded process counts as running only while its PID
// runs the binary recorded for it.
func TestCrashed(t *testing.T) {
	self, err := proc.Exe(os.Getpid())
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	alive := component{Name: "alive", PID: os.Getpid(), Exe: self}
	cases := map[string]struct {
		reason string
		st     state
		want   []string
	}{
		"AllRunning": {
			reason: "Processes whose PIDs run their binaries have not crashed.",
			st:     state{Supervisor: alive, Components: []component{alive}},
		},
		"Gone": {
			reason: "A PID no process has is a crash.",
			st:     state{Supervisor: alive, Components: []component{{Name: "etcd", PID: 1 << 30, Exe: self}}},
			want:   []string{"etcd"},
		},
		"Reused": {
			reason: "A PID that runs another binary now was reused by the kernel: the component crashed.",
			st:     state{Supervisor: alive, Components: []component{{Name: "kwok", PID: os.Getpid(), Exe: "/bin/kwok"}}},
			want:   []string{"kwok"},
		},
		"Supervisor": {
			reason: "The supervisor is checked too: without it the components are gone.",
			st:     state{Supervisor: component{Name: supervisorName, PID: 1 << 30, Exe: self}},
			want:   []string{supervisorName},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			crashed := tc.st.crashed()
			got := make([]string, 0, len(crashed))
			for _, c := range crashed {
				got = append(got, c.Name)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\ncrashed(): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestStateRoundTrip: what the supervisor saves is what status and down
// read.
func TestStateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := &state{
		Supervisor: component{Name: supervisorName, PID: 10, Exe: "/bin/playground", Log: "/l/playground.log"},
		Components: []component{{Name: "etcd", PID: 11, Exe: "/bin/etcd", Listening: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:2379")}}},
		Ready:      true,
		Started:    time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC),
		UpIn:       21 * time.Second,
		Kubeconfig: "/k", Server: "https://127.0.0.1:6443", Registry: "127.0.0.1:5000", LogDir: "/l",
	}
	if err := want.save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
		t.Errorf("load(save(s)): -want, +got:\n%s", diff)
	}
}
