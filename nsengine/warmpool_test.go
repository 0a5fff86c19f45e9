//go:build linux

package nsengine

import (
	"context"
	"testing"
	"time"
)

// waitWarm waits until the pool holds n labs.
func waitWarm(t testing.TB, e *Engine, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(e.warm.ready) < n {
		if time.Now().After(deadline) {
			t.Fatalf("warm pool holds %d labs after 30 s, want %d", len(e.warm.ready), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestWarmPool(t *testing.T) {
	e := newTestEngine(t, Config{Warm: 1})
	waitWarm(t, e, 1)
	warm := <-e.warm.ready
	e.warm.ready <- warm
	l := spawn(t, e)
	if l != warm {
		t.Error("Spawn did not hand out the warm lab")
	}
	if out, _ := run(t, l, "hostname"); out != "lab" {
		t.Errorf("warm lab says %q", out)
	}
	waitWarm(t, e, 1) // refilled behind it
	if n := e.Count(); n != 1 {
		t.Errorf("count %d, want 1 (warm labs are not counted)", n)
	}
	next := <-e.warm.ready
	e.warm.ready <- next
	// A warm lab that dies while waiting is not handed out.
	next.cmd.Process.Kill()
	<-next.Done()
	l2 := spawn(t, e)
	if l2 == next {
		t.Error("Spawn handed out a dead warm lab")
	}
	waitWarm(t, e, 1)
	pooled := <-e.warm.ready
	e.warm.ready <- pooled
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-pooled.Done():
	default:
		t.Error("engine closed, warm lab still alive")
	}
	if _, err := e.Spawn(context.Background()); err == nil {
		t.Error("spawn after close: no error")
	}
}
