//go:build linux

package inspect

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/nsstate"
)

// scenario is a lab with one of everything the lessons make: a non-root
// process, nested UTS, mount, PID (three levels), user (two levels) and
// time namespaces, a System V shared memory segment and loopback up. Each
// piece ends in a sleep with its own argument, to be found by.
const scenario = `
ipcmk -M 4096 >/dev/null
ip link set lo up
setpriv --reuid=1000 --regid=1000 --keep-groups sleep 1001 &
unshare -u sh -c 'hostname inner; exec sleep 1002' &
unshare -m sh -c 'mount -t tmpfs inner-tmpfs /mnt && mkdir "/mnt/a b" && mount -t tmpfs spaced "/mnt/a b" && exec sleep 1003' &
unshare -pf --mount-proc sh -c 'unshare -pf --mount-proc sleep 1004 & exec sleep 1005' &
unshare --user --map-user=1000 --map-group=1000 sleep 1006 &
unshare --user --map-root-user sh -c 'unshare --user --map-user=5 --map-group=5 sleep 1007; true' &
unshare -T --monotonic 3600 sleep 1008 &
unshare --user --map-root-user unshare --user --map-user=5 --map-group=5 sleep 1009 &
`

// bySleep returns the process running "sleep ARG", or nil.
func bySleep(s *nsstate.Snapshot, arg string) *nsstate.Process {
	for i := range s.Processes {
		if slices.Equal(s.Processes[i].Cmdline, []string{"sleep", arg}) {
			return &s.Processes[i]
		}
	}
	return nil
}

func hasMount(ns *nsstate.Namespace, point, source string) bool {
	for _, m := range ns.Mounts {
		if m.Point == point && m.Source == source {
			return true
		}
	}
	return false
}

func scenarioReady(s *nsstate.Snapshot) bool {
	for arg := 1001; arg <= 1009; arg++ {
		if bySleep(s, strconv.Itoa(arg)) == nil {
			return false
		}
	}
	return true
}

func TestSnapshotScenario(t *testing.T) {
	for _, c := range []string{"ip", "ipcmk", "setpriv"} {
		testenv.RequireCommand(t, c, "iproute2, util-linux")
	}
	l := startLab(t, scenario)
	s := snapshotWhen(t, Options{InitPID: l.init}, scenarioReady)
	dump := func() string { b, _ := json.MarshalIndent(s, "", " "); return string(b) }
	host := func(typ nsstate.NSType) *nsstate.Namespace { return s.Namespace(s.Host[typ]) }
	proc := func(arg string) *nsstate.Process { return bySleep(s, arg) }

	if s.Source != "live" || s.Version != nsstate.Version {
		t.Errorf("source %q version %d", s.Source, s.Version)
	}
	init := s.Process(1)
	if init == nil || init.PPID != 0 || !slices.Equal(init.NSpid, []int{1}) || init.Comm != "sh" {
		t.Fatalf("init: %+v\n%s", init, dump())
	}
	for _, typ := range nsstate.Types {
		if init.NS[typ] != s.Host[typ] {
			t.Errorf("init's %s namespace %s, host %s", typ, init.NS[typ], s.Host[typ])
		}
	}

	t.Run("pid", func(t *testing.T) {
		child, grandchild := proc("1005"), proc("1004")
		if len(child.NSpid) != 2 || child.NSpid[1] != 1 {
			t.Errorf("sleep 1005 nspid %v, want [PID 1]", child.NSpid)
		}
		if len(grandchild.NSpid) != 3 || grandchild.NSpid[2] != 1 {
			t.Errorf("sleep 1004 nspid %v, want [PID N 1]", grandchild.NSpid)
		}
		cns, gns := s.Namespace(child.NS[nsstate.NSPID]), s.Namespace(grandchild.NS[nsstate.NSPID])
		if cns.Parent != s.Host[nsstate.NSPID] || gns.Parent != cns.ID {
			t.Errorf("pid parents: %s → %q, %s → %q", cns.ID, cns.Parent, gns.ID, gns.Parent)
		}
		if host(nsstate.NSPID).Parent != "" {
			t.Errorf("the lab host's pid namespace has parent %q, which lies outside the lab", host(nsstate.NSPID).Parent)
		}
		if cns.Owner != s.Host[nsstate.NSUser] {
			t.Errorf("nested pid namespace owner %q, want the lab host's user namespace", cns.Owner)
		}
		if pid, ok := s.PIDIn(grandchild, cns.ID); !ok || pid != grandchild.NSpid[1] {
			t.Errorf("PIDIn(sleep 1004, middle) = %d %v", pid, ok)
		}
		parent := s.Process(child.PPID)
		if parent == nil || parent.Comm != "unshare" {
			t.Errorf("sleep 1005 ppid %d is %+v, want the unshare that forked it", child.PPID, parent)
		}
	})

	t.Run("user", func(t *testing.T) {
		hu := host(nsstate.NSUser)
		want := nsstate.IDMap{{Inside: 0, Outside: labIDBase, Count: 65536}}
		if !reflect.DeepEqual(hu.UIDMap, want) || !reflect.DeepEqual(hu.GIDMap, want) || hu.Setgroups != "deny" {
			t.Errorf("lab host user namespace: uid_map %v gid_map %v setgroups %q; want %v and deny", hu.UIDMap, hu.GIDMap, hu.Setgroups, want)
		}
		if p := proc("1001"); p.UID != 1000 || p.GID != 1000 || p.NSUID != 1000 || p.NSGID != 1000 {
			t.Errorf("sleep 1001 uid %d gid %d nsuid %d nsgid %d; want 1000 everywhere", p.UID, p.GID, p.NSUID, p.NSGID)
		}
		p := proc("1006")
		n1 := s.Namespace(p.NS[nsstate.NSUser])
		if n1.Parent != hu.ID || !reflect.DeepEqual(n1.UIDMap, nsstate.IDMap{{Inside: 1000, Outside: 0, Count: 1}}) {
			t.Errorf("sleep 1006 user namespace: parent %q uid_map %v; want %s and [1000 0 1] (outside IDs in the parent)", n1.Parent, n1.UIDMap, hu.ID)
		}
		if p.UID != 0 || p.NSUID != 1000 || p.NSGID != 1000 {
			t.Errorf("sleep 1006 uid %d nsuid %d nsgid %d; want 0, 1000, 1000", p.UID, p.NSUID, p.NSGID)
		}
		q := proc("1007")
		n3 := s.Namespace(q.NS[nsstate.NSUser])
		n2 := s.Namespace(n3.Parent)
		if n2 == nil || n2.Parent != hu.ID {
			t.Fatalf("sleep 1007's user namespace %s should sit two below the lab host's", n3.ID)
		}
		if !reflect.DeepEqual(n2.UIDMap, nsstate.IDMap{{Inside: 0, Outside: 0, Count: 1}}) ||
			!reflect.DeepEqual(n3.UIDMap, nsstate.IDMap{{Inside: 5, Outside: 0, Count: 1}}) {
			t.Errorf("nested maps %v and %v; want [0 0 1] and [5 0 1]", n2.UIDMap, n3.UIDMap)
		}
		if q.UID != 0 || q.NSUID != 5 || q.NSGID != 5 {
			t.Errorf("sleep 1007 uid %d nsuid %d nsgid %d; want 0, 5, 5", q.UID, q.NSUID, q.NSGID)
		}
		if id, ok := s.UIDIn(q.UID, n3.ID); !ok || id != q.NSUID {
			t.Errorf("UIDIn(%d, %s) = %d %v; the model's chain disagrees with nsuid %d", q.UID, n3.ID, id, ok, q.NSUID)
		}
		if got := s.Depth(n3.ID); got != 2 {
			t.Errorf("Depth(%s) = %d, want 2", n3.ID, got)
		}
		// sleep 1009's user namespace has a parent without a process:
		// listed, linked, but its map cannot be read, nor can its child's
		// be put in its terms. The process's own IDs are still right.
		r := proc("1009")
		n5 := s.Namespace(r.NS[nsstate.NSUser])
		n4 := s.Namespace(n5.Parent)
		if n4 == nil || n4.Parent != hu.ID || n4.UIDMap != nil || n5.UIDMap != nil {
			t.Errorf("user namespace without members %+v below the lab host's, then %+v; want both linked, without maps (lab host %s)", n4, n5, hu.ID)
		}
		if r.UID != 0 || r.NSUID != 5 {
			t.Errorf("sleep 1009 uid %d nsuid %d; want 0 and 5", r.UID, r.NSUID)
		}
	})

	t.Run("mnt", func(t *testing.T) {
		inner := s.Namespace(proc("1003").NS[nsstate.NSMnt])
		if inner.ID == s.Host[nsstate.NSMnt] {
			t.Fatal("sleep 1003 should have its own mount namespace")
		}
		if !hasMount(inner, "/mnt", "inner-tmpfs") || !hasMount(inner, "/mnt/a b", "spaced") {
			t.Errorf("nested mount namespace lacks /mnt (inner-tmpfs) or /mnt/a b (spaced): %+v", inner.Mounts)
		}
		if hasMount(host(nsstate.NSMnt), "/mnt", "inner-tmpfs") {
			t.Error("the nested tmpfs shows in the lab host's mount namespace")
		}
		if len(host(nsstate.NSMnt).Mounts) == 0 || host(nsstate.NSMnt).Mounts[0].Point != "/" {
			t.Errorf("lab host mounts should start with /: %+v", host(nsstate.NSMnt).Mounts)
		}
	})

	t.Run("uts", func(t *testing.T) {
		if h := host(nsstate.NSUTS).Hostname; h != "lab" {
			t.Errorf("lab host hostname %q, want lab", h)
		}
		if h := s.Namespace(proc("1002").NS[nsstate.NSUTS]).Hostname; h != "inner" {
			t.Errorf("nested hostname %q, want inner", h)
		}
		if proc("1002").NS[nsstate.NSUTS] == s.Host[nsstate.NSUTS] {
			t.Error("sleep 1002 should have its own UTS namespace")
		}
	})

	t.Run("ipc", func(t *testing.T) {
		objs := host(nsstate.NSIPC).IPC
		if len(objs) != 1 || objs[0].Kind != "shm" || objs[0].UID != 0 || objs[0].Perms != 0o644 {
			t.Errorf("lab host IPC objects %+v; want one shm segment of uid 0 (lab view), perms 0644", objs)
		}
	})

	t.Run("net", func(t *testing.T) {
		ifs := host(nsstate.NSNet).Interfaces
		if len(ifs) != 1 || ifs[0].Name != "lo" || !ifs[0].Up || ifs[0].Index != 1 || !slices.Contains(ifs[0].Addrs, "127.0.0.1/8") {
			t.Errorf("lab host interfaces %+v; want lo only, up, index 1, with 127.0.0.1/8", ifs)
		}
	})

	t.Run("time", func(t *testing.T) {
		ht := host(nsstate.NSTime).Offsets
		if ht == nil || ht.Boottime.Sec != 100 || ht.Monotonic.Sec != 0 {
			t.Errorf("lab host time offsets %+v, want boottime 100", ht)
		}
		inner := s.Namespace(proc("1008").NS[nsstate.NSTime])
		if inner.ID == s.Host[nsstate.NSTime] || inner.Offsets == nil || inner.Offsets.Monotonic.Sec != 3600 {
			t.Errorf("sleep 1008 time namespace %+v, want its own with monotonic 3600", inner)
		}
	})

	t.Run("cgroup", func(t *testing.T) {
		for _, p := range s.Processes {
			if p.Cgroup != "/" {
				t.Errorf("process %d cgroup %q; every process shares the init's cgroup, the lab host's root", p.PID, p.Cgroup)
			}
		}
	})

	t.Run("given pids", func(t *testing.T) {
		// Every PID of the machine: the lab's are kept, the rest dropped,
		// just as when the inspector scans by itself.
		all, err := (&scan{procfs: "/proc"}).allPIDs()
		if err != nil {
			t.Fatal(err)
		}
		g, err := Snapshot(Options{InitPID: l.init, PIDs: all})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Processes) != len(s.Processes) {
			t.Errorf("with all PIDs given: %d processes, scanning found %d", len(g.Processes), len(s.Processes))
		}
		one, err := Snapshot(Options{InitPID: l.init, PIDs: []int{}})
		if err != nil {
			t.Fatal(err)
		}
		if len(one.Processes) != 1 || one.Processes[0].PID != 1 {
			t.Errorf("with no PIDs given the snapshot should hold the init alone, got %d processes", len(one.Processes))
		}
		if err := one.Validate(); err != nil {
			t.Error(err)
		}
	})
}

// TestSnapshotChurn takes snapshots while processes start and end all the
// time: a process that ends mid-read is left out, never an error.
func TestSnapshotChurn(t *testing.T) {
	l := startLab(t, `(while :; do /bin/true & /bin/true; done) &
(while :; do unshare -pf --mount-proc /bin/true; done) &`)
	for i := 0; i < 200; i++ {
		s, err := Snapshot(Options{InitPID: l.init})
		if err != nil {
			t.Fatalf("snapshot %d: %v", i, err)
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("snapshot %d: %v", i, err)
		}
	}
}

// TestSnapshotLeaks takes many snapshots and counts file descriptors and
// goroutines before and after.
func TestSnapshotLeaks(t *testing.T) {
	l := startLab(t, "unshare -uin sleep 1000 &\nunshare -pf --mount-proc sleep 1000 &")
	opts := Options{InitPID: l.init}
	snapshotWhen(t, opts, func(s *nsstate.Snapshot) bool { return len(s.Processes) >= 4 })
	fds, goroutines := countFDs(t), runtime.NumGoroutine()
	for i := 0; i < 300; i++ {
		if _, err := Snapshot(opts); err != nil {
			t.Fatal(err)
		}
	}
	// Goroutines of earlier tests may still be winding down.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := countFDs(t); n != fds {
		t.Errorf("open fds %d before 300 snapshots, %d after", fds, n)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("goroutines %d before 300 snapshots, %d after", goroutines, n)
	}
	// The inspector's thread went back to the server's namespaces (or
	// died): every thread of this process is where the process began.
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"uts", "ipc", "net"} {
		want, err := os.Readlink("/proc/self/ns/" + typ)
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range tasks {
			got, err := os.Readlink("/proc/self/task/" + task.Name() + "/ns/" + typ)
			if err == nil && got != want {
				t.Errorf("thread %s is in %s, the process in %s", task.Name(), got, want)
			}
		}
	}
}

func countFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

func TestSnapshotErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		opts Options
		want string
	}{
		{"no init", Options{}, "not a process id"},
		{"negative init", Options{InitPID: -3}, "not a process id"},
		{"ended init", Options{InitPID: 1 << 30}, "no such file"},
		{"no procfs", Options{InitPID: os.Getpid(), Procfs: "/nonexistent"}, "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Snapshot(c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Snapshot(%+v) = %v, %v; want an error with %q", c.opts, s, err, c.want)
			}
		})
	}
}

// TestSnapshotConcurrent snapshots two labs from several goroutines at
// once, as a server with many visitors does: each snapshot must show its
// own lab's hostname, IPC objects and interfaces, never another's (the
// threads that enter namespaces are separate).
func TestSnapshotConcurrent(t *testing.T) {
	testenv.RequireCommand(t, "ipcmk", "util-linux")
	a := startLab(t, "hostname lab-a\nipcmk -Q >/dev/null")
	b := startLab(t, "hostname lab-b\nip link set lo up")
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		l, want := a, "lab-a"
		if g%2 == 1 {
			l, want = b, "lab-b"
		}
		go func() {
			for i := 0; i < 25; i++ {
				s, err := Snapshot(Options{InitPID: l.init})
				if err != nil {
					errs <- err
					return
				}
				uts, ipc, net := s.Namespace(s.Host[nsstate.NSUTS]), s.Namespace(s.Host[nsstate.NSIPC]), s.Namespace(s.Host[nsstate.NSNet])
				if uts.Hostname != want || (len(ipc.IPC) == 1) != (want == "lab-a") || net.Interfaces[0].Up != (want == "lab-b") {
					errs <- fmt.Errorf("snapshot of %s: hostname %q, IPC %+v, interfaces %+v", want, uts.Hostname, ipc.IPC, net.Interfaces)
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
