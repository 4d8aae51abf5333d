package schemas

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Statuses of `crossplane resource validate -o json`.
const (
	StatusValid         = "valid"
	StatusInvalid       = "invalid"
	StatusMissingSchema = "missingSchema"
)

// A Report is the JSON `crossplane resource validate -o json` prints.
type Report struct {
	Summary struct {
		Total          int `json:"total"`
		Valid          int `json:"valid"`
		Invalid        int `json:"invalid"`
		MissingSchemas int `json:"missingSchemas"`
	} `json:"summary"`
	Resources []Resource `json:"resources"`
}

// A Resource is one validated object.
type Resource struct {
	APIVersion string       `json:"apiVersion"`
	Kind       string       `json:"kind"`
	Name       string       `json:"name"`
	Namespace  string       `json:"namespace,omitempty"`
	Status     string       `json:"status"`
	Errors     []FieldError `json:"errors,omitempty"`
}

// A FieldError is one problem of a Resource.
type FieldError struct {
	Type    string `json:"type"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (e FieldError) String() string {
	return fmt.Sprintf("%s %s: %s", e.Type, e.Field, e.Message)
}

// Validate runs `crossplane resource validate` (CLI v2) on the YAML stream
// resources, against the CRDs and XRDs of extensions (files or folders). It
// works offline: no extension is a package, so nothing is downloaded, and
// cacheDir stays empty. The report lists the resources in stream order.
func Validate(ctx context.Context, cli string, extensions []string, resources []byte, cacheDir string) (Report, error) {
	cmd := exec.CommandContext(ctx, cli, "resource", "validate", //nolint:gosec // The pinned CLI.
		strings.Join(extensions, ","), "-",
		"--cache-dir="+cacheDir, "--output=json", "--error-on-missing-schemas",
		// Empty: do not download the Crossplane image for its own CRDs.
		"--crossplane-image=")
	cmd.Stdin = bytes.NewReader(resources)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return Report{}, fmt.Errorf("cannot run %s resource validate: %w", cli, err)
	}
	var r Report
	if jerr := json.Unmarshal(stdout.Bytes(), &r); jerr != nil {
		return Report{}, fmt.Errorf("crossplane resource validate printed no report (%w, %w)\n%s%s", jerr, err, stdout.Bytes(), stderr.Bytes())
	}
	return r, nil
}
