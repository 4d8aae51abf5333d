// Package auth stands in for the Nebius SDK's auth package: the types
// provider-kubernetes names, with no way to obtain a token.
package auth

// BearerToken is an IAM token; this build never issues one.
type BearerToken struct {
	Token string
}

// ServiceAccountReader reads a service account's key.
type ServiceAccountReader interface{ nebiusServiceAccount() }

type privateKeyParser struct{}

func (privateKeyParser) nebiusServiceAccount() {}

// NewPrivateKeyParser matches the real SDK's signature and keeps nothing.
func NewPrivateKeyParser([]byte, string, string) ServiceAccountReader { return privateKeyParser{} }
