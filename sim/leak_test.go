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

func TestLimits(t *testing.T) {
	runScriptCases(t, []scriptCase{
		{rule: "fork(2) fails with EAGAIN at the lab's task limit (the live engine's pids cgroup)",
			script: `i=0; while [ $i -lt 300 ]; do sleep 100 & i=$((i+1)); done; echo $i`, wantErr: "Cannot fork", wantStatus: 2},
		{rule: "a tmpfs holds at most its size (ENOSPC)",
			script:  `mount -t tmpfs -o size=8k small /mnt; echo 12345678901234567890 > /mnt/a; i=0; while [ $i -lt 300 ]; do cat /mnt/a >> /mnt/b || break; i=$((i+1)); done; echo $i`,
			wantOut: "195\n", wantErr: "cat: write error: No space left on device"},
	})
}
