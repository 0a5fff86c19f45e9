//go:build linux

package server

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/nslab/nslab/assets"
)

// Each test here tries an attack on the server from the network and
// checks two things: the attacker gets a clear refusal, and nothing else
// changed (unharmed): the labs still run commands, and the server holds
// no more goroutines or file descriptors than before.

// baseline is what the server's process holds before an attack.
type baseline struct{ goroutines, fds int }

// takeBaseline counts after the test client's idle connections closed.
func takeBaseline() baseline {
	closeIdle()
	time.Sleep(50 * time.Millisecond) // let the server's side of them end
	return baseline{runtime.NumGoroutine(), openFDs()}
}

func closeIdle() {
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
}

// openFDs counts this process's open file descriptors.
func openFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// unharmed checks that every lab still answers `echo ok` through the API
// and that goroutines and descriptors are back to b.
func (h *harness) unharmed(b baseline, labs ...created) {
	h.t.Helper()
	for _, l := range labs {
		res, status, body := h.execIn(l, "echo ok")
		if status != http.StatusOK || res.Stdout != "ok\n" {
			h.t.Errorf("lab %s after the attack: exec `echo ok` answered %d %s", l.ID, status, body)
		}
	}
	deadline := time.Now().Add(waitLimit)
	for {
		closeIdle()
		g, f := runtime.NumGoroutine(), openFDs()
		if g <= b.goroutines && f <= b.fds {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			h.t.Fatalf("after the attack: %d goroutines (%d before), %d descriptors (%d before):\n%s",
				g, b.goroutines, f, b.fds, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rawRequest sends req (a whole HTTP/1.1 request) on a new connection
// and reads the answer, so that paths reach the server exactly as
// written, unlike with an http.Client that cleans them.
func (h *harness) rawRequest(req string) (*http.Response, string) {
	h.t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	if err != nil {
		h.t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitLimit))
	if _, err := io.WriteString(c, req); err != nil {
		h.t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		h.t.Fatalf("request %q: %v", strings.SplitN(req, "\r\n", 2)[0], err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func get(path string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
}

// Slowloris: clients that trickle their headers a byte at a time hold a
// connection each until ReadHeaderTimeout cuts them off; meanwhile other
// clients are served.
func TestSlowlorisHeadersAreCutOffByReadHeaderTimeout(t *testing.T) {
	var real time.Duration
	h := newHarnessHTTP(t, Limits{MaxConnsPerClient: 100}, func(hs *http.Server) {
		real = hs.ReadHeaderTimeout
		hs.ReadHeaderTimeout = 300 * time.Millisecond // shortened for the test
	})
	if real != readHeaderTimeout || real <= 0 {
		t.Fatalf("HTTPServer's ReadHeaderTimeout is %s, want %s", real, readHeaderTimeout)
	}
	lab := h.create()
	b := takeBaseline()

	const slow = 40
	var wg sync.WaitGroup
	cut := make(chan error, slow)
	var conns []net.Conn
	for i := 0; i < slow; i++ {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
		c, err := d.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A trickle that, unchecked, would take half an hour to fill
			// the header limit.
			io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
			stop := make(chan struct{})
			go func() {
				for {
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Millisecond):
					}
					if _, err := c.Write([]byte("a")); err != nil {
						return
					}
				}
			}()
			c.SetReadDeadline(time.Now().Add(waitLimit))
			_, err := c.Read(make([]byte, 512))
			close(stop)
			cut <- err
		}()
	}
	// Served while the slow clients hang on.
	resp, body := h.do(http.DefaultClient, "GET", "/healthz", "", "")
	if resp.StatusCode != 200 {
		t.Errorf("healthz during the slowloris: %s %s", resp.Status, body)
	}
	res, status, _ := h.execIn(lab, "echo during")
	if status != 200 || res.Stdout != "during\n" {
		t.Errorf("exec during the slowloris: %d %+v", status, res)
	}
	wg.Wait()
	close(cut)
	for err := range cut {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("a trickling client was not cut off within %s", waitLimit)
		}
		if err == nil {
			t.Errorf("a trickling client got an answer instead of being cut off")
		}
	}
	for _, c := range conns {
		c.Close()
	}
	h.unharmed(b, lab)
}

// One address opening connections that send nothing cannot take all the
// server's connections: beyond its share it gets 503, and beyond the
// total everyone does, until connections close.
func TestTooManyConnectionsPerClientAndInAll(t *testing.T) {
	h := newHarness(t, Limits{MaxConns: 8, MaxConnsPerClient: 4})
	lab := h.create()
	b := takeBaseline()
	addr := strings.TrimPrefix(h.url, "http://")
	hog := func(ip string) net.Conn {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// refused reads what the server says to a connection right away.
	refused := func(c net.Conn) string {
		c.SetReadDeadline(time.Now().Add(waitLimit))
		io.WriteString(c, get("/healthz"))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return "error " + err.Error()
		}
		return resp.Status + " Retry-After=" + resp.Header.Get("Retry-After")
	}
	var hogs []net.Conn
	defer func() {
		for _, c := range hogs {
			c.Close()
		}
	}()
	for i := 0; i < 4; i++ {
		hogs = append(hogs, hog("127.0.0.2"))
	}
	waitFor(t, "the server holds the four idle connections of 127.0.0.2", func() bool {
		_, n := h.srv.conns.count("127.0.0.2")
		return n == 4
	})
	extra := hog("127.0.0.2")
	if got := refused(extra); got != "503 Service Unavailable Retry-After=10" {
		t.Errorf("a fifth connection from one address: %s, want 503 with Retry-After", got)
	}
	extra.Close()
	// Another address is served meanwhile.
	if resp, body := h.do(http.DefaultClient, "GET", "/healthz", "", ""); resp.StatusCode != 200 {
		t.Errorf("another address while 127.0.0.2 is at its limit: %s %s", resp.Status, body)
	}
	closeIdle()
	for i := 0; i < 4; i++ {
		hogs = append(hogs, hog("127.0.0.3"))
	}
	waitFor(t, "the server holds eight idle connections", func() bool {
		n, _ := h.srv.conns.count("")
		return n == 8
	})
	extra = hog("127.0.0.4")
	if got := refused(extra); got != "503 Service Unavailable Retry-After=10" {
		t.Errorf("a connection beyond the server's total: %s, want 503 with Retry-After", got)
	}
	extra.Close()
	// A websocket, once upgraded, does not count: the lab's page still
	// works when the hogs go.
	for _, c := range hogs {
		c.Close()
	}
	hogs = nil
	waitFor(t, "the hogs' connections are counted out", func() bool {
		n, _ := h.srv.conns.count("")
		return n == 0
	})
	// (No terminal: its shell would rightly outlive the connection.)
	c := h.dial(lab)
	c.sendJSON(map[string]any{"type": "ping"})
	c.expect("pong")
	if n, _ := h.srv.conns.count(""); n != 0 {
		t.Errorf("an upgraded websocket counts as %d HTTP connections, want 0", n)
	}
	c.ws.Close()
	h.unharmed(b, lab)
}

// Path traversal against the static files: no file outside them, no
// folder listing, whatever the encoding.
func TestStaticFilesResistPathTraversal(t *testing.T) {
	h := newHarness(t, Limits{}, func(c *Config) { c.Static = assets.FS })
	lab := h.create()
	b := takeBaseline()

	// A real file is served, so the refusals below are not a broken
	// static handler.
	var file string
	fs.WalkDir(assets.FS, "dist", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && file == "" {
			file = p
		}
		return nil
	})
	if resp, _ := h.rawRequest(get("/static/" + file)); resp.StatusCode != 200 {
		t.Fatalf("GET /static/%s: %s, want 200", file, resp.Status)
	}

	for _, path := range []string{
		"/static/../go.mod",
		"/static/../../../../etc/passwd",
		"/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
		"/static/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
		"/static/..%2f..%2f..%2fetc%2fpasswd",
		"/static/dist%2f..%2f..%2f..%2fetc%2fpasswd",
		"/static/..%5c..%5cetc%5cpasswd",
		"/static//etc/passwd",
		"/static/%2fetc%2fpasswd",
		"/static/./../server/server.go",
		"/static/dist/",
		"/static/dist",
		"/static/dist/.",
		"/static/",
		"/static",
		"/static/js/",
		"/static/%00",
		"/static/dist/%00../../etc/passwd",
	} {
		resp, body := h.rawRequest(get(path))
		for hop := 0; hop < 3 && resp.StatusCode/100 == 3; hop++ {
			// The mux cleans paths with a redirect; the cleaned path
			// must not serve anything either.
			loc := resp.Header.Get("Location")
			if !strings.HasPrefix(loc, "/") {
				t.Fatalf("%s: redirect to %q, off the server", path, loc)
			}
			resp, body = h.rawRequest(get(loc))
		}
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %s, want 404 or 400", path, resp.Status)
		}
		for _, leak := range []string{"root:x:0:0", "module github.com", "package server", "<a href", "<pre>"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s: body contains %q:\n%s", path, leak, truncate(body, 300))
			}
		}
	}
	h.unharmed(b, lab)
}

// Cross-site websocket hijacking: a page of another site (or a sandboxed
// frame, Origin "null") that somehow had the token still cannot open the
// lab's websocket; a client with no Origin is no browser and needs the
// token.
func TestForeignOriginCannotOpenTheWebsocket(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	b := takeBaseline()
	host := strings.TrimPrefix(h.url, "http://")
	for _, tc := range []struct {
		name    string
		origins []string // each an Origin header; none: no header
		token   bool
		status  int
	}{
		{"foreign site", []string{"https://evil.example"}, true, 403},
		{"null (sandboxed frame, file:)", []string{"null"}, true, 403},
		{"empty", []string{""}, true, 403},
		{"lookalike host", []string{"http://" + host + ".evil.example"}, true, 403},
		{"userinfo", []string{"http://evil.example@" + host}, true, 403},
		{"with a path", []string{"http://" + host + "/x"}, true, 403},
		{"ws scheme", []string{"ws://" + host}, true, 403},
		{"two origins", []string{h.url, "https://evil.example"}, true, 403},
		{"missing, with token", nil, true, 101},
		{"missing, no token", nil, false, 404},
		{"foreign, no token", []string{"https://evil.example"}, false, 404},
		{"own", []string{h.url}, true, 101},
	} {
		t.Run(tc.name, func(t *testing.T) {
			protos := []string{"nslab.v1"}
			if tc.token {
				protos = append(protos, "bearer."+lab.Token)
			}
			hdr := http.Header{}
			for _, o := range tc.origins {
				hdr.Add("Origin", o)
			}
			d := websocket.Dialer{Subprotocols: protos, HandshakeTimeout: waitLimit}
			ws, resp, err := d.Dial(h.wsURL(lab.ID), hdr)
			got := 0
			var body []byte
			if resp != nil {
				got = resp.StatusCode
				body, _ = io.ReadAll(resp.Body)
			}
			if ws != nil {
				ws.Close()
			}
			if got != tc.status {
				t.Fatalf("handshake: %d %s (%v), want %d", got, body, err, tc.status)
			}
			if tc.status == 403 && !bytes.Contains(body, []byte("not allowed")) {
				t.Errorf("403 body %s, want it to say the origin is not allowed", body)
			}
		})
	}
	h.unharmed(b, lab)
}

// Lab ids and tokens cannot be found by trying: every wrong guess gets
// the same answer, byte for byte, whether the lab exists or not.
func TestLabIDsAndTokensAreNotEnumerable(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	other := h.create()
	b := takeBaseline()
	guessedToken := strings.Repeat("A", len(lab.Token))
	type answer struct {
		status              int
		body, ctype, length string
	}
	var want *answer
	try := func(method, path, auth, body string) {
		t.Helper()
		req, _ := http.NewRequest(method, h.url+path, strings.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got := answer{resp.StatusCode, string(b), resp.Header.Get("Content-Type"), resp.Header.Get("Content-Length")}
		if want == nil {
			want = &got
			if got.status != 404 || !strings.Contains(got.body, errNoLab) {
				t.Fatalf("%s %s: %+v, want 404 %q", method, path, got, errNoLab)
			}
			return
		}
		if got != *want {
			t.Errorf("%s %s (Authorization %q): %+v, want the same as every other wrong guess: %+v", method, path, truncate(auth, 30), got, *want)
		}
	}
	ids := []string{lab.ID, "AAAAAAAAAAAA", "nosuchlab000", "x", strings.Repeat("z", 5000), "..%2f..", lab.ID + "A"}
	auths := []string{"", "Bearer ", "Bearer " + guessedToken, "Bearer " + other.Token, "Bearer " + lab.Token[:len(lab.Token)-1],
		"Bearer " + lab.Token + "A", "Basic " + lab.Token, "bearer " + lab.Token + " x", "Bearer " + strings.Repeat("t", 10000)}
	for _, id := range ids {
		for _, auth := range auths {
			if id != lab.ID {
				// An unknown lab with the right token of a real one too.
				try("GET", "/api/labs/"+id+"/state", "Bearer "+lab.Token, "")
			}
			try("GET", "/api/labs/"+id+"/state", auth, "")
			try("POST", "/api/labs/"+id+"/exec", auth, `{"cmd":"true"}`)
			try("DELETE", "/api/labs/"+id, auth, "")
			try("GET", "/api/labs/"+id+"/ws", auth, "")
		}
	}
	// The lab page does not tell either.
	_, real := h.do(http.DefaultClient, "GET", "/lab/"+lab.ID, "", "")
	_, none := h.do(http.DefaultClient, "GET", "/lab/AAAAAAAAAAAA", "", "")
	if !bytes.Equal(bytes.ReplaceAll(real, []byte(lab.ID), nil), bytes.ReplaceAll(none, []byte("AAAAAAAAAAAA"), nil)) {
		t.Errorf("the lab page of a running lab differs from that of an unknown id")
	}
	h.unharmed(b, lab, other)
}

// Tokens travel only in the Authorization header or the websocket
// subprotocol: in a query string they would land in access logs and
// browser history, so there they open nothing.
func TestTokenInQueryStringIsRefused(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	b := takeBaseline()
	for _, q := range []string{"token", "access_token", "bearer", "auth", "authorization"} {
		for _, path := range []string{"/api/labs/" + lab.ID + "/state", "/api/labs/" + lab.ID + "/ws"} {
			resp, body := h.do(http.DefaultClient, "GET", path+"?"+q+"="+lab.Token, "", "")
			if resp.StatusCode != 404 || !strings.Contains(string(body), errNoLab) {
				t.Errorf("GET %s?%s=TOKEN: %s %s, want 404 %q", path, q, resp.Status, body, errNoLab)
			}
		}
	}
	d := websocket.Dialer{Subprotocols: []string{"nslab.v1"}}
	if ws, resp, _ := d.Dial(h.wsURL(lab.ID)+"?token="+lab.Token, http.Header{"Origin": {h.url}}); ws != nil || resp == nil || resp.StatusCode != 404 {
		ws.Close()
		t.Errorf("websocket with the token in the query: %v, want 404", resp)
	}
	if h.session(lab.ID) == nil {
		t.Fatal("the lab is gone")
	}
	h.unharmed(b, lab)
}

// Request bodies are bounded: a huge one is refused with 413 before it is
// read whole, and no lab is made for it.
func TestHugeRequestBodiesAreRefused(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	b := takeBaseline()
	huge := strings.Repeat("x", 10<<20)
	for _, tc := range []struct {
		name, method, path, token, body string
		chunked                         bool
	}{
		{"exec, 10 MiB", "POST", "/api/labs/" + lab.ID + "/exec", lab.Token, `{"cmd":"` + huge + `"}`, false},
		{"exec, 10 MiB chunked", "POST", "/api/labs/" + lab.ID + "/exec", lab.Token, `{"cmd":"` + huge + `"}`, true},
		{"create, 10 MiB", "POST", "/api/labs", "", huge, false},
		{"create, 2 KiB chunked", "POST", "/api/labs", "", huge[:2<<10], true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(tc.body)
			if tc.chunked {
				r = io.MultiReader(r) // no length known: chunked
			}
			req, _ := http.NewRequest(tc.method, h.url+tc.path, r)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				// The server may close before the client has sent it
				// all; then the client sees a broken connection.
				if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "reset") && !strings.Contains(err.Error(), "broken pipe") {
					t.Fatalf("%v", err)
				}
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "request body over") {
				t.Errorf("%s %s: %s %s, want 413", tc.method, tc.path, resp.Status, truncate(string(body), 200))
			}
		})
	}
	if n := h.srv.Stats().Labs; n != 1 {
		t.Errorf("the server has %d labs, want only the first one", n)
	}
	h.unharmed(b, lab)
}

// Methods the API does not have at a path get 405 with Allow, and change
// nothing.
func TestMethodsNotAllowed(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	b := takeBaseline()
	id := lab.ID
	for _, tc := range []struct{ method, path, allow string }{
		{"GET", "/api/labs", "POST"},
		{"PUT", "/api/labs", "POST"},
		{"DELETE", "/api/labs", "POST"},
		{"OPTIONS", "/api/labs", "POST"},
		{"GET", "/api/labs/" + id, "DELETE"},
		{"POST", "/api/labs/" + id, "DELETE"},
		{"PUT", "/api/labs/" + id, "DELETE"},
		{"PATCH", "/api/labs/" + id, "DELETE"},
		{"POST", "/api/labs/" + id + "/state", "GET, HEAD"},
		{"DELETE", "/api/labs/" + id + "/state", "GET, HEAD"},
		{"GET", "/api/labs/" + id + "/exec", "POST"},
		{"PUT", "/api/labs/" + id + "/exec", "POST"},
		{"POST", "/api/labs/" + id + "/ws", "GET, HEAD"},
	} {
		resp, body := h.do(http.DefaultClient, tc.method, tc.path, lab.Token, "")
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != tc.allow || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s %s: %s Allow=%q %s, want 405 Allow=%q and a JSON error", tc.method, tc.path, resp.Status, resp.Header.Get("Allow"), body, tc.allow)
		}
	}
	for _, tc := range []struct{ method, path string }{
		{"TRACE", "/"}, {"POST", "/healthz"}, {"DELETE", "/static/js/lab.js"}, {"PUT", "/lab/" + id}, {"CONNECT", "/"},
	} {
		resp, body := h.do(http.DefaultClient, tc.method, tc.path, lab.Token, "")
		if resp.StatusCode < 400 || strings.Contains(string(body), lab.Token) {
			t.Errorf("%s %s: %s %s, want an error that echoes nothing", tc.method, tc.path, resp.Status, truncate(string(body), 200))
		}
	}
	if h.session(id) == nil {
		t.Fatal("a refused method ended the lab")
	}
	h.unharmed(b, lab)
}
