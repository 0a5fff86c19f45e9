package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nslab/nslab/protocol"
	"github.com/nslab/nslab/recording"
)

// TestSessionRecords checks the simulator's recording, the file the page
// offers as a download: the first terminal's size and output, and a
// state timeline whose last state has what was started.
func TestSessionRecords(t *testing.T) {
	r := &recorder{}
	s := newSession(r)
	s.text([]byte(`{"type":"subscribe","state":false,"views":true}`))
	s.text([]byte(`{"type":"open","term":0,"rows":30,"cols":100}`))
	waitFor(t, "a prompt", func() bool { return strings.Contains(r.output(0), "root@lab") })
	s.binary(protocol.Frame(0, []byte("echo $((6*7)); sleep 1000 &\r")))
	waitFor(t, "42", func() bool { return strings.Contains(r.output(0), "\r\n42\r\n") })
	s.text([]byte(`{"type":"resize","term":0,"rows":40,"cols":120}`))

	b := s.Recording()
	rec, err := recording.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, b)
	}
	if h := rec.Header; h.Width != 100 || h.Height != 30 || h.NSLab == nil || h.NSLab.Mode != "sim" {
		t.Errorf("header %+v", h)
	}
	var out strings.Builder
	for _, o := range rec.Output {
		out.WriteString(o.Data)
	}
	if !strings.Contains(out.String(), "\r\n42\r\n") {
		t.Errorf("output %q lacks 42", out.String())
	}
	if !bytes.Contains(b, []byte(`,"r","120x40"]`)) {
		t.Error("no resize event")
	}
	tl := recording.NewTimeline(rec)
	if tl.Len() == 0 {
		t.Fatal("no state events")
	}
	found := false
	for _, p := range tl.At(tl.Len() - 1).Processes {
		found = found || strings.Join(p.Cmdline, " ") == "sleep 1000"
	}
	if !found {
		t.Error("the last state has no sleep 1000")
	}
}
