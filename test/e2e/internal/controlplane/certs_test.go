package controlplane

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
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
