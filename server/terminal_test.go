//go:build linux

package server

import (
	"github.com/nslab/nslab/protocol"
	"strings"
	"testing"
)

func TestTerminalEchoResizeAndTwoTerminals(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.open(0, 24, 80)
	c.shellReady(0)

	// The echo of the command says $((6*7)); only the shell says 42.
	c.run(0, "echo $((6*7))", "42\r\n")

	c.run(0, "stty size", "24 80\r\n")
	c.sendJSON(map[string]any{"type": "resize", "term": 0, "rows": 30, "cols": 100})
	c.run(0, "stty size", "30 100\r\n")

	c.open(1, 10, 40)
	c.shellReady(1)
	c.run(1, "stty size; tty", "10 40\r\n")
	c.run(0, "echo zero-$((0+0))", "zero-0\r\n")
	c.run(1, "echo one-$((0+1))", "one-1\r\n")
	c.mu.Lock()
	zero := c.out[0].String()
	c.mu.Unlock()
	if strings.Contains(zero, "one-1") {
		t.Errorf("terminal 0 shows terminal 1's output:\n%s", zero)
	}

	// exit ends the shell; the client hears its status and may open the
	// terminal again.
	c.typeIn(1, "exit 7\r")
	m := c.expect("exit")
	if m["term"] != 1.0 || m["status"] != 7.0 {
		t.Fatalf("exit message %v, want term 1 status 7", m)
	}
	c.open(1, 10, 40)
	c.shellReady(1)
	c.run(1, "echo again-$((1+1))", "again-2\r\n")
}

func TestReconnectReplaysRecentOutput(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.open(0, 24, 80)
	c.shellReady(0)
	c.run(0, "echo before-$((40+2)); echo $$ > /tmp/shell.pid", "before-42\r\n")
	c.ws.Close()
	c.waitClosed()

	// Within the grace period the lab, the shell and its recent output
	// are still there.
	c2 := h.dial(lab)
	c2.open(0, 24, 80)
	c2.waitOutput(0, "before-42\r\n")
	c2.run(0, `[ "$(cat /tmp/shell.pid)" = "$$" ] && echo same-$((1+1))`, "same-2\r\n")
}

func TestFloodStaysBoundedAndCtrlCStopsIt(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	// No state stream: its messages would count in the queue too.
	c.sendJSON(map[string]any{"type": "subscribe", "state": false, "views": false})
	c.open(0, 24, 80)
	c.shellReady(0)

	// The client stops acknowledging output, like a browser that cannot
	// keep up. The server must stop reading the terminal at the high
	// watermark instead of buffering the flood.
	c.mu.Lock()
	c.autoAck = false
	c.mu.Unlock()
	c.typeIn(0, "yes nslab-flood\r")
	waitFor(t, "the flooded terminal is paused by flow control", func() bool {
		return h.srv.Stats().PausedTerms == 1
	})
	st := h.srv.Stats()
	c.mu.Lock()
	got := c.received[0]
	c.mu.Unlock()
	// A read of at most readChunk may land on top of an unacked count
	// just below the high watermark; the prompt and echo before the
	// flood were acknowledged.
	bound := int64(highWater + readChunk)
	if st.PeakUnacked > bound {
		t.Errorf("a terminal had %d bytes unacknowledged, over the bound %d", st.PeakUnacked, bound)
	}
	if st.Unacked < highWater {
		t.Errorf("paused with %d bytes unacknowledged, below the high watermark %d", st.Unacked, highWater)
	}
	// The queue may hold one chunk of output beyond the unacked bound
	// (the replay of the prompt) and small JSON messages.
	if qb := int64(highWater + 2*readChunk + 4<<10); st.PeakQueued > qb {
		t.Errorf("a connection had %d bytes queued, over the bound %d", st.PeakQueued, qb)
	}
	t.Logf("paused after %d bytes reached the client; peak unacked %d, peak queued %d", got, st.PeakUnacked, st.PeakQueued)

	// Ctrl-C while paused: the kernel's line discipline signals yes at
	// once; the client then acknowledges everything and reads on until
	// the prompt comes back.
	c.typeIn(0, "\x03")
	c.mu.Lock()
	c.autoAck = true
	c.mu.Unlock()
	c.mark(0)
	c.sendJSON(map[string]any{"type": "ack", "term": 0, "bytes": got + 1<<20})
	c.waitOutput(0, prompt)
	c.run(0, "echo after-$((6*7))", "after-42\r\n")
}

// A program that does not read its input (in raw mode, so the kernel
// keeps what is typed instead of dropping it) must not block the
// connection: acks and pings go on, and only when a megabyte waits does
// the connection close, with the lab unharmed.
func TestInputToAProgramThatDoesNotRead(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.open(0, 24, 80)
	c.shellReady(0)
	c.typeIn(0, "stty raw -echo; echo sleeping-$((1+1)); sleep 1000\r")
	c.waitOutput(0, "sleeping-2")

	chunk := strings.Repeat("y", protocol.MaxFrame-1)
	sent := 0
	for sent < maxInputQueue/2 {
		c.typeIn(0, chunk)
		sent += len(chunk)
	}
	c.sendJSON(map[string]any{"type": "ping"})
	c.expect("pong")
	for i := 0; i < maxInputQueue/protocol.MaxFrame+2; i++ {
		c.typeIn(0, chunk)
	}
	m := c.expect("error")
	if msg, _ := m["message"].(string); !strings.Contains(msg, "does not read its input") {
		t.Errorf("error %q, want it to say the terminal does not read its input", msg)
	}
	c.waitClosed()

	// The stuck terminal is still there; closing it hangs up on the shell
	// and its sleep, and a new one works.
	c2 := h.dial(lab)
	c2.open(0, 24, 80)
	c2.sendJSON(map[string]any{"type": "close", "term": 0})
	c2.open(0, 24, 80)
	c2.shellReady(0)
	c2.run(0, "echo fresh-$((6*7))", "fresh-42\r\n")
}

// A terminal shows in one connection at a time: a second tab that opens
// it takes it over, and what the first tab still sends for it is
// ignored, without an error.
func TestSecondTabTakesTerminalOver(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	first := h.dial(lab)
	first.open(0, 24, 80)
	first.shellReady(0)
	first.run(0, "echo first-$((1+1))", "first-2\r\n")

	second := h.dial(lab)
	second.open(0, 24, 80)
	second.waitOutput(0, "first-2\r\n") // the replay
	first.mark(0)
	first.typeIn(0, "touch /tmp/ignored\r")
	first.sendJSON(map[string]any{"type": "resize", "term": 0, "rows": 5, "cols": 5})
	first.sendJSON(map[string]any{"type": "close", "term": 0})
	first.sendJSON(map[string]any{"type": "ping"})
	first.expect("pong") // after everything above: still connected, no error

	// The first tab's messages were handled before its pong, and its
	// input would have been queued before this command's.
	second.run(0, "stty size; test -e /tmp/ignored || echo absent-$((3+3))", "\n")
	out := second.waitOutput(0, prompt)
	if !strings.Contains(out, "absent-6") || !strings.Contains(out, "24 80") {
		t.Errorf("the first tab's input, resize or close reached the terminal it lost:\n%s", out)
	}
	first.mu.Lock()
	if got := first.out[0].String(); got != "" {
		t.Errorf("the first tab still gets output of the terminal it lost: %q", got)
	}
	first.mu.Unlock()
}

// A shell that exits while a background job still holds its PTY is
// reported at once (the PTY gives no EOF while the job holds it); the
// job's output is still relayed, and opening the terminal again starts a
// new shell and hangs up the old PTY.
func TestExitWithBackgroundJobHoldingThePTY(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.open(0, 24, 80)
	c.shellReady(0)
	c.run(0, "echo $$ > /tmp/old.pid", prompt)
	// The job writes after the shell has gone.
	c.typeIn(0, "(sleep 1; echo left-$((3+4)); exec sleep 300) & exit 5\r")
	m := c.expect("exit")
	if m["term"] != 0.0 || m["status"] != 5.0 {
		t.Fatalf("exit message %v, want term 0 status 5", m)
	}
	c.waitOutput(0, "left-7")

	c.open(0, 24, 80)
	c.shellReady(0)
	c.run(0, `[ "$(cat /tmp/old.pid)" != "$$" ] && echo new-$((1+1))`, "new-2\r\n")
	// The leftover job is still in the lab, its terminal hung up.
	c.run(0, "pgrep -x sleep >/dev/null && echo job-$((2+2))", "job-4\r\n")
}

// A terminal the server cannot start (here: the lab's PTYs are used up)
// is the server's failure, not the client's: the client hears why, for
// that terminal, and keeps its connection and its other terminals.
func TestOpenFailureKeepsTheConnection(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.open(0, 24, 80)
	c.shellReady(0)
	// Hold every PTY the lab's devpts has left, in the background.
	c.run(0, `bash -c 'for i in $(seq 10 200); do eval "exec $i<>/dev/ptmx" 2>/dev/null || break; done; echo full-$((1+1)); exec sleep 300' &`, "full-2")
	c.waitOutput(0, prompt)

	c.sendJSON(map[string]any{"type": "open", "term": 1, "rows": 24, "cols": 80})
	m := c.expect("error")
	if msg, _ := m["message"].(string); !strings.Contains(msg, "could not open terminal 1") || m["term"] != 1.0 {
		t.Errorf("error %v, want term 1 and \"could not open terminal 1\"", m)
	}
	c.sendJSON(map[string]any{"type": "ping"})
	c.expect("pong")
	c.run(0, "kill $!; wait; echo freed-$((2+2))", "freed-4")
	c.open(1, 24, 80)
	c.shellReady(1)
	c.run(1, "echo one-$((0+1))", "one-1\r\n")
}
