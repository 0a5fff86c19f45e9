package server

import (
	"time"

	"github.com/nslab/nslab/nsstate"
)

// labTap is told what a lab shows, as the server reads it: each
// terminal's output where its PTY is read, each terminal's size, and each
// reading of the lab's state. A lab has two: its audience (audience.go),
// which fans it out to followers, and its recording (recording.go). The
// calls come from a terminal's pump (one goroutine per terminal, so in
// order) and from the state reader (one reading at a time, in order), so
// they must be quick and never block.
type labTap interface {
	// termOutput is terminal t's output, read at at, as the owner gets
	// it (the binary frame: terminal number, then bytes), after the
	// owner's connection got it: a tap (an audience of hundreds) must not
	// delay the echo of the owner's keys. end is t.written just after
	// these bytes went into t's replay ring: a tap that reads the ring
	// under t.mu (and t.written with it) knows which chunks the ring
	// already held. frame is never changed afterwards; a tap may keep it.
	termOutput(t *terminal, at time.Time, frame []byte, end int64)
	// termResized says terminal t is rows×cols from at on: its size when
	// it starts, then each resize by the owner.
	termResized(t *terminal, at time.Time, rows, cols uint16)
	// labState is each reading of the lab's state, taken at at, whoever
	// asked for it (the state stream, GET /state, GET /recording).
	labState(at time.Time, snap *nsstate.Snapshot)
}

// tapOutput tells the lab's taps terminal t's output. A terminal made
// outside a session (the fuzz test's) has no taps.
func (ss *session) tapOutput(t *terminal, at time.Time, frame []byte, end int64) {
	if ss == nil {
		return
	}
	for _, tp := range ss.taps {
		tp.termOutput(t, at, frame, end)
	}
}

// tapResized tells the lab's taps terminal t's size.
func (ss *session) tapResized(t *terminal, at time.Time, rows, cols uint16) {
	if ss == nil {
		return
	}
	for _, tp := range ss.taps {
		tp.termResized(t, at, rows, cols)
	}
}

// tapState tells the lab's taps a reading of its state.
func (ss *session) tapState(at time.Time, snap *nsstate.Snapshot) {
	for _, tp := range ss.taps {
		tp.labState(at, snap)
	}
}
