package server

import "time"

// flow is one terminal's flow control toward the connection showing it:
// output sent minus output the browser says it has processed. Above
// highWater the terminal's output is no longer read, so a flood (`yes`)
// waits in the kernel's PTY buffer instead of the server's memory.
//
// Reading resumes once the client has caught up: at lowWater or less, or
// below the largest single ack the client has sent. The second rule is
// what lets a client acknowledge in batches: one that acks every 64 KiB
// holds up to 64 KiB unacknowledged by design, and would never again reach
// lowWater once paused (the server waits for its ack, it waits for more
// output). Any batch up to highWater works; the gap between highWater and
// the resume point still keeps a fast producer from toggling on every ack.
type flow struct {
	unacked int64
	paused  bool
	maxAck  int64 // the largest single ack so far, at most highWater
	epoch   int   // counts pauses, so a stall check knows its own
	ackedIn bool  // an ack came since the last pause
}

// sent counts n bytes handed to the connection. It reports whether this
// paused reading (the caller then watches for a stall: see stallAfter).
func (f *flow) sent(n int) bool {
	f.unacked += int64(n)
	if !f.paused && f.unacked >= highWater {
		f.paused = true
		f.epoch++
		f.ackedIn = false
		return true
	}
	return false
}

// acked counts n bytes the browser has processed. It reports whether
// reading may resume. An ack beyond what was sent (a replay raced a
// reconnect) only empties the count.
func (f *flow) acked(n int64) bool {
	if n <= 0 {
		return false
	}
	f.unacked = max(0, f.unacked-n)
	f.maxAck = min(highWater, max(f.maxAck, n))
	f.ackedIn = true
	if f.paused && (f.unacked <= lowWater || f.unacked < f.maxAck) {
		f.paused = false
		return true
	}
	return false
}

// stalled reports whether the pause numbered epoch still holds with no ack
// since it began: the client acknowledges in batches larger than what the
// server sends before pausing, or not at all.
func (f *flow) stalled(epoch int) bool {
	return f.paused && f.epoch == epoch && !f.ackedIn
}

// stallAfter is how long a paused terminal waits for an ack before the
// client is told (once per pause) that it stalled its terminal.
const stallAfter = 10 * time.Second
