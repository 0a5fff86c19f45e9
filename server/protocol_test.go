//go:build linux

package server

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/nslab/nslab/protocol"
)

func TestMalformedFramesCloseOnlyTheirConnection(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	other := h.create()

	// A terminal on each lab, on connections that stay open throughout.
	keep := h.dial(lab)
	keep.open(0, 24, 80)
	keep.shellReady(0)
	keepOther := h.dial(other)
	keepOther.open(0, 24, 80)
	keepOther.shellReady(0)

	big := bytes.Repeat([]byte("x"), protocol.MaxFrame+10)
	cases := []struct {
		name string
		kind int
		msg  []byte
		want string // in the error message
	}{
		{"bad JSON", websocket.TextMessage, []byte(`{"type":"open",`), "bad JSON"},
		{"not an object", websocket.TextMessage, []byte(`[1,2]`), "bad JSON"},
		{"no type", websocket.TextMessage, []byte(`{"term":0}`), "no \"type\""},
		{"unknown type", websocket.TextMessage, []byte(`{"type":"format-disk"}`), `unknown message type "format-disk"`},
		{"oversized text", websocket.TextMessage, append(append([]byte(`{"type":"ping","pad":"`), big...), `"}`...), "more than 65536 bytes"},
		{"oversized binary", websocket.BinaryMessage, append([]byte{1}, big...), "more than 65536 bytes"},
		{"binary garbage as text", websocket.TextMessage, []byte("\xff\xfe\x00\x01garbage"), "bad JSON"},
		{"binary for terminal 255", websocket.BinaryMessage, []byte("\xff\x00\x01\x02"), "terminals are 0 to 3"},
		{"binary for terminal 9", websocket.BinaryMessage, []byte("\x09ls\r"), "terminals are 0 to 3"},
		{"empty binary", websocket.BinaryMessage, nil, "empty binary frame"},
		{"resize 0x0", websocket.TextMessage, []byte(`{"type":"resize","term":0,"rows":0,"cols":0}`), `"rows" is 0`},
		{"resize 2^62 rows", websocket.TextMessage, []byte(`{"type":"resize","term":0,"rows":4611686018427387904,"cols":80}`), `"rows" is 4611686018427387904`},
		{"resize 65536 rows (uint16 wraps to 0)", websocket.TextMessage, []byte(`{"type":"resize","term":0,"rows":65536,"cols":80}`), `"rows" is 65536`},
		{"resize negative cols", websocket.TextMessage, []byte(`{"type":"resize","term":0,"rows":24,"cols":-1}`), `"cols" is -1`},
		{"resize beyond int64", websocket.TextMessage, []byte(`{"type":"resize","term":0,"rows":99999999999999999999,"cols":80}`), "bad JSON"},
		{"resize 100000 cols", websocket.TextMessage, []byte(`{"type":"resize","term":0,"rows":24,"cols":100000}`), `"cols" is 100000`},
		{"open terminal 4", websocket.TextMessage, []byte(`{"type":"open","term":4,"rows":24,"cols":80}`), `"term" is 4`},
		{"open without size", websocket.TextMessage, []byte(`{"type":"open","term":0}`), `"rows" is missing`},
		{"fractional rows", websocket.TextMessage, []byte(`{"type":"open","term":0,"rows":2.5,"cols":80}`), "bad JSON"},
		{"huge number", websocket.TextMessage, []byte(`{"type":"ack","term":0,"bytes":1e300}`), "bad JSON"},
		{"negative ack", websocket.TextMessage, []byte(`{"type":"ack","term":0,"bytes":-5}`), `"bytes" is -5`},
		{"select without set", websocket.TextMessage, []byte(`{"type":"select"}`), `"set" is missing`},
		{"select too long", websocket.TextMessage, []byte(`{"type":"select","set":"` + strings.Repeat("k", protocol.MaxSelect+1) + `"}`), "the most is 1024"},
	}
	goroutines, fds := runtime.NumGoroutine(), openFDs()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := h.dial(lab)
			if strings.HasPrefix(tc.name, "resize") {
				// A resize of an open terminal, so that only the numbers
				// are wrong.
				c.open(0, 24, 80)
			}
			c.sendRaw(tc.kind, tc.msg)
			m := c.expect("error")
			if msg, _ := m["message"].(string); !strings.Contains(msg, tc.want) {
				t.Errorf("error message %q, want it to contain %q", msg, tc.want)
			}
			var ce *websocket.CloseError
			if err := c.waitClosed(); !errors.As(err, &ce) || ce.Code != websocket.ClosePolicyViolation {
				t.Errorf("connection ended with %v, want a close with code %d (policy violation)", err, websocket.ClosePolicyViolation)
			}
			c.ws.Close() // the client's own descriptor
		})
	}

	// A bad connection costs nothing once closed: its goroutines end.
	waitFor(t, "the bad connections' goroutines and descriptors end", func() bool {
		return runtime.NumGoroutine() <= goroutines && openFDs() <= fds
	})

	// Beyond the hard limit, the websocket layer may close first (1009)
	// if the message comes as one frame.
	huge := h.dial(lab)
	huge.sendRaw(websocket.BinaryMessage, append([]byte{0}, bytes.Repeat([]byte("z"), wsReadLimit+1)...))
	var ce *websocket.CloseError
	if err := huge.waitClosed(); !errors.As(err, &ce) || (ce.Code != websocket.CloseMessageTooBig && ce.Code != websocket.ClosePolicyViolation) {
		t.Errorf("a message over %d bytes: connection ended with %v, want close code 1008 or 1009", wsReadLimit, err)
	}

	// Both labs go on: the open connections work, and the terminal the
	// bad connections took over is there with its shell.
	keepOther.run(0, "echo other-$((6*7))", "other-42\r\n")
	c := h.dial(lab)
	c.open(0, 24, 80)
	c.typeIn(0, "\r")
	c.waitOutput(0, prompt)
	c.run(0, "echo lab-$((6*7))", "lab-42\r\n")
	if n := h.eng.Count(); n != 2 {
		t.Errorf("engine has %d labs, want the 2 labs still running", n)
	}
}

func TestAuthAndOrigin(t *testing.T) {
	h := newHarness(t, Limits{}, func(c *Config) { c.AllowOrigins = []string{"https://course.example"} })
	lab := h.create()
	other := h.create()
	if len(lab.Token) < 43 || lab.Token == other.Token {
		t.Fatalf("tokens %q and %q: want two distinct 32-byte tokens", lab.Token, other.Token)
	}
	if want := "/lab/" + lab.ID + "#token=" + lab.Token; lab.URL != want {
		t.Errorf("url %q, want %q", lab.URL, want)
	}

	// Every lab request: no token, a wrong one, another lab's, and an
	// unknown lab all get the same 404.
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/api/labs/" + lab.ID + "/state", ""},
		{"POST", "/api/labs/" + lab.ID + "/exec", `{"cmd":"true"}`},
		{"DELETE", "/api/labs/" + lab.ID, ""},
		{"GET", "/api/labs/" + lab.ID + "/ws", ""},
	} {
		for _, token := range []string{"", "wrong", other.Token, lab.Token + "x"} {
			resp, body := h.do(http.DefaultClient, tc.method, tc.path, token, tc.body)
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), errNoLab) {
				t.Errorf("%s %s with token %q: %s %s, want 404 %q", tc.method, tc.path, token, resp.Status, body, errNoLab)
			}
		}
	}
	resp, body := h.do(http.DefaultClient, "GET", "/api/labs/nosuchlab000/state", lab.Token, "")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), errNoLab) {
		t.Errorf("unknown lab: %s %s, want 404 %q", resp.Status, body, errNoLab)
	}
	resp, _ = h.do(http.DefaultClient, "GET", "/api/labs/"+lab.ID+"/state", lab.Token, "")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("state with the right token: %s", resp.Status)
	}

	dial := func(protocols []string, hdr http.Header) (*websocket.Conn, *http.Response, error) {
		d := websocket.Dialer{Subprotocols: protocols}
		return d.Dial(h.wsURL(lab.ID), hdr)
	}
	for _, tc := range []struct {
		name      string
		protocols []string
		hdr       http.Header
		status    int
	}{
		{"wrong bearer subprotocol", []string{"nslab.v1", "bearer.wrong"}, http.Header{"Origin": {h.url}}, 404},
		{"no token", []string{"nslab.v1"}, http.Header{"Origin": {h.url}}, 404},
		{"foreign origin", []string{"nslab.v1", "bearer." + lab.Token}, http.Header{"Origin": {"https://evil.example"}}, 403},
		{"foreign port", []string{"nslab.v1", "bearer." + lab.Token}, http.Header{"Origin": {"http://127.0.0.1:1"}}, 403},
		{"allowed origin", []string{"nslab.v1", "bearer." + lab.Token}, http.Header{"Origin": {"https://course.example"}}, 101},
		{"own origin", []string{"nslab.v1", "bearer." + lab.Token}, http.Header{"Origin": {h.url}}, 101},
		// The server's host, but a page served over TLS by someone else
		// (the request came in plain).
		{"own host over https", []string{"nslab.v1", "bearer." + lab.Token}, http.Header{"Origin": {"https" + strings.TrimPrefix(h.url, "http")}}, 403},
		{"header token, no origin", nil, http.Header{"Authorization": {"Bearer " + lab.Token}}, 101},
	} {
		ws, resp, err := dial(tc.protocols, tc.hdr)
		got := 0
		if resp != nil {
			got = resp.StatusCode
		}
		if got != tc.status {
			t.Errorf("%s: handshake status %d (%v), want %d", tc.name, got, err, tc.status)
		}
		if ws != nil {
			if strings.Contains(resp.Header.Get("Sec-WebSocket-Protocol"), "bearer") {
				t.Errorf("%s: the server echoed the token subprotocol: %q", tc.name, resp.Header.Get("Sec-WebSocket-Protocol"))
			}
			ws.Close()
		}
	}
}

func TestFullServerAnswers503And429(t *testing.T) {
	h := newHarness(t, Limits{MaxLabs: 2, MaxLabsPerClient: 1, CreatesPerMinute: 3})
	from := func(ip string) *http.Client {
		d := &netDialer{ip: ip}
		return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
	}
	a, b, c := from("127.0.0.1"), from("127.0.0.2"), from("127.0.0.3")
	post := func(cl *http.Client) (*http.Response, string) {
		resp, body := h.do(cl, "POST", "/api/labs", "", "")
		return resp, string(body)
	}
	expect := func(what string, resp *http.Response, body string, status int) {
		t.Helper()
		if resp.StatusCode != status {
			t.Fatalf("%s: %s %s, want %d", what, resp.Status, body, status)
		}
		if status >= 400 && (resp.Header.Get("Retry-After") == "" || !strings.Contains(body, `"error"`)) {
			t.Errorf("%s: %s with Retry-After %q and body %s; want a Retry-After and an error", what, resp.Status, resp.Header.Get("Retry-After"), body)
		}
	}
	resp, body := post(a)
	expect("first lab of A", resp, body, 201)
	resp, body = post(a)
	expect("second lab of A (one per client)", resp, body, 503)
	resp, body = post(b)
	expect("first lab of B", resp, body, 201)
	resp, body = post(c)
	expect("first lab of C, server full", resp, body, 503)
	if !strings.Contains(body, "full") {
		t.Errorf("503 for a full server says %s; want it to say the server is full", body)
	}

	// A creates and deletes until it reaches its rate: 3 a minute.
	for i := 2; i <= 4; i++ {
		var l created
		h.srv.mu.Lock()
		for _, ss := range h.srv.sessions {
			if ss.client == "127.0.0.1" {
				l = created{ID: ss.id, Token: ss.token}
			}
		}
		h.srv.mu.Unlock()
		if r, b := h.do(a, "DELETE", "/api/labs/"+l.ID, l.Token, ""); r.StatusCode != 204 {
			t.Fatalf("delete A's lab: %s %s", r.Status, b)
		}
		resp, body = post(a)
		if i < 4 {
			expect("lab of A within its rate", resp, body, 201)
		} else {
			expect("lab of A beyond its rate", resp, body, 429)
		}
	}
}

func TestPerLabConnectionAndExecLimits(t *testing.T) {
	h := newHarness(t, Limits{MaxConnsPerLab: 2, MaxExecsPerLab: 1})
	lab := h.create()
	other := h.create()
	b := takeBaseline()
	c1 := h.dial(lab)
	c2 := h.dial(lab)
	d := websocket.Dialer{Subprotocols: []string{"nslab.v1", "bearer." + lab.Token}}
	_, resp, err := d.Dial(h.wsURL(lab.ID), http.Header{"Origin": {h.url}})
	if resp == nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third connection to a lab with room for 2: %v %v, want 429 with Retry-After", resp, err)
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		h.execIn(lab, "sleep 1")
	}()
	ss := h.session(lab.ID)
	waitFor(t, "the first exec runs", func() bool {
		ss.mu.Lock()
		defer ss.mu.Unlock()
		return ss.execs == 1
	})
	_, status, body := h.execIn(lab, "true")
	if status != http.StatusTooManyRequests {
		t.Errorf("second exec while one runs (limit 1): %d %s, want 429", status, body)
	}
	<-done
	c1.ws.Close()
	c2.ws.Close()
	h.unharmed(b, lab, other)
}

// The server pings; a client that answers stays connected while silent,
// and one that does not answer is closed after the read timeout.
func TestKeepalive(t *testing.T) {
	h := newHarness(t, Limits{}, func(c *Config) {
		c.keepalive = keepalive{ping: 20 * time.Millisecond, read: time.Second, write: time.Second}
	})
	lab := h.create()

	var pings atomic.Int32
	alive := h.dial(lab, func(ws *websocket.Conn) {
		ws.SetPingHandler(func(data string) error {
			pings.Add(1)
			return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
	})
	waitFor(t, "pings that span two read timeouts", func() bool { return pings.Load() >= 100 })
	alive.sendJSON(map[string]any{"type": "ping"})
	alive.expect("pong")

	mute := h.dial(lab, func(ws *websocket.Conn) {
		ws.SetPingHandler(func(string) error { return nil })
	})
	if err := mute.waitClosed(); err == nil {
		t.Fatal("a client that answers no pings was not closed")
	}
	if h.session(lab.ID) == nil {
		t.Error("the lab ended with its silent connection")
	}
}

// Keyboard input (or a resize) for a terminal that is not open is a
// benign race: the user typed while the shell exited. The server says
// once that it dropped the input and keeps the connection.
func TestInputForATerminalNotOpenKeepsTheConnection(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)

	c.typeIn(2, "ls\r")
	m := c.expect("error")
	if msg, _ := m["message"].(string); !strings.Contains(msg, "terminal 2") || !strings.Contains(msg, "dropped") {
		t.Errorf("error %q, want it to say input for terminal 2 was dropped", msg)
	}
	// Once is enough: more keys and a resize for it bring no more errors
	// (expect fails on any other message before the pong).
	c.typeIn(2, "more keys")
	c.sendJSON(map[string]any{"type": "resize", "term": 2, "rows": 30, "cols": 100})
	c.sendJSON(map[string]any{"type": "ping"})
	c.expect("pong")

	// The real race: the shell exits, keys arrive after it.
	c.open(0, 24, 80)
	c.shellReady(0)
	c.typeIn(0, "exit 7\r")
	if m := c.expect("exit"); m["status"] != 7.0 {
		t.Errorf("exit %v, want status 7", m)
	}
	c.typeIn(0, "echo typed-after-exit\r")
	c.expect("error")
	c.sendJSON(map[string]any{"type": "ping"})
	c.expect("pong")

	// Opening it again starts a new shell on the same connection, and a
	// later race is reported again.
	c.open(0, 24, 80)
	c.shellReady(0)
	c.run(0, "echo ok-$((40+2))", "ok-42\r\n")
	c.open(2, 24, 80)
	c.shellReady(2)
	c.run(2, "echo two-$((1+1))", "two-2\r\n")
	select {
	case <-c.closed:
		t.Fatalf("the connection closed: %v", c.closeErr)
	default:
	}
}

// An https origin of the server's own host is its own only when the
// request came over TLS; an http one only when it did not.
func TestOriginSchemeMatchesTheRequest(t *testing.T) {
	s := &Server{cfg: Config{AllowOrigins: []string{"https://lab.example:8443"}}}
	for _, tc := range []struct {
		origin string
		tls    bool
		want   bool
	}{
		{"http://lab.example:8443", false, true},
		{"https://lab.example:8443", false, true}, // listed
		{"https://lab.example", false, false},
		{"https://lab.example", true, true},
		{"http://lab.example", true, false},
		{"HTTP://LAB.example", false, true},
	} {
		host := "lab.example"
		if strings.HasSuffix(tc.origin, ":8443") {
			host += ":8443"
		}
		r := httptest.NewRequest("GET", "http://"+host+"/api/labs/x/ws", nil)
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		r.Header.Set("Origin", tc.origin)
		if got := s.originAllowed(r); got != tc.want {
			t.Errorf("Origin %s, request over TLS %v: allowed %v, want %v", tc.origin, tc.tls, got, tc.want)
		}
	}
}
