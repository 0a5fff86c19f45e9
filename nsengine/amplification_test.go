//go:build linux

package nsengine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/nsengine/inspect"
)

// Attacks on the server through what it reads from a lab: its state
// (procfs) and its init's control socket. Each must cost the server a
// bounded amount, whatever the lab does.

// amplificationHelper runs the attack helper's operations for these
// tests; ok is false for an operation it does not know.
func amplificationHelper(op string, args []string) (out string, ok bool, err error) {
	switch op {
	case "stack-binds": // DEPTH N: a folder DEPTH components of 250 bytes deep, bound on itself N times
		// On a private tmpfs of its own: binds in the lab's shared /tmp
		// would propagate to its peers and double at each step.
		dir := "/tmp/stack"
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "mkdir " + errnoOf(err), true, nil
		}
		if err := unix.Mount("stack", dir, "tmpfs", 0, ""); err != nil {
			return "mount tmpfs " + errnoOf(err), true, nil
		}
		if err := unix.Mount("", dir, "", unix.MS_PRIVATE, ""); err != nil {
			return "make private " + errnoOf(err), true, nil
		}
		for range num(args[0]) {
			dir += "/" + strings.Repeat("d", 250)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "mkdir " + errnoOf(err), true, nil
		}
		for i := range num(args[1]) {
			if err := unix.Mount(dir, dir, "", unix.MS_BIND, ""); err != nil {
				return fmt.Sprintf("bind %d: %s", i, errnoOf(err)), true, nil
			}
		}
		return strconv.Itoa(len(dir)), true, nil
	case "ctl-flood": // SECONDS SIZE: take init's control socket and send it SIZE-byte messages of an unknown op
		pidfd, err := unix.PidfdOpen(1, 0)
		if err != nil {
			return "pidfd_open " + errnoOf(err), true, nil
		}
		// init's control socket is its one SOCK_SEQPACKET socket; which
		// fd holds it is init's business, so look at each.
		fd := -1
		for target := range 64 {
			got, err := unix.PidfdGetfd(pidfd, target, 0)
			if err != nil {
				continue
			}
			if typ, err := unix.GetsockoptInt(got, unix.SOL_SOCKET, unix.SO_TYPE); err == nil && typ == unix.SOCK_SEQPACKET {
				fd = got
				break
			}
			unix.Close(got)
		}
		if fd < 0 {
			return "no control socket found in init", true, nil
		}
		msg := []byte(`{"op":"flood","err":"` + strings.Repeat("x", int(num(args[1]))) + `"}`)
		deadline := time.Now().Add(time.Duration(num(args[0])) * time.Second)
		sent := 0
		for time.Now().Before(deadline) {
			_, err := unix.Write(fd, msg)
			if err == unix.EAGAIN {
				// init's runtime made the socket non-blocking.
				unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}, 100)
				continue
			}
			if err != nil {
				return fmt.Sprintf("%d sent, then %s", sent, errnoOf(err)), true, nil
			}
			sent++
		}
		return fmt.Sprintf("%d sent", sent), true, nil
	}
	return "", false, nil
}

// hugeState makes l's state as large as a lab can: 48 mount namespaces
// (of the lab's 64), each with 250 stacked binds of a 3750-byte path,
// about 1 MiB of mountinfo each.
func hugeState(tb testing.TB, l *Lab) {
	tb.Helper()
	const namespaces = 48
	script := `set -e
h stack-binds 15 250
for i in $(seq ` + strconv.Itoa(namespaces) + `); do unshare -m sleep 600 >/dev/null 2>&1 & done
for try in $(seq 300); do
	n=$(readlink /proc/[0-9]*/ns/mnt 2>/dev/null | sort -u | wc -l)
	[ "$n" -gt ` + strconv.Itoa(namespaces) + ` ] && break
	sleep 0.1
done
echo "$n mount namespaces"`
	out := runAttack(tb, l, script)
	if !strings.HasSuffix(out, strconv.Itoa(namespaces+1)+" mount namespaces") {
		tb.Fatalf("the lab could not set the attack up: %s", out)
	}
}

// Escape tried: a lab of many mount namespaces, each with hundreds of
// mounts of a 3750-byte path, makes one snapshot read and hold hundreds
// of megabytes; a few at once took the server's memory, and with it every
// lab. The inspector's budget (inspect.Budget) must cut it, and say so.
func TestAttackHugeSnapshot(t *testing.T) {
	e, attacker, neighbour := attackLabs(t, Config{})
	hugeState(t, attacker)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	snap, err := attacker.Snapshot()
	if err != nil {
		t.Fatalf("snapshot of the attacker: %v", err)
	}
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	mounts := 0
	for _, ns := range snap.Namespaces {
		mounts += len(ns.Mounts)
	}
	t.Logf("one snapshot: %d bytes of JSON, %d mounts, %d namespaces, %d MiB allocated; truncated: %+v",
		len(b), mounts, len(snap.Namespaces), alloc>>20, snap.Truncated)

	budget := inspect.DefaultBudget
	if snap.Truncated == nil || len(snap.Truncated.Cut) == 0 {
		t.Errorf("ATTACK WORKED: a snapshot of %d bytes of JSON does not say it is truncated", len(b))
	}
	if len(b) > budget.JSONBytes {
		t.Errorf("ATTACK WORKED: one snapshot is %d bytes of JSON, over the budget of %d", len(b), budget.JSONBytes)
	}
	// What the server allocates for one snapshot, garbage included: the
	// bytes read are parsed once and the kept part marshalled once.
	if limit := uint64(4*budget.ReadBytes + 4*budget.JSONBytes); alloc > limit {
		t.Errorf("ATTACK WORKED: one snapshot allocated %d MiB, over %d MiB", alloc>>20, limit>>20)
	}
	if err := snap.Validate(); err != nil {
		t.Errorf("the truncated snapshot is not consistent: %v", err)
	}
	if snap.Namespace(snap.Host["mnt"]) == nil || len(snap.Namespace(snap.Host["mnt"]).Mounts) == 0 {
		t.Errorf("the lab host's own mount table was cut first: %+v", snap.Namespace(snap.Host["mnt"]))
	}

	ns, err := neighbour.Snapshot()
	if err != nil {
		t.Fatalf("snapshot of the neighbour: %v", err)
	}
	if ns.Truncated != nil {
		t.Errorf("ATTACK REACHED THE NEIGHBOUR: its snapshot is truncated: %+v", ns.Truncated)
	}
	afterAttack(t, e, neighbour)
}

// Escape tried: the lab's root takes its init's control socket with
// pidfd_getfd (it may ptrace init) and floods the engine with large
// messages of an op it does not know. The engine read and decoded every
// one, never counting them as bad: a core of the server's CPU per lab.
// The lab must be ended after a few.
func TestAttackControlSocketFlood(t *testing.T) {
	e, attacker, neighbour := attackLabs(t, Config{})
	const seconds = 10
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var start syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &start)
	began := time.Now()
	_, err = attacker.Start(context.Background(), ProcSpec{
		Argv:  []string{"/bin/bash", "-c", attackShell + "h ctl-flood " + strconv.Itoa(seconds) + " 60000"},
		Stdin: openSelf(t), Stdout: w, Stderr: w,
	})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	cpu := func() time.Duration {
		var end syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &end)
		return time.Duration(end.Utime.Nano() + end.Stime.Nano() - start.Utime.Nano() - start.Stime.Nano()).Round(time.Millisecond)
	}
	select {
	case <-attacker.Done():
	case <-time.After((seconds + 5) * time.Second):
		out := make([]byte, 4096)
		n, _ := r.Read(out)
		t.Fatalf("ATTACK WORKED: the lab flooded its init's control socket for %d s and was not ended (%s); the server used %v of CPU meanwhile",
			seconds, strings.TrimSpace(string(out[:n])), cpu())
	}
	t.Logf("the lab was ended after %v; the server used %v of CPU meanwhile", time.Since(began).Round(time.Millisecond), cpu())
	afterAttack(t, e, neighbour)
}

// The bad-message count must not end a lab that only works: a lab that
// starts and ends many processes sends only messages the engine asked
// for.
func TestBusyLabIsNotEndedForBadMessages(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	for i := range 3 * maxBadMessages {
		if out, _ := run(t, l, "echo "+strconv.Itoa(i)); out != strconv.Itoa(i) {
			t.Fatalf("run %d answered %q", i, out)
		}
	}
	select {
	case <-l.Done():
		t.Fatal("the lab ended")
	default:
	}
}

// BenchmarkSnapshotAtBudget is the cost of one snapshot of a lab whose
// state is over every bound (hugeState): what the budget lets one lab cost
// the server per snapshot.
//
//	go test -run '^$' -bench SnapshotAtBudget -benchmem ./nsengine
func BenchmarkSnapshotAtBudget(b *testing.B) {
	e := newTestEngine(b, Config{})
	l := spawn(b, e)
	hugeState(b, l)
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		snap, err := l.Snapshot()
		if err != nil {
			b.Fatal(err)
		}
		if snap.Truncated == nil {
			b.Fatal("the snapshot is not truncated")
		}
		js, err := json.Marshal(snap)
		if err != nil {
			b.Fatal(err)
		}
		size = len(js)
	}
	b.ReportMetric(float64(size), "json-bytes")
}
