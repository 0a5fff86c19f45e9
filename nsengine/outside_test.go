//go:build linux

package nsengine

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests look at labs from the real machine, the way an attacker's
// success or a leak would show there.

// hostIDs reads the real, effective, saved and filesystem uids and gids of
// a real-machine PID.
func hostIDs(t *testing.T, pid int) []uint64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "Uid:") || strings.HasPrefix(line, "Gid:") {
			for _, f := range strings.Fields(line)[1:] {
				n, _ := strconv.ParseUint(f, 10, 32)
				ids = append(ids, n)
			}
		}
	}
	return ids
}

// startSleep starts a background sleep in the lab that outlives run.
func startSleep(t *testing.T, l *Lab) {
	t.Helper()
	if _, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sleep", "100"}}); err != nil {
		t.Fatal(err)
	}
}

// Escape tried: lab root being real root. Every process of a lab must run
// as the lab's unprivileged host IDs, never as a real user's.
func TestLabRunsAsUnprivilegedHostIDs(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	startSleep(t, l)
	pids, err := l.PIDs()
	if err != nil {
		t.Fatal(err)
	}
	if len(pids) != 2 {
		t.Fatalf("lab PIDs %v, want init and sleep", pids)
	}
	lo, hi := uint64(l.IDBase()), uint64(l.IDBase())+idRangeSize
	if lo < DefaultIDPoolBase {
		t.Errorf("id base %d below the pool", lo)
	}
	for _, pid := range pids {
		for _, id := range hostIDs(t, pid) {
			if id < lo || id >= hi {
				t.Errorf("PID %d runs as host ID %d, outside the lab's [%d, %d)", pid, id, lo, hi)
			}
		}
	}
}

// Escape tried: one lab owning another lab's files through shared IDs.
func TestTwoLabsDisjointIDs(t *testing.T) {
	e := newTestEngine(t, Config{})
	a, b := spawn(t, e), spawn(t, e)
	d := int64(a.IDBase()) - int64(b.IDBase())
	if d < idRangeSize && d > -idRangeSize {
		t.Errorf("ID ranges overlap: %d and %d", a.IDBase(), b.IDBase())
	}
	// Also across engines (as across nslab processes): slot locks.
	e2 := newTestEngine(t, Config{})
	c := spawn(t, e2)
	for _, x := range []*Lab{a, b} {
		if x.IDBase() == c.IDBase() {
			t.Errorf("two engines gave out the same ID range %d", c.IDBase())
		}
	}
}

func TestTeardownLeavesNothing(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	startSleep(t, l)
	// Background children and a nested namespace with a mount.
	run(t, l, "unshare -m sh -c 'mount -t tmpfs x /mnt; sleep 100' >/dev/null 2>&1 & sleep 100 >/dev/null 2>&1 & sleep 0.1")
	pids, err := l.PIDs()
	if err != nil || len(pids) < 4 {
		t.Fatalf("lab PIDs %v, %v", pids, err)
	}
	dirs, lock := l.cg.dirs, l.slot.path
	for _, d := range dirs {
		if _, err := os.Stat(d); err != nil {
			t.Fatalf("lab cgroup: %v", err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("lab process %d still there (%v)", pid, err)
		}
	}
	for _, d := range dirs {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("cgroup %s left behind", d)
		}
	}
	if _, err := os.Stat(lock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("slot lock %s left behind", lock)
	}
	// A lab's mounts would show its root's host uid in their options.
	b, _ := os.ReadFile("/proc/self/mountinfo")
	if strings.Contains(string(b), "uid="+strconv.Itoa(int(l.IDBase()))) {
		t.Errorf("a lab mount is on the real machine:\n%s", b)
	}
	if n := e.Count(); n != 0 {
		t.Errorf("engine still counts %d labs", n)
	}
}

func TestLabDiesWithInit(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	startSleep(t, l)
	pids, _ := l.PIDs()
	if err := syscall.Kill(l.InitPID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-l.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("lab still alive 30 s after its init was killed")
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("lab process %d outlived init", pid)
		}
	}
	for _, d := range l.cg.dirs {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("cgroup %s left behind", d)
		}
	}
}

// pidsLimitHit reads whether the pids controller has refused a fork.
func pidsLimitHit(t *testing.T, dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "pids.events"))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	return len(f) >= 2 && f[0] == "max" && f[1] != "0"
}

func TestLimitsAreSet(t *testing.T) {
	lim := Limits{Pids: 100, MemoryBytes: 100 << 20, CPU: 0.25, TmpfsBytes: 1 << 20}
	e := newTestEngine(t, Config{Limits: lim})
	l := spawn(t, e)
	// The lab's processes get 100 tasks; init's threads come on top.
	initTasks, err := threadCount(l.InitPID())
	if err != nil {
		t.Fatal(err)
	}
	pidsMax := strconv.Itoa(100 + initTasks)
	want := map[string]string{}
	if l.cg.v2 {
		want[filepath.Join(l.cg.dirs[0], "pids.max")] = pidsMax
		want[filepath.Join(l.cg.dirs[0], "memory.max")] = strconv.Itoa(100 << 20)
		want[filepath.Join(l.cg.dirs[0], "cpu.max")] = "25000 100000"
	} else {
		want[filepath.Join(l.cg.dirs[0], "pids.max")] = pidsMax
		want[filepath.Join(l.cg.dirs[1], "memory.limit_in_bytes")] = strconv.Itoa(100 << 20)
		want[filepath.Join(l.cg.dirs[1], "memory.kmem.tcp.limit_in_bytes")] = strconv.Itoa(25 << 20)
		want[filepath.Join(l.cg.dirs[2], "cpu.cfs_quota_us")] = "25000"
	}
	for file, want := range want {
		b, err := os.ReadFile(file)
		if err != nil || strings.TrimSpace(string(b)) != want {
			t.Errorf("%s = %q, %v; want %s", file, b, err, want)
		}
	}
	// A tmpfs holds no more than its size.
	out, _ := run(t, l, "head -c 2000000 /dev/zero > /tmp/big 2>/dev/null || echo full")
	if out != "full" {
		t.Errorf("wrote 2 MB into a 1 MiB tmpfs: %q", out)
	}
}

// A crashed server leaves lab cgroups (maybe with processes) and slot
// locks; the next engine removes them.
func TestNewCleansCrashedRun(t *testing.T) {
	cfg := isolated(t.TempDir())
	e := newTestEngine(t, cfg)
	slot := cfg.MaxLabs - 1
	g := e.cgrp.lab(slot)
	for _, d := range g.dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sleep := exec.Command("sleep", "100")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	go sleep.Wait()
	if err := g.add(sleep.Process.Pid); err != nil {
		t.Fatal(err)
	}
	lock := e.ids.lockPath(slot)
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	newTestEngine(t, cfg)
	for _, d := range g.dirs {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("leftover cgroup %s not removed", d)
		}
	}
	if _, err := os.Stat(lock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover slot lock %s not removed", lock)
	}
	if err := syscall.Kill(sleep.Process.Pid, 0); err == nil {
		// It may be a zombie until Wait: check its state.
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(sleep.Process.Pid) + "/stat")
		if !strings.Contains(string(b), ") Z ") {
			t.Errorf("process in a leftover cgroup still runs: %s", b)
		}
	}
}

// mounted reports whether path is a mount point of the real machine.
func mounted(t *testing.T, path string) bool {
	t.Helper()
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 4 && f[4] == path {
			return true
		}
	}
	return false
}

// The locked binds live as long as their engine, and the next engine
// removes those of one that crashed.
func TestLockedBindsLifetime(t *testing.T) {
	e := newTestEngine(t, Config{})
	dir := e.binds.dir
	if !mounted(t, filepath.Join(dir, "usr")) {
		t.Fatalf("no locked bind of /usr at %s", dir)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) || mounted(t, filepath.Join(dir, "usr")) {
		t.Errorf("closed engine's binds %s left behind (%v)", dir, err)
	}
	// A crashed engine's folder: its PID is past any pid_max.
	leftover := filepath.Join(bindsRoot, "2147483647-crashed")
	if err := os.MkdirAll(filepath.Join(leftover, "usr"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("/usr", filepath.Join(leftover, "usr"), "", syscall.MS_BIND, ""); err != nil {
		t.Fatal(err)
	}
	newTestEngine(t, Config{})
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) || mounted(t, filepath.Join(leftover, "usr")) {
		syscall.Unmount(filepath.Join(leftover, "usr"), syscall.MNT_DETACH)
		os.RemoveAll(leftover)
		t.Errorf("a crashed engine's binds %s left behind (%v)", leftover, err)
	}
}
