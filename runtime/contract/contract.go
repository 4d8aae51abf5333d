// Package contract lists what the runtime reads and serves: the agent
// contract of docs/agent-contract.md, as constants the runtime uses and a
// test holds the function's composed Deployment to.
package contract

// The one port and the paths served on it.
const (
	Port            = 8080
	PathHealthz     = "/healthz"
	PathReadyz      = "/readyz"
	PathMetrics     = "/metrics"
	PathCompletions = "/v1/chat/completions"
)

// UID and GID the runtime runs as, in the image and in the pod.
const (
	UID = 65532
	GID = 65532
)

// Environment variables the function composes.
const (
	EnvPort               = "PORT"
	EnvModelName          = "MODEL_NAME"
	EnvModelProvider      = "MODEL_PROVIDER"
	EnvAPIEndpoint        = "API_ENDPOINT"
	EnvAPIKey             = "API_KEY"
	EnvAPIKeyFile         = "API_KEY_FILE" //nolint:gosec // a variable's name, not a credential
	EnvMaxTokens          = "MAX_TOKENS"
	EnvTemperature        = "TEMPERATURE"
	EnvSystemPromptFile   = "SYSTEM_PROMPT_FILE"
	EnvModelContextWindow = "MODEL_CONTEXT_WINDOW"
)

// Environment variables with defaults, for platform teams.
const (
	EnvRequestTimeout        = "REQUEST_TIMEOUT"
	EnvMaxRetries            = "MAX_RETRIES"
	EnvMaxConcurrentRequests = "MAX_CONCURRENT_REQUESTS"
	EnvMaxRequestBytes       = "MAX_REQUEST_BYTES"
	EnvShutdownDelay         = "SHUTDOWN_DELAY"
	EnvShutdownTimeout       = "SHUTDOWN_TIMEOUT"
	EnvFilePollInterval      = "FILE_POLL_INTERVAL"
	EnvPricesFile            = "PRICES_FILE"
	EnvLogLevel              = "LOG_LEVEL"
)

// Env is every variable the runtime reads.
var Env = []string{
	EnvPort, EnvModelName, EnvModelProvider, EnvAPIEndpoint, EnvAPIKey, EnvAPIKeyFile,
	EnvMaxTokens, EnvTemperature, EnvSystemPromptFile, EnvModelContextWindow,
	EnvRequestTimeout, EnvMaxRetries, EnvMaxConcurrentRequests, EnvMaxRequestBytes,
	EnvShutdownDelay, EnvShutdownTimeout, EnvFilePollInterval, EnvPricesFile, EnvLogLevel,
}

// Paths is every HTTP path the runtime serves.
var Paths = []string{PathHealthz, PathReadyz, PathMetrics, PathCompletions}

// WritableDir is the only directory the runtime may write to; the root
// filesystem is read-only.
const WritableDir = "/tmp"

// A Mount is a directory the runtime expects in its filesystem, and the
// variable naming a file it reads there.
type Mount struct {
	Dir string
	// FileEnv names the variable whose file lives under Dir; empty for /tmp.
	FileEnv  string
	Writable bool
}

// Mounts the runtime reads from (or, /tmp, writes to).
var Mounts = []Mount{
	{Dir: WritableDir, Writable: true},
	{Dir: "/etc/agentops/config", FileEnv: EnvSystemPromptFile},
	{Dir: "/vault/secrets", FileEnv: EnvAPIKeyFile},
}
