package server_test

import (
	"context"
	"crypto/tls"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/agentops-io/agentops/fn/server"
)

// counting counts the calls that reached the function.
type counting struct {
	echo

	calls atomic.Int64
}

func (c *counting) RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	c.calls.Add(1)
	return c.echo.RunFunction(ctx, req)
}

// TestMTLS serves with the certificates Crossplane mounts at
// TLS_SERVER_CERTS_DIR and calls with a range of clients: only one that
// speaks TLS 1.2 or later and shows a certificate the CA signed gets through.
func TestMTLS(t *testing.T) {
	crossplaneCA := newAuthority(t, "crossplane-root-ca")
	otherCA := newAuthority(t, "someone-else")
	tlsCfg, err := server.MTLSConfig(serverCertsDir(t, crossplaneCA), server.DefaultTLSClientName, (&logs{}).logger())
	if err != nil {
		t.Fatalf("MTLSConfig(): %v", err)
	}
	fn := &counting{}
	cfg := testConfig()
	cfg.Insecure = false
	r := serve(t, fn, credentials.NewTLS(tlsCfg), cfg)

	crossplane := crossplaneCA.keyPair(t, "crossplane.crossplane-system")
	// Crossplane's CA signs providers' client certificates too.
	provider := crossplaneCA.keyPair(t, "provider-kubernetes-6c0ca5c3a2f0")
	stranger := otherCA.keyPair(t, "stranger")
	impostor := otherCA.keyPair(t, "crossplane.crossplane-system")

	type want struct {
		code    codes.Code
		reached bool
	}
	cases := map[string]struct {
		reason string
		client *tls.Config
		want   want
	}{
		"CrossplaneClient": {
			reason: "Crossplane's client certificate, signed by the CA in ca.crt, is accepted.",
			client: &tls.Config{RootCAs: crossplaneCA.pool(), Certificates: []tls.Certificate{crossplane}, MinVersion: tls.VersionTLS12},
			want:   want{code: codes.OK, reached: true},
		},
		"CrossplaneClientTLS12": {
			reason: "TLS 1.2 is the oldest version served.",
			client: &tls.Config{RootCAs: crossplaneCA.pool(), Certificates: []tls.Certificate{crossplane}, MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12},
			want:   want{code: codes.OK, reached: true},
		},
		"TLS11": {
			reason: "A client that speaks at most TLS 1.1 is refused, even with a good certificate.",
			client: &tls.Config{RootCAs: crossplaneCA.pool(), Certificates: []tls.Certificate{crossplane}, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11},
			want:   want{code: codes.Unavailable},
		},
		"ProviderClientCertificate": {
			reason: "A client certificate the CA signed for another name (a provider's) is refused.",
			client: &tls.Config{RootCAs: crossplaneCA.pool(), Certificates: []tls.Certificate{provider}, MinVersion: tls.VersionTLS12},
			want:   want{code: codes.Unavailable},
		},
		"ProviderClientCertificateTLS12": {
			reason: "Over TLS 1.2 too.",
			client: &tls.Config{RootCAs: crossplaneCA.pool(), Certificates: []tls.Certificate{provider}, MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12},
			want:   want{code: codes.Unavailable},
		},
		"NoClientCertificate": {
			reason: "A client without a certificate is refused.",
			client: &tls.Config{RootCAs: crossplaneCA.pool(), MinVersion: tls.VersionTLS12},
			want:   want{code: codes.Unavailable},
		},
		"CertificateOfAnotherCA": {
			reason: "A client whose certificate another CA signed is refused.",
			client: &tls.Config{RootCAs: crossplaneCA.pool(), GetClientCertificate: always(stranger), MinVersion: tls.VersionTLS12},
			want:   want{code: codes.Unavailable},
		},
		"CrossplaneNameFromAnotherCA": {
			reason: "Crossplane's name in a certificate another CA signed is refused: the name alone proves nothing.",
			client: &tls.Config{RootCAs: crossplaneCA.pool(), GetClientCertificate: always(impostor), MinVersion: tls.VersionTLS12},
			want:   want{code: codes.Unavailable},
		},
		"CertificateOfAnotherCATLS12": {
			reason: "Over TLS 1.2 too, where the server checks the certificate before the handshake ends.",
			client: &tls.Config{RootCAs: crossplaneCA.pool(), GetClientCertificate: always(stranger), MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12},
			want:   want{code: codes.Unavailable},
		},
		"Plaintext": {
			reason: "A client without TLS is refused.",
			client: nil,
			want:   want{code: codes.Unavailable},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := fn.calls.Load()
			c := dial(t, r.addr, tc.client)
			_, err := c.RunFunction(callCtx(t), &fnv1.RunFunctionRequest{Meta: &fnv1.RequestMeta{Tag: name}})
			got := want{code: status.Code(err), reached: fn.calls.Load() > before}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\nRunFunction(...): -want, +got:\n%s\nerror: %v", tc.reason, diff, err)
			}
		})
	}
}

// always sends c, even when the server asks for certificates of other
// CAs: a client's TLS library would otherwise send none, and the server's
// own check of the chain would go untested.
func always(c tls.Certificate) func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
	return func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &c, nil }
}

// TestMTLSConfig checks the TLS settings themselves: a handshake never goes
// below TLS 1.2, and a client certificate is required and verified.
func TestMTLSConfig(t *testing.T) {
	ca := newAuthority(t, "crossplane-root-ca")
	cfg, err := server.MTLSConfig(serverCertsDir(t, ca), server.DefaultTLSClientName, (&logs{}).logger())
	if err != nil {
		t.Fatalf("MTLSConfig(): %v", err)
	}
	type settings struct {
		MinVersion   uint16
		ClientAuth   tls.ClientAuthType
		Certificates int
		ClientCAs    bool
	}
	want := settings{MinVersion: tls.VersionTLS12, ClientAuth: tls.RequireAndVerifyClientCert, Certificates: 1, ClientCAs: true}
	got := settings{MinVersion: cfg.MinVersion, ClientAuth: cfg.ClientAuth, Certificates: len(cfg.Certificates), ClientCAs: cfg.ClientCAs != nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MTLSConfig(): -want, +got:\n%s", diff)
	}
}

// TestRunRefusesBadConfig: the server refuses to start rather than serve
// without the protection it was asked for.
func TestRunRefusesBadConfig(t *testing.T) {
	ca := newAuthority(t, "crossplane-root-ca")
	certs := serverCertsDir(t, ca)
	cases := map[string]struct {
		reason string
		cfg    func(*server.Config)
		want   string
	}{
		"InsecureAndCerts": {
			reason: "--insecure and a certificates folder contradict each other.",
			cfg:    func(c *server.Config) { c.Insecure, c.TLSCertsDir = true, certs },
			want:   "--insecure and --tls-server-certs-dir (TLS_SERVER_CERTS_DIR) are mutually exclusive",
		},
		"NoCredentials": {
			reason: "Without certificates the server does not fall back to plaintext.",
			cfg:    func(c *server.Config) { c.Insecure, c.TLSCertsDir = false, "" },
			want:   "no credentials: set --tls-server-certs-dir (or TLS_SERVER_CERTS_DIR), or --insecure for development",
		},
		"MissingCerts": {
			reason: "A folder without the key pair is an error, not an insecure server.",
			cfg:    func(c *server.Config) { c.Insecure, c.TLSCertsDir = false, t.TempDir() },
			want:   "cannot load the server key pair from",
		},
		"ZeroMessageSize": {
			reason: "A request size limit of zero would refuse every call.",
			cfg:    func(c *server.Config) { c.MaxRecvMessageBytes = 0 },
			want:   "--max-recv-message-bytes must be a positive number of bytes, not 0",
		},
		"TooManyConcurrentCalls": {
			reason: "A limit beyond HTTP/2's 32 bits is an error, not cut short.",
			cfg:    func(c *server.Config) { c.MaxConcurrentCalls = 1 << 32 },
			want:   "--max-concurrent-calls must be at most 4294967295 (HTTP/2 counts streams in 32 bits), not 4294967296",
		},
		"NegativeGrace": {
			reason: "A negative grace period makes no sense.",
			cfg:    func(c *server.Config) { c.ShutdownGrace = -1 },
			want:   "--shutdown-grace must not be negative, not -1ns",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Address = "127.0.0.1:0"
			tc.cfg(&cfg)
			ctx, cancel := context.WithCancel(t.Context())
			cancel() // Should the config be accepted, stop at once.
			err := server.Run(ctx, echo{}, cfg, (&logs{}).logger())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s\nRun(...): want an error containing %q, got %v", tc.reason, tc.want, err)
			}
		})
	}
}

// TestInsecureIsLoud: serving without TLS says so in the log.
func TestInsecureIsLoud(t *testing.T) {
	cfg := testConfig()
	cfg.Address = "127.0.0.1:0"
	log := &logs{}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := server.Run(ctx, echo{}, cfg, log.logger()); err != nil {
		t.Fatalf("Run(...): %v", err)
	}
	want := "WARNING: serving WITHOUT TLS (--insecure)"
	if !strings.Contains(log.String(), want) {
		t.Errorf("Run(...) with --insecure: want the log to contain %q, got:\n%s", want, log.String())
	}
}
