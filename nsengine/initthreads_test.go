//go:build linux

package nsengine

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// checkInitThreads fails unless init still runs with the threads it had
// when the lab was ready: it made none since, so a full pids limit
// cannot have cost it one.
func checkInitThreads(t *testing.T, l *Lab, atReady int) {
	t.Helper()
	select {
	case <-l.Done():
		t.Fatal("ATTACK WORKED: the lab's init ended")
	default:
	}
	n, err := threadCount(l.InitPID())
	if err != nil {
		t.Fatal(err)
	}
	if n != atReady {
		t.Errorf("init has %d threads, %d when ready: it made threads after the lab started", n, atReady)
	}
}

// Escape tried: end the lab's init by taking every task of the lab's pids
// limit, so that init's Go runtime cannot make a thread and dies ("lab
// has ended" instead of the command's status). The command is the one
// that did it with the default limit of 256: the lab's processes get all
// 256 tasks, init's threads come on top.
func TestAttackPidsLimitEndsInit(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	atReady, err := threadCount(l.InitPID())
	if err != nil {
		t.Fatal(err)
	}
	// No output pipe: the sleeps would hold it for their 5 seconds.
	p, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sh", "-c", "for i in $(seq 250); do sleep 5 & done; exit 3"}})
	if err != nil {
		t.Fatal(err)
	}
	if status, err := p.Wait(); status != 3 || err != nil {
		t.Errorf("ATTACK WORKED: the command ended with %d, %v; want 3", status, err)
	}
	checkInitThreads(t, l, atReady)
	afterAttack(t, e, other)
}

// The lab holds its whole pids limit for a while, and the engine keeps
// asking init to start processes (which fail: the lab has no task left);
// once some are freed, a new process starts as usual.
func TestStartAfterPidsLimitHeld(t *testing.T) {
	const pids = 64
	e := newTestEngine(t, Config{Limits: Limits{Pids: pids}})
	l := spawn(t, e)
	atReady, err := threadCount(l.InitPID())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// The loop ends when a fork fails; its sleeps keep the tasks.
	if _, err := l.Start(ctx, ProcSpec{Argv: []string{"sh", "-c", "while :; do sleep 60 & done 2>/dev/null"}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !pidsLimitHit(t, l.cg.dirs[0]) {
		if time.Now().After(deadline) {
			t.Fatal("the lab never reached its pids limit")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Held for a while, with requests to init all along.
	for range 20 {
		if p, err := l.Start(ctx, ProcSpec{Argv: []string{"true"}}); err == nil {
			p.Wait()
		} else if !strings.Contains(err.Error(), "resource temporarily unavailable") {
			t.Errorf("start with the lab's tasks all taken: %v", err)
		}
		time.Sleep(25 * time.Millisecond)
	}
	checkInitThreads(t, l, atReady)
	// Free a few tasks from the real machine, then the rest from inside.
	held, err := l.PIDs()
	if err != nil {
		t.Fatal(err)
	}
	freed := 0
	for _, pid := range held {
		if pid != l.InitPID() && freed < 4 {
			syscall.Kill(pid, syscall.SIGKILL)
			freed++
		}
	}
	// A killed process holds its task until init has reaped it: wait
	// for the tasks to come free, as the learner's next command would.
	current := filepath.Join(l.cg.dirs[0], "pids.current")
	max := filepath.Join(l.cg.dirs[0], "pids.max")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		c, err1 := os.ReadFile(current)
		m, err2 := os.ReadFile(max)
		nc, _ := strconv.Atoi(strings.TrimSpace(string(c)))
		nm, _ := strconv.Atoi(strings.TrimSpace(string(m)))
		if err1 == nil && err2 == nil && nc <= nm-freed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lab's tasks did not come free: %s of %s", c, m)
		}
	}
	if out, _ := run(t, l, "pkill -x sleep; echo started"); out != "started" {
		t.Errorf("a process started after the lab freed its tasks says %q", out)
	}
	checkInitThreads(t, l, atReady)
}

// init's Go runtime makes no thread after the lab is ready, whatever the
// engine asks of it at once: concurrent starts, PTYs, signals, exits. The
// pre-started threads are enough (initThreads).
func TestInitThreadsFixed(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	atReady, err := threadCount(l.InitPID())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%5 == 0 {
				p, master, err := l.StartPTY(ctx, ProcSpec{Argv: []string{"sh", "-c", "sleep 0.2"}}, 24, 80)
				if err != nil {
					t.Error(err)
					return
				}
				master.Close()
				p.Wait()
				return
			}
			p, err := l.Start(ctx, ProcSpec{Argv: []string{"sh", "-c", "sleep 0.1 & true"}})
			if err != nil {
				t.Error(err)
				return
			}
			if i%3 == 0 {
				p.Signal(syscall.SIGTERM)
			}
			p.Wait()
		}()
	}
	wg.Wait()
	checkInitThreads(t, l, atReady)
}
