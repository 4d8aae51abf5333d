package proc

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestServingAddress(t *testing.T) {
	type want struct {
		addr string
		ok   bool
	}
	cases := map[string]struct {
		reason string
		line   string
		want   want
	}{
		"Serving": {
			reason: "fn/server's line names the address it bound.",
			line:   `{"level":"info","ts":1,"logger":"function-agentops","msg":"Serving RunFunction","network":"tcp","address":"127.0.0.1:40123","tls":false}`,
			want:   want{addr: "127.0.0.1:40123", ok: true},
		},
		"OtherMessage": {
			reason: "Another line with an address is not the one awaited.",
			line:   `{"msg":"Serving metrics","address":"127.0.0.1:9"}`,
		},
		"NoAddress": {
			reason: "The line without its address cannot be used.",
			line:   `{"msg":"Serving RunFunction"}`,
		},
		"NotJSON": {
			reason: "A plain-text line is skipped, not an error.",
			line:   `WARNING: serving WITHOUT TLS (--insecure)`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got want
			got.addr, got.ok = ServingAddress(tc.line)
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nServingAddress(%q): -want, +got:\n%s", tc.reason, tc.line, diff)
			}
		})
	}
}

// TestStartStop runs a real child: its output is kept and awaited, and Stop
// ends it by SIGTERM, or by SIGKILL when it ignores SIGTERM.
func TestStartStop(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	cases := map[string]struct {
		reason string
		script string
		killed bool
	}{
		"Terminates": {
			reason: "A child that honours SIGTERM exits on it.",
			script: `echo "ready at 42"; exec sleep 60`,
		},
		"IgnoresTerm": {
			reason: "A child that ignores SIGTERM is killed after the grace period, and Stop says so.",
			script: `trap "" TERM; echo "ready at 42"; while :; do sleep 0.05; done`,
			killed: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Start(sh, []string{"-c", tc.script}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = p.Stop(time.Second) })
			got, err := p.WaitFor(func(line string) (string, bool) {
				return strings.CutPrefix(line, "ready at ")
			}, 10*time.Second)
			if err != nil || got != "42" {
				t.Fatalf("%s\nWaitFor: %q, %v; want 42", tc.reason, got, err)
			}
			err = p.Stop(500 * time.Millisecond)
			if killed := err != nil; killed != tc.killed {
				t.Errorf("%s\nStop: %v; want killed %t", tc.reason, err, tc.killed)
			}
			if exited, _ := p.Exited(); !exited {
				t.Errorf("%s\nthe child is still running after Stop", tc.reason)
			}
		})
	}
}

// TestWaitForExit: a child that exits without printing what is awaited
// ends the wait at once, with its output.
func TestWaitForExit(t *testing.T) {
	p, err := Start("sh", []string{"-c", "echo bye"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop(time.Second) })
	if _, err := p.WaitFor(ServingAddress, time.Minute); err == nil {
		t.Fatal("WaitFor: want an error once the child has exited")
	}
	if got := p.Output(); got != "bye\n" {
		t.Errorf("Output: %q, want %q", got, "bye\n")
	}
}
