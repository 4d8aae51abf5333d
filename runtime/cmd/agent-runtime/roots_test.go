package main

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestTrustRootsWithoutSystemBundle: the image carries no CA bundle, so the
// runtime must verify a public CA's certificate with the roots compiled into
// it. The test runs itself again with the system's bundle hidden
// (SSL_CERT_FILE and SSL_CERT_DIR point at nothing, as in the image) and
// verifies ISRG Root X1, Let's Encrypt's root. Without the x509roots/fallback
// import in main.go, this fails.
func TestTrustRootsWithoutSystemBundle(t *testing.T) {
	if os.Getenv("AGENT_RUNTIME_ROOTS_CHILD") == "1" {
		verifyPublicRoot(t)
		return
	}
	empty := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestTrustRootsWithoutSystemBundle$", "-test.count=1")
	cmd.Env = append(os.Environ(), "AGENT_RUNTIME_ROOTS_CHILD=1",
		"SSL_CERT_FILE="+filepath.Join(empty, "none.crt"), "SSL_CERT_DIR="+empty)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("with no system CA bundle, a public root does not verify: %v\n%s", err, out)
	}
}

func verifyPublicRoot(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "ISRG_Root_X1.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cert.Verify(x509.VerifyOptions{}); err != nil {
		t.Fatalf("verify %s against the system roots: %v", cert.Subject, err)
	}
}
