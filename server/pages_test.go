//go:build linux

package server

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/nslab/nslab/assets"
)

func TestPagesAndHeaders(t *testing.T) {
	h := newHarness(t, Limits{}, func(c *Config) { c.Static = assets.FS })
	lab := h.create()
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/", 200, "Start a live lab"},
		{"/lab/" + lab.ID, 200, lab.ID},
		{"/lab/nosuchlab000", 200, "nosuchlab000"}, // the page does not tell
		{"/lab/..%2F..%2Fetc", 404, ""},
		{"/sim", 200, "simulator"},
		{"/replay", 200, `data-mode="replay"`},
		{"/static/js/transport.js", 200, "WebSocketTransport"},
		{"/static/js/", 404, ""},
		{"/static/js", 404, ""},
		{"/static/../go.mod", 404, ""},
		{"/static/nothing.js", 404, ""},
		{"/nothing", 404, ""},
	} {
		resp, body := h.do(http.DefaultClient, "GET", tc.path, "", "")
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("GET %s: %s, want %d with %q", tc.path, resp.Status, tc.status, tc.want)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", tc.path)
		}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("GET %s: CSP %q lacks %q", tc.path, csp, want)
				}
			}
		}
	}
	if resp, _ := h.do(http.DefaultClient, "GET", "/static/js/lab.js", "", ""); !strings.Contains(resp.Header.Get("Content-Type"), "javascript") {
		t.Errorf("lab.js served as %q", resp.Header.Get("Content-Type"))
	}
	resp, body := h.do(http.DefaultClient, "GET", "/healthz", "", "")
	var health map[string]any
	json.Unmarshal(body, &health)
	if resp.StatusCode != 200 || health["ok"] != true || health["labs"] != 1.0 || health["mode"] != "live" {
		t.Errorf("healthz: %s %s, want ok, 1 lab, live", resp.Status, body)
	}
	if resp, body := h.do(http.DefaultClient, "GET", "/api/nothing", "", ""); resp.StatusCode != 404 || !strings.Contains(string(body), `"error"`) {
		t.Errorf("unknown API path: %s %s, want a JSON 404", resp.Status, body)
	}
}

func TestFrameAncestorsAsConfigured(t *testing.T) {
	srv := New(Config{Pages: WebPages(), FrameAncestors: "https://course.example", Logger: testLogger(t)})
	defer srv.Close()
	h := &harness{t: t, srv: srv, url: serveLoopback(t, srv, nil)}
	resp, _ := h.do(http.DefaultClient, "GET", "/sim", "", "")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://course.example") {
		t.Errorf("CSP %q, want frame-ancestors https://course.example", csp)
	}
	if xfo := resp.Header.Get("X-Frame-Options"); xfo != "" {
		t.Errorf("X-Frame-Options %q would forbid the configured embedding", xfo)
	}
}

// Without an engine (namespaces unavailable) the server offers the
// simulator and says why live labs are refused.
func TestSimOnlyMode(t *testing.T) {
	srv := New(Config{Pages: WebPages(), NoEngineReason: "live labs need root", Logger: testLogger(t)})
	defer srv.Close()
	h := &harness{t: t, srv: srv, url: serveLoopback(t, srv, nil)}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, _ := h.do(noRedirect, "GET", "/", "", "")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sim" {
		t.Errorf("GET / in sim mode: %s to %q, want 303 to /sim", resp.Status, resp.Header.Get("Location"))
	}
	resp, body := h.do(http.DefaultClient, "POST", "/api/labs", "", "")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "live labs need root") || !strings.Contains(string(body), "/sim") {
		t.Errorf("POST /api/labs in sim mode: %s %s, want 503 saying why and pointing to /sim", resp.Status, body)
	}
	resp, body = h.do(http.DefaultClient, "GET", "/healthz", "", "")
	if !strings.Contains(string(body), `"mode":"sim"`) {
		t.Errorf("healthz in sim mode: %s %s", resp.Status, body)
	}
	if _, err := fs.Stat(assets.FS, "js/transport.js"); err != nil {
		t.Errorf("assets: %v", err)
	}
}
