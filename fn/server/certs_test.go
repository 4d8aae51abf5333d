package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// An authority issues the test's certificates, as Crossplane's own CA
// issues the function's server and its client certificates.
type authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newAuthority(t *testing.T, name string) *authority {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          serial(t),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("create CA %s: %v", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("parse CA %s: %v", name, err)
	}
	return &authority{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue a leaf certificate for usage; a server certificate names 127.0.0.1
// and localhost.
func (a *authority) issue(t *testing.T, name string, usage x509.ExtKeyUsage) ([]byte, []byte) {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: serial(t),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	if usage == x509.ExtKeyUsageServerAuth {
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	} else {
		// As Crossplane's client certificates: the name as a DNS name.
		tmpl.DNSNames = []string{name}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	if err != nil {
		t.Fatalf("issue %s: %v", name, err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatalf("marshal key of %s: %v", name, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// keyPair issues a client certificate as a tls.Certificate.
func (a *authority) keyPair(t *testing.T, name string) tls.Certificate {
	t.Helper()
	c, k := a.issue(t, name, x509.ExtKeyUsageClientAuth)
	kp, err := tls.X509KeyPair(c, k)
	if err != nil {
		t.Fatalf("key pair %s: %v", name, err)
	}
	return kp
}

func (a *authority) pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(a.cert)
	return p
}

// serverCertsDir writes what Crossplane mounts at TLS_SERVER_CERTS_DIR:
// tls.crt and tls.key of the server, ca.crt of the clients' CA.
func serverCertsDir(t *testing.T, ca *authority) string {
	t.Helper()
	dir := t.TempDir()
	writeServerCerts(t, dir, ca)
	return dir
}

// writeServerCerts writes a server key pair ca signed, and ca as the
// clients' CA, into dir, as Crossplane does when it rotates them. The files'
// times move forward so that a change shows even within the file system's
// time resolution.
func writeServerCerts(t *testing.T, dir string, ca *authority) {
	t.Helper()
	c, k := ca.issue(t, "function-agentops", x509.ExtKeyUsageServerAuth)
	writeFiles(t, dir, map[string][]byte{"tls.crt": c, "tls.key": k, "ca.crt": ca.pem})
}

var fileTime = time.Now()

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	fileTime = fileTime.Add(time.Second)
	for name, data := range files {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(f, fileTime, fileTime); err != nil {
			t.Fatal(err)
		}
	}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func serial(t *testing.T) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
