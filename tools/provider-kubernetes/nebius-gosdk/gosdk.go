// Package gosdk stands in for the Nebius SDK with the one surface
// provider-kubernetes calls: every constructor refuses, so a ProviderConfig
// with Nebius credentials fails with a message saying why.
package gosdk

import (
	"context"
	"errors"

	"github.com/nebius/gosdk/auth"
)

// ErrNotSupported is what every call returns.
var ErrNotSupported = errors.New("nebius authentication is not supported in this build of provider-kubernetes")

// SDK is never built: New always fails.
type SDK struct{}

// Option configures New; this build ignores it.
type Option interface{ nebiusOption() }

// Credentials is what WithCredentials takes.
type Credentials interface{ nebiusCredentials() }

type credentials struct{}

func (credentials) nebiusCredentials() {}

type option struct{}

func (option) nebiusOption() {}

// New refuses: this build cannot reach Nebius IAM.
func New(context.Context, ...Option) (*SDK, error) { return nil, ErrNotSupported }

// WithCredentials matches the real SDK's signature.
func WithCredentials(Credentials) Option { return option{} }

// ServiceAccountReader matches the real SDK's signature.
func ServiceAccountReader(auth.ServiceAccountReader) Credentials { return credentials{} }

// BearerToken refuses.
func (*SDK) BearerToken(context.Context) (auth.BearerToken, error) {
	return auth.BearerToken{}, ErrNotSupported
}
