package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCheckOrigin(t *testing.T) {
	for _, o := range []string{
		"https://course.example", "http://127.0.0.1:8080", "https://course.example/", "http://[::1]:3000",
		"HTTPS://Course.Example", "https://a.b.c.example:443",
	} {
		if err := CheckOrigin(o); err != nil {
			t.Errorf("CheckOrigin(%q): %v, want nil", o, err)
		}
	}
	for _, o := range []string{
		"", "course.example", "//course.example", "ftp://course.example", "https://", "https://course.example/path",
		"https://course.example?x=1", "https://course.example#f", "https://user@course.example", "https://*.example",
		"https://course.example:0", "https://course.example:65536", "https://course.example:http", "https://course.example:",
		"https://a.example https://b.example", "https://a.example;", "'self'", "*", "data:", "javascript:alert(1)",
		"https://course.example\r\nX-Evil: 1", "https://" + strings.Repeat("a", 300) + ".example",
	} {
		if err := CheckOrigin(o); err == nil {
			t.Errorf("CheckOrigin(%q): nil, want an error", o)
		} else if !strings.Contains(err.Error(), "origin") {
			t.Errorf("CheckOrigin(%q): %v: does not say what an origin is", o, err)
		}
	}
	many := make([]string, maxEmbedOrigins+1)
	for i := range many {
		many[i] = "https://course.example"
	}
	if err := CheckOrigins(many); err == nil {
		t.Errorf("CheckOrigins of %d origins: nil, want an error", len(many))
	}
}

func TestFrameAncestors(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, "'none'"},
		{[]string{"'none'"}, "'none'"},
		{[]string{"none"}, "'none'"},
		{[]string{"'self'"}, "'self'"},
		{[]string{"https://Course.Example/", "'self'", "http://127.0.0.1:9000"}, "https://course.example 'self' http://127.0.0.1:9000"},
		{[]string{"https://course.example:443", "http://course.example:80", "http://course.example:443"}, "https://course.example http://course.example http://course.example:443"},
	} {
		got, err := FrameAncestors(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("FrameAncestors(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range [][]string{
		{"'none'", "https://course.example"},
		{"'none'; script-src *"},
		{"*"},
		{"https:"},
		{"https://*.example"},
		{"course.example"},
		{"https://course.example/embed"},
		{"'unsafe-inline'"},
		{""},
	} {
		if got, err := FrameAncestors(in); err == nil {
			t.Errorf("FrameAncestors(%q) = %q, want an error", in, got)
		}
	}
}

// TestEmbedConfigAndFrameAncestors asks a real server (over loopback) for
// the embedding configuration and a page's headers, with the origins
// configured and without.
func TestEmbedConfigAndFrameAncestors(t *testing.T) {
	get := func(cfg Config, path string) (*http.Response, []byte) {
		cfg.Pages = WebPages()
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		s := New(cfg)
		t.Cleanup(func() { s.Close() })
		ts := httptest.NewServer(s)
		t.Cleanup(ts.Close)
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	conf := func(cfg Config) EmbedConfig {
		t.Helper()
		resp, b := get(cfg, "/static/embed.json")
		var c EmbedConfig
		if err := json.Unmarshal(b, &c); resp.StatusCode != 200 || err != nil || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("GET /static/embed.json: %s %q %s: %v", resp.Status, resp.Header.Get("Content-Type"), b, err)
		}
		return c
	}
	if c := conf(Config{}); c.Version != EmbedVersion || c.Origins == nil || len(c.Origins) != 0 {
		t.Errorf("without origins: %+v, want version %d and an empty list", c, EmbedVersion)
	}
	if c := conf(Config{EmbedOrigins: []string{"https://Course.Example/", "http://127.0.0.1:9000"}}); strings.Join(c.Origins, " ") != "https://course.example http://127.0.0.1:9000" {
		t.Errorf("with origins: %+v", c)
	}
	// A list with something else in it (a caller that did not check) lets
	// in nothing rather than something unchecked.
	if c := conf(Config{EmbedOrigins: []string{"https://course.example", "*"}}); len(c.Origins) != 0 {
		t.Errorf("with a bad origin: %+v, want none", c)
	}

	for _, tc := range []struct {
		frame, want string
		xfo         string
	}{
		{"", "frame-ancestors 'none'", "DENY"},
		{"https://course.example http://127.0.0.1:9000", "frame-ancestors https://course.example http://127.0.0.1:9000", ""},
	} {
		for _, path := range []string{"/sim", "/lab/abcdefghijkl"} {
			resp, _ := get(Config{FrameAncestors: tc.frame}, path)
			csp := resp.Header.Get("Content-Security-Policy")
			if resp.StatusCode != 200 || !strings.HasSuffix(csp, tc.want) || resp.Header.Get("X-Frame-Options") != tc.xfo {
				t.Errorf("GET %s with FrameAncestors %q: %s, CSP %q, X-Frame-Options %q; want CSP ending in %q and X-Frame-Options %q",
					path, tc.frame, resp.Status, csp, resp.Header.Get("X-Frame-Options"), tc.want, tc.xfo)
			}
		}
	}
}
