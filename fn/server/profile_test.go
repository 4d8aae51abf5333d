package server_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/credentials/insecure"
)

var profileAddress = regexp.MustCompile(`"msg"="Serving profiles" "address"="([^"]+)"`)

// TestProfiles reads the profile listener: off unless asked for, and when
// asked for it serves pprof's index and a CPU profile longer than the
// metrics server's write timeout would allow.
func TestProfiles(t *testing.T) {
	cases := map[string]struct {
		reason  string
		address string
		want    bool
	}{
		"Off": {
			reason: "Without ProfileAddress no profile listener starts.",
		},
		"On": {
			reason:  "With ProfileAddress the pprof handlers are served there.",
			address: "127.0.0.1:0",
			want:    true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := testConfig()
			cfg.ProfileAddress = tc.address
			r := serve(t, echo{}, insecure.NewCredentials(), cfg)
			addr := loggedAddress(r, profileAddress, time.Second)
			if got := addr != ""; got != tc.want {
				t.Fatalf("%s\nprofile listener started: want %t, got %t; log:\n%s", tc.reason, tc.want, got, r.log)
			}
			if !tc.want {
				return
			}
			for path, want := range map[string]string{
				"/debug/pprof/":                  "goroutine",
				"/debug/pprof/profile?seconds=1": "", // a gzipped profile
			} {
				req, err := http.NewRequestWithContext(callCtx(t), http.MethodGet, "http://"+addr+path, nil)
				if err != nil {
					t.Fatal(err)
				}
				rsp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatalf("GET %s: %v", path, err)
				}
				var body strings.Builder
				_, _ = io.Copy(&body, rsp.Body)
				_ = rsp.Body.Close()
				if rsp.StatusCode != http.StatusOK || !strings.Contains(body.String(), want) || body.Len() == 0 {
					t.Errorf("%s\nGET %s: want 200 with %q, got %d (%d bytes)", tc.reason, path, want, rsp.StatusCode, body.Len())
				}
			}
		})
	}
}
