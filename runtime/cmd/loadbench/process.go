package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// process is a runtime started by loadbench, stopped by its PID.
type process struct {
	cmd *exec.Cmd
	url string
}

// start runs the runtime on a free loopback port in front of upstream and
// waits until it is ready.
func start(bin, upstream string) (*process, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr, ok := l.Addr().(*net.TCPAddr)
	_ = l.Close()
	if !ok {
		return nil, fmt.Errorf("not a TCP address: %v", l.Addr())
	}
	port := addr.Port
	cmd := exec.CommandContext(context.Background(), bin)
	cmd.Env = []string{"PORT=" + strconv.Itoa(port), "MODEL_NAME=gpt-4o", "MODEL_PROVIDER=openai",
		"API_ENDPOINT=" + upstream + "/v1", "API_KEY=bench", "MAX_TOKENS=100", "TEMPERATURE=0.7",
		"MODEL_CONTEXT_WINDOW=128000", "LOG_LEVEL=warn", "MAX_CONCURRENT_REQUESTS=256", "SHUTDOWN_DELAY=0s"}
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, p.url+"/readyz", nil)
		if err != nil {
			return nil, err
		}
		if res, err := http.DefaultClient.Do(req); err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p, nil
			}
		}
	}
	p.stop()
	return nil, fmt.Errorf("%s did not become ready", bin)
}

func (p *process) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	_ = p.cmd.Wait()
}

// cpu is the process's user and system time (/proc/<pid>/stat, in clock
// ticks of 1/100 s).
func (p *process) cpu() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// rss is the process's resident set in KiB (/proc/<pid>/status VmRSS).
func (p *process) rss() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", p.cmd.Process.Pid)
}
