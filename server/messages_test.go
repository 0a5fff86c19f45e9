package server

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeClientMsg checks that no client text message panics the
// decoder, and that every message it accepts is in range.
func FuzzDecodeClientMsg(f *testing.F) {
	for _, seed := range []string{
		`{"type":"open","term":0,"rows":24,"cols":80}`,
		`{"type":"resize","term":3,"rows":500,"cols":1000}`,
		`{"type":"ack","term":1,"bytes":4096}`,
		`{"type":"close","term":2}`,
		`{"type":"subscribe","state":true,"views":false}`,
		`{"type":"select","set":"user:[1] pid:[2]"}`,
		`{"type":"ping"}`,
		`{"type":"open","term":-1,"rows":1e9,"cols":0}`,
		`{"type":"ack","term":0,"bytes":-1}`,
		`{"type":null}`, `[]`, `"open"`, `{`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeClientMsg(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		inRange := func(v *int64, lo, hi int64) bool { return v != nil && *v >= lo && *v <= hi }
		switch m.Type {
		case "open", "resize":
			if !inRange(m.Term, 0, maxTerms-1) || !inRange(m.Rows, 1, maxRows) || !inRange(m.Cols, 1, maxCols) {
				t.Fatalf("accepted %s out of range: %s", m.Type, data)
			}
		case "ack":
			if !inRange(m.Term, 0, maxTerms-1) || !inRange(m.Bytes, 0, 1<<40) {
				t.Fatalf("accepted ack out of range: %s", data)
			}
		case "close":
			if !inRange(m.Term, 0, maxTerms-1) {
				t.Fatalf("accepted close out of range: %s", data)
			}
		case "select":
			if m.Set == nil || len(*m.Set) > maxSelect {
				t.Fatalf("accepted select with set %v: %s", m.Set, data)
			}
		case "subscribe", "ping":
		default:
			t.Fatalf("accepted unknown type %q", m.Type)
		}
	})
}

func TestDecodeClientMsgErrorsSayWhat(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{`{"type":"resize","term":0,"rows":0,"cols":80}`, `resize: "rows" is 0, want 1 to 500`},
		{`{"type":"open","term":0,"rows":24}`, `open: "cols" is missing`},
		{`{"type":"ack","term":5,"bytes":1}`, `ack: "term" is 5, want 0 to 3`},
		{`{"type":"` + strings.Repeat("x", 100) + `"}`, `unknown message type "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"`},
	} {
		_, err := decodeClientMsg([]byte(tc.msg))
		if err == nil || err.Error() != tc.want {
			t.Errorf("decode %s: %v, want %q", tc.msg, err, tc.want)
		}
	}
}

func TestTruncateCutsBetweenCharacters(t *testing.T) {
	for _, s := range []string{strings.Repeat("é", 100), strings.Repeat("日本", 50), strings.Repeat("a", 200)} {
		for n := 0; n < 130; n++ {
			got := truncate(s, n)
			if !utf8.ValidString(got) || len(strings.TrimSuffix(got, "…")) > n {
				t.Fatalf("truncate(%q, %d) = %q: not valid UTF-8 or too long", s[:10], n, got)
			}
		}
	}
}
