//go:build linux

package nsengine

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// eventWait bounds how long a test waits for an event that must come: a
// loaded machine may be slow, and a missing event fails the test, never
// a late one.
const eventWait = 15 * time.Second

// eventsEngine makes an engine whose labs have process events, failing
// if the machine gives none (the tests run as root in the initial
// namespaces, where it must).
func eventsEngine(t *testing.T) *Engine {
	t.Helper()
	e := newTestEngine(t, Config{})
	if ok, why := e.ProcEvents(); !ok {
		t.Fatalf("no process events on this machine: %s", why)
	}
	return e
}

// drain empties ch after the lab has been quiet for a moment, so that
// events of what came before do not count as the next one's.
func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		case <-time.After(200 * time.Millisecond):
			return
		}
	}
}

// awaitChange fails unless ch receives within eventWait.
func awaitChange(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(eventWait):
		t.Fatalf("no change event for %s", what)
	}
}

// noChange fails if ch holds an event.
func noChange(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
		t.Errorf("%s", what)
	default:
	}
}

// A lab hears of its processes' fork, exec, ID and name changes and
// exits; a lab started before holds none of them.
func TestProcEventsFollowLab(t *testing.T) {
	e := eventsEngine(t)
	l := spawn(t, e)
	ch := l.Changes()
	if ch == nil {
		t.Fatal("Changes is nil with process events")
	}
	if !l.EventsCover() {
		t.Fatal("EventsCover is false for a fresh lab")
	}
	drain(ch)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// The shell reads a line before each step, so that each step's event
	// is told apart from the one before.
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"/bin/bash", "-c",
		"read x; sleep 0 & wait; read x; setpriv --reuid=1000 /bin/true; read x; printf x > /proc/self/comm; read x; exit 0"},
		Stdin: r})
	if err != nil {
		t.Fatal(err)
	}
	awaitChange(t, ch, "the start of a process (fork, exec)")
	for _, step := range []string{"a child's fork, exec and exit", "a uid change", "a comm change"} {
		drain(ch)
		w.Write([]byte("\n"))
		awaitChange(t, ch, step)
	}
	drain(ch)
	w.Write([]byte("\n"))
	awaitChange(t, ch, "the exit of the lab's process")
	w.Close()
	if _, err := p.Wait(); err != nil {
		t.Fatal(err)
	}
	pe := e.events
	if pe.routed.Load() == 0 || pe.events.Load() < pe.routed.Load() {
		t.Errorf("counts: %d events read, %d routed", pe.events.Load(), pe.routed.Load())
	}
}

// TestAttackProcessEventsOfOtherLab: the connector sees every process of
// the machine. A lab that forks, execs, changes IDs and names in a loop,
// and the machine's own processes doing the same, must not reach another
// lab's changes: the neighbour would otherwise learn when the others work
// (and its views would re-read its state for them).
func TestAttackProcessEventsOfOtherLab(t *testing.T) {
	e := eventsEngine(t)
	attacker, neighbour := spawn(t, e), spawn(t, e)
	ch := neighbour.Changes()
	drain(ch)
	out := runAttack(t, attacker, `for i in $(seq 200); do /bin/true; done
setpriv --reuid=1000 --regid=1000 --clear-groups /bin/true
unshare -Urpf --mount-proc sh -c 'for i in 1 2 3; do /bin/true; done'
hostname spy; echo done`)
	if !strings.HasSuffix(out, "done") {
		t.Fatalf("the attack did not run: %s", out)
	}
	for range 50 {
		if err := exec.Command("/bin/true").Run(); err != nil {
			t.Fatal(err)
		}
	}
	// Events are read in order, so once the attacker's last one reached
	// the attacker, every one before it was routed.
	ach := attacker.Changes()
	drain(ach)
	runAttack(t, attacker, "true")
	awaitChange(t, ach, "the attacker's own process")
	noChange(t, ch, "ATTACK WORKED: another lab's and the machine's processes reached the neighbour's changes")
	afterAttack(t, e, neighbour)
}

// A burst the kernel's queue cannot hold loses events (ENOBUFS): the
// engine re-reads every lab's processes from its cgroup and tells each
// lab, and the processes started meanwhile are routed again.
func TestProcEventsOverflowResync(t *testing.T) {
	e := eventsEngine(t)
	l := spawn(t, e)
	pe := e.events
	rc, err := pe.f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	// The smallest queue the kernel allows, so that a short burst fills it.
	rc.Control(func(fd uintptr) {
		err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	ch := l.Changes()
	drain(ch)
	// Holding the map stops the reader, so the kernel's queue fills.
	pe.mu.Lock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"/bin/bash", "-c", "for i in $(seq 100); do /bin/true; done; exec sleep 60"}})
	if err != nil {
		pe.mu.Unlock()
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // let the burst run
	pe.mu.Unlock()
	deadline := time.Now().Add(eventWait)
	for pe.overflows.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if pe.overflows.Load() == 0 {
		t.Fatal("the burst overflowed no queue: the test proves nothing")
	}
	awaitChange(t, ch, "the resync")
	pids, err := l.PIDs()
	if err != nil {
		t.Fatal(err)
	}
	pe.mu.Lock()
	for _, pid := range pids {
		if pe.owner[uint32(pid)] != l {
			t.Errorf("process %d of the lab is not routed to it after the resync", pid)
		}
	}
	pe.mu.Unlock()
	drain(ch)
	if err := p.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.Wait()
	awaitChange(t, ch, "the exit of a process started while events were lost")
}
