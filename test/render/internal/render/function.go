package render

import (
	"time"

	"github.com/agentops-io/agentops/internal/proc"
)

// StopGrace is how long the function may take to stop.
const StopGrace = 10 * time.Second

// StartFunction runs the function's binary for renders, with internal/proc
// (the repository's one process starter): without TLS, as the CLI's
// Development runtime calls it, and without a metrics listener, which would
// need a second free port. The caller must Stop it.
func StartFunction(bin string) (*proc.Function, error) {
	return proc.StartFunction(bin, []string{"--insecure", "--metrics-address=", "--shutdown-grace=2s"}, proc.Options{})
}
