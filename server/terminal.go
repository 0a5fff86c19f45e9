package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/protocol"
)

// terminal is a login shell on a PTY in a lab host. It belongs to the
// session, not to a connection: a connection attaches to it, and when the
// connection goes the shell goes on, its recent output kept in a ring to
// replay to the next one.
type terminal struct {
	n    int
	proc Proc
	pty  *os.File
	ss   *session
	log  *slog.Logger

	mu   sync.Mutex
	wake *sync.Cond // the pump waits here for an attachment or acks
	ring *ring
	// written counts the bytes ever written to ring: where in the
	// terminal's output a chunk ends, for its taps (labTap).
	written int64
	att     *attachment // nil while no connection shows the terminal
	flow    flow
	closed  bool // closed by the client or the session: the pump stops
	// dead: the shell's exit has been reported (or would have been, to a
	// connection). The terminal takes no new attachment; an open starts
	// a new shell. Its PTY may still be held by a job the shell left in
	// the background, whose output is still relayed until then.
	dead bool
	// stall is watchStall's timer, made at the first pause.
	stall *time.Timer

	// Keyboard input waits here for writeInput, so that a shell that does
	// not read its input never blocks the connection's reader (which
	// must go on reading acks, or a program that echoes its input would
	// wait for output room forever).
	inMu    sync.Mutex
	inWake  *sync.Cond
	inQ     [][]byte
	inBytes int
	inDone  bool

	exited   chan struct{} // closed when the process has been waited for
	status   int
	waitErr  error         // the lab ended before the process did
	finished chan struct{} // closed when the pump has ended
}

// attachment is a terminal shown by a connection. gone is closed when the
// connection no longer shows it, to unblock a send to it.
type attachment struct {
	c    *wsConn
	gone chan struct{}
}

// loginShell is what a terminal runs: bash as a login shell, or sh where
// bash is missing. The lab host sees the machine's system folders, so
// what exists here exists there.
func loginShell() []string {
	for _, p := range []string{"/bin/bash", "/usr/bin/bash"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return []string{p, "-l"}
		}
	}
	return []string{"/bin/sh", "-l"}
}

// startTerminal starts terminal n's shell in the session's lab.
func startTerminal(ctx context.Context, ss *session, n int, rows, cols uint16) (*terminal, error) {
	// The engine gives the shell a root login's environment and folder.
	spec := ProcSpec{Argv: loginShell()}
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	proc, master, err := ss.lab.StartPTY(ctx, spec, rows, cols)
	if err != nil {
		return nil, fmt.Errorf("start terminal %d: %w", n, err)
	}
	t := &terminal{
		n: n, proc: proc, pty: master, ss: ss,
		log:      ss.log.With("term", n),
		ring:     newRing(ringSize),
		exited:   make(chan struct{}),
		finished: make(chan struct{}),
	}
	t.wake = sync.NewCond(&t.mu)
	t.inWake = sync.NewCond(&t.inMu)
	ss.tapResized(t, time.Now(), rows, cols)
	go t.waitExit()
	go t.pump()
	go t.writeInput()
	return t, nil
}

func (t *terminal) waitExit() {
	status, err := t.proc.Wait()
	if err != nil {
		t.log.Debug("terminal wait", "err", err)
		status = -1
	}
	t.status, t.waitErr = status, err
	close(t.exited)
	// The shell's last output is normally read before its exit is
	// reported: the pump reads on to EOF, then reports. A job the shell
	// left in the background holds the PTY, so there is no EOF; the exit
	// is reported anyway, a moment later.
	select {
	case <-t.finished:
	case <-time.After(exitSettle):
		t.reportExit()
	}
}

// exitSettle is how long the shell's exit waits for the PTY's EOF before
// it is reported without it.
const exitSettle = 200 * time.Millisecond

// reportExit tells the attached connection, once, that the shell has
// ended, and marks the terminal dead. It is called after t.exited.
func (t *terminal) reportExit() {
	t.mu.Lock()
	if t.dead || t.closed {
		t.mu.Unlock()
		return
	}
	t.dead = true
	att := t.att
	t.mu.Unlock()
	// When the whole lab ended, "ended" says so; an exit of each shell
	// would only confuse.
	if att != nil && t.waitErr == nil {
		att.c.sendJSON(protocol.Exit{Type: "exit", Term: t.n, Status: t.status})
	}
}

// pump copies the PTY's output to the ring and the attached connection,
// reading only while a connection is attached and not too far behind.
func (t *terminal) pump() {
	defer close(t.finished)
	defer t.ss.terminalFinished(t)
	defer t.stopInput()
	buf := make([]byte, readChunk)
	for {
		t.mu.Lock()
		for !t.closed && (t.att == nil || t.flow.paused) {
			t.wake.Wait()
		}
		if t.closed {
			t.mu.Unlock()
			break
		}
		t.mu.Unlock()

		n, err := readAvailable(t.pty, buf)
		if n > 0 {
			at := time.Now()
			t.ss.active()
			frame := make([]byte, 1+n)
			frame[0] = byte(t.n)
			copy(frame[1:], buf[:n])
			t.mu.Lock()
			t.ring.Write(buf[:n])
			t.written += int64(n)
			end := t.written
			att := t.att
			if att != nil {
				if t.flow.sent(n) {
					t.watchStall()
				}
				raise(&t.ss.s.peakUnacked, t.flow.unacked)
			}
			t.mu.Unlock()
			if att != nil {
				att.c.sendBinary(frame, att.gone)
			}
			// The owner's connection first: the taps (an audience of
			// hundreds) must not delay the echo of the owner's keys.
			t.ss.tapOutput(t, at, frame, end)
		}
		if err != nil {
			// EIO: every holder of the PTY's other side has closed it,
			// normally because the shell exited.
			if !errors.Is(err, os.ErrClosed) && !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, syscall.EIO) {
				t.log.Debug("terminal read", "err", err)
			}
			break
		}
	}
	t.pty.Close()
	t.mu.Lock()
	closed := t.closed
	t.mu.Unlock()
	if closed {
		// Closed on purpose: the shell is told by the hangup and, if it
		// does not listen, killed.
		t.proc.Signal(syscall.SIGHUP)
		select {
		case <-t.exited:
		case <-time.After(2 * time.Second):
			t.proc.Signal(syscall.SIGKILL)
			<-t.exited
		}
		return
	}
	<-t.exited
	t.reportExit()
	t.mu.Lock()
	att := t.att
	t.att = nil
	t.mu.Unlock()
	if att != nil {
		att.c.forget(t)
	}
}

// readAvailable reads what the PTY holds now, up to len(buf): one read
// that waits for output, then more without waiting while the kernel has
// more at once. The line discipline hands out at most about 4 KiB a read,
// so a flood read one read per frame cost a message, a wakeup of the
// writer and of the client per 4 KiB; nothing here waits for output that
// has not come, so an echo is not held back. Errors of the extra reads
// (EAGAIN: nothing more; EIO: the shell is gone) are left for the next
// read to report.
func readAvailable(f *os.File, buf []byte) (int, error) {
	n, err := f.Read(buf)
	if err != nil || n == len(buf) {
		return n, err
	}
	rc, rerr := f.SyscallConn()
	if rerr != nil {
		return n, nil
	}
	rc.Read(func(fd uintptr) bool {
		// Only a non-blocking descriptor can be asked without waiting.
		if fl, err := unix.FcntlInt(fd, unix.F_GETFL, 0); err != nil || fl&unix.O_NONBLOCK == 0 {
			return true
		}
		for n < len(buf) {
			k, err := unix.Read(int(fd), buf[n:])
			if k <= 0 || err != nil {
				break
			}
			n += k
		}
		return true
	})
	return n, nil
}

// attach shows the terminal in c: "opened", then the recent output, then
// live output. A connection that showed it before stops showing it.
func (t *terminal) attach(c *wsConn) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.dead {
		return false
	}
	select {
	case <-t.finished:
		return false
	default:
	}
	if t.att != nil {
		// A connection that showed the terminal before stops getting
		// its output; what it still sends for it is ignored (see
		// shownIn), so an older tab cannot take it back by typing.
		close(t.att.gone)
	}
	t.att = &attachment{c: c, gone: make(chan struct{})}
	t.flow = flow{}
	// Sent while holding t.mu so that no live output can overtake the
	// replay: the pump appends to the ring and picks its connection under
	// t.mu too. The writer never takes t.mu, so this cannot deadlock.
	c.sendJSON(protocol.Term{Type: "opened", Term: t.n})
	replay := t.ring.Bytes()
	for len(replay) > 0 {
		k := min(len(replay), readChunk)
		frame := make([]byte, 1+k)
		frame[0] = byte(t.n)
		copy(frame[1:], replay[:k])
		c.sendBinary(frame, t.att.gone)
		if t.flow.sent(k) {
			t.watchStall()
		}
		replay = replay[k:]
	}
	raise(&t.ss.s.peakUnacked, t.flow.unacked)
	t.wake.Broadcast()
	return true
}

// running reports whether the terminal may still be attached to: not
// closed, its shell not reported ended, its pump not ended.
func (t *terminal) running() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-t.finished:
		return false
	default:
		return !t.closed && !t.dead
	}
}

// exitReported reports whether the shell's exit has been told (reportExit):
// from then on the terminal takes no input or resize, though it stays in
// its connection's table until its ending goroutine forgets it.
func (t *terminal) exitReported() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dead
}

// detach stops showing the terminal in c, if c shows it.
func (t *terminal) detach(c *wsConn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.att != nil && t.att.c == c {
		close(t.att.gone)
		t.att = nil
	}
}

// watchStall tells the client, once, if the pause just begun gets no ack
// within stallAfter: its terminal stays paused until it acknowledges
// what it got (docs/protocol.md, "Flow control"). Called with t.mu held.
//
// It stops a client that pauses its terminal thousands of times a second
// (acking exactly at the pause point while a flood runs) from making the
// server hold a timer per pause for stallAfter: the terminal has one
// timer, reset at each pause. Only the latest pause can be stalled (a
// pause ends with an ack), so checking it alone tells what a timer per
// pause told.
func (t *terminal) watchStall() {
	if t.stall != nil {
		t.stall.Reset(stallAfter)
		return
	}
	t.stall = startStallTimer(stallAfter, t.tellStall)
}

// startStallTimer is time.AfterFunc, a variable so that a test can count
// the timers the stall checks hold.
var startStallTimer = time.AfterFunc

// tellStall tells the attached client, if the terminal's latest pause has
// had no ack, why its output stopped.
func (t *terminal) tellStall() {
	t.mu.Lock()
	att := t.att
	stalled := att != nil && t.flow.stalled(t.flow.epoch)
	unacked := t.flow.unacked
	t.mu.Unlock()
	if stalled {
		att.c.sendJSON(protocol.Error{Type: "error", Message: "terminal " + itoa(int64(t.n)) + "'s output is paused: " +
			itoa(unacked) + " bytes sent and not acknowledged, and no ack for " + stallAfter.String() +
			"; acknowledge at least every " + itoa(highWater) + " bytes received (docs/protocol.md, Flow control)"})
	}
}

// ack counts n bytes of output processed by c's browser.
func (t *terminal) ack(c *wsConn, n int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.att != nil && t.att.c == c && t.flow.acked(n) {
		t.wake.Broadcast()
	}
}

// shownIn reports whether c is the connection showing the terminal.
func (t *terminal) shownIn(c *wsConn) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.att != nil && t.att.c == c
}

// input queues keyboard input from c for the shell. It fails only when
// the shell has left maxInputQueue bytes unread: the client keeps typing
// (pasting) into a program that does not read.
func (t *terminal) input(c *wsConn, p []byte) error {
	if !t.shownIn(c) {
		return nil // taken over by another connection
	}
	return t.typeIn(p)
}

// typeIn queues p as the terminal's keyboard input, as if typed: the
// learner's keys, and a lesson's foreground script.
func (t *terminal) typeIn(p []byte) error {
	t.inMu.Lock()
	defer t.inMu.Unlock()
	if t.inDone {
		return nil
	}
	if t.inBytes+len(p) > maxInputQueue {
		return fmt.Errorf("terminal %d does not read its input: %d bytes are waiting already, the most is %d", t.n, t.inBytes, maxInputQueue)
	}
	t.inQ = append(t.inQ, p)
	t.inBytes += len(p)
	t.ss.active()
	t.inWake.Signal()
	return nil
}

// writeInput writes queued input to the PTY, waiting as long as the
// shell does not read it, until the terminal ends.
func (t *terminal) writeInput() {
	for {
		t.inMu.Lock()
		for len(t.inQ) == 0 && !t.inDone {
			t.inWake.Wait()
		}
		if t.inDone {
			t.inMu.Unlock()
			return
		}
		p := t.inQ[0]
		t.inQ[0] = nil
		t.inQ = t.inQ[1:]
		t.inMu.Unlock()
		_, err := t.pty.Write(p)
		t.inMu.Lock()
		t.inBytes -= len(p)
		t.inMu.Unlock()
		if err != nil {
			// The PTY closed: the terminal is ending, and stopInput
			// follows.
			continue
		}
	}
}

// stopInput drops queued input and ends writeInput.
func (t *terminal) stopInput() {
	t.inMu.Lock()
	t.inDone = true
	t.inQ = nil
	t.inBytes = 0
	t.inWake.Broadcast()
	t.inMu.Unlock()
}

// resize sets the terminal's size if c shows it; the shell gets
// SIGWINCH.
func (t *terminal) resize(c *wsConn, rows, cols uint16) error {
	if !t.shownIn(c) {
		return nil
	}
	if err := pty.Setsize(t.pty, &pty.Winsize{Rows: rows, Cols: cols}); err != nil {
		if errors.Is(err, os.ErrClosed) {
			return nil
		}
		return fmt.Errorf("resize terminal %d: %w", t.n, err)
	}
	t.ss.tapResized(t, time.Now(), rows, cols)
	return nil
}

// close ends the terminal: the pump stops, the PTY closes, the shell is
// hung up on.
func (t *terminal) close() {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.closed = true
	if t.att != nil {
		close(t.att.gone)
		t.att = nil
	}
	t.wake.Broadcast()
	t.mu.Unlock()
	// The deadline unblocks a pending read. Where the PTY is not pollable
	// the read ends only when the shell's side closes, so the shell is
	// hung up on directly too.
	t.pty.SetReadDeadline(time.Now())
	t.proc.Signal(syscall.SIGHUP)
}

// stats adds the terminal's counters to st.
func (t *terminal) stats(st *Stats) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st.Unacked += t.flow.unacked
	if t.att != nil && t.flow.paused {
		st.PausedTerms++
	}
}
