//go:build linux

package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/nsengine"
	"github.com/nslab/nslab/server"
)

// The generator only ever loads this machine, and only for a bounded
// time with a bounded number of labs.
func TestRefusesAnythingButLoopbackAndUnboundedRuns(t *testing.T) {
	for _, tc := range []struct {
		url      string
		labs     int
		duration time.Duration
		want     string // "" = accepted
	}{
		{"http://127.0.0.1:8080", 10, 30 * time.Second, ""},
		{"http://127.3.4.5:8080", 10, 30 * time.Second, ""},
		{"http://[::1]:8080", 10, 30 * time.Second, ""},
		{"http://localhost:8080", 10, 30 * time.Second, ""},
		{"http://10.0.0.1:8080", 10, 30 * time.Second, "not a loopback"},
		{"http://192.168.1.1", 10, 30 * time.Second, "not a loopback"},
		{"http://[2001:db8::1]:80", 10, 30 * time.Second, "not a loopback"},
		{"http://0.0.0.0:8080", 10, 30 * time.Second, "not a loopback"},
		{"http://nslab-load-test.invalid", 10, 30 * time.Second, "cannot resolve"},
		{"ftp://127.0.0.1", 10, 30 * time.Second, "want http"},
		{"http://127.0.0.1:8080", maxLabs + 1, 30 * time.Second, "--labs"},
		{"http://127.0.0.1:8080", 0, 30 * time.Second, "--labs"},
		{"http://127.0.0.1:8080", 10, maxDuration + time.Second, "--duration"},
		{"http://127.0.0.1:8080", 10, 0, "--duration"},
	} {
		_, err := checkFlags(tc.url, tc.labs, tc.duration, 100*time.Millisecond)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s, %d labs, %s: refused (%v), want accepted", tc.url, tc.labs, tc.duration, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s, %d labs, %s: %v, want an error with %q", tc.url, tc.labs, tc.duration, err, tc.want)
		}
	}
}

// A short run against a real server: every key is echoed, nothing fails,
// and the labs are gone afterwards.
func TestShortRunAgainstALiveServer(t *testing.T) {
	testenv.RequireRoot(t)
	if err := nsengine.Probe(); err != nil {
		testenv.Missing(t, "live labs", err.Error())
	}
	eng, err := nsengine.New(nsengine.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Engine: server.Live(eng), Pages: server.WebPages(),
		Limits: server.Limits{MaxLabsPerClient: -1, CreatesPerMinute: -1}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer("")
	go hs.Serve(ln)
	defer func() {
		hs.Close()
		srv.Close()
		eng.Close()
	}()

	var out, errs strings.Builder
	code := run([]string{"--url", "http://" + ln.Addr().String(), "--labs", "3", "--duration", "2s", "--key-interval", "30ms"}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errs.String())
	}
	var res result
	if err := json.Unmarshal([]byte(strings.SplitN(out.String(), "\n", 2)[0]), &res); err != nil {
		t.Fatalf("first line is not the JSON result: %v\n%s", err, out.String())
	}
	if res.Labs != 3 || res.Keystrokes < 10 || res.Errors != 0 || res.P99 <= 0 || res.P50 > res.P99 {
		t.Errorf("result %+v: want 3 labs, keystrokes, no errors, p50 ≤ p99", res)
	}
	if n := srv.Stats().Labs; n != 0 {
		t.Errorf("%d labs left on the server after the run", n)
	}
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz after the run: %v %v", resp, err)
	}
}
