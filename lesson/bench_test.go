package lesson

import (
	"testing"
	"time"
)

// BenchmarkLoadBuiltin reads and renders every built-in lesson, as the
// server does once at start.
func BenchmarkLoadBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScheduler is the per-snapshot cost of deciding when to check.
func BenchmarkScheduler(b *testing.B) {
	var s Scheduler
	p := NewProgress(8)
	b.ReportAllocs()
	t := int64(0)
	for b.Loop() {
		t += 1e8
		now := unixNano(t)
		s.Changed(now)
		if s.Due(now) {
			s.Started()
			s.Finished(now)
			p.Tick(p.Current())
		}
	}
}

func unixNano(n int64) time.Time { return time.Unix(0, n) }
