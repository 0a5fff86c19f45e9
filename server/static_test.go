//go:build linux

package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nslab/nslab/assets"
)

// staticFixture is a small file tree like the assets: a wasm with its
// precompressed .gz, a script, a style sheet and a page.
func staticFixture(t *testing.T) (fstest.MapFS, []byte) {
	wasm := bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 some module bytes "), 500)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(wasm)
	zw.Close()
	return fstest.MapFS{
		"dist/app.wasm":    {Data: wasm},
		"dist/app.wasm.gz": {Data: gz.Bytes()},
		"js/lab.js":        {Data: []byte("export const lab = 1;\n")},
		"css/lab.css":      {Data: []byte("body { margin: 0 }\n")},
		"page.html":        {Data: []byte("<!doctype html><title>x</title>\n")},
	}, wasm
}

// staticGet requests path from a real server over loopback with the
// given headers; the client neither asks for nor undoes gzip by itself,
// and follows no redirect.
func staticGet(t *testing.T, url, method, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	client := &http.Client{
		// One connection a request, closed after it: the server's
		// per-client connection limit must not fill up with idle ones.
		Transport:     &http.Transport{DisableCompression: true, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: body: %v", method, path, err)
	}
	return resp, body
}

func serveStatic(t *testing.T, fsys fs.FS) string {
	srv := New(Config{Static: fsys, Logger: testLogger(t)})
	t.Cleanup(func() { srv.Close() })
	return serveLoopback(t, srv, nil)
}

func TestStaticGzipNegotiated(t *testing.T) {
	fsys, wasm := staticFixture(t)
	url := serveStatic(t, fsys)
	for _, tc := range []struct {
		accept string // "" sends no Accept-Encoding
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br, zstd", true}, // what Chromium sends
		{"br;q=1.0, GZIP;q=0.5", true},
		{"x-gzip", true},
		{"*", true},
		{"gzip;q=0", false},
		{"gzip;q=0, *", false}, // gzip refused by name beats the wildcard
		{"*;q=0", false},
		{"br", false},
		{"identity", false},
		{"gzip;q=bogus", false},
	} {
		var hdr []string
		if tc.accept != "" {
			hdr = []string{"Accept-Encoding", tc.accept}
		}
		resp, body := staticGet(t, url, "GET", "/static/dist/app.wasm", hdr...)
		if resp.StatusCode != 200 {
			t.Fatalf("Accept-Encoding %q: %s", tc.accept, resp.Status)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/wasm" {
			t.Errorf("Accept-Encoding %q: Content-Type %q, want application/wasm", tc.accept, ct)
		}
		if v := resp.Header.Get("Vary"); v != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q, want Accept-Encoding", tc.accept, v)
		}
		enc := resp.Header.Get("Content-Encoding")
		if tc.gzip {
			if enc != "gzip" {
				t.Errorf("Accept-Encoding %q: Content-Encoding %q, want gzip", tc.accept, enc)
				continue
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("Accept-Encoding %q: %v", tc.accept, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatalf("Accept-Encoding %q: gunzip: %v", tc.accept, err)
			}
		} else if enc != "" {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want none", tc.accept, enc)
		}
		if !bytes.Equal(body, wasm) {
			t.Errorf("Accept-Encoding %q: the file's content differs (%d bytes, want %d)", tc.accept, len(body), len(wasm))
		}
	}
	// A file without a .gz is sent as it is, whatever the client accepts.
	resp, body := staticGet(t, url, "GET", "/static/js/lab.js", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "" || string(body) != "export const lab = 1;\n" {
		t.Errorf("lab.js with gzip accepted: Content-Encoding %q, body %q; want the file as it is", resp.Header.Get("Content-Encoding"), body)
	}
}

func TestStaticETagAndCaching(t *testing.T) {
	fsys, _ := staticFixture(t)
	url := serveStatic(t, fsys)
	etags := map[string]string{}
	for _, tc := range []struct{ path, ctype string }{
		{"/static/js/lab.js", "text/javascript; charset=utf-8"},
		{"/static/css/lab.css", "text/css; charset=utf-8"},
		{"/static/page.html", "text/html; charset=utf-8"},
		{"/static/dist/app.wasm", "application/wasm"},
	} {
		resp, body := staticGet(t, url, "GET", tc.path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
			t.Fatalf("GET %s: %s, ETag %q; want 200 with a strong ETag", tc.path, resp.Status, etag)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache (revalidate)", tc.path, cc)
		}
		if ct := resp.Header.Get("Content-Type"); ct != tc.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, ct, tc.ctype)
		}
		if other, ok := etags[etag]; ok {
			t.Errorf("%s and %s share the ETag %s", tc.path, other, etag)
		}
		etags[etag] = tc.path

		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			resp, body304 := staticGet(t, url, "GET", tc.path, "If-None-Match", inm)
			if resp.StatusCode != http.StatusNotModified || len(body304) != 0 || resp.Header.Get("ETag") != etag {
				t.Errorf("GET %s, If-None-Match %s: %s, %d bytes, ETag %q; want 304, no body, the ETag", tc.path, inm, resp.Status, len(body304), resp.Header.Get("ETag"))
			}
		}
		resp, again := staticGet(t, url, "GET", tc.path, "If-None-Match", `"stale"`)
		if resp.StatusCode != 200 || !bytes.Equal(again, body) {
			t.Errorf("GET %s with a stale ETag: %s, want 200 and the file", tc.path, resp.Status)
		}
		resp, head := staticGet(t, url, "HEAD", tc.path)
		if resp.StatusCode != 200 || len(head) != 0 || resp.Header.Get("ETag") != etag {
			t.Errorf("HEAD %s: %s, %d bytes, ETag %q", tc.path, resp.Status, len(head), resp.Header.Get("ETag"))
		}
	}

	// The gzip body is another representation: its own ETag, and an
	// If-None-Match of one never answers 304 for the other.
	plain, _ := staticGet(t, url, "GET", "/static/dist/app.wasm")
	zipped, _ := staticGet(t, url, "GET", "/static/dist/app.wasm", "Accept-Encoding", "gzip")
	pe, ze := plain.Header.Get("ETag"), zipped.Header.Get("ETag")
	if pe == ze {
		t.Fatalf("the wasm and its gzip share the ETag %s", pe)
	}
	if resp, _ := staticGet(t, url, "GET", "/static/dist/app.wasm", "Accept-Encoding", "gzip", "If-None-Match", ze); resp.StatusCode != 304 || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip revalidated: %s, Content-Encoding %q; want 304 without a body encoding", resp.Status, resp.Header.Get("Content-Encoding"))
	}
	if resp, body := staticGet(t, url, "GET", "/static/dist/app.wasm", "If-None-Match", ze); resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" || len(body) == 0 {
		t.Errorf("the plain wasm with the gzip's ETag: %s, want 200 and the plain file", resp.Status)
	}

	// A new deploy changes a file: its ETag changes, so the browser's
	// revalidation fetches it.
	fsys["js/lab.js"] = &fstest.MapFile{Data: []byte("export const lab = 2;\n")}
	url2 := serveStatic(t, fsys)
	old, _ := staticGet(t, url, "GET", "/static/js/lab.js")
	resp, body := staticGet(t, url2, "GET", "/static/js/lab.js", "If-None-Match", old.Header.Get("ETag"))
	if resp.StatusCode != 200 || string(body) != "export const lab = 2;\n" {
		t.Errorf("changed lab.js revalidated with the old ETag: %s %q, want 200 and the new file", resp.Status, body)
	}
}

// The embedded assets themselves: every file has a validator and is
// revalidated, and paths that are no file stay 404.
func TestStaticAssetsServed(t *testing.T) {
	url := serveStatic(t, assets.FS)
	n := 0
	fs.WalkDir(assets.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		resp, _ := staticGet(t, url, "HEAD", "/static/"+p, "Accept-Encoding", "gzip")
		if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" || resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("HEAD /static/%s: %s, ETag %q, Cache-Control %q", p, resp.Status, resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
		}
		if strings.HasSuffix(p, ".wasm") && resp.Header.Get("Content-Type") != "application/wasm" {
			t.Errorf("HEAD /static/%s: Content-Type %q, want application/wasm", p, resp.Header.Get("Content-Type"))
		}
		return nil
	})
	if n == 0 {
		t.Fatal("the assets hold no files")
	}
	for _, p := range []string{"/static/js/", "/static/js/./lab.js", "/static/js//lab.js", "/static/nothing.js", "/static/dist/app.wasm.gz/x"} {
		resp, _ := staticGet(t, url, "GET", p)
		if resp.StatusCode != 404 && resp.StatusCode/100 != 3 {
			t.Errorf("GET %s: %s, want 404 (or the mux's cleaning redirect)", p, resp.Status)
		}
	}
}

func TestAcceptsGzipHeaderValues(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{"deflate", "gzip"}, true}, // two header lines
		{[]string{" gzip ; q=0.001 "}, true},
		{[]string{"gzip; q=0.000"}, false},
		{[]string{"*;q=0.5", "gzip;q=0"}, false},
	} {
		if got := acceptsGzip(tc.values); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.values, got, tc.want)
		}
	}
}
