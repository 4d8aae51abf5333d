package server_test

import (
	"crypto/tls"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/server"
)

// TestCertificateRotation: Crossplane rotates the certificates in
// TLS_SERVER_CERTS_DIR in place; new connections use the new ones without a
// restart, and files that do not load leave the old ones in use.
func TestCertificateRotation(t *testing.T) {
	oldCA, newCA := newAuthority(t, "crossplane-root-ca-1"), newAuthority(t, "crossplane-root-ca-2")
	dir := serverCertsDir(t, oldCA)
	log := &logs{}
	tlsCfg, err := server.MTLSConfig(dir, server.DefaultTLSClientName, log.logger())
	if err != nil {
		t.Fatalf("MTLSConfig(): %v", err)
	}
	cfg := testConfig()
	cfg.Insecure = false
	r := serve(t, echo{}, credentials.NewTLS(tlsCfg), cfg)

	client := func(ca *authority) *tls.Config {
		return &tls.Config{RootCAs: ca.pool(), Certificates: []tls.Certificate{ca.keyPair(t, server.DefaultTLSClientName)}, MinVersion: tls.VersionTLS12}
	}
	call := func(c *tls.Config) codes.Code {
		_, err := dial(t, r.addr, c).RunFunction(callCtx(t), &fnv1.RunFunctionRequest{})
		return status.Code(err)
	}
	if got := call(client(oldCA)); got != codes.OK {
		t.Fatalf("before rotation, a client of the first CA: want OK, got %v", got)
	}

	writeServerCerts(t, dir, newCA)
	if got := call(client(newCA)); got != codes.OK {
		t.Errorf("after rotation, a client of the new CA (which signed the new server certificate): want OK, got %v\nlog:\n%s", got, log)
	}
	if got := call(client(oldCA)); got != codes.Unavailable {
		t.Errorf("after rotation, a client of the old CA: want Unavailable, got %v", got)
	}
	if !strings.Contains(log.String(), "Reloaded the TLS certificates") {
		t.Errorf("want a log line saying the certificates were reloaded, got:\n%s", log)
	}

	writeFiles(t, dir, map[string][]byte{"tls.crt": []byte("not a certificate")})
	if got := call(client(newCA)); got != codes.OK {
		t.Errorf("after a broken rotation, a client of the last good CA: want OK (the old certificates stay), got %v", got)
	}
	if !strings.Contains(log.String(), "Cannot reload the TLS certificates; keeping the previous ones") {
		t.Errorf("want a log line about the broken certificates, got:\n%s", log)
	}
}

// TestAnyClientName: with an empty client name, any certificate the CA
// signed is admitted, for Crossplane installs whose name is unknown.
func TestAnyClientName(t *testing.T) {
	ca := newAuthority(t, "crossplane-root-ca")
	tlsCfg, err := server.MTLSConfig(serverCertsDir(t, ca), "", (&logs{}).logger())
	if err != nil {
		t.Fatalf("MTLSConfig(): %v", err)
	}
	cfg := testConfig()
	cfg.Insecure = false
	r := serve(t, echo{}, credentials.NewTLS(tlsCfg), cfg)
	c := &tls.Config{RootCAs: ca.pool(), Certificates: []tls.Certificate{ca.keyPair(t, "crossplane.elsewhere")}, MinVersion: tls.VersionTLS12}
	if _, err := dial(t, r.addr, c).RunFunction(callCtx(t), &fnv1.RunFunctionRequest{}); err != nil {
		t.Errorf("RunFunction(...) with any client name admitted: %v", err)
	}
}
