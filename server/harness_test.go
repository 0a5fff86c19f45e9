//go:build linux

package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/nsengine"
	"github.com/nslab/nslab/protocol"
)

// waitLimit bounds every wait of the tests for something the server
// must do. It is no timing assertion: it only turns a hang into a
// failure that says what did not come.
const waitLimit = 30 * time.Second

// harness is a real server with the real engine on a loopback port.
type harness struct {
	t   testing.TB
	eng *nsengine.Engine
	srv *Server
	url string // http://127.0.0.1:PORT
}

// newHarness starts a live server with lim (zero fields: defaults, but no
// per-client or rate limits unless lim sets them: every test client comes
// from 127.0.0.1).
func newHarness(t testing.TB, lim Limits, edit ...func(*Config)) *harness {
	t.Helper()
	return newHarnessHTTP(t, lim, nil, edit...)
}

// newHarnessHTTP is newHarness whose http.Server is changed by httpEdit
// (if not nil) before it serves.
func newHarnessHTTP(t testing.TB, lim Limits, httpEdit func(*http.Server), edit ...func(*Config)) *harness {
	t.Helper()
	return newHarnessEngine(t, nsengine.Config{}, lim, httpEdit, edit...)
}

// newHarnessEngine is newHarnessHTTP with an engine of configuration ec.
func newHarnessEngine(t testing.TB, ec nsengine.Config, lim Limits, httpEdit func(*http.Server), edit ...func(*Config)) *harness {
	t.Helper()
	testenv.RequireRoot(t)
	if err := nsengine.Probe(); err != nil {
		testenv.Missing(t, "live labs", err.Error())
	}
	eng, err := nsengine.New(ec)
	if err != nil {
		t.Fatal(err)
	}
	if lim.MaxLabsPerClient == 0 {
		lim.MaxLabsPerClient = -1
	}
	if lim.CreatesPerMinute == 0 {
		lim.CreatesPerMinute = -1
	}
	if lim.MaxLabs == 0 {
		lim.MaxLabs = -1
	}
	cfg := Config{Engine: Live(eng), Limits: lim, Pages: WebPages(), Logger: testLogger(t)}
	for _, e := range edit {
		e(&cfg)
	}
	h := &harness{t: t, eng: eng, srv: New(cfg)}
	h.url = serveLoopback(t, h.srv, httpEdit)
	t.Cleanup(func() {
		h.srv.Close()
		if err := eng.Close(); err != nil {
			t.Errorf("close engine: %v", err)
		}
		if n := eng.Count(); n != 0 {
			t.Errorf("%d labs still live after the server and the engine closed", n)
		}
	})
	return h
}

// serveLoopback serves srv on a free loopback port until the test ends.
func serveLoopback(t testing.TB, srv *Server, httpEdit func(*http.Server)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer("")
	if httpEdit != nil {
		httpEdit(hs)
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String()
}

// testLogger logs through t.Log, so the server's log shows with a failed
// test (and with -v), debug events included.
func testLogger(t testing.TB) *slog.Logger {
	return testLoggerAt(t, slog.LevelDebug)
}

// testLoggerAt is testLogger from level on.
func testLoggerAt(t testing.TB, level slog.Level) *slog.Logger {
	if _, ok := t.(*testing.B); ok {
		// A benchmark's log is always printed; fifty labs say too much.
		return slog.New(slog.DiscardHandler)
	}
	w := &testLogWriter{t: t}
	// Goroutines of the server may log after the test; t.Log would panic.
	t.Cleanup(func() {
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

type testLogWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

// created is a lab as POST /api/labs answered it.
type created struct {
	ID, Token, URL string
}

// create makes a lab and fails the test if it cannot.
func (h *harness) create() created {
	h.t.Helper()
	resp, body := h.do(http.DefaultClient, "POST", "/api/labs", "", "")
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("POST /api/labs: %s %s", resp.Status, body)
	}
	var c created
	if err := json.Unmarshal(body, &c); err != nil {
		h.t.Fatalf("POST /api/labs: %v in %s", err, body)
	}
	return c
}

// do sends a request and returns the response with its whole body.
func (h *harness) do(client *http.Client, method, path, token, body string) (*http.Response, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.url+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp, b
}

// wsURL is the websocket address of lab id.
func (h *harness) wsURL(id string) string {
	return "ws" + strings.TrimPrefix(h.url, "http") + "/api/labs/" + id + "/ws"
}

// dial opens lab c's websocket as a browser does (token as a subprotocol,
// Origin of the server's own page), runs setup on it and reads its hello.
func (h *harness) dial(c created, setup ...func(*websocket.Conn)) *client {
	h.t.Helper()
	hdr := http.Header{"Origin": {h.url}}
	d := websocket.Dialer{Subprotocols: []string{"nslab.v1", "bearer." + c.Token}, HandshakeTimeout: waitLimit}
	ws, resp, err := d.Dial(h.wsURL(c.ID), hdr)
	if err != nil {
		status := ""
		if resp != nil {
			status = resp.Status
		}
		h.t.Fatalf("dial lab %s: %v %s", c.ID, err, status)
	}
	if got := ws.Subprotocol(); got != "nslab.v1" {
		h.t.Fatalf("server chose subprotocol %q, want nslab.v1", got)
	}
	for _, f := range setup {
		f(ws) // before the client's reader starts
	}
	cl := newClient(h.t, ws)
	hello := cl.expect("hello")
	if hello["lab"] != c.ID || hello["mode"] != "live" || hello["protocol"] != 1.0 {
		h.t.Fatalf("hello = %v, want lab %s, mode live, protocol 1", hello, c.ID)
	}
	return cl
}

// client is a websocket client of the protocol, reading in the
// background: JSON messages queue up in msgs, terminal output in out.
type client struct {
	t  testing.TB
	ws *websocket.Conn

	wmu sync.Mutex // one writer at a time (gorilla's rule)

	msgs chan map[string]any

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever out grows
	out      [protocol.MaxTerms]bytes.Buffer
	received [protocol.MaxTerms]int64
	autoAck  bool
	ackBatch int64 // if > 0, acks wait until this many bytes are processed
	pending  [protocol.MaxTerms]int64
	closeErr error // why reading ended
	closed   chan struct{}
}

func newClient(t testing.TB, ws *websocket.Conn) *client {
	c := &client{t: t, ws: ws, msgs: make(chan map[string]any, 1024), changed: make(chan struct{}), autoAck: true, closed: make(chan struct{})}
	go c.read()
	t.Cleanup(func() { ws.Close() })
	return c
}

func (c *client) read() {
	defer close(c.closed)
	for {
		kind, data, err := c.ws.ReadMessage()
		if err != nil {
			c.mu.Lock()
			c.closeErr = err
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
			return
		}
		if kind == websocket.TextMessage {
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				c.t.Errorf("server sent bad JSON %q: %v", data, err)
				continue
			}
			select {
			case c.msgs <- m:
			default:
				c.t.Errorf("test client: too many unread messages")
			}
			continue
		}
		if len(data) < 1 || data[0] >= protocol.MaxTerms {
			c.t.Errorf("server sent a binary frame without a valid terminal number: % x", data[:min(len(data), 8)])
			continue
		}
		n := int(data[0])
		c.mu.Lock()
		c.out[n].Write(data[1:])
		c.received[n] += int64(len(data) - 1)
		ack := int64(0)
		if c.autoAck {
			c.pending[n] += int64(len(data) - 1)
			if c.pending[n] >= c.ackBatch {
				ack, c.pending[n] = c.pending[n], 0
			}
		}
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
		if ack > 0 {
			c.sendJSON(map[string]any{"type": "ack", "term": n, "bytes": ack})
		}
	}
}

// sendJSON sends a text message; write errors show in what follows.
func (c *client) sendJSON(m any) {
	b, err := json.Marshal(m)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(websocket.TextMessage, b)
}

func (c *client) sendRaw(kind int, b []byte) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(waitLimit))
	c.ws.WriteMessage(kind, b)
}

// typeIn sends keyboard input to terminal n.
func (c *client) typeIn(n int, s string) {
	c.sendRaw(websocket.BinaryMessage, append([]byte{byte(n)}, s...))
}

// open opens terminal n and waits for "opened".
func (c *client) open(n, rows, cols int) {
	c.t.Helper()
	c.sendJSON(map[string]any{"type": "open", "term": n, "rows": rows, "cols": cols})
	m := c.expect("opened")
	if m["term"] != float64(n) {
		c.t.Fatalf("opened %v, want term %d", m, n)
	}
}

// expect returns the next message of type typ, skipping state messages
// (state, diff, views) that stream in between.
func (c *client) expect(typ string) map[string]any {
	c.t.Helper()
	timeout := time.After(waitLimit)
	for {
		select {
		case m := <-c.msgs:
			switch m["type"] {
			case typ:
				return m
			case "state", "diff", "views", "audience":
				continue
			}
			c.t.Fatalf("got message %v while waiting for %q", m, typ)
		case <-c.closed:
			// Messages read before the close may still be queued.
			select {
			case m := <-c.msgs:
				if m["type"] == typ {
					return m
				}
				if t := m["type"]; t == "state" || t == "diff" || t == "views" || t == "audience" {
					continue
				}
				c.t.Fatalf("got message %v while waiting for %q", m, typ)
			default:
			}
			c.t.Fatalf("connection closed (%v) while waiting for %q", c.closeErr, typ)
		case <-timeout:
			c.t.Fatalf("no %q message within %s", typ, waitLimit)
		}
	}
}

// waitOutput waits until terminal n's output since the last mark
// contains want, and returns that output.
func (c *client) waitOutput(n int, want string) string {
	c.t.Helper()
	timeout := time.After(waitLimit)
	for {
		c.mu.Lock()
		got := c.out[n].String()
		changed := c.changed
		err := c.closeErr
		c.mu.Unlock()
		if strings.Contains(got, want) {
			return got
		}
		if err != nil {
			c.t.Fatalf("connection closed (%v) before terminal %d showed %q; it showed:\n%s", err, n, want, got)
		}
		select {
		case <-changed:
		case <-timeout:
			shown := got
			if len(shown) > 4096 {
				shown = fmt.Sprintf("[%d bytes before]…", len(shown)-4096) + shown[len(shown)-4096:]
			}
			c.t.Fatalf("terminal %d did not show %q within %s; it showed:\n%s", n, want, waitLimit, shown)
		}
	}
}

// mark forgets terminal n's output so far.
func (c *client) mark(n int) {
	c.mu.Lock()
	c.out[n].Reset()
	c.mu.Unlock()
}

// waitClosed waits for the server to close the connection and returns
// its close error.
func (c *client) waitClosed() error {
	c.t.Helper()
	select {
	case <-c.closed:
	case <-time.After(waitLimit):
		c.t.Fatalf("server did not close the connection within %s", waitLimit)
	}
	return c.closeErr
}

// prompt is a shell prompt the tests can tell from the echo of the
// command that sets it.
const prompt = "[lab]# "

// shellReady sets a known prompt in terminal n and waits for it.
func (c *client) shellReady(n int) {
	c.t.Helper()
	c.typeIn(n, "PS1='[lab]''# '\r")
	c.waitOutput(n, prompt)
	c.mark(n)
}

// run types cmd into terminal n and waits for want and the next prompt.
func (c *client) run(n int, cmd, want string) string {
	c.t.Helper()
	c.mark(n)
	c.typeIn(n, cmd+"\r")
	out := c.waitOutput(n, want)
	c.waitOutput(n, prompt)
	return out
}

// waitFor polls cond until it holds; what says what is awaited.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, waitLimit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// session returns the server's session of lab id.
func (h *harness) session(id string) *session {
	h.srv.mu.Lock()
	defer h.srv.mu.Unlock()
	return h.srv.sessions[id]
}

// labPIDs lists the real machine's PIDs of a live lab's processes.
func labPIDs(l Lab) ([]int, bool) {
	ll, ok := l.(liveLab)
	if !ok {
		return nil, false
	}
	pids, err := ll.l.PIDs()
	return pids, err == nil
}

// netDialer dials from a given loopback address, so that one test can be
// several clients.
type netDialer struct{ ip string }

func (d *netDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	nd := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(d.ip)}}
	return nd.DialContext(ctx, network, addr)
}
