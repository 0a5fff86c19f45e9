//go:build linux

package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nslab/nslab/nsengine"
)

// waitStateShows reads c's state messages until one (a state or a diff)
// mentions want.
func waitStateShows(t *testing.T, c *client, want string) {
	t.Helper()
	timeout := time.After(waitLimit)
	for {
		select {
		case m := <-c.msgs:
			if m["type"] != "state" && m["type"] != "diff" {
				continue
			}
			b, _ := json.Marshal(m)
			if strings.Contains(string(b), want) {
				return
			}
		case <-timeout:
			t.Fatalf("no state message showed %s within %s", want, waitLimit)
		}
	}
}

// startInLab starts argv in the lab directly, as a background process
// would start: no terminal input, no exec request, nothing that marks the
// lab as in use.
func startInLab(t *testing.T, ss *session, argv ...string) Proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	p, err := ss.lab.Start(ctx, ProcSpec{Argv: argv})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Signal(9); p.Wait() })
	return p
}

// A watched live lab's state follows its processes' events: a process
// that starts with nothing else going on reaches the watcher, and a lab
// where nothing happens is not read at all.
func TestStateFollowsProcessEvents(t *testing.T) {
	h := newHarness(t, Limits{})
	if ok, why := h.eng.ProcEvents(); !ok {
		t.Fatalf("no process events on this machine: %s", why)
	}
	lab := h.create()
	c := h.dial(lab)
	c.sendJSON(map[string]any{"type": "subscribe", "state": true})
	c.expect("state")
	ss := h.session(lab.ID)
	if changesOf(ss.lab) == nil {
		t.Fatal("the live lab has no change source")
	}
	startInLab(t, ss, "/bin/sleep", "3600")
	waitStateShows(t, c, `"comm":"sleep"`)
	// Quiet: no reading while nothing happens (the timer read every
	// second even when idle).
	time.Sleep(300 * time.Millisecond)
	before := ss.cache.reads.Load()
	time.Sleep(2500 * time.Millisecond)
	if n := ss.cache.reads.Load() - before; n != 0 {
		t.Errorf("an idle lab was read %d times in 2.5 s", n)
	}
	// A hostname change shows once the command that made it exits.
	startInLab(t, ss, "/bin/hostname", "evented")
	waitStateShows(t, c, `"hostname":"evented"`)
}

// Without process events (turned off here, as on a machine where the
// server is not root in the initial user namespace) the state is read on
// a timer, and still reaches the watcher.
func TestStateFallbackWithoutEvents(t *testing.T) {
	h := newHarnessEngine(t, nsengine.Config{NoProcEvents: true}, Limits{}, nil)
	if ok, _ := h.eng.ProcEvents(); ok {
		t.Fatal("process events with Config.NoProcEvents")
	}
	lab := h.create()
	c := h.dial(lab)
	c.sendJSON(map[string]any{"type": "subscribe", "state": true})
	c.expect("state")
	ss := h.session(lab.ID)
	if changesOf(ss.lab) != nil {
		t.Fatal("a lab without events has a change source")
	}
	startInLab(t, ss, "/bin/sleep", "3600")
	waitStateShows(t, c, `"comm":"sleep"`)
	before := ss.cache.reads.Load()
	time.Sleep(2500 * time.Millisecond)
	if n := ss.cache.reads.Load() - before; n == 0 {
		t.Error("the timer read the lab no time in 2.5 s")
	}
}
