package proc

import (
	"net"
	"testing"
)

// FreeLoopbackAddr returns 127.0.0.1:PORT with a port free a moment ago, for
// a server that cannot be told to pick its own port and report it.
func FreeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}
