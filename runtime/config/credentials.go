package config

import (
	"errors"
	"strings"
)

// Credentials give the API key to send with each provider call: API_KEY, or
// the current content of API_KEY_FILE.
type Credentials struct {
	static string
	file   *WatchedFile
}

// NewCredentials takes the key from c; file is API_KEY_FILE's watcher, nil
// when the variable is not set.
func NewCredentials(c *Config, file *WatchedFile) *Credentials {
	return &Credentials{static: c.APIKey, file: file}
}

// ErrNoAPIKey says that no API key is configured.
var ErrNoAPIKey = errors.New("no API key: set API_KEY or API_KEY_FILE")

// Key is the API key, or why there is none. A file that cannot be read
// while it is being replaced keeps its previous key.
func (c *Credentials) Key() (string, error) {
	if c.static != "" {
		return c.static, nil
	}
	if c.file == nil {
		return "", ErrNoAPIKey
	}
	b, err := c.file.Content()
	if k := strings.TrimSpace(string(b)); k != "" {
		return k, nil
	}
	if err != nil {
		return "", err
	}
	return "", errors.New("no API key: API_KEY_FILE is empty")
}
