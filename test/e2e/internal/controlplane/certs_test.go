package controlplane

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"testing"
	"time"
)

// testCA returns a CA certificate and its key, as PEM.
func testCA(t *testing.T, rsaKey bool) ([]byte, []byte) {
	t.Helper()
	var pub, priv any
	var keyBlock *pem.Block
	if rsaKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = k.Public(), k
		keyBlock = &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}
	} else {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = k.Public(), k
		keyBlock = &pem.Block{Type: "EC PRIVATE KEY", Bytes: der}
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Crossplane Root CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(keyBlock)
}

// TestSignServerCert checks the function's server certificate verifies
// against the CA for the names Crossplane dials, whatever the CA's key type.
func TestSignServerCert(t *testing.T) {
	cases := map[string]struct {
		reason string
		rsa    bool
	}{
		"RSA":   {reason: "Crossplane's root CA may have an RSA key.", rsa: true},
		"ECDSA": {reason: "Or an ECDSA one.", rsa: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			caCert, caKey := testCA(t, tc.rsa)
			sc, err := SignServerCert(caCert, caKey, "agentops-io-function-agentops")
			if err != nil {
				t.Fatalf("%s\nSignServerCert: %v", tc.reason, err)
			}
			block, _ := pem.Decode(sc.Cert)
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			roots := x509.NewCertPool()
			roots.AppendCertsFromPEM(sc.CA)
			for _, host := range []string{"localhost", "127.0.0.1", "agentops-io-function-agentops"} {
				if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: host}); err != nil {
					t.Errorf("%s\ncertificate does not verify for %s: %v", tc.reason, host, err)
				}
			}
			if !cert.IPAddresses[0].Equal(net.ParseIP("127.0.0.1")) {
				t.Errorf("IP SANs %v", cert.IPAddresses)
			}
		})
	}
}

// TestCertIssuers checks what Crossplane's TLS client, which verifies the
// server against its root CA for the address it dials (127.0.0.1), makes
// of each certificate the e2e serves the function with; and that the
// function keeps trusting Crossplane's CA for its clients whatever it
// serves.
func TestCertIssuers(t *testing.T) {
	cases := map[string]struct {
		reason string
		issue  CertIssuer
		// want is the type of Verify's error.
		want string
	}{
		"Trusted": {
			reason: "The runtime's certificate verifies.",
			issue:  TrustedCert,
			want:   "<nil>",
		},
		"ForeignCA": {
			reason: "A certificate from another CA is refused as of an unknown authority.",
			issue:  ForeignCACert,
			want:   "x509.UnknownAuthorityError",
		},
	}
	caCert, caKey := testCA(t, false)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caCert)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			sc, err := tc.issue(caCert, caKey, "agentops-io-function-agentops")
			if err != nil {
				t.Fatalf("%s\nissue: %v", tc.reason, err)
			}
			if !bytes.Equal(sc.CA, caCert) {
				t.Errorf("%s\nthe function's CA is not Crossplane's", tc.reason)
			}
			block, _ := pem.Decode(sc.Cert)
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			_, err = cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "127.0.0.1"})
			if got := fmt.Sprintf("%T", err); got != tc.want {
				t.Errorf("%s\nVerify for 127.0.0.1: %v, an error of type %s, want %s", tc.reason, err, got, tc.want)
			}
		})
	}
}
