package proc

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"
)

// startTimeout bounds the wait for the function to serve; it starts in
// milliseconds, so only a broken binary reaches it.
const startTimeout = 60 * time.Second

// BinEnv names the variable that holds the function's binary: make builds
// it once (tools/build-function.sh) and passes it to every test that runs
// it, so that no test builds it with flags of its own.
const BinEnv = "FUNCTION_BIN"

// A Function is the function's binary, serving.
type Function struct {
	*Process
	// Addr is the host:port it serves RunFunction on.
	Addr string
}

// StartFunction runs the function's binary bin with args on a port of
// 127.0.0.1 the kernel picks (so that two runs never race for a port), and
// returns once it logs the address it serves on. args may not set
// --address; they set everything else (--insecure, --metrics-address, ...).
func StartFunction(bin string, args []string, o Options) (*Function, error) {
	p, err := Start(bin, append([]string{"--address=127.0.0.1:0"}, args...), o)
	if err != nil {
		return nil, err
	}
	addr, err := p.WaitFor(ServingAddress, startTimeout)
	if err != nil {
		_ = p.Stop(5 * time.Second)
		return nil, fmt.Errorf("%w\n%s", err, p.Output())
	}
	return &Function{Process: p, Addr: addr}, nil
}

// ServingAddress is the address of the function's "Serving RunFunction"
// log line (fn/server), for WaitFor.
func ServingAddress(line string) (string, bool) {
	var entry struct {
		Msg     string `json:"msg"`
		Address string `json:"address"`
	}
	if json.Unmarshal([]byte(line), &entry) != nil || entry.Msg != "Serving RunFunction" || entry.Address == "" {
		return "", false
	}
	return entry.Address, true
}

// FunctionBin is the binary make built, from FUNCTION_BIN. A test that runs
// the binary is skipped when FUNCTION_BIN is unset (a plain go test): make
// unit and make render-test always set it.
func FunctionBin(tb testing.TB) string {
	tb.Helper()
	bin, err := FunctionBinFromEnv()
	if errors.Is(err, errUnset) {
		tb.Skipf("%s is unset: make unit builds the function once and sets it", BinEnv)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return bin
}

var errUnset = errors.New(BinEnv + " is unset: run the tests with make, which builds the function once and sets it")

// FunctionBinFromEnv is FUNCTION_BIN, checked to name an executable file.
func FunctionBinFromEnv() (string, error) {
	bin := os.Getenv(BinEnv)
	if bin == "" {
		return "", errUnset
	}
	fi, err := os.Stat(bin) //nolint:gosec // The binary make built, named by FUNCTION_BIN.
	if err != nil {
		return "", fmt.Errorf("%s: %w", BinEnv, err)
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s=%s is not an executable file", BinEnv, bin)
	}
	return bin, nil
}
