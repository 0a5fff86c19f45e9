package server

import "testing"

func TestFlowPausesAtHighWaterAndResumesAtLowWater(t *testing.T) {
	var f flow
	for f.unacked+readChunk < highWater {
		f.sent(readChunk)
		if f.paused {
			t.Fatalf("paused at %d unacked bytes, below the high watermark %d", f.unacked, highWater)
		}
	}
	f.sent(readChunk)
	if !f.paused {
		t.Fatalf("not paused at %d unacked bytes (high watermark %d)", f.unacked, highWater)
	}
	if f.acked(f.unacked - lowWater - 1) {
		t.Fatalf("resumed at %d unacked bytes, above the low watermark %d", f.unacked, lowWater)
	}
	if !f.acked(1) || f.paused {
		t.Fatalf("still paused at %d unacked bytes (low watermark %d)", f.unacked, lowWater)
	}
	f.acked(1 << 40)
	if f.unacked != 0 {
		t.Fatalf("an ack beyond what was sent left %d unacked bytes, want 0", f.unacked)
	}
}
