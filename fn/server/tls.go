package server

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/crossplane/function-sdk-go/logging"
)

// DefaultTLSClientName is the DNS name of Crossplane's client certificate
// in a default install: Crossplane's init issues it for
// <service account>.<namespace> (crossplane v2.3.4
// cmd/crossplane/core/init.go), and providers' client certificates, signed
// by the same CA, for their own names.
const DefaultTLSClientName = "crossplane.crossplane-system"

// The files Crossplane mounts at TLS_SERVER_CERTS_DIR.
var certFileNames = []string{"tls.crt", "tls.key", "ca.crt"}

// MTLSConfig serves the key pair in dir (tls.crt, tls.key) and requires TLS
// 1.2 or later and a client certificate that the CA in dir (ca.crt) signed
// and, unless clientName is empty, that names clientName. Crossplane
// rotates the certificates in place: every handshake after a change to the
// files uses the new ones; should the new ones not load, the old ones stay
// and the error is logged.
func MTLSConfig(dir, clientName string, log logging.Logger) (*tls.Config, error) {
	r := &certReloader{dir: dir, clientName: clientName, log: log}
	// Stamp before loading: files changed in between load again later.
	stamp, _ := r.stamp()
	cfg, err := r.load()
	if err != nil {
		return nil, err
	}
	r.current, r.stamped = cfg, stamp
	base := cfg.Clone()
	base.GetConfigForClient = r.configForClient
	return base, nil
}

// A certReloader holds the TLS configuration of the files it last loaded.
type certReloader struct {
	dir, clientName string
	log             logging.Logger

	mu      sync.Mutex
	stamped string
	current *tls.Config
}

func (r *certReloader) configForClient(*tls.ClientHelloInfo) (*tls.Config, error) {
	stamp, err := r.stamp()
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil || stamp == r.stamped {
		return r.current, nil
	}
	cfg, err := r.load()
	if err != nil {
		// Mid-rotation, or broken: keep serving, try again next handshake.
		r.log.Info("Cannot reload the TLS certificates; keeping the previous ones", "dir", r.dir, "error", err.Error())
		return r.current, nil
	}
	r.current, r.stamped = cfg, stamp
	r.log.Info("Reloaded the TLS certificates", "dir", r.dir)
	return cfg, nil
}

// stamp identifies the files' current contents by size and modification
// time (the kubelet swaps a Secret volume's files atomically, through a
// symlink that Stat follows).
func (r *certReloader) stamp() (string, error) {
	var b strings.Builder
	for _, name := range certFileNames {
		fi, err := os.Stat(filepath.Join(r.dir, name))
		if err != nil {
			return "", fmt.Errorf("cannot read the TLS certificates: %w", err)
		}
		fmt.Fprintf(&b, "%s:%d:%d;", name, fi.Size(), fi.ModTime().UnixNano())
	}
	return b.String(), nil
}

func (r *certReloader) load() (*tls.Config, error) {
	crt, err := tls.LoadX509KeyPair(filepath.Join(r.dir, "tls.crt"), filepath.Join(r.dir, "tls.key"))
	if err != nil {
		return nil, fmt.Errorf("cannot load the server key pair from %s: %w", r.dir, err)
	}
	ca, err := os.ReadFile(filepath.Join(r.dir, "ca.crt"))
	if err != nil {
		return nil, fmt.Errorf("cannot read the client CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("%s holds no PEM certificate", filepath.Join(r.dir, "ca.crt"))
	}
	return &tls.Config{
		MinVersion:       tls.VersionTLS12,
		Certificates:     []tls.Certificate{crt},
		ClientCAs:        pool,
		ClientAuth:       tls.RequireAndVerifyClientCert,
		VerifyConnection: verifyClientName(r.clientName),
	}, nil
}

// verifyClientName refuses a client certificate, already verified against
// the CA, that does not carry name among its DNS names.
func verifyClientName(name string) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		if name == "" {
			return nil
		}
		if len(cs.PeerCertificates) == 0 {
			return errors.New("no client certificate")
		}
		if leaf := cs.PeerCertificates[0]; !slices.Contains(leaf.DNSNames, name) {
			return fmt.Errorf("the client certificate names %q, not %q (--tls-client-name)", leaf.DNSNames, name)
		}
		return nil
	}
}
