package contract_test

import (
	"os"
	"path/filepath"
	"testing"
)

func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "agent-contract.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
