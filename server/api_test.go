//go:build linux

package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/nslab/nslab/nsstate"
)

// execIn runs cmd through POST /exec and decodes the answer.
func (h *harness) execIn(lab created, cmd string) (execResult, int, string) {
	h.t.Helper()
	body, _ := json.Marshal(map[string]string{"cmd": cmd})
	resp, b := h.do(&http.Client{Timeout: waitLimit}, "POST", "/api/labs/"+lab.ID+"/exec", lab.Token, string(body))
	var res execResult
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &res); err != nil {
			h.t.Fatalf("exec %q: %v in %s", cmd, err, b)
		}
	}
	return res, resp.StatusCode, string(b)
}

func TestExec(t *testing.T) {
	h := newHarness(t, Limits{ExecTimeout: 2 * time.Second})
	lab := h.create()

	res, status, body := h.execIn(lab, "echo out; echo err >&2; hostname; exit 3")
	if status != 200 || res.Stdout != "out\nlab\n" || res.Stderr != "err\n" || res.Exit != 3 {
		t.Errorf("exec: %d %s, want stdout \"out\\nlab\\n\", stderr \"err\\n\", exit 3", status, body)
	}

	// A background child keeps the pipes open; the answer does not wait
	// for it (the client's timeout would fail the test), and the child
	// stays in the lab.
	res, status, body = h.execIn(lab, "sleep 100 & echo started")
	if status != 200 || res.Stdout != "started\n" || res.Exit != 0 || res.TimedOut {
		t.Errorf("exec with a background child: %d %s", status, body)
	}
	res, _, body = h.execIn(lab, "ps -eo comm")
	if !strings.Contains(res.Stdout, "sleep") {
		t.Errorf("the background sleep is gone from the lab: %s", body)
	}

	res, status, body = h.execIn(lab, "head -c 3000000 /dev/zero | tr '\\0' x; echo done >&2")
	if status != 200 || len(res.Stdout) != execOutputCap || !res.StdoutTruncated || res.StderrTruncated || res.Stderr != "done\n" {
		t.Errorf("exec of 3 MB output: %d, %d bytes of stdout, truncated %v/%v, stderr %q; want %d bytes, stdout truncated",
			status, len(res.Stdout), res.StdoutTruncated, res.StderrTruncated, res.Stderr, execOutputCap)
	}
	_ = body

	res, status, body = h.execIn(lab, "echo slow; sleep 30")
	if status != 200 || !res.TimedOut || res.Stdout != "slow\n" || res.Exit != 128+9 {
		t.Errorf("exec past the timeout: %d %s, want timed_out, stdout \"slow\\n\", exit 137", status, body)
	}

	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"bad JSON", `{"cmd":`, 400, "want a JSON body"},
		{"unknown field", `{"command":"ls"}`, 400, "unknown field"},
		{"empty cmd", `{"cmd":"  "}`, 400, "empty"},
		{"NUL in cmd", `{"cmd":"echo a\u0000b"}`, 400, "NUL"},
		{"long cmd", `{"cmd":"` + strings.Repeat("x", maxCmd+1) + `"}`, 400, "the most is"},
		{"huge body", `{"cmd":"` + strings.Repeat("x", maxExecBody) + `"}`, 413, "over"},
	} {
		resp, b := h.do(http.DefaultClient, "POST", "/api/labs/"+lab.ID+"/exec", lab.Token, tc.body)
		if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.want) {
			t.Errorf("exec with %s: %s %s, want %d with %q", tc.name, resp.Status, b, tc.status, tc.want)
		}
	}
}

func TestDeleteLeavesNothing(t *testing.T) {
	h := newHarness(t, Limits{})
	// A first lab starts the engine's long-lived spawner; count from
	// after it.
	warm := h.create()
	h.do(http.DefaultClient, "DELETE", "/api/labs/"+warm.ID, warm.Token, "")
	http.DefaultClient.CloseIdleConnections()
	waitFor(t, "the warm-up lab's connection closes", func() bool { return h.srv.Stats().Labs == 0 })
	time.Sleep(50 * time.Millisecond) // let the warm-up's HTTP connection goroutines end
	goroutines := runtime.NumGoroutine()
	lab := h.create()
	c := h.dial(lab)
	c.open(0, 24, 80)
	c.shellReady(0)
	c.run(0, "sleep 1000 & echo bg-$((1+1))", "bg-2")
	h.execIn(lab, "sleep 1001 &")
	ss := h.session(lab.ID)
	pids, ok := labPIDs(ss.lab)
	if !ok || len(pids) < 4 { // init, bash, two sleeps
		t.Fatalf("lab processes %v (%v), want init, the shell and two sleeps at least", pids, ok)
	}

	resp, body := h.do(http.DefaultClient, "DELETE", "/api/labs/"+lab.ID, lab.Token, "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %s %s", resp.Status, body)
	}
	m := c.expect("ended")
	if !strings.Contains(m["reason"].(string), "deleted") {
		t.Errorf("ended %v, want a reason that says the lab was deleted", m)
	}
	var ce *websocket.CloseError
	if err := c.waitClosed(); !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure {
		t.Errorf("connection ended with %v, want a normal close", err)
	}
	for _, pid := range pids {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
			comm, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
			t.Errorf("process %d (%s) of the deleted lab is still there", pid, strings.TrimSpace(string(comm)))
		}
	}
	if n := h.eng.Count(); n != 0 {
		t.Errorf("the engine still has %d labs", n)
	}
	if st := h.srv.Stats(); st.Labs != 0 {
		t.Errorf("the server still has %d labs", st.Labs)
	}
	if resp, _ := h.do(http.DefaultClient, "GET", "/api/labs/"+lab.ID+"/state", lab.Token, ""); resp.StatusCode != 404 {
		t.Errorf("state of a deleted lab: %s, want 404", resp.Status)
	}
	// Every goroutine of the lab, its terminal and its connection ends.
	// Only the test's own HTTP connections are left, and those close.
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(waitLimit)
	for runtime.NumGoroutine() > goroutines {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines left, %d before the lab:\n%s", runtime.NumGoroutine(), goroutines, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestIdleGraceAndLifetimeEndLabs(t *testing.T) {
	h := newHarness(t, Limits{IdleTimeout: 300 * time.Millisecond, Grace: 300 * time.Millisecond, MaxLifetime: time.Hour})
	idle := h.create()
	waitFor(t, "a lab nobody uses ends at the idle timeout", func() bool { return h.session(idle.ID) == nil })

	left := h.create()
	c := h.dial(left)
	c.open(0, 24, 80)
	c.shellReady(0)
	c.ws.Close()
	waitFor(t, "a lab whose browser left ends after the grace period", func() bool { return h.session(left.ID) == nil })

	h2 := newHarness(t, Limits{MaxLifetime: 500 * time.Millisecond})
	old := h2.create()
	c = h2.dial(old)
	c.open(0, 24, 80)
	m := c.expect("ended")
	if !strings.Contains(m["reason"].(string), "maximum lifetime") {
		t.Errorf("ended %v, want the lifetime as the reason", m)
	}
	c.waitClosed()
}

func TestStateStream(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	// The whole snapshot comes first, unasked.
	m := c.expectRaw("state")
	var first struct{ Snapshot nsstate.Snapshot }
	remarshal(t, m, &first)
	if err := first.Snapshot.Validate(); err != nil || len(first.Snapshot.Processes) == 0 {
		t.Fatalf("first state: %v, %d processes", err, len(first.Snapshot.Processes))
	}
	cur := &first.Snapshot

	// A new namespace set appears as a diff.
	c.open(0, 24, 80)
	c.shellReady(0)
	c.typeIn(0, "unshare --uts sh -c 'hostname inner; exec sleep 1000' &\r")
	var inner *nsstate.Process
	for inner == nil {
		m := c.expectRaw("diff")
		var d struct{ Diff nsstate.Diff }
		remarshal(t, m, &d)
		cur = cur.Apply(d.Diff)
		for i, p := range cur.Processes {
			if p.Comm == "sleep" && p.NS[nsstate.NSUTS] != cur.Host[nsstate.NSUTS] {
				inner = &cur.Processes[i]
			}
		}
	}
	if ns := cur.Namespace(inner.NS[nsstate.NSUTS]); ns == nil || ns.Hostname != "inner" {
		t.Errorf("the new UTS namespace is %+v, want hostname inner", ns)
	}

	// Views: rendered for the newest set, then for the selected one.
	c.sendJSON(map[string]any{"type": "subscribe", "views": true})
	v := c.expectRaw("views")
	html, _ := v["html"].(string)
	if !strings.Contains(html, "data-host-pid") || !strings.Contains(html, "inner") {
		t.Errorf("views html does not show the PID rows and the container's hostname:\n%s", html)
	}
	c.sendJSON(map[string]any{"type": "select", "set": nsstate.SetKey(cur.Host)})
	v = c.expectRaw("views")
	if v["html"] == html {
		t.Errorf("selecting the lab host's set sent the same views again")
	}

	// Unsubscribed, then subscribed again: the whole snapshot again.
	c.sendJSON(map[string]any{"type": "subscribe", "state": false, "views": false})
	c.sendJSON(map[string]any{"type": "subscribe", "state": true})
	c.expectRaw("state")

	c.sendJSON(map[string]any{"type": "ping"})
	c.expect("pong")
}

// expectRaw returns the next message of type typ, skipping only other
// state messages.
func (c *client) expectRaw(typ string) map[string]any {
	c.t.Helper()
	timeout := time.After(waitLimit)
	for {
		select {
		case m := <-c.msgs:
			if m["type"] == typ {
				return m
			}
		case <-timeout:
			c.t.Fatalf("no %q message within %s", typ, waitLimit)
		}
	}
}

func remarshal(t *testing.T, from any, to any) {
	t.Helper()
	b, err := json.Marshal(from)
	if err == nil {
		err = json.Unmarshal(b, to)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// A timed-out exec, or one whose client went away, ends with everything
// it started, not the shell alone; background children of an exec that
// finished in time stay.
func TestExecTimeoutAndCancelKillTheCommand(t *testing.T) {
	h := newHarness(t, Limits{ExecTimeout: time.Second})
	lab := h.create()
	// running may be called from another goroutine: it reports, not
	// fails.
	running := func(name string) bool {
		body, _ := json.Marshal(map[string]string{"cmd": "pgrep -x " + name + " >/dev/null && echo yes || echo no"})
		req, _ := http.NewRequest("POST", h.url+"/api/labs/"+lab.ID+"/exec", strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+lab.Token)
		resp, err := (&http.Client{Timeout: waitLimit}).Do(req)
		if err != nil {
			t.Errorf("pgrep: %v", err)
			return false
		}
		defer resp.Body.Close()
		var res execResult
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 {
			t.Errorf("pgrep: %s %v", resp.Status, err)
		}
		return res.Stdout == "yes\n"
	}

	res, status, body := h.execIn(lab, "yes > /dev/null; echo never")
	if status != 200 || !res.TimedOut || strings.Contains(res.Stdout, "never") {
		t.Errorf("exec past the timeout: %d %s, want timed_out and no \"never\"", status, body)
	}
	waitFor(t, "yes killed with its timed-out exec", func() bool { return !running("yes") })

	// The client gives up before the timeout.
	req, _ := http.NewRequest("POST", h.url+"/api/labs/"+lab.ID+"/exec", strings.NewReader(`{"cmd":"sleep 50; echo x"}`))
	req.Header.Set("Authorization", "Bearer "+lab.Token)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		for deadline := time.Now().Add(waitLimit); !running("sleep"); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Errorf("sleep 50 did not start within %s", waitLimit)
				return
			}
		}
	}()
	if resp, err := http.DefaultClient.Do(req.WithContext(ctx)); err == nil {
		resp.Body.Close()
		t.Errorf("exec of sleep 50 answered %s before the client went away", resp.Status)
	}
	waitFor(t, "sleep killed with its cancelled exec", func() bool { return !running("sleep") })

	res, status, body = h.execIn(lab, "sleep 100 & echo started")
	if status != 200 || res.Stdout != "started\n" || res.TimedOut {
		t.Errorf("exec with a background child: %d %s", status, body)
	}
	if !running("sleep") {
		t.Errorf("the background child of an exec that finished in time is gone")
	}
}

// The scheme of Authorization is case-insensitive (RFC 7235); the token
// is not.
func TestAuthorizationSchemeIgnoresCase(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	get := func(auth string) int {
		req, _ := http.NewRequest("GET", h.url+"/api/labs/"+lab.ID+"/state", nil)
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, auth := range []string{"Bearer " + lab.Token, "bearer " + lab.Token, "BEARER " + lab.Token, "bEaReR " + lab.Token, "Bearer   " + lab.Token} {
		if got := get(auth); got != 200 {
			t.Errorf("Authorization %q…: %d, want 200", strings.Fields(auth)[0], got)
		}
	}
	flipped := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, lab.Token)
	for _, auth := range []string{"Bearer " + flipped, "Bearer" + lab.Token, "Bearerx " + lab.Token, "Basic " + lab.Token, "bearer " + lab.Token + " x"} {
		if got := get(auth); got != 404 {
			t.Errorf("Authorization %q…: %d, want 404", truncate(auth, 12), got)
		}
	}
}
