//go:build linux

package nsengine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/internal/testenv"
)

// threadState is what the real machine sees of one thread's hardening.
type threadState struct {
	seccomp, noNewPrivs string
	capBnd, capEff      uint64
	cgroupNS            string
}

// threadStates reads every thread of process pid from the real machine's
// /proc: /proc/PID/task/*/status and /proc/PID/task/*/ns/cgroup.
func threadStates(t *testing.T, pid int) map[string]threadState {
	t.Helper()
	tasks, err := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*"))
	if err != nil || len(tasks) == 0 {
		t.Fatalf("threads of %d: %v", pid, err)
	}
	out := map[string]threadState{}
	for _, dir := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, "status"))
		if err != nil {
			t.Fatal(err)
		}
		var st threadState
		for _, line := range strings.Split(string(b), "\n") {
			k, v, _ := strings.Cut(line, ":")
			v = strings.TrimSpace(v)
			switch k {
			case "Seccomp":
				st.seccomp = v
			case "NoNewPrivs":
				st.noNewPrivs = v
			case "CapBnd":
				st.capBnd, _ = strconv.ParseUint(v, 16, 64)
			case "CapEff":
				st.capEff, _ = strconv.ParseUint(v, 16, 64)
			}
		}
		if st.cgroupNS, err = os.Readlink(filepath.Join(dir, "ns", "cgroup")); err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(dir)] = st
	}
	return out
}

// checkEveryThread fails for each thread of pid that lacks a hardening
// step: the seccomp filter (mode 2), no_new_privs, the bounding set
// without droppedCapabilities, the lab's cgroup namespace labNS.
func checkEveryThread(t *testing.T, who string, pid int, labNS string) int {
	t.Helper()
	states := threadStates(t, pid)
	for tid, st := range states {
		if st.seccomp != "2" {
			t.Errorf("ATTACK POSSIBLE: thread %s of %s has Seccomp %q, want 2 (filter)", tid, who, st.seccomp)
		}
		if st.noNewPrivs != "1" {
			t.Errorf("ATTACK POSSIBLE: thread %s of %s has NoNewPrivs %q, want 1", tid, who, st.noNewPrivs)
		}
		for _, c := range droppedCapabilities {
			if st.capBnd&(1<<c.capability) != 0 || st.capEff&(1<<c.capability) != 0 {
				t.Errorf("ATTACK POSSIBLE: thread %s of %s holds or may regain capability %d (%s): CapBnd %x CapEff %x", tid, who, c.capability, c.why, st.capBnd, st.capEff)
			}
		}
		if st.cgroupNS != labNS {
			t.Errorf("ATTACK POSSIBLE: thread %s of %s is in cgroup namespace %s, not the lab's %s", tid, who, st.cgroupNS, labNS)
		}
	}
	return len(states)
}

// Every hardening step holds for every thread of the lab's init and of a
// multithreaded lab process (a Go program: the attack helper), as the real
// machine sees them, when the lab is ready and after init has served many
// requests (threads the runtime made later).
func TestEveryThreadHardened(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	_, p := holdInLab(t, l, attackHelperEnv+"=1 exec /proc/self/fd/0 inotify 1 60")
	pids, err := l.PIDs()
	if err != nil {
		t.Fatal(err)
	}
	helper := 0
	for _, pid := range pids {
		if pid != l.InitPID() {
			helper = pid
		}
	}
	if helper == 0 {
		t.Fatalf("the helper (lab PID %d) is not among the lab's processes %v", p.PID(), pids)
	}
	labNS, err := os.Readlink(filepath.Join("/proc", strconv.Itoa(helper), "ns", "cgroup"))
	if err != nil {
		t.Fatal(err)
	}
	if self, _ := os.Readlink("/proc/self/ns/cgroup"); self == labNS {
		t.Fatalf("the lab's cgroup namespace %s is the server's", labNS)
	}
	if n := checkEveryThread(t, "init", l.InitPID(), labNS); n < 2 {
		t.Fatalf("init has %d thread: the test needs a multithreaded init", n)
	}
	if n := checkEveryThread(t, "a Go program in the lab", helper, labNS); n < 2 {
		t.Fatalf("the helper has %d thread: the test needs a multithreaded process", n)
	}
	ctx := context.Background()
	for i := range 50 {
		p, err := l.Start(ctx, ProcSpec{Argv: []string{"true"}})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			p.Wait()
		}
	}
	run(t, l, "true")
	checkEveryThread(t, "init after 50 starts", l.InitPID(), labNS)
}

// Escape tried: ptrace a thread of the lab's init other than the one that
// set the lab up, and inject into it system calls the seccomp filter
// denies: keyctl (keyrings are not namespaced) and io_setup (the machine's
// one AIO pool). Each must fail with ENOSYS in every thread.
func TestAttackInjectSyscallIntoInitThread(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		testenv.Missing(t, "an amd64 machine", "the injection helper speaks amd64's registers; TestEveryThreadHardened checks every thread on any architecture")
	}
	e, l, other := attackLabs(t, Config{})
	threads, err := threadCount(l.InitPID())
	if err != nil {
		t.Fatal(err)
	}
	const keySpecThreadKeyring = ^uintptr(0) // -1
	for _, call := range []struct {
		name string
		nr   uintptr
		args []uintptr
	}{
		{"keyctl", unix.SYS_KEYCTL, []uintptr{unix.KEYCTL_GET_KEYRING_ID, keySpecThreadKeyring, 0}},
		{"io_setup", unix.SYS_IO_SETUP, []uintptr{1, 0}},
	} {
		script := fmt.Sprintf("h inject-syscall 1 %d", call.nr)
		for _, a := range call.args {
			script += fmt.Sprintf(" %d", a)
		}
		out := runAttack(t, l, script)
		if got := len(strings.Split(out, "\n")); got != threads {
			t.Errorf("%s: %d results for %d threads of init: %q", call.name, got, threads, out)
		}
		wantErrno(t, call.name+" injected into init's threads", out, unix.ENOSYS)
	}
	if out, _ := run(t, l, "echo alive"); out != "alive" {
		t.Errorf("the lab after the injection: %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: enter the cgroup namespace of each thread of the lab's
// init (the lab's root owns them all) and mount a cgroup file system there
// (the v1 memory hierarchy where the engine uses v1, else cgroup2), to see
// and reach other labs' cgroups with their memory and process counts.
// Every thread's namespace must be the lab's own, where the lab sees no
// cgroup below its own.
func TestAttackInitThreadCgroupNamespace(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	fstype := "cgroup2"
	if !l.cg.v2 {
		fstype = "cgroup -o memory"
	}
	out, _ := run(t, l, `exec 2>/dev/null; self=$(readlink /proc/self/ns/cgroup)
echo 'mount -t `+fstype+` none /mnt && { find /mnt -mindepth 1 -type d | wc -l; umount /mnt; }' > /tmp/count
echo "own: $(sh /tmp/count)"
for t in /proc/1/task/*; do
	[ "$(readlink $t/ns/cgroup)" = "$self" ] || echo "OTHER-NAMESPACE ${t##*/}"
	echo "thread ${t##*/}: $(nsenter --cgroup=$t/ns/cgroup sh /tmp/count)"
done`)
	lines := strings.Split(out, "\n")
	if len(lines) < 3 {
		t.Fatalf("attack script: %q", out)
	}
	for _, line := range lines {
		if _, n, _ := strings.Cut(line, ": "); n != "0" {
			t.Errorf("ATTACK WORKED: %s (all: %q)", line, out)
		}
	}
	afterAttack(t, e, other)
}
