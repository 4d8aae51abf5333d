package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGeneratedModelsAreCurrent(t *testing.T) {
	committed, err := os.ReadFile(filepath.Join("..", "..", "v1alpha1", "zz_generated.models.go"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(Source()), string(committed)); diff != "" {
		t.Errorf("apis/v1alpha1/zz_generated.models.go is stale: run 'make generate'. -want, +got:\n%s", diff)
	}
}

func TestConstName(t *testing.T) {
	cases := map[string]struct {
		reason string
		model  string
		want   string
	}{
		"Dashes":  {reason: "Dashes start a new capitalised word.", model: "claude-3-opus", want: "ModelClaude3Opus"},
		"Dots":    {reason: "Dots become underscores so versions stay readable.", model: "gpt-3.5-turbo", want: "ModelGpt3_5Turbo"},
		"Letters": {reason: "A letter after a digit keeps its case.", model: "mixtral-8x7b", want: "ModelMixtral8x7b"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := constName(tc.model); got != tc.want {
				t.Errorf("%s\nconstName(%q): want %q, got %q", tc.reason, tc.model, tc.want, got)
			}
		})
	}
}
