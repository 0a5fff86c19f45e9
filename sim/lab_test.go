package sim

import (
	"io"
	"runtime"
	"testing"
)

func TestCloseEndsEveryProcess(t *testing.T) {
	before := runtime.NumGoroutine()
	l := NewLab(Options{})
	l.Run("sleep 100 & unshare -pf sleep 100 & (sleep 100; echo) & sleep 1", io.Discard, io.Discard)
	term := l.NewTerminal(24, 80, func([]byte) {})
	term.Write([]byte("cat\r"))
	if n := len(l.Snapshot().Processes); n < 7 {
		t.Fatalf("%d processes before Close, want at least 7", n)
	}
	l.Close()
	// Each task's goroutine ends right after it hands the CPU back.
	for i := 0; i < 1000 && runtime.NumGoroutine() > before; i++ {
		runtime.Gosched()
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines after Close, %d before", after, before)
	}
}
