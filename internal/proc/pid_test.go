//go:build linux

package proc

import (
	"bytes"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDetachAndStopPID starts a daemon as `make up` does, and stops it as
// `make down` does, by its PID and binary alone.
func TestDetachAndStopPID(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep on this machine")
	}
	out, err := os.Create(filepath.Join(t.TempDir(), "out.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	p, err := Start(sleep, []string{"60"}, Options{Output: out, Detach: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop(time.Second) })
	if sid, err := session(p.PID()); err != nil || sid != p.PID() {
		t.Errorf("Getsid: %d, %v; want the daemon to lead a session of its own (%d)", sid, err, p.PID())
	}
	exe, err := Exe(p.PID())
	if err != nil {
		t.Fatal(err)
	}
	if !Running(p.PID(), exe) {
		t.Fatalf("Running(%d, %s): false while it runs", p.PID(), exe)
	}
	if Running(p.PID(), "/not/its/binary") {
		t.Errorf("Running(%d, another binary): true; a reused PID would pass for ours", p.PID())
	}
	if err := StopPID(p.PID(), exe, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	<-p.Done()
	if Running(p.PID(), exe) {
		t.Errorf("Running(%d): true after StopPID", p.PID())
	}

	if _, err := Start(sleep, []string{"60"}, Options{Detach: true}); err == nil {
		t.Error("Start with Detach and no file to write to: want an error, a pipe would break when this process exits")
	}
}

// session is the session ID of process pid, field 6 of /proc/<pid>/stat.
func session(pid int) (int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	return strconv.Atoi(fields[3])
}

func TestParseProcAddr(t *testing.T) {
	type want struct {
		addr netip.AddrPort
		err  bool
	}
	cases := map[string]struct {
		reason string
		in     string
		want   want
	}{
		"Loopback": {
			reason: "An IPv4 address is one word in the host's byte order (little-endian here), the port plain hex.",
			in:     "0100007F:1F90",
			want:   want{addr: netip.MustParseAddrPort("127.0.0.1:8080")},
		},
		"Any": {
			reason: "0.0.0.0 is every interface.",
			in:     "00000000:0050",
			want:   want{addr: netip.MustParseAddrPort("0.0.0.0:80")},
		},
		"IPv6Any": {
			reason: "An IPv6 address is four words.",
			in:     "00000000000000000000000000000000:1F91",
			want:   want{addr: netip.MustParseAddrPort("[::]:8081")},
		},
		"IPv4MappedLoopback": {
			reason: "An IPv4-mapped address in the tcp6 table is the IPv4 address.",
			in:     "0000000000000000FFFF00000100007F:0016",
			want:   want{addr: netip.MustParseAddrPort("127.0.0.1:22")},
		},
		"Malformed": {
			reason: "A field that is no address is an error, not a zero address.",
			in:     "0100007F",
			want:   want{err: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ParseProcAddr(tc.in)
			if diff := cmp.Diff(tc.want, want{addr: got, err: err != nil}, cmp.AllowUnexported(want{}), cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
				t.Errorf("%s\nParseProcAddr(%q): -want, +got:\n%s", tc.reason, tc.in, diff)
			}
		})
	}
}

// TestListening finds this process's own listener in /proc.
func TestListening(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	want := netip.MustParseAddrPort(l.Addr().String())
	got, err := Listening(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got, want) {
		t.Errorf("Listening(self): %v, want it to contain %v", got, want)
	}
}
