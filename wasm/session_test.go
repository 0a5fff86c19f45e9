package main

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/protocol"
)

// recorder keeps what a session sends, as the page would get it.
type recorder struct {
	mu    sync.Mutex
	texts []map[string]any
	out   [protocol.MaxTerms]strings.Builder
}

func (r *recorder) Text(b []byte) {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic("session sent bad JSON: " + string(b))
	}
	r.mu.Lock()
	r.texts = append(r.texts, m)
	r.mu.Unlock()
}

func (r *recorder) Binary(b []byte) {
	r.mu.Lock()
	r.out[b[0]].Write(b[1:])
	r.mu.Unlock()
}

func (r *recorder) output(n int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out[n].String()
}

func (r *recorder) last(typ string) map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.texts) - 1; i >= 0; i-- {
		if r.texts[i]["type"] == typ {
			return r.texts[i]
		}
	}
	return nil
}

// waitFor polls until cond holds; the session's clock runs on its own.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("gave up waiting for %s", what)
}

func TestSessionSpeaksTheProtocol(t *testing.T) {
	r := &recorder{}
	s := newSession(r)
	if h := r.last("hello"); h == nil || h["mode"] != "sim" || h["protocol"] != float64(protocol.Version) {
		t.Fatalf("hello = %v", h)
	}
	s.text([]byte(`{"type":"subscribe","state":true,"views":true}`))
	s.text([]byte(`{"type":"open","term":0,"rows":24,"cols":80}`))
	if r.last("opened") == nil {
		t.Fatal("no opened message")
	}
	waitFor(t, "a prompt", func() bool { return strings.Contains(r.output(0), "root@lab") })
	s.binary(protocol.Frame(0, []byte("echo $((6*7))\r")))
	waitFor(t, "42", func() bool { return strings.Contains(r.output(0), "\r\n42\r\n") })

	s.binary(protocol.Frame(0, []byte("unshare --pid --fork --mount-proc sleep 1000 &\r")))
	waitFor(t, "the sleep in the views", func() bool {
		v := r.last("views")
		return v != nil && strings.Contains(v["html"].(string), "sleep 1000")
	})
	if r.last("state") == nil {
		t.Error("no state message though subscribed")
	}
	if r.last("diff") == nil {
		t.Error("no diff after the state changed")
	}
}

func TestSessionRefusesBadInput(t *testing.T) {
	r := &recorder{}
	s := newSession(r)
	for _, in := range []string{`{"type":"launch"}`, `not json`, `{"type":"resize","term":0,"rows":0,"cols":1}`} {
		s.text([]byte(in))
		if e := r.last("error"); e == nil {
			t.Errorf("%s: no error message", in)
		}
	}
	r.texts = nil
	s.binary([]byte{1, 'x'})
	if e := r.last("error"); e == nil || !strings.Contains(e["message"].(string), "not open") {
		t.Errorf("input for a closed terminal: %v", e)
	}
	r.texts = nil
	s.binary([]byte{9, 'x'})
	if e := r.last("error"); e == nil {
		t.Error("input for terminal 9 accepted")
	}
	// The session still works afterwards.
	s.text([]byte(`{"type":"ping"}`))
	if r.last("pong") == nil {
		t.Error("no pong after bad input")
	}
}

// A session with a lesson sends the panel after hello, types the intro's
// foreground script, and ticks a step by itself once the learner has done
// what its check looks for.
func TestSessionTicksLessonSteps(t *testing.T) {
	l := &lesson.Rendered{Name: "t", Title: "T",
		Intro: &lesson.RenderedPart{HTML: "<p>hi</p>", Foreground: "#!/bin/bash\necho FORE\"\"GROUND\n", Background: "echo bg > /tmp/bg\n"},
		Steps: []*lesson.RenderedPart{
			{Title: "one", HTML: "<p>one</p>", Verify: "test -f /tmp/one\n"},
			{Title: "two", HTML: "<p>two</p>", Verify: "[ \"$(hostname)\" = changed ]\n"},
		}}
	r := &recorder{}
	s := newLessonSession(r, l)
	m := r.last("lesson")
	if m == nil || m["name"] != "t" || !strings.Contains(m["html"].(string), `data-lesson="t"`) {
		t.Fatalf("lesson message %v", m)
	}
	s.text([]byte(`{"type":"subscribe","state":false,"views":true}`))
	s.text([]byte(`{"type":"open","term":0,"rows":24,"cols":80}`))
	waitFor(t, "the foreground script", func() bool { return strings.Contains(r.output(0), "FOREGROUND") })
	time.Sleep(time.Second)
	if r.last("progress") != nil {
		t.Fatal("a step ticked before anything was done")
	}
	s.binary(protocol.Frame(0, []byte("cat /tmp/bg; touch /tmp/one\r")))
	waitFor(t, "step 1 to tick", func() bool { p := r.last("progress"); return p != nil && p["step"] == float64(1) })
	if !strings.Contains(r.output(0), "\r\nbg\r\n") {
		t.Errorf("the background script did not run: %q", r.output(0))
	}
	s.binary(protocol.Frame(0, []byte("hostname changed\r")))
	waitFor(t, "step 2 to tick", func() bool { p := r.last("progress"); return p != nil && p["step"] == float64(2) })
}
