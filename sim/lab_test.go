package sim

import (
	"io"
	"runtime"
	"strings"
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

// lsns(8) draws the process tree in COMMAND: a namespace's row goes under
// the latest row of its first process's parent (libsmartcols branches);
// -l lists without it. The live kernel recycles inode numbers, so which
// row comes first there is a race and the fidelity suite cannot pin this.
func TestLsnsProcessTree(t *testing.T) {
	l := labForTest(t)
	var out strings.Builder
	l.Run(`unshare -Urpf --mount-proc sh -c 'unshare -u sh -c "unshare -u sleep 5 & sleep 0.1; unshare -i sleep 5 & sleep 5" & sleep 0.3; lsns -t uts -o TYPE,PID,COMMAND; lsns -l -t uts -o PID'`, &out, &out)
	want := `TYPE PID COMMAND
uts    1 sh -c unshare -u sh -c "unshare -u sleep 5 & sleep 0.1; unshare -i sleep 5 & sleep 5" & sleep 0.3; lsns -t uts -o TYPE,PID,COMMAND; lsns -l -t uts -o PID
uts    2 └─sh -c unshare -u sleep 5 & sleep 0.1; unshare -i sleep 5 & sleep 5
uts    4   └─sleep 5
PID
  1
  2
  4
`
	if out.String() != want {
		t.Errorf("lsns tree:\n%s\nwant:\n%s", out.String(), want)
	}
}
