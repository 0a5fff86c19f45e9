package server

// flow is one terminal's flow control toward the connection showing it:
// output sent minus output the browser says it has processed. Above
// highWater the terminal's output is no longer read, so a flood (`yes`)
// waits in the kernel's PTY buffer instead of the server's memory; below
// lowWater reading resumes. The gap keeps a fast producer from toggling
// on every ack.
type flow struct {
	unacked int64
	paused  bool
}

// sent counts n bytes handed to the connection.
func (f *flow) sent(n int) {
	f.unacked += int64(n)
	if f.unacked >= highWater {
		f.paused = true
	}
}

// acked counts n bytes the browser has processed. It reports whether
// reading may resume. An ack beyond what was sent (a replay raced a
// reconnect) only empties the count.
func (f *flow) acked(n int64) bool {
	f.unacked = max(0, f.unacked-n)
	if f.paused && f.unacked <= lowWater {
		f.paused = false
		return true
	}
	return false
}
