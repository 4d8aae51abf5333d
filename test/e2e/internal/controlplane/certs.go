package controlplane

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// writeRSAKey writes a new PKCS#1 RSA private key, the kind kube-apiserver
// signs ServiceAccount tokens with.
func writeRSAKey(path string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	b := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return os.WriteFile(path, b, 0o600)
}

// ServerCert is a TLS server certificate for 127.0.0.1 and localhost signed
// by a CA, with that CA, as PEM: what Crossplane's function runtime puts in
// a function's <name>-tls-server Secret.
type ServerCert struct {
	Cert, Key, CA []byte
}

// SignServerCert issues a server certificate for localhost and 127.0.0.1,
// signed by the CA whose PEM certificate and key are given.
func SignServerCert(caCertPEM, caKeyPEM []byte, commonName string) (ServerCert, error) {
	ca, err := tls.X509KeyPair(caCertPEM, caKeyPEM)
	if err != nil {
		return ServerCert{}, fmt.Errorf("parse CA: %w", err)
	}
	caCert, err := x509.ParseCertificate(ca.Certificate[0])
	if err != nil {
		return ServerCert{}, fmt.Errorf("parse CA certificate: %w", err)
	}
	signer, ok := ca.PrivateKey.(crypto.Signer)
	if !ok {
		return ServerCert{}, fmt.Errorf("CA key of type %T cannot sign", ca.PrivateKey)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return ServerCert{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return ServerCert{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonName},
		DNSNames:     []string{"localhost", commonName},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, key.Public(), signer)
	if err != nil {
		return ServerCert{}, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return ServerCert{}, err
	}
	return ServerCert{
		Cert: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		Key:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
		CA:   caCertPEM,
	}, nil
}

// NewCA makes a self-signed CA and returns its certificate and key as PEM.
func NewCA(commonName string) ([]byte, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: commonName},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// A CertIssuer issues the server certificate a function serves, given
// Crossplane's root CA (PEM certificate and key). The certificate's CA is
// what the function trusts for its clients.
type CertIssuer func(caCertPEM, caKeyPEM []byte, function string) (ServerCert, error)

// TrustedCert is the certificate Crossplane's function runtime issues:
// signed by Crossplane's root CA, for the addresses Crossplane dials.
var TrustedCert CertIssuer = SignServerCert

// ForeignCACert is a certificate for the right names from a CA Crossplane
// does not trust; the function itself still trusts Crossplane's CA, so the
// only fault is the one Crossplane sees.
func ForeignCACert(caCertPEM, _ []byte, function string) (ServerCert, error) {
	otherCert, otherKey, err := NewCA("Not Crossplane's CA")
	if err != nil {
		return ServerCert{}, err
	}
	c, err := SignServerCert(otherCert, otherKey, function)
	c.CA = caCertPEM
	return c, err
}

// The files of a TLS Secret and of the folders Crossplane and functions read.
const (
	fileCert = "tls.crt"
	fileKey  = "tls.key"
	fileCA   = "ca.crt"
)

// WriteTLSDir writes tls.crt, tls.key and ca.crt into dir, the layout both
// Crossplane and function-sdk-go read.
func WriteTLSDir(dir string, cert, key, ca []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for name, b := range map[string][]byte{fileCert: cert, fileKey: key, fileCA: ca} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}
