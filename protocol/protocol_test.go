package protocol

import (
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		in, err string
	}{
		{in: `{"type":"open","term":0,"rows":24,"cols":80}`},
		{in: `{"type":"resize","term":3,"rows":500,"cols":1000}`},
		{in: `{"type":"ack","term":1,"bytes":0}`},
		{in: `{"type":"close","term":2}`},
		{in: `{"type":"subscribe","state":false,"views":true}`},
		{in: `{"type":"select","set":""}`},
		{in: `{"type":"ping"}`},
		{in: `{"type":"open","term":4,"rows":24,"cols":80}`, err: `"term" is 4, want 0 to 3`},
		{in: `{"type":"resize","term":0,"rows":0,"cols":80}`, err: `"rows" is 0, want 1 to 500`},
		{in: `{"type":"resize","term":0,"rows":24,"cols":100000}`, err: `"cols" is 100000`},
		{in: `{"type":"open","term":0,"cols":80}`, err: `"rows" is missing`},
		{in: `{"type":"ack","term":0,"bytes":-1}`, err: `"bytes" is -1`},
		{in: `{"type":"select"}`, err: `"set" is missing`},
		{in: `{"type":"select","set":"` + strings.Repeat("x", MaxSelect+1) + `"}`, err: "the most is 1024"},
		{in: `{"type":"launch"}`, err: `unknown message type "launch"`},
		{in: `{"term":0}`, err: `no "type"`},
		{in: `{"type":"open","term":"0"}`, err: "bad JSON"},
		{in: `[1,2]`, err: "bad JSON"},
		{in: `{"type":"ping"` + strings.Repeat(" ", MaxFrame) + `}`, err: "over the limit"},
	} {
		_, err := Decode([]byte(tc.in))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("Decode(%.60s) = %v", tc.in, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("Decode(%.60s) = %v, want an error saying %q", tc.in, err, tc.err)
		}
	}
}

func TestFrames(t *testing.T) {
	term, data, err := SplitFrame(Frame(3, []byte("hi")))
	if err != nil || term != 3 || string(data) != "hi" {
		t.Fatalf("round trip = %d %q %v", term, data, err)
	}
	for _, f := range [][]byte{nil, {4, 'x'}, {255}, make([]byte, MaxFrame+1)} {
		if _, _, err := SplitFrame(f); err == nil {
			t.Errorf("SplitFrame(% x…) accepted", f[:min(len(f), 2)])
		}
	}
}

// FuzzDecode: no input makes the decoder panic, and what it accepts has
// every number in range.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"type":"open","term":0,"rows":24,"cols":80}`, `{"type":"ack","term":1,"bytes":99}`,
		`{"type":"select","set":"a b"}`, `{"type":"subscribe","views":true}`, `{}`, `null`, `{"type":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		if m.Term != nil && (*m.Term < 0 || *m.Term >= MaxTerms) {
			t.Fatalf("accepted term %d", *m.Term)
		}
		if m.Type == "resize" && (*m.Rows < 1 || *m.Rows > MaxRows || *m.Cols < 1 || *m.Cols > MaxCols) {
			t.Fatalf("accepted size %dx%d", *m.Rows, *m.Cols)
		}
	})
}
