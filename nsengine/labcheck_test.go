//go:build linux

package nsengine

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// startCheck starts script with bash as a lesson check; the caller reads
// out and waits.
func startCheck(t testing.TB, l *Lab, script string, stdin *os.File) (*Check, *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := l.StartCheck(ctx, ProcSpec{Argv: []string{"/bin/bash", "-c", script}, Stdin: stdin, Stdout: w, Stderr: w})
	w.Close()
	if err != nil {
		r.Close()
		t.Fatal(err)
	}
	return c, r
}

// check runs script as a lesson check and returns its output and status.
func check(t testing.TB, l *Lab, script string) (string, int) {
	t.Helper()
	c, r := startCheck(t, l, script, nil)
	defer r.Close()
	out, _ := io.ReadAll(r)
	st, err := c.Wait()
	if err != nil {
		t.Fatalf("wait for check %q: %v", script, err)
	}
	return strings.TrimSpace(string(out)), st
}

// A check sees and does what the lab's root does in the lab host: every
// process, every file of every lab user, every namespace of the lab
// (nsenter into one the learner made), as root.
func TestLessonCheckActsAsLabRoot(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	setup := `mkdir -p /home/student && chown 1000:1000 /home/student && chmod 700 /home/student
echo secret > /home/student/note && chown 1000:1000 /home/student/note && chmod 600 /home/student/note
setpriv --reuid 1000 --regid 1000 --clear-groups sleep 300 </dev/null >/dev/null 2>&1 &
unshare --uts --fork sh -c 'hostname inner; exec sleep 300' </dev/null >/dev/null 2>&1 &
unshare -Urn --fork sh -c 'ip link set lo up; ip addr add 10.9.9.9/32 dev lo; exec sleep 300' </dev/null >/dev/null 2>&1 &
sleep 0.5; echo ok`
	if out, st := run(t, l, setup); st != 0 || out != "ok" {
		t.Fatalf("setup: %d %q", st, out)
	}
	cases := []struct{ name, script, want string }{
		{"identity", "id -u; hostname; readlink /proc/self/ns/pid /proc/self/ns/mnt /proc/self/ns/net /proc/self/ns/uts /proc/self/ns/ipc /proc/self/ns/cgroup /proc/self/ns/time | sort | uniq | wc -l; for n in pid mnt net uts ipc cgroup time; do [ $(readlink /proc/self/ns/$n) = $(readlink /proc/1/ns/$n) ] || echo not in the lab host $n; done",
			"0\nlab\n7"},
		{"a learner's private file", "cat /home/student/note; ls /home/student", "secret\nnote"},
		{"every process's environment", `for p in $(pgrep -x sleep); do tr '\0' '\n' < /proc/$p/environ | grep -c ^PATH=; done | sort -u`, "1"},
		{"nsenter into the learner's UTS namespace", `for p in $(pgrep -x sleep); do nsenter -t $p -u hostname; done | sort -u | tr '\n' ' '`, "inner lab"},
		// Without -U: a check may join no user namespace (denyCheckJoiningUserNamespaces) and needs none.
		{"nsenter into the network namespace of a nested user namespace", `for p in $(pgrep -x sleep); do nsenter -t $p -n ip -br addr show lo; done | grep -o 10.9.9.9`, "10.9.9.9"},
		{"nsenter -U is refused", `for p in $(pgrep -x sleep); do nsenter -t $p -U -n --preserve-credentials true 2>&1; done | grep -c 'Operation not permitted'`, "3"},
		{"su to a lab user", "su student -s /bin/sh -c 'id -u' 2>&1 || setpriv --reuid 1000 --regid 1000 --clear-groups id -u", "1000"},
		{"ps", "ps -e -o comm= | grep -c '^sleep$'", "3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, st := check(t, l, c.script)
			if st != 0 || out != c.want {
				t.Errorf("check %q: status %d, output %q, want %q", c.script, st, out, c.want)
			}
		})
	}
}

// The check process is hardened as every lab process is, from the real
// machine's view: in the lab's cgroups, seccomp filter and no_new_privs,
// no capability beyond checkCapabilities, and the IDs of labcheck.go.
func TestLessonCheckHardened(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	c, r := startCheck(t, l, "echo started; exec sleep 30", nil)
	defer r.Close()
	buf := make([]byte, 64)
	if n, _ := r.Read(buf); !strings.HasPrefix(string(buf[:n]), "started") {
		t.Fatalf("check said %q", buf[:n])
	}
	pids, err := l.PIDs()
	if err != nil {
		t.Fatal(err)
	}
	real := 0
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
		if err != nil {
			continue
		}
		if ns := statusField(string(b), "NSpid"); strings.HasSuffix(ns, "\t"+strconv.Itoa(c.PID())) {
			real = pid
		}
	}
	if real == 0 {
		t.Fatalf("the check %d is not in the lab's cgroup (processes %v)", c.PID(), pids)
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(real) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	st := string(b)
	var keep uint64
	for _, c := range checkCapabilities {
		keep |= 1 << c.capability
	}
	base := strconv.Itoa(int(l.IDBase()))
	want := map[string]string{
		"Seccomp":    "2",
		"NoNewPrivs": "1",
		"CapBnd":     fmt.Sprintf("%016x", keep),
		"CapEff":     fmt.Sprintf("%016x", keep),
		"CapPrm":     fmt.Sprintf("%016x", keep),
		"CapInh":     "0000000000000000",
		"CapAmb":     "0000000000000000",
		"Uid":        base + "\t" + base + "\t" + base + "\t" + base,
		"Gid":        "65534\t65534\t65534\t65534",
		"Groups":     "",
	}
	for k, v := range want {
		if got := statusField(st, k); got != v {
			t.Errorf("check process %s: %q, want %q", k, got, v)
		}
	}
	self, _ := os.Readlink("/proc/" + strconv.Itoa(real) + "/ns/user")
	lab, _ := os.Readlink("/proc/" + strconv.Itoa(l.InitPID()) + "/ns/user")
	if self == lab {
		t.Errorf("the check is in the lab's user namespace %s", lab)
	}
	// Until the launcher's exec of the check completes, the process may
	// still hold a descriptor that closes on exec: wait for the exec.
	var fds []os.DirEntry
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		fds, _ = os.ReadDir("/proc/" + strconv.Itoa(real) + "/fd")
		if len(fds) == 3 || time.Now().After(deadline) {
			break
		}
	}
	if len(fds) != 3 {
		var names []string
		for _, f := range fds {
			n, _ := os.Readlink("/proc/" + strconv.Itoa(real) + "/fd/" + f.Name())
			names = append(names, f.Name()+"→"+n)
		}
		t.Errorf("the check holds descriptors %v, want its stdio only", names)
	}
	// The engine's snapshot still reads while a check runs; the check,
	// whose user namespace is outside the lab host's, is described as
	// the server then leaves it out (server/lessonrun.go).
	snap, err := l.Snapshot()
	if err != nil {
		t.Errorf("snapshot while a check runs: %v", err)
	} else {
		for _, p := range snap.Processes {
			if p.PID == c.PID() {
				t.Logf("the check in the engine's snapshot: %+v", p)
			}
		}
	}
	if err := c.SignalGroup(unix.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Wait(); err != nil || st != 128+9 {
		t.Errorf("killed check: %d, %v", st, err)
	}
}

// statusField is a field of /proc/PID/status, as it stands.
func statusField(status, key string) string {
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Escape tried: make a lesson check pass by tracing it. The lab's root
// waits for a check that sleeps and would then fail, attaches to it with
// ptrace (and to what it runs), opens its memory, writes to it with
// process_vm_writev, takes its descriptors with pidfd_getfd, and injects
// exit_group(0) into it: any of them would let the learner tick a step
// without doing it. The check sleeps long enough for a slow machine;
// once the attack is over it is killed, as a check cut off is.
func TestAttackTraceLessonCheck(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	c, r := startCheck(t, l, "sleep 120; exit 1", nil)
	defer r.Close()
	out := runAttack(t, l, fmt.Sprintf(`p=%d
for i in $(seq 50); do [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] || [ -n "$(pgrep -P $p)" ] && break; sleep 0.05; done
for q in $p $(pgrep -P $p); do
	echo ptrace $(h ptrace $q)
	echo mem $(h open /proc/$q/mem rw)
	echo vm-write $(h vm-write $q)
	echo getfd $(h pidfd-getfd $q 1)
	echo inject $(h inject-syscall $q %d 0 | sort -u | tr '\n' ' ')
done`, c.PID(), unix.SYS_EXIT_GROUP))
	c.SignalGroup(unix.SIGKILL) // fails if the attack ended it
	io.ReadAll(r)
	st, err := c.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if st == 0 {
		t.Errorf("ATTACK WORKED: the check passed (status 0)")
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		want := map[string]string{"ptrace": "1", "mem": "13", "vm-write": "1", "getfd": "1", "inject": "seize"}[f[0]]
		switch {
		case f[1] == want:
		case strings.HasSuffix(line, " 3") || strings.Contains(line, "no such file"):
			t.Errorf("the attack did not reach the check, which had ended (ESRCH): %q", line)
		default:
			t.Errorf("ATTACK WORKED: %s: %q, want %s", f[0], line, want)
		}
	}
	if !strings.Contains(out, "ptrace") {
		t.Errorf("the attack found no check to trace: %q", out)
	}
	afterAttack(t, e, other)
}

// BenchmarkStartCheckInLab starts true as a lesson check in one running
// lab and waits for it: the cost of StartCheck (a launcher, a second Go
// runtime start, nsenter), to set beside BenchmarkStartInLab.
func BenchmarkStartCheckInLab(b *testing.B) {
	e := newTestEngine(b, Config{})
	l := spawn(b, e)
	ctx := context.Background()
	var runs []time.Duration
	for b.Loop() {
		t0 := time.Now()
		c, err := l.StartCheck(ctx, ProcSpec{Argv: []string{"true"}})
		if err != nil {
			b.Fatal(err)
		}
		if status, err := c.Wait(); status != 0 || err != nil {
			b.Fatalf("true: %d, %v", status, err)
		}
		runs = append(runs, time.Since(t0))
	}
	b.ReportMetric(median(runs), "median-ns")
}
