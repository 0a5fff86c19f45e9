//go:build linux

package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/nslab/nslab/nsstate"
	"github.com/nslab/nslab/recording"
)

// castLines checks that b is asciicast v2 as asciinema's tools read it
// (a header object, then [time, type, data] arrays with string data and
// times in order) and returns the header and the events.
func castLines(t *testing.T, b []byte) (map[string]any, [][]any) {
	t.Helper()
	if len(b) == 0 || b[len(b)-1] != '\n' {
		t.Fatalf("the recording does not end with a whole line")
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var h map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil {
		t.Fatalf("header %q: %v", lines[0], err)
	}
	for _, k := range []string{"version", "width", "height", "timestamp"} {
		v, ok := h[k].(float64)
		if !ok || v != float64(int64(v)) {
			t.Errorf("header %s = %v, want an integer", k, h[k])
		}
	}
	if h["version"] != 2.0 {
		t.Errorf("header version %v, want 2", h["version"])
	}
	var evs [][]any
	last := 0.0
	for i, l := range lines[1:] {
		var ev []any
		if err := json.Unmarshal([]byte(l), &ev); err != nil || len(ev) != 3 {
			t.Fatalf("line %d %.100q: not [time, type, data] (%v)", i+2, l, err)
		}
		tm, ok1 := ev[0].(float64)
		_, ok2 := ev[1].(string)
		_, ok3 := ev[2].(string)
		if !ok1 || !ok2 || !ok3 {
			t.Fatalf("line %d %.100q: want a number and two strings", i+2, l)
		}
		if tm < last {
			t.Fatalf("line %d: time %v before %v", i+2, tm, last)
		}
		last = tm
		evs = append(evs, ev)
	}
	return h, evs
}

// TestRecording drives a lab as the page does (a terminal over the
// websocket, a resize) and through exec, then reads its recording: valid
// asciicast v2, the terminal's output in it, and the state timeline,
// applied diff by diff to its first snapshot, giving the lab's state now.
// Without the token, or with another lab's, there is no recording.
func TestRecording(t *testing.T) {
	h := newHarness(t, Limits{})
	c := h.create()
	other := h.create()
	cl := h.dial(c)
	cl.open(0, 30, 100)
	cl.shellReady(0)
	cl.run(0, "echo rec-marker-$((6*7))", "rec-marker-42")
	cl.sendJSON(map[string]any{"type": "resize", "term": 0, "rows": 40, "cols": 120})
	cl.run(0, "sleep 3001 & echo started", "started")
	// Started where no terminal shows it: the state timeline has it all
	// the same.
	if resp, body := h.do(http.DefaultClient, "POST", "/api/labs/"+c.ID+"/exec", c.Token, `{"cmd":"sleep 3002 &"}`); resp.StatusCode != 200 {
		t.Fatalf("exec: %s %s", resp.Status, body)
	}

	for _, tok := range []string{"", "wrong", other.Token} {
		resp, body := h.do(http.DefaultClient, "GET", "/api/labs/"+c.ID+"/recording", tok, "")
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), errNoLab) {
			t.Errorf("GET recording with token %q: %s %s, want 404", tok, resp.Status, body)
		}
	}

	var b []byte
	var now *nsstate.Snapshot
	var rec *recording.Recording
	// The lab is quiet now, so the recording's last state and GET /state
	// agree, but a state read in between may differ by a process's run
	// state: try a few times.
	for try := 0; ; try++ {
		resp, body := h.do(http.DefaultClient, "GET", "/api/labs/"+c.ID+"/recording", c.Token, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET recording: %s %s", resp.Status, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/x-asciicast" {
			t.Errorf("Content-Type %q", ct)
		}
		resp, st := h.do(http.DefaultClient, "GET", "/api/labs/"+c.ID+"/state", c.Token, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET state: %s %s", resp.Status, st)
		}
		now = new(nsstate.Snapshot)
		if err := json.Unmarshal(st, now); err != nil {
			t.Fatal(err)
		}
		var err error
		if rec, err = recording.Parse(bytes.NewReader(body)); err != nil {
			t.Fatalf("parse the recording: %v", err)
		}
		b = body
		tl := recording.NewTimeline(rec)
		if tl.Len() > 0 && nsstate.Equal(tl.At(tl.Len()-1), now) {
			break
		}
		if try == 4 {
			t.Fatalf("the recording's last state (of %d) is not the lab's state now", tl.Len())
		}
	}

	hdr, evs := castLines(t, b)
	if hdr["width"] != 100.0 || hdr["height"] != 30.0 {
		t.Errorf("header size %vx%v, want 100x30 (the terminal's first)", hdr["width"], hdr["height"])
	}
	var out strings.Builder
	resized := false
	for _, ev := range evs {
		switch ev[1] {
		case "o":
			out.WriteString(ev[2].(string))
		case "r":
			resized = resized || ev[2] == "120x40"
		}
	}
	if !strings.Contains(out.String(), "rec-marker-42") || !strings.Contains(out.String(), "started") {
		t.Errorf("the output events lack the commands' output:\n%s", out.String())
	}
	if !resized {
		t.Error("no resize event 120x40")
	}
	if len(rec.States) < 2 {
		t.Errorf("%d state events, want the first snapshot and diffs", len(rec.States))
	}
	var sleeps []string
	for _, p := range now.Processes {
		if p.Comm == "sleep" {
			sleeps = append(sleeps, strings.Join(p.Cmdline, " "))
		}
	}
	if len(sleeps) != 2 {
		t.Errorf("sleeps in the last state: %q, want sleep 3001 and 3002", sleeps)
	}
	// The first state has neither sleep: the timeline tells when they came.
	for _, p := range rec.States[0].Snapshot.Processes {
		if p.Comm == "sleep" {
			t.Errorf("the first snapshot already has %v", p.Cmdline)
		}
	}
}

// TestRecordingCap floods a lab's terminal past a small recording cap:
// the recording stops there with a marker saying so, stays within the
// cap, and still parses.
func TestRecordingCap(t *testing.T) {
	const limit = 64 << 10
	h := newHarness(t, Limits{}, func(c *Config) { c.recordingCap = limit })
	c := h.create()
	cl := h.dial(c)
	cl.open(0, 24, 80)
	cl.shellReady(0)
	cl.run(0, "seq 1 40000 | tail -n 1", "40000")
	cl.run(0, "seq 1 40000", "40000")
	resp, b := h.do(http.DefaultClient, "GET", "/api/labs/"+c.ID+"/recording", c.Token, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET recording: %s %s", resp.Status, b)
	}
	if len(b) > limit {
		t.Errorf("recording of %d bytes, over its cap of %d", len(b), limit)
	}
	_, evs := castLines(t, b)
	last := evs[len(evs)-1]
	if last[1] != "m" || !strings.Contains(last[2].(string), "cap") {
		t.Errorf("last event %v, want the marker of the cap", last)
	}
	if _, err := recording.Parse(bytes.NewReader(b)); err != nil {
		t.Errorf("parse: %v", err)
	}
}
