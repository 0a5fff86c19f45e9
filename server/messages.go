package server

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/nslab/nslab/nsstate"
)

// protocolVersion is the websocket protocol's version, sent in hello.
const protocolVersion = 1

// clientMsg is any text message a client may send; which fields count
// depends on Type. Pointers tell a missing field from a zero one.
type clientMsg struct {
	Type  string  `json:"type"`
	Term  *int64  `json:"term"`
	Rows  *int64  `json:"rows"`
	Cols  *int64  `json:"cols"`
	Bytes *int64  `json:"bytes"`
	State *bool   `json:"state"`
	Views *bool   `json:"views"`
	Set   *string `json:"set"`
}

// decodeClientMsg parses and checks a text message. Every number is in
// range and every field a type needs is present, or it returns an error
// that says which is not.
func decodeClientMsg(data []byte) (clientMsg, error) {
	var m clientMsg
	if len(data) > maxFrame {
		return m, fmt.Errorf("message of %d bytes is over the limit of %d", len(data), maxFrame)
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
		err = firstErr(need("term", m.Term, 0, maxTerms-1), need("rows", m.Rows, 1, maxRows), need("cols", m.Cols, 1, maxCols))
	case "ack":
		err = firstErr(need("term", m.Term, 0, maxTerms-1), need("bytes", m.Bytes, 0, 1<<40))
	case "close":
		err = need("term", m.Term, 0, maxTerms-1)
	case "subscribe", "ping":
	case "select":
		switch {
		case m.Set == nil:
			err = fmt.Errorf("select: %q is missing", "set")
		case len(*m.Set) > maxSelect:
			err = fmt.Errorf("select: %q is %d bytes long, the most is %d", "set", len(*m.Set), maxSelect)
		}
	case "":
		err = fmt.Errorf("message has no %q", "type")
	default:
		err = fmt.Errorf("unknown message type %q", truncate(m.Type, 40))
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

// truncate shortens s to at most n bytes (and an ellipsis) for an error
// message, cutting between characters: a close frame's reason must be
// valid UTF-8.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Server to client messages.
type (
	helloMsg struct {
		Type     string `json:"type"`
		Lab      string `json:"lab"`
		Protocol int    `json:"protocol"`
		Mode     string `json:"mode"`
	}
	termMsg struct {
		Type string `json:"type"`
		Term int    `json:"term"`
	}
	exitMsg struct {
		Type   string `json:"type"`
		Term   int    `json:"term"`
		Status int    `json:"status"`
	}
	stateMsg struct {
		Type     string            `json:"type"`
		Snapshot *nsstate.Snapshot `json:"snapshot"`
	}
	diffMsg struct {
		Type string       `json:"type"`
		Diff nsstate.Diff `json:"diff"`
	}
	viewsMsg struct {
		Type string `json:"type"`
		HTML string `json:"html"`
	}
	errorMsg struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	}
	endedMsg struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
	}
	typeMsg struct {
		Type string `json:"type"`
	}
)
