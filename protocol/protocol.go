// Package protocol is the message set a lab page speaks: what the page
// sends to a lab and what the lab sends back, whether the lab is a live one
// behind a websocket (package server) or the simulator running in the same
// page (package wasm). Both ends decode with the same code, so a message
// means one thing everywhere. docs/protocol.md describes it for people.
//
// It holds message types, limits and the decoder; it must not do I/O, and
// it imports only the standard library and nsstate so it builds for
// GOOS=js.
package protocol

import (
	"encoding/json"
	"fmt"

	"github.com/nslab/nslab/nsstate"
)

// Version is the protocol's version, sent in hello.
const Version = 1

// Limits on what a client sends. Anything larger is refused.
const (
	MaxFrame  = 64 << 10 // bytes in one websocket frame, text or binary
	MaxTerms  = 4        // terminals per lab, numbered 0 to MaxTerms-1
	MaxRows   = 500      // terminal rows
	MaxCols   = 1000     // terminal columns
	MaxSelect = 1024     // bytes of a selected set's key
	MaxAck    = 1 << 40  // bytes one ack may acknowledge
)

// ClientMsg is any text message a client may send; which fields count
// depends on Type. Pointers tell a missing field from a zero one.
type ClientMsg struct {
	Type  string  `json:"type"`
	Term  *int64  `json:"term"`
	Rows  *int64  `json:"rows"`
	Cols  *int64  `json:"cols"`
	Bytes *int64  `json:"bytes"`
	State *bool   `json:"state"`
	Views *bool   `json:"views"`
	Set   *string `json:"set"`
}

// Decode parses and checks a text message. Every number is in range and
// every field its type needs is present, or it returns an error that says
// which is not.
func Decode(data []byte) (ClientMsg, error) {
	var m ClientMsg
	if len(data) > MaxFrame {
		return m, fmt.Errorf("message of %d bytes is over the limit of %d", len(data), MaxFrame)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("bad JSON: %w", err)
	}
	need := func(name string, v *int64, lo, hi int64) error {
		if v == nil {
			return fmt.Errorf("%s: %q is missing", m.Type, name)
		}
		if *v < lo || *v > hi {
			return fmt.Errorf("%s: %q is %d, want %d to %d", m.Type, name, *v, lo, hi)
		}
		return nil
	}
	var err error
	switch m.Type {
	case "open", "resize":
		err = firstErr(need("term", m.Term, 0, MaxTerms-1), need("rows", m.Rows, 1, MaxRows), need("cols", m.Cols, 1, MaxCols))
	case "ack":
		err = firstErr(need("term", m.Term, 0, MaxTerms-1), need("bytes", m.Bytes, 0, MaxAck))
	case "close":
		err = need("term", m.Term, 0, MaxTerms-1)
	case "subscribe", "ping":
	case "select":
		switch {
		case m.Set == nil:
			err = fmt.Errorf("select: %q is missing", "set")
		case len(*m.Set) > MaxSelect:
			err = fmt.Errorf("select: %q is %d bytes long, the most is %d", "set", len(*m.Set), MaxSelect)
		}
	case "":
		err = fmt.Errorf("message has no %q", "type")
	default:
		err = fmt.Errorf("unknown message type %q", Truncate(m.Type, 40))
	}
	return m, err
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// Truncate shortens s to at most n bytes for an error message.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Server-to-client messages.
type (
	Hello struct {
		Type     string `json:"type"` // "hello"
		Lab      string `json:"lab"`
		Protocol int    `json:"protocol"`
		Mode     string `json:"mode"` // "live" or "sim"
	}
	// Term is "opened" and "pong"-like messages that name a terminal.
	Term struct {
		Type string `json:"type"`
		Term int    `json:"term"`
	}
	Exit struct {
		Type   string `json:"type"` // "exit"
		Term   int    `json:"term"`
		Status int    `json:"status"`
	}
	State struct {
		Type     string            `json:"type"` // "state"
		Snapshot *nsstate.Snapshot `json:"snapshot"`
	}
	Diff struct {
		Type string       `json:"type"` // "diff"
		Diff nsstate.Diff `json:"diff"`
	}
	Views struct {
		Type string `json:"type"` // "views"
		HTML string `json:"html"`
	}
	Error struct {
		Type    string `json:"type"` // "error"
		Message string `json:"message"`
	}
	Ended struct {
		Type   string `json:"type"` // "ended"
		Reason string `json:"reason"`
	}
	// Lesson opens the lab's lesson panel: sent after hello to a page
	// whose lab has a lesson, and again after a reconnect. HTML is the
	// panel as package web renders it, with the steps done so far marked;
	// Done lists them (1-based) and Current is the step open now (Steps+1
	// once every step is done).
	Lesson struct {
		Type    string `json:"type"` // "lesson"
		Name    string `json:"name"`
		HTML    string `json:"html"`
		Steps   int    `json:"steps"`
		Done    []int  `json:"done"`
		Current int    `json:"current"`
	}
	// Progress says that a step ticked: its check passed. Done lists
	// every step done so far, so a page that missed one message is right
	// again with the next.
	Progress struct {
		Type    string `json:"type"` // "progress"
		Lesson  string `json:"lesson"`
		Step    int    `json:"step"` // the step that ticked, 1-based
		Done    []int  `json:"done"`
		Current int    `json:"current"`
	}
	// Bare is a message with nothing but its type, such as "pong".
	Bare struct {
		Type string `json:"type"`
	}
)

// Frame is a binary frame: the terminal's number, then its bytes.
func Frame(term int, data []byte) []byte {
	f := make([]byte, 1+len(data))
	f[0] = byte(term)
	copy(f[1:], data)
	return f
}

// SplitFrame checks a client's binary frame and splits it into terminal
// number and bytes.
func SplitFrame(f []byte) (term int, data []byte, err error) {
	switch {
	case len(f) == 0:
		return 0, nil, fmt.Errorf("empty binary frame: want a terminal number first")
	case len(f) > MaxFrame:
		return 0, nil, fmt.Errorf("binary frame of %d bytes is over the limit of %d", len(f), MaxFrame)
	case int(f[0]) >= MaxTerms:
		return 0, nil, fmt.Errorf("binary frame for terminal %d: terminals are 0 to %d", f[0], MaxTerms-1)
	}
	return int(f[0]), f[1:], nil
}
