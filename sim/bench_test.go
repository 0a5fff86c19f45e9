package sim

import (
	"io"
	"testing"
)

// BenchmarkCommand runs typical commands in a lab with 20 tasks. Target:
// a median of at most 1 ms per command.
func BenchmarkCommand(b *testing.B) {
	for _, cmd := range []string{"ps -ef", "id", "unshare -Urpf --mount-proc ps -ef", "cat /proc/self/status | grep NSpid"} {
		b.Run(cmd, func(b *testing.B) {
			l := NewLab(Options{})
			defer l.Close()
			l.Run("for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do sleep 1000 & done", io.Discard, io.Discard)
			if n := len(l.Snapshot().Processes); n != 20 {
				b.Fatalf("%d tasks, want 20", n)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if st := l.Run(cmd, io.Discard, io.Discard); st != 0 {
					b.Fatalf("%s: status %d", cmd, st)
				}
			}
		})
	}
}

// BenchmarkNewLab is the cost of booting a lab.
func BenchmarkNewLab(b *testing.B) {
	for i := 0; i < b.N; i++ {
		NewLab(Options{}).Close()
	}
}
