package server

import (
	"testing"
	"time"
)

// The read budget of a lab whose events never stop: the readings it
// allows per second of events, which bounds what a lab forking in a loop
// costs the server (stateBurst, then one per stateMinGap).
func BenchmarkReadBudgetUnderEventFlood(b *testing.B) {
	for range b.N {
		var rb readBudget
		now := time.Unix(0, 0)
		reads := 0
		for end := now.Add(time.Second); now.Before(end); {
			now = rb.next(now) // the reading happens when the budget allows
			reads++
			now = now.Add(time.Millisecond) // the reading takes 1 ms; the next event is there at once
		}
		b.ReportMetric(float64(reads), "reads/s")
	}
}
