package server

import (
	"strings"
	"testing"
)

func TestFlowPausesAtHighWaterAndResumesAtLowWater(t *testing.T) {
	var f flow
	for f.unacked+readChunk < highWater {
		if f.sent(readChunk) || f.paused {
			t.Fatalf("paused at %d unacked bytes, below the high watermark %d", f.unacked, highWater)
		}
	}
	if !f.sent(readChunk) || !f.paused {
		t.Fatalf("not paused at %d unacked bytes (high watermark %d)", f.unacked, highWater)
	}
	// A client acknowledging frame by frame: reading resumes only at the
	// low watermark, not on the first ack.
	for f.unacked-readChunk/2 > lowWater {
		if f.acked(readChunk / 2) {
			t.Fatalf("resumed at %d unacked bytes, above the low watermark %d, with acks of %d", f.unacked, lowWater, readChunk/2)
		}
	}
	if !f.acked(readChunk/2) || f.paused {
		t.Fatalf("still paused at %d unacked bytes (low watermark %d)", f.unacked, lowWater)
	}
	f.acked(1 << 40)
	if f.unacked != 0 {
		t.Fatalf("an ack beyond what was sent left %d unacked bytes, want 0", f.unacked)
	}
}

// A client may acknowledge in batches of any size up to the pause point:
// the server resumes below its largest ack, where the client is waiting
// for more output before it acks again. (With resumption at the low
// watermark only, a client acking every 64 KiB stalled for ever.)
func TestFlowToleratesAnyAckBatchUpToThePausePoint(t *testing.T) {
	for _, batch := range []int64{1, 4 << 10, lowWater + 1, 64 << 10, 100 << 10, highWater} {
		var f flow
		var processed, sent int64 // the client's side: processed but not yet acked
		for sent < 4<<20 {
			if f.paused {
				if processed < batch {
					t.Fatalf("acks of %d bytes: stalled with %d unacked and %d processed waiting for a batch", batch, f.unacked, processed)
				}
			} else {
				f.sent(readChunk)
				sent += readChunk
				processed += readChunk
			}
			for processed >= batch {
				f.acked(batch)
				processed -= batch
			}
		}
	}
}

func TestFlowStallIsKnownPerPause(t *testing.T) {
	var f flow
	for !f.sent(readChunk) {
	}
	first := f.epoch
	if !f.stalled(first) {
		t.Fatal("a pause with no ack since is not reported stalled")
	}
	f.acked(1)
	if f.stalled(first) {
		t.Fatal("a pause that got an ack is reported stalled")
	}
	f.acked(1 << 40)
	for !f.sent(readChunk) {
	}
	if f.stalled(first) || !f.stalled(f.epoch) {
		t.Fatal("an earlier pause's check reports the new pause, or the new one is not stalled")
	}
}

// The same over a real websocket: a client acknowledging every 64 KiB
// gets a 3 MB burst to its end, and one that batches more than the pause
// point is told once why its terminal stopped.
func TestBatchedAcksOverTheWire(t *testing.T) {
	h := newHarness(t, Limits{})
	lab := h.create()
	c := h.dial(lab)
	c.sendJSON(map[string]any{"type": "subscribe", "state": false, "views": false})
	c.open(0, 24, 80)
	c.shellReady(0)
	c.mu.Lock()
	c.ackBatch = 64 << 10
	c.mu.Unlock()
	c.mark(0)
	c.typeIn(0, "head -c 3000000 /dev/zero | tr '\\0' y; echo; echo burst-$((40+2))\r")
	c.waitOutput(0, "burst-42\r\n")

	c.mu.Lock()
	c.ackBatch = 1 << 20
	c.mu.Unlock()
	c.typeIn(0, "yes\r")
	for {
		m := c.expect("error")
		if msg, _ := m["message"].(string); strings.Contains(msg, "acknowledge at least every") {
			t.Logf("told: %s", msg)
			break
		}
	}
}
