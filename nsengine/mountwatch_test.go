//go:build linux

package nsengine

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/nslab/nslab/nsstate"
)

// A mount in a nested mount namespace, by a process that neither forks
// nor execs for it, reaches the lab through the watch of that
// namespace's mountinfo. The engine runs without process events, so
// that nothing else tells the lab.
func TestMountWatchNestedNamespace(t *testing.T) {
	e := newTestEngine(t, Config{NoProcEvents: true})
	l := spawn(t, e)
	mw, err := newMountWatch()
	if err != nil {
		t.Fatal(err)
	}
	defer mw.close()
	mw.add(l)
	mw.follow(l, true)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"/usr/bin/unshare", "-m", "/bin/bash", "-c",
		"read x; mount -t tmpfs watched /mnt; read x"}, Stdin: r})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Wait()
	defer w.Write([]byte("\n\n"))
	// Wait for the nested namespace to show, then watch it.
	deadline := time.Now().Add(eventWait)
	var snap *nsstate.Snapshot
	for {
		pids, err := l.PIDs()
		if err != nil {
			t.Fatal(err)
		}
		if snap, err = l.Snapshot(); err != nil {
			t.Fatal(err)
		}
		if countMountNS(snap) == 2 {
			mw.reconcile(l, snap, pids)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lab shows %d mount namespaces, want 2", countMountNS(snap))
		}
		time.Sleep(20 * time.Millisecond)
	}
	mw.mu.Lock()
	watched := len(mw.labs[l].fds)
	mw.mu.Unlock()
	if watched != 2 {
		t.Fatalf("%d mount namespaces watched, want 2", watched)
	}
	if !mw.covered(l) {
		t.Error("a lab of 2 mount namespaces is not covered")
	}
	drain(l.changes)
	w.Write([]byte("\n"))
	awaitChange(t, l.changes, "a mount in a nested mount namespace")
	// Once the namespace is gone from a snapshot, its watch goes too.
	w.Write([]byte("\n"))
	p.Wait()
	pids, _ := l.PIDs()
	snap, err = l.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	mw.reconcile(l, snap, pids)
	mw.mu.Lock()
	watched = len(mw.labs[l].fds)
	mw.mu.Unlock()
	if watched != countMountNS(snap) {
		t.Errorf("%d watched after the nested namespace ended, the lab has %d", watched, countMountNS(snap))
	}
}

// A lab with more mount namespaces than are watched is not covered: its
// watchers must also read it on a timer.
func TestMountWatchCap(t *testing.T) {
	e := eventsEngine(t)
	l := spawn(t, e)
	stop := l.Follow()
	n := maxWatchedMountNS + 2
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"/bin/bash", "-c",
		"for i in $(seq " + itoa(n) + "); do unshare -m sleep 600 & done; read x; kill $(jobs -p)"}, Stdin: r})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { w.Close(); p.Wait() }()
	deadline := time.Now().Add(eventWait)
	for {
		snap, err := l.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if countMountNS(snap) == n+1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lab shows %d mount namespaces, want %d", countMountNS(snap), n+1)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if l.EventsCover() {
		t.Errorf("a lab of %d mount namespaces is covered by %d watches", n+1, maxWatchedMountNS)
	}
	e.mounts.mu.Lock()
	watched := len(e.mounts.labs[l].fds)
	e.mounts.mu.Unlock()
	if watched != maxWatchedMountNS {
		t.Errorf("%d watched, want %d", watched, maxWatchedMountNS)
	}
	// Nobody follows: no watch is left.
	stop()
	e.mounts.mu.Lock()
	watched = len(e.mounts.labs[l].fds)
	e.mounts.mu.Unlock()
	if watched != 0 {
		t.Errorf("%d watches left after the last follower stopped", watched)
	}
}

func countMountNS(s *nsstate.Snapshot) int {
	n := 0
	for _, ns := range s.Namespaces {
		if ns.Type == nsstate.NSMnt {
			n++
		}
	}
	return n
}

func itoa(n int) string { return strconv.Itoa(n) }
