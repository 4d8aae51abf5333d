package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/agentops-io/agentops/internal/proc"
)

// process is a runtime started by loadbench through the project's one
// process starter: stopped by its PID, and by the kernel should loadbench
// die first.
type process struct {
	*proc.Process
	url string
}

// start runs the runtime on a free loopback port in front of upstream and
// waits until it is ready.
func start(bin, upstream string) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	p, err := proc.Start(bin, nil, proc.Options{Output: os.Stderr, Env: []string{
		"PORT=" + strconv.Itoa(port), "MODEL_NAME=gpt-4o", "MODEL_PROVIDER=openai",
		"API_ENDPOINT=" + upstream + "/v1", "API_KEY=bench", "MAX_TOKENS=100", "TEMPERATURE=0.7",
		"MODEL_CONTEXT_WINDOW=128000", "LOG_LEVEL=warn", "MAX_CONCURRENT_REQUESTS=256", "SHUTDOWN_DELAY=0s",
	}})
	if err != nil {
		return nil, err
	}
	r := &process{Process: p, url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if r.ready() {
			return r, nil
		}
	}
	r.stop()
	return nil, fmt.Errorf("%s did not become ready: %s", bin, p.Output())
}

// ready is whether the runtime answers /readyz with 200.
func (p *process) ready() bool {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, p.url+"/readyz", nil)
	if err != nil {
		return false
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	_ = res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// freePort is a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, fmt.Errorf("not a TCP address: %v", l.Addr())
	}
	return addr.Port, nil
}

// stop ends the runtime by its PID: SIGTERM, then SIGKILL if it lingers.
func (p *process) stop() { _ = p.Stop(10 * time.Second) }

// cpu is the CPU time the runtime has used so far.
func (p *process) cpu() (time.Duration, error) { return proc.CPUTime(p.PID()) }

// rss is the runtime's resident set in KiB.
func (p *process) rss() (int64, error) {
	m, err := proc.MemoryOf(p.PID())
	return m.RSS >> 10, err
}
