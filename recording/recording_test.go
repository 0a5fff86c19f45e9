package recording

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nslab/nslab/nsstate"
)

func snap(pids ...int) *nsstate.Snapshot {
	s := nsstate.New("sim")
	s.Host[nsstate.NSPID] = "pid:[1]"
	s.Namespaces = []nsstate.Namespace{{ID: "pid:[1]", Type: nsstate.NSPID, Inode: 1}}
	for _, p := range pids {
		s.Processes = append(s.Processes, nsstate.Process{PID: p, NSpid: []int{p}, Comm: "sleep", NS: map[nsstate.NSType]string{nsstate.NSPID: "pid:[1]"}})
	}
	s.Sort()
	return s
}

// TestRoundTrip records output (a character cut between two reads), a
// resize and three states, and reads them back: asciicast lines, the
// output whole, the diffs giving each state.
func TestRoundTrip(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	r := New(t0, "sim", "demo", 0)
	r.Resize(t0, 100, 30)
	states := []*nsstate.Snapshot{snap(1), snap(1, 7), snap(1, 7), snap(1)}
	r.State(t0.Add(100*time.Millisecond), states[0])
	r.Output(t0.Add(time.Second), []byte("h\xc3"))
	r.Output(t0.Add(1100*time.Millisecond), []byte("\xa9llo\r\n"))
	r.State(t0.Add(2*time.Second), states[1])
	r.State(t0.Add(2500*time.Millisecond), states[2]) // unchanged: no event
	r.Resize(t0.Add(3*time.Second), 120, 40)
	r.State(t0.Add(4*time.Second), states[3])
	b := r.Bytes()

	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var h map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil {
		t.Fatalf("header: %v", err)
	}
	if h["version"] != 2.0 || h["width"] != 100.0 || h["height"] != 30.0 || h["timestamp"] != 1.8e9 {
		t.Errorf("header %s", lines[0])
	}
	for _, l := range lines[1:] {
		var ev []any
		if err := json.Unmarshal([]byte(l), &ev); err != nil || len(ev) != 3 {
			t.Fatalf("event %s: not [time, type, data]", l)
		}
		if _, ok := ev[2].(string); !ok {
			t.Errorf("event %s: data is not a string (asciinema 3 wants one)", l)
		}
	}
	if len(lines) != 1+3+2+1 {
		t.Errorf("want 7 lines, got %d:\n%s", len(lines), b)
	}

	rec, err := Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Output) != 2 || rec.Output[0].Data != "h" || rec.Output[1].Data != "éllo\r\n" || rec.Output[1].Time != 1.1 {
		t.Errorf("output %+v", rec.Output)
	}
	if len(rec.States) != 3 || rec.States[0].Snapshot == nil || rec.States[1].Diff == nil {
		t.Fatalf("states %+v", rec.States)
	}
	tl := NewTimeline(rec)
	want := []*nsstate.Snapshot{states[0], states[1], states[3]}
	for _, order := range [][]int{{0, 1, 2}, {2, 0, 1}} {
		for _, i := range order {
			if got := tl.At(i); !nsstate.Equal(got, want[i]) {
				t.Errorf("state %d: %+v, want %+v", i, got, want[i])
			}
		}
	}
	if tl.Index(0) != -1 || tl.Index(2.2) != 1 || tl.Index(99) != 2 {
		t.Errorf("Index: %d %d %d", tl.Index(0), tl.Index(2.2), tl.Index(99))
	}
	if rec.Duration != 4 {
		t.Errorf("duration %v", rec.Duration)
	}
}

// TestCap fills a recording past its cap: it stops there with a marker
// and stays within the cap.
func TestCap(t *testing.T) {
	t0 := time.Now()
	const limit = 64 << 10
	r := New(t0, "live", "", limit)
	chunk := bytes.Repeat([]byte("x"), 1000)
	for i := 0; i < 200; i++ {
		r.Output(t0.Add(time.Duration(i)*time.Millisecond), chunk)
	}
	if !r.Stopped() {
		t.Fatal("not stopped at the cap")
	}
	b := r.Bytes()
	if len(b) > limit {
		t.Errorf("%d bytes, over the cap of %d", len(b), limit)
	}
	rec, err := Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Markers) != 1 || !strings.Contains(rec.Markers[0].Label, "cap") {
		t.Errorf("markers %+v", rec.Markers)
	}
	r.State(t0, snap(1)) // after the cap: nothing
	if !bytes.Equal(r.Bytes(), b) {
		t.Error("the recording grew after its cap")
	}
}

// TestParseRefuses lists files that are no recording, each with the
// reason a reader gives.
func TestParseRefuses(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "empty"},
		{"[1]\n", "header"},
		{`{"version":1,"width":80,"height":24}` + "\n", "version 1"},
		{`{"version":2,"width":0,"height":24}` + "\n", "size"},
		{`{"version":2,"width":80,"height":24}` + "\n[1,\"o\"]\n", "line 2"},
		{`{"version":2,"width":80,"height":24}` + "\n[2,\"o\",\"a\"]\n[1,\"o\",\"b\"]\n", "before"},
		{`{"version":2,"width":80,"height":24}` + "\n[1,\"s\",\"{}\"]\n", "no snapshot"},
		{`{"version":2,"width":80,"height":24,"nslab":{"format":9}}` + "\n", "newer"},
	} {
		_, err := Parse(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error saying %q", c.in, err, c.want)
		}
	}
	// Another tool's event types are skipped, as asciinema skips ours.
	rec, err := Parse(strings.NewReader(`{"version":2,"width":80,"height":24}` + "\n[0.5,\"i\",\"x\"]\n[1,\"o\",\"a\"]\n"))
	if err != nil || len(rec.Output) != 1 {
		t.Errorf("asciinema's own file: %v %+v", err, rec)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version":2,"width":80,"height":24}` + "\n[1,\"o\",\"a\"]\n[1.5,\"s\",\"{\\\"snapshot\\\":{}}\"]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := Parse(bytes.NewReader(b))
		if err != nil {
			return
		}
		tl := NewTimeline(rec)
		for i := tl.Len() - 1; i >= 0; i-- {
			tl.At(i)
		}
	})
}
