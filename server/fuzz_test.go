//go:build linux

package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/creack/pty"

	"github.com/nslab/nslab/protocol"
)

// FuzzTerminalControl feeds client messages, one per line, to a terminal
// on a real PTY the way a connection's reader does after
// protocol.Decode: resize sets the PTY's size, ack counts output off the
// flow control; between messages the terminal sends output as its pump
// would (only while not paused). A line starting with "!" comes from a
// connection that does not show the terminal. Whatever the messages, no
// panic, the unacknowledged count stays between 0 and the high watermark
// plus one read, pausing agrees with the watermarks, and the PTY has the
// size of the last accepted resize.
//
//	go test -run '^$' -fuzz FuzzTerminalControl ./server/
func FuzzTerminalControl(f *testing.F) {
	for _, seed := range []string{
		`{"type":"ack","term":0,"bytes":100}`,
		`{"type":"resize","term":0,"rows":24,"cols":80}`,
		"{\"type\":\"resize\",\"term\":0,\"rows\":500,\"cols\":1000}\n{\"type\":\"ack\",\"term\":0,\"bytes\":1099511627776}",
		"{\"type\":\"ack\",\"term\":0,\"bytes\":0}\n{\"type\":\"ack\",\"term\":0,\"bytes\":0}\n{\"type\":\"ack\",\"term\":0,\"bytes\":0}\n{\"type\":\"ack\",\"term\":0,\"bytes\":0}\n{\"type\":\"ack\",\"term\":0,\"bytes\":0}\n{\"type\":\"ack\",\"term\":0,\"bytes\":0}\n{\"type\":\"ack\",\"term\":0,\"bytes\":0}\n{\"type\":\"ack\",\"term\":0,\"bytes\":0}\n{\"type\":\"ack\",\"term\":0,\"bytes\":0}",
		"!{\"type\":\"resize\",\"term\":0,\"rows\":1,\"cols\":1}\n!{\"type\":\"ack\",\"term\":0,\"bytes\":999999}",
		`{"type":"resize","term":0,"rows":65536,"cols":80}`,
		`{"type":"resize","term":0,"rows":-1,"cols":80}`,
		`{"type":"ack","term":0,"bytes":-9223372036854775808}`,
		`{"type":"ack","term":0,"bytes":9223372036854775807}`,
		`{"type":"resize","term":0,"rows":1e3,"cols":80}`,
		"\x00\xff{",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		master, slave, err := pty.Open()
		if err != nil {
			t.Fatalf("open a PTY: %v", err)
		}
		defer master.Close()
		defer slave.Close()
		pty.Setsize(master, &pty.Winsize{Rows: 24, Cols: 80})
		term := &terminal{n: 0, pty: master, ring: newRing(ringSize)}
		term.wake = sync.NewCond(&term.mu)
		shown, other := &wsConn{}, &wsConn{}
		term.att = &attachment{c: shown, gone: make(chan struct{})}
		wantRows, wantCols := 24, 80

		for i, line := range bytes.Split(data, []byte("\n")) {
			from := shown
			if l, ok := bytes.CutPrefix(line, []byte("!")); ok {
				from, line = other, l
			}
			// Output as the pump sends it: a read of up to readChunk,
			// only while not paused.
			term.mu.Lock()
			if !term.flow.paused {
				term.flow.sent(1 + (len(line)*7919+i*104729)%readChunk)
			}
			term.mu.Unlock()

			m, err := protocol.Decode(line)
			if err != nil {
				continue // the connection closes; nothing reaches the terminal
			}
			if int(*nonNil(m.Term)) != 0 {
				continue
			}
			term.mu.Lock()
			before := term.flow
			term.mu.Unlock()
			switch m.Type {
			case "ack":
				term.ack(from, *m.Bytes)
			case "resize":
				if err := term.resize(from, uint16(*m.Rows), uint16(*m.Cols)); err != nil {
					t.Fatalf("resize %d×%d: %v", *m.Rows, *m.Cols, err)
				}
				if from == shown {
					wantRows, wantCols = int(*m.Rows), int(*m.Cols)
				}
			}
			term.mu.Lock()
			fl := term.flow
			term.mu.Unlock()
			if from == other && fl != before {
				t.Fatalf("%s from a connection that does not show the terminal changed its flow from %+v to %+v", m.Type, before, fl)
			}
			switch {
			case fl.unacked < 0:
				t.Fatalf("after %q: %d bytes unacknowledged", line, fl.unacked)
			case fl.unacked > highWater+readChunk:
				t.Fatalf("after %q: %d bytes unacknowledged, over the bound %d", line, fl.unacked, highWater+readChunk)
			case fl.paused && fl.unacked <= lowWater:
				t.Fatalf("after %q: paused with %d bytes unacknowledged, at or below the low watermark", line, fl.unacked)
			case !fl.paused && fl.unacked >= highWater:
				t.Fatalf("after %q: reading with %d bytes unacknowledged, at or above the high watermark", line, fl.unacked)
			}
			ws, err := pty.GetsizeFull(slave)
			if err != nil {
				t.Fatal(err)
			}
			if int(ws.Rows) != wantRows || int(ws.Cols) != wantCols {
				t.Fatalf("after %q: the PTY is %d×%d, want %d×%d", line, ws.Rows, ws.Cols, wantRows, wantCols)
			}
		}
	})
}

func nonNil(p *int64) *int64 {
	if p == nil {
		return new(int64)
	}
	return p
}

// FuzzExecBody feeds request bodies to POST /api/labs/{id}/exec's decoder
// as the handler does, bounded by http.MaxBytesReader (to fuzzLimit
// rather than maxExecBody: small inputs fuzz faster). No panic; the
// answer is 0 (accepted), 400 or 413 with a message; 413 only for a body
// over the limit; an accepted command passes checkCmd and the body held
// one JSON object and nothing else.
//
//	go test -run '^$' -fuzz FuzzExecBody ./server/
func FuzzExecBody(f *testing.F) {
	for _, seed := range []string{
		`{"cmd":"echo ok"}`,
		`{"cmd":"ls -l /"}  `,
		`{"cmd":`,
		`{"command":"ls"}`,
		`{"cmd":"  "}`,
		`{"cmd":"echo a\u0000b"}`,
		`{"cmd":"a"}{"cmd":"b"}`,
		`{"cmd":"a"} junk`,
		`{"CMD":"ls"}`,
		`{"Cmd":"ls"}`,
		`{"cmd":"a","cmd":"b"}`,
		`{"cmd":"a","CMD":"b"}`,
		`{}`,
		`{"cmd":null}`,
		`{"cmd":1}`,
		`[]`,
		`null`,
		`{"cmd":"` + strings.Repeat("x", fuzzLimit) + `"}`,
		"\xff\xfe",
		`{"cmd":"\ud800"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, status, msg := decodeExec(http.MaxBytesReader(nil, readCloser{bytes.NewReader(body)}, fuzzLimit), fuzzLimit)
		switch status {
		case 0:
			if m := checkCmd(req.Cmd); m != "" {
				t.Fatalf("accepted %q, whose command is wrong: %s", body, m)
			}
			if msg != "" {
				t.Fatalf("accepted with a message %q", msg)
			}
			dec := json.NewDecoder(bytes.NewReader(body))
			var v map[string]any
			if err := dec.Decode(&v); err != nil || dec.More() {
				t.Fatalf("accepted %q, which is not one JSON object", body)
			}
			// Exactly one field, "cmd" in lower case, given once.
			if len(v) != 1 || v["cmd"] != req.Cmd {
				t.Fatalf("accepted %q as %q, which is not one \"cmd\" field", body, req.Cmd)
			}
		case http.StatusBadRequest:
			if msg == "" {
				t.Fatalf("400 for %q without a message", body)
			}
		case http.StatusRequestEntityTooLarge:
			if len(body) <= fuzzLimit {
				t.Fatalf("413 for a body of %d bytes, within the limit %d", len(body), fuzzLimit)
			}
		default:
			t.Fatalf("status %d for %q", status, body)
		}
	})
}

const fuzzLimit = 256

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// The exec body's one field is "cmd", exactly and once: a decoder that
// matched keys without case, or took the last of two, would run a
// command other than the one a reader of the body sees.
func TestExecBodyIsStrict(t *testing.T) {
	for _, tc := range []struct {
		body string
		want string // in the message; "" for accepted
	}{
		{`{"cmd":"echo ok"}`, ""},
		{` { "cmd" : "echo ok" } `, ""},
		{`{"CMD":"ls"}`, `unknown field "CMD"`},
		{`{"Cmd":"ls"}`, `unknown field "Cmd"`},
		{`{"cmd":"ls","cmd":"rm"}`, `"cmd" given twice`},
		{`{"cmd":"ls","CMD":"rm"}`, `unknown field "CMD"`},
		{`{"cmd":"ls","x":1}`, `unknown field "x"`},
		{`{}`, `no "cmd"`},
		{`{"cmd":1}`, `"cmd" is not a string`},
		{`{"cmd":null}`, `"cmd" is not a string`},
		{`["cmd"]`, "want a JSON body"},
		{`{"cmd":"a"} {}`, "data after"},
		{`{"cmd":`, "want a JSON body"},
		{``, "want a JSON body"},
	} {
		req, status, msg := decodeExec(http.MaxBytesReader(nil, readCloser{bytes.NewReader([]byte(tc.body))}, 1024), 1024)
		switch {
		case tc.want == "" && (status != 0 || req.Cmd != "echo ok"):
			t.Errorf("%s: %d %q, want accepted", tc.body, status, msg)
		case tc.want != "" && (status != http.StatusBadRequest || !strings.Contains(msg, tc.want)):
			t.Errorf("%s: %d %q, want 400 with %q", tc.body, status, msg, tc.want)
		}
	}
}
