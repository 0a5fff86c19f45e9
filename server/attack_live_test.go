//go:build linux

package server

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/protocol"
)

// Attacks on the live-mode changes of flow control and embedding, made
// as an anonymous visitor with a lab of their own.

// A client that acknowledges exactly at the pause point while its lab
// floods its terminal (`yes`) pauses and resumes the terminal once per
// 128 KiB: thousands of times a second on a fast link. Each pause used to
// start a stall timer held for stallAfter (10 s), so the server held tens
// of thousands of timers per terminal, and more per terminal opened; the
// terminal's one timer is reset instead (watchStall).
func TestAttackManyPausesPerSecondHoldATimerEach(t *testing.T) {
	var timers atomic.Int64
	orig := startStallTimer
	startStallTimer = func(d time.Duration, f func()) *time.Timer {
		timers.Add(1)
		return orig(d, f)
	}
	t.Cleanup(func() { startStallTimer = orig })

	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.sendJSON(map[string]any{"type": "subscribe", "state": false, "views": false})
	c.open(0, 24, 80)
	c.shellReady(0)
	term := h.session(lab.ID).runningTerminal(0)
	if term == nil {
		t.Fatal("terminal 0 is not running")
	}
	c.mu.Lock()
	c.ackBatch = highWater // ack only what fills the server's window: a pause each time
	c.mu.Unlock()
	c.typeIn(0, "yes\r")

	const pauses = 300
	start := time.Now()
	pausesSoFar := func() int {
		term.mu.Lock()
		defer term.mu.Unlock()
		return term.flow.epoch
	}
	waitFor(t, "the attacker's pauses", func() bool {
		// Drop what the test client keeps of the flood.
		c.mu.Lock()
		c.out[0].Reset()
		c.mu.Unlock()
		return pausesSoFar() >= pauses
	})
	took := time.Since(start)
	got := timers.Load()
	t.Logf("%d pauses in %s: %.0f a second; stall timers started: %d", pausesSoFar(), took.Round(time.Millisecond), float64(pausesSoFar())/took.Seconds(), got)
	c.mu.Lock()
	c.ackBatch = 0
	c.mu.Unlock()
	c.typeIn(0, "\x03")
	if got > 1 {
		t.Errorf("ATTACK WORKED: %d pauses of one terminal started %d stall timers, each held for %s (want 1 per terminal)", pausesSoFar(), got, stallAfter)
	}
}

// The client chooses when its terminal is resized. pty.Setsize calls the
// master's Fd(), which turns an *os.File blocking when Go made it
// non-blocking itself; a blocking master would stop close from
// interrupting the pump's read, and readAvailable's extra reads check the
// flag before they read. The engine's master was non-blocking when the
// file was made, so Fd() leaves it so: here a client resizes as output
// flows, and the master must still be non-blocking.
func TestAttackResizeTurnsTheMasterBlocking(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.sendJSON(map[string]any{"type": "subscribe", "state": false, "views": false})
	c.open(0, 24, 80)
	c.shellReady(0)
	term := h.session(lab.ID).runningTerminal(0)
	if term == nil {
		t.Fatal("terminal 0 is not running")
	}
	c.typeIn(0, "for i in $(seq 200); do echo line-$i; sleep 0.01; done\r")
	for i := range 100 {
		c.sendJSON(map[string]any{"type": "resize", "term": 0, "rows": 20 + i%10, "cols": 80 + i%7})
	}
	c.run(0, "stty size", "29 81")
	rc, err := term.pty.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var fl int
	var flErr error
	if err := rc.Control(func(fd uintptr) { fl, flErr = unix.FcntlInt(fd, unix.F_GETFL, 0) }); err != nil || flErr != nil {
		t.Fatalf("the master's flags: %v %v", err, flErr)
	}
	if fl&unix.O_NONBLOCK == 0 {
		t.Error("ATTACK WORKED: after the client's resizes the terminal's master is blocking: close no longer interrupts the pump's read")
	}
}

// With the defaults no other site may frame a page (clickjacking a
// learner's lab, or a page that would then ask for a lab): every HTML
// answer, embed mode's included, carries frame-ancestors 'none' and
// X-Frame-Options DENY. With --frame-ancestors, exactly the origins given;
// the embedding origins come only from the server's configuration, never
// from the request (a query, an Origin or Referer header).
func TestAttackFrameALabWithTheDefaults(t *testing.T) {
	for _, cfg := range []struct {
		frame, embed []string
		wantCSP      string
	}{
		{nil, nil, "frame-ancestors 'none'"},
		{[]string{"https://course.example:443"}, []string{"https://course.example"}, "frame-ancestors https://course.example"},
	} {
		fa, err := FrameAncestors(cfg.frame)
		if err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, Limits{}, func(c *Config) {
			c.FrameAncestors = fa
			c.EmbedOrigins = cfg.embed
		})
		lab := h.create()
		for _, path := range []string{"/", "/?embed=1", "/sim", "/sim?embed=1", "/sim?embed=1&lesson=nope", "/lab/" + lab.ID, "/lab/" + lab.ID + "?embed=1", "/lab/nonexistent?embed=1", "/no/such/page"} {
			req, _ := http.NewRequest("GET", h.url+path, nil)
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Referer", "https://evil.example/frame.html")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				continue
			}
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.HasSuffix(csp, cfg.wantCSP) || strings.Count(csp, "frame-ancestors") != 1 {
				t.Errorf("ATTACK WORKED: GET %s (%s): Content-Security-Policy %q, want it to end in %q", path, resp.Status, csp, cfg.wantCSP)
			}
			if xfo := resp.Header.Get("X-Frame-Options"); cfg.frame == nil && xfo != "DENY" {
				t.Errorf("ATTACK WORKED: GET %s (%s) with the defaults: X-Frame-Options %q, want DENY", path, resp.Status, xfo)
			}
		}
		for _, path := range []string{"/static/embed.json", "/static/embed.json?origins=https://evil.example", "/static/./embed.json"} {
			req, _ := http.NewRequest("GET", h.url+path, nil)
			req.Header.Set("Origin", "https://evil.example")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && strings.Contains(string(body), "evil") {
				t.Errorf("ATTACK WORKED: GET %s named the requester an embedding origin: %s", path, body)
			}
			if acao := resp.Header.Get("Access-Control-Allow-Origin"); acao != "" {
				t.Errorf("GET %s: Access-Control-Allow-Origin %q lets another site read it", path, acao)
			}
		}
	}
}

// A visitor floods every terminal of their lab and acks exactly at the
// pause point, pausing each many times a second: another visitor's lab
// still answers at its prompt, and the server holds one stall timer per
// terminal, not one per pause.
func TestAttackFloodAllTerminalsToStarveAnotherLab(t *testing.T) {
	var timers atomic.Int64
	orig := startStallTimer
	startStallTimer = func(d time.Duration, f func()) *time.Timer {
		timers.Add(1)
		return orig(d, f)
	}
	t.Cleanup(func() { startStallTimer = orig })

	h := newHarness(t, Limits{})
	victimLab, attackerLab := h.create(), h.create()
	victim := h.dial(victimLab)
	victim.sendJSON(map[string]any{"type": "subscribe", "state": false, "views": false})
	victim.open(0, 24, 80)
	victim.shellReady(0)

	a := h.dial(attackerLab)
	a.sendJSON(map[string]any{"type": "subscribe", "state": false, "views": false})
	for n := range protocol.MaxTerms {
		a.open(n, 24, 80)
		a.shellReady(n)
	}
	a.mu.Lock()
	a.ackBatch = highWater
	a.mu.Unlock()
	for n := range protocol.MaxTerms {
		a.typeIn(n, "yes\r")
	}
	ss := h.session(attackerLab.ID)
	pauses := func() int {
		total := 0
		for n := range protocol.MaxTerms {
			if term := ss.runningTerminal(n); term != nil {
				term.mu.Lock()
				total += term.flow.epoch
				term.mu.Unlock()
			}
		}
		return total
	}
	trim := func() {
		a.mu.Lock()
		for n := range protocol.MaxTerms {
			a.out[n].Reset()
		}
		a.mu.Unlock()
	}
	waitFor(t, "the attacker's first pauses", func() bool { trim(); return pauses() >= 4*protocol.MaxTerms })
	for i := range 5 {
		trim()
		want := "victim-" + itoa(int64(40+i))
		victim.run(0, "echo victim-$((40+"+itoa(int64(i))+"))", want+"\r\n")
	}
	trim()
	got := timers.Load()
	t.Logf("%d pauses over %d terminals; stall timers started: %d", pauses(), protocol.MaxTerms, got)
	if got > protocol.MaxTerms {
		t.Errorf("ATTACK WORKED: %d pauses started %d stall timers, want at most one per terminal (%d)", pauses(), got, protocol.MaxTerms)
	}
	a.mu.Lock()
	a.ackBatch = 0
	a.mu.Unlock()
	for n := range protocol.MaxTerms {
		a.typeIn(n, "\x03")
	}
}

// A resized terminal whose shell exits leaving a job that ignores SIGHUP
// on its PTY, then opened again: the old terminal is closed, and its pump
// must end. Closing interrupts the pump's read only while the master is
// non-blocking; pty.Setsize (Fd()) made it blocking at the first resize,
// so the pump, an OS thread and the PTY stayed until the job wrote or the
// lab ended, and each reopen left another. (It does not: see
// TestAttackResizeTurnsTheMasterBlocking.)
func TestAttackHeldPTYKeepsAClosedTerminalsPump(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.sendJSON(map[string]any{"type": "subscribe", "state": false, "views": false})
	c.open(0, 24, 80)
	c.shellReady(0)
	c.sendJSON(map[string]any{"type": "resize", "term": 0, "rows": 30, "cols": 100})
	c.run(0, "stty size", "30 100")
	old := h.session(lab.ID).runningTerminal(0)
	if old == nil {
		t.Fatal("terminal 0 is not running")
	}
	c.typeIn(0, "sh -c 'trap \"\" HUP; exec sleep 100000' & exit\r")
	c.expect("exit")
	c.open(0, 24, 80)
	select {
	case <-old.finished:
	case <-time.After(waitLimit):
		t.Fatalf("ATTACK WORKED: the closed terminal's pump still reads its PTY %s after it was closed (a job that ignores SIGHUP holds it)", waitLimit)
	}
}
