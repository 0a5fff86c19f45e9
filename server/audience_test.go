//go:build linux

package server

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// viewerLink makes an audience link of lab as its owner does and
// returns the viewer token it carries.
func (h *harness) viewerLink(lab created) string {
	h.t.Helper()
	resp, body := h.do(http.DefaultClient, "POST", "/api/labs/"+lab.ID+"/viewers", lab.Token, "")
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("POST viewers: %s %s", resp.Status, body)
	}
	var v struct{ URL string }
	if err := json.Unmarshal(body, &v); err != nil {
		h.t.Fatalf("POST viewers: %v in %s", err, body)
	}
	prefix := "/watch/" + lab.ID + "#viewer="
	tok, ok := strings.CutPrefix(v.URL, prefix)
	if !ok || len(tok) != 43 || tok == lab.Token {
		h.t.Fatalf("POST viewers: url %q, want %s and a 43-character token of its own", v.URL, prefix)
	}
	return tok
}

// followURL is the follower websocket of lab id.
func (h *harness) followURL(id string) string {
	return "ws" + strings.TrimPrefix(h.url, "http") + "/api/labs/" + id + "/follow"
}

// dialFollow opens a follower websocket of lab id with token, as the
// audience page does; it fails the test unless the server lets it in.
func (h *harness) dialFollow(id, token string) *client {
	h.t.Helper()
	ws, status, err := h.tryFollow(id, token, nil)
	if err != nil {
		h.t.Fatalf("follow lab %s: %v %d", id, err, status)
	}
	// A follower never acknowledges: its output is not flow-controlled,
	// and the server would refuse the ack.
	c := &client{t: h.t, ws: ws, msgs: make(chan map[string]any, 1024), changed: make(chan struct{}), closed: make(chan struct{})}
	go c.read()
	h.t.Cleanup(func() { ws.Close() })
	hello := c.expect("hello")
	if hello["lab"] != id || hello["mode"] != "follow" {
		h.t.Fatalf("follower hello = %v, want lab %s, mode follow", hello, id)
	}
	return c
}

// tryFollow dials a follower websocket; dial (if not nil) makes its TCP
// connection.
func (h *harness) tryFollow(id, token string, dial func(network, addr string) (net.Conn, error)) (*websocket.Conn, int, error) {
	d := websocket.Dialer{Subprotocols: []string{"nslab.v1", "bearer." + token}, HandshakeTimeout: waitLimit, NetDial: dial}
	ws, resp, err := d.Dial(h.followURL(id), http.Header{"Origin": {h.url}})
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	return ws, status, err
}

// waitFollowers waits for the owner's connection to be told n follow.
func (c *client) waitFollowers(n int) map[string]any {
	c.t.Helper()
	timeout := time.After(waitLimit)
	for {
		select {
		case m := <-c.msgs:
			if m["type"] == "audience" && m["followers"] == float64(n) {
				return m
			}
		case <-c.closed:
			c.t.Fatalf("connection closed (%v) while waiting for %d followers", c.closeErr, n)
		case <-timeout:
			c.t.Fatalf("not told of %d followers within %s", n, waitLimit)
		}
	}
}

// expectType waits for the next message of type typ, skipping others.
func (c *client) expectType(typ string) map[string]any {
	c.t.Helper()
	return c.expectType2(typ, typ)
}

// expectType2 waits for the next message of type a or b, skipping others.
func (c *client) expectType2(a, b string) map[string]any {
	c.t.Helper()
	typ := `"` + a + `"`
	if b != a {
		typ += ` or "` + b + `"`
	}
	timeout := time.After(waitLimit)
	for {
		select {
		case m := <-c.msgs:
			if m["type"] == a || m["type"] == b {
				return m
			}
		case <-c.closed:
			select {
			case m := <-c.msgs:
				if m["type"] == a || m["type"] == b {
					return m
				}
				continue
			default:
			}
			c.t.Fatalf("connection closed (%v) while waiting for %s", c.closeErr, typ)
		case <-timeout:
			c.t.Fatalf("no %s message within %s", typ, waitLimit)
		}
	}
}

// ownerWithShell is a lab whose owner has terminal 0 open at a known
// prompt.
func (h *harness) ownerWithShell() (created, *client) {
	lab := h.create()
	owner := h.dial(lab)
	owner.open(0, 24, 80)
	owner.shellReady(0)
	return lab, owner
}

func TestAudienceFollowsOutputViewsAndSize(t *testing.T) {
	h := newHarness(t, Limits{})
	lab, owner := h.ownerWithShell()
	owner.run(0, "echo before-$((40+2))", "before-42")
	viewer := h.viewerLink(lab)
	owner.waitFollowers(0) // the link is counted: {"followers":0,"links":1}

	f := h.dialFollow(lab.ID, viewer)
	opened := f.expectType("opened")
	if opened["term"] != 0.0 || opened["rows"] != 24.0 || opened["cols"] != 80.0 {
		t.Errorf("follower's opened = %v, want term 0 of 24×80", opened)
	}
	// The catch-up replays what came before the follower joined.
	f.waitOutput(0, "before-42")
	owner.waitFollowers(1)

	// Live output the owner causes.
	owner.run(0, "echo live-$((6*7))", "live-42")
	f.waitOutput(0, "live-42")

	// The views, rendered once for every follower.
	v := f.expectType("views")
	if html, _ := v["html"].(string); !strings.Contains(html, "data-host-pid") {
		t.Errorf("follower's views hold no PID rows: %.300s", html)
	}

	// The owner's resize reaches the follower.
	owner.sendJSON(map[string]any{"type": "resize", "term": 0, "rows": 30, "cols": 100})
	size := f.expectType("size")
	if size["rows"] != 30.0 || size["cols"] != 100.0 {
		t.Errorf("follower's size = %v, want 30×100", size)
	}

	// A second terminal the owner opens shows up for the follower.
	owner.open(1, 24, 80)
	owner.shellReady(1)
	owner.run(1, "echo second-$((1+1))", "second-2")
	f.waitOutput(1, "second-2")

	// A follower leaving is counted.
	f.ws.Close()
	owner.waitFollowers(0)
}

// TestAttackFollowerDrivesTheLab: a follower sends every message that
// would make a lab do something (keys, resize, open, close, subscribe,
// select, ack). Each is refused with an error; nothing reaches the lab;
// after followerRefusals the connection is closed as a policy violation.
func TestAttackFollowerDrivesTheLab(t *testing.T) {
	h := newHarness(t, Limits{})
	lab, owner := h.ownerWithShell()
	f := h.dialFollow(lab.ID, h.viewerLink(lab))
	f.expectType("opened")

	attempts := []struct {
		kind int
		msg  string
	}{
		{websocket.BinaryMessage, "\x00touch /tmp/follower-typed\r"},
		{websocket.BinaryMessage, "\x01touch /tmp/follower-typed\r"},
		{websocket.TextMessage, `{"type":"open","term":2,"rows":24,"cols":80}`},
		{websocket.TextMessage, `{"type":"resize","term":0,"rows":5,"cols":7}`},
		{websocket.TextMessage, `{"type":"close","term":0}`},
		{websocket.TextMessage, `{"type":"select","set":"x"}`},
		{websocket.TextMessage, `{"type":"subscribe","state":true}`},
		{websocket.TextMessage, `{"type":"ack","term":0,"bytes":1}`},
	}
	if len(attempts) != followerRefusals {
		t.Fatalf("the test sends %d messages, want followerRefusals (%d)", len(attempts), followerRefusals)
	}
	// All but the last, then a ping: the pong comes once the server has
	// handled them all, in order.
	last := len(attempts) - 1
	for _, a := range attempts[:last] {
		f.sendRaw(a.kind, []byte(a.msg))
	}
	f.sendJSON(map[string]any{"type": "ping"})
	var refusals []string
	for {
		m := f.expectType2("error", "pong")
		if m["type"] == "pong" {
			break
		}
		refusals = append(refusals, m["message"].(string))
	}

	// Nothing reached the lab: no file, no resize, no second terminal.
	// Keys the server had passed on would be in the terminal's input
	// before the owner's command that checks for them.
	out := owner.run(0, "stty size; test -e /tmp/follower-typed && echo TYP''ED; echo CHECK''ED", "CHECKED")
	if strings.Contains(out, "TYPED") {
		t.Errorf("ATTACK WORKED: the follower's keys ran in the lab: %q", out)
	}
	if !strings.Contains(out, "24 80") {
		t.Errorf("ATTACK WORKED: the follower resized the owner's terminal: %q", out)
	}
	if ss := h.session(lab.ID); ss.runningTerminal(2) != nil {
		t.Error("ATTACK WORKED: the follower opened terminal 2")
	}

	// Each was answered with a refusal; the last one closes the
	// connection as a policy violation.
	if len(refusals) != last {
		t.Errorf("ATTACK WORKED? %d of %d messages were refused: %q", len(refusals), last, refusals)
	}
	for _, msg := range refusals {
		if !strings.Contains(msg, "read-only audience connection") {
			t.Errorf("refused with %q, want a read-only refusal", msg)
		}
	}
	f.sendRaw(attempts[last].kind, []byte(attempts[last].msg))
	if msg, _ := f.expectType("error")["message"].(string); !strings.Contains(msg, "read-only audience connection") || !strings.Contains(msg, "closing") {
		t.Errorf("refusal %d: %q, want a read-only refusal that says the connection closes", last+1, msg)
	}
	var ce *websocket.CloseError
	if err := f.waitClosed(); !errors.As(err, &ce) || ce.Code != websocket.ClosePolicyViolation {
		t.Errorf("after %d refused messages: closed with %v, want 1008", followerRefusals, err)
	}
	if got := h.session(lab.ID).aud.refused.Load(); got != int64(followerRefusals) {
		t.Errorf("refused messages counted: %d, want %d", got, followerRefusals)
	}
}

// TestAttackViewerTokenInTheAPI: a viewer token opens its own websocket
// and nothing else: not the owner's websocket, state, exec, delete, the
// links themselves, nor another lab's follower websocket. The owner's
// token does not open the follower websocket either (the two are kept
// apart).
func TestAttackViewerTokenInTheAPI(t *testing.T) {
	h := newHarness(t, Limits{})
	a, b := h.create(), h.create()
	viewerA := h.viewerLink(a)
	h.viewerLink(b)
	client := &http.Client{Timeout: waitLimit}
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/api/labs/" + a.ID + "/state", ""},
		{"POST", "/api/labs/" + a.ID + "/exec", `{"cmd":"touch /tmp/viewer-exec"}`},
		{"DELETE", "/api/labs/" + a.ID, ""},
		{"POST", "/api/labs/" + a.ID + "/viewers", ""},
		{"DELETE", "/api/labs/" + a.ID + "/viewers", ""},
	} {
		resp, body := h.do(client, tc.method, tc.path, viewerA, tc.body)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), errNoLab) {
			t.Errorf("ATTACK WORKED: %s %s with the viewer token answered %s %.200s, want 404", tc.method, tc.path, resp.Status, body)
		}
	}
	// The owner's websocket with the viewer token.
	d := websocket.Dialer{Subprotocols: []string{"nslab.v1", "bearer." + viewerA}, HandshakeTimeout: waitLimit}
	if ws, resp, err := d.Dial(h.wsURL(a.ID), http.Header{"Origin": {h.url}}); err == nil || resp == nil || resp.StatusCode != http.StatusNotFound {
		if ws != nil {
			ws.Close()
		}
		t.Errorf("ATTACK WORKED: the owner's websocket took the viewer token (%v)", err)
	}
	// Lab A's viewer token on lab B, and each owner token on /follow.
	for _, tc := range []struct{ name, id, token string }{
		{"lab A's viewer token on lab B", b.ID, viewerA},
		{"the owner's token", a.ID, a.Token},
		{"no token", a.ID, ""},
		{"a viewer token cut short", a.ID, viewerA[:42]},
	} {
		ws, status, err := h.tryFollow(tc.id, tc.token, nil)
		if err == nil || status != http.StatusNotFound {
			if ws != nil {
				ws.Close()
			}
			t.Errorf("ATTACK WORKED: follow with %s: %v, status %d, want 404", tc.name, err, status)
		}
	}
	// The lab is still there, untouched.
	res, status, body := h.execIn(a, "test -e /tmp/viewer-exec && echo ran; echo ok")
	if status != http.StatusOK || res.Stdout != "ok\n" {
		t.Errorf("ATTACK WORKED: lab A after the viewer's requests: %d %s", status, body)
	}
	// A follower's hello carries no token.
	f := h.dialFollow(a.ID, viewerA)
	select {
	case m := <-f.msgs:
		if b, _ := json.Marshal(m); strings.Contains(string(b), a.Token) {
			t.Errorf("ATTACK WORKED: the follower was sent the owner's token: %s", b)
		}
	case <-time.After(time.Second):
	}
}

func TestAudienceRevokeDisconnectsEveryFollower(t *testing.T) {
	h := newHarness(t, Limits{})
	lab, owner := h.ownerWithShell()
	v1, v2 := h.viewerLink(lab), h.viewerLink(lab)
	f1, f2 := h.dialFollow(lab.ID, v1), h.dialFollow(lab.ID, v2)
	owner.waitFollowers(2)

	resp, body := h.do(http.DefaultClient, "DELETE", "/api/labs/"+lab.ID+"/viewers", lab.Token, "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE viewers: %s %s", resp.Status, body)
	}
	for i, f := range []*client{f1, f2} {
		if m := f.expectType("ended"); !strings.Contains(m["reason"].(string), "revoked") {
			t.Errorf("follower %d told %v, want the links revoked", i+1, m)
		}
		var ce *websocket.CloseError
		if err := f.waitClosed(); !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure {
			t.Errorf("follower %d closed with %v, want 1000", i+1, err)
		}
	}
	owner.waitFollowers(0)
	for _, v := range []string{v1, v2} {
		if ws, status, err := h.tryFollow(lab.ID, v, nil); err == nil || status != http.StatusNotFound {
			if ws != nil {
				ws.Close()
			}
			t.Errorf("a revoked link still follows: %v %d", err, status)
		}
	}
	// The lab and its owner go on; a new link works.
	owner.run(0, "echo still-$((2*2))", "still-4")
	h.dialFollow(lab.ID, h.viewerLink(lab))
}

// TestAttackStalledFollowerSlowsTheOwner: a follower that never reads
// (a phone that went to sleep) must not hold the owner's terminal nor
// another follower: it is dropped to a catch-up, and the owner's flood
// and echo go on.
func TestAttackStalledFollowerSlowsTheOwner(t *testing.T) {
	h := newHarness(t, Limits{})
	lab, owner := h.ownerWithShell()
	viewer := h.viewerLink(lab)
	// The stalled follower: a small receive buffer and no reader, so
	// the server's writes to it block at once.
	stalled, _, err := h.tryFollow(lab.ID, viewer, func(network, addr string) (net.Conn, error) {
		c, err := net.Dial(network, addr)
		if err == nil {
			c.(*net.TCPConn).SetReadBuffer(4 << 10)
		}
		return c, err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	healthy := h.dialFollow(lab.ID, viewer)
	owner.waitFollowers(2)

	// 6 MB of output: far more than a follower's queue and the socket
	// buffers of the stalled one.
	owner.run(0, "head -c 6000000 /dev/zero | tr '\\0' x | fold -w 79; echo flood-$((3*3))", "flood-9")
	owner.run(0, "echo echo-$((5*5))", "echo-25")
	healthy.waitOutput(0, "echo-25")
	aud := h.session(lab.ID).aud
	if n := aud.catchups.Load(); n == 0 {
		t.Errorf("ATTACK WORKED: the stalled follower was never dropped to a catch-up (it would hold %d MB)", 6)
	}
	st := h.srv.Stats()
	if st.PausedTerms != 0 {
		t.Errorf("ATTACK WORKED: the owner's terminal is paused by the stalled follower: %+v", st)
	}
}

func TestAudienceBounds(t *testing.T) {
	h := newHarness(t, Limits{MaxFollowersPerLab: 2})
	lab := h.create()
	viewer := h.viewerLink(lab)
	for i := 1; i < maxViewerLinks; i++ {
		h.viewerLink(lab)
	}
	resp, body := h.do(http.DefaultClient, "POST", "/api/labs/"+lab.ID+"/viewers", lab.Token, "")
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "the most allowed") {
		t.Errorf("link %d: %s %s, want 409", maxViewerLinks+1, resp.Status, body)
	}
	resp, body = h.do(http.DefaultClient, "POST", "/api/labs/"+lab.ID+"/viewers", lab.Token, `{"big":"body"}`)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST viewers with a body: %s %s, want 400", resp.Status, body)
	}
	h.dialFollow(lab.ID, viewer)
	f2 := h.dialFollow(lab.ID, viewer)
	if ws, status, err := h.tryFollow(lab.ID, viewer, nil); err == nil || status != http.StatusTooManyRequests {
		if ws != nil {
			ws.Close()
		}
		t.Errorf("follower 3 of at most 2: %v %d, want 429", err, status)
	}
	// An oversized message closes only its own connection.
	f2.sendRaw(websocket.TextMessage, []byte(`{"type":"ping","pad":"`+strings.Repeat("x", 70<<10)+`"}`))
	m := f2.expectType("error")
	if msg, _ := m["message"].(string); !strings.Contains(msg, "65536 bytes") {
		t.Errorf("oversized message answered %v", m)
	}
	var ce *websocket.CloseError
	if err := f2.waitClosed(); !errors.As(err, &ce) || ce.Code != websocket.ClosePolicyViolation {
		t.Errorf("oversized message: closed with %v, want 1008", err)
	}
	// Its place is free again.
	waitFor(t, "the closed follower's place freed", func() bool { return h.session(lab.ID).aud.counts().Followers == 1 })
	h.dialFollow(lab.ID, viewer)

	// Ending the lab ends its followers and its links.
	h.do(http.DefaultClient, "DELETE", "/api/labs/"+lab.ID, lab.Token, "")
	if ws, status, err := h.tryFollow(lab.ID, viewer, nil); err == nil || status != http.StatusNotFound {
		if ws != nil {
			ws.Close()
		}
		t.Errorf("follow an ended lab: %v %d, want 404", err, status)
	}
}
