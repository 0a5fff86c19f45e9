//go:build linux

package inspect

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/nsstate"
)

// labIDBase is the first real-machine ID of the test labs' user
// namespace, an unprivileged range as a real lab gets one.
const labIDBase = 200000

// lab is a lab-like process tree for tests: its init is PID 1 of fresh
// user, pid, mnt, uts, ipc, net, cgroup and time namespaces, root inside
// with uid and gid 0 mapped to labIDBase (65536 IDs).
type lab struct {
	cmd  *exec.Cmd
	init int // real-machine PID
}

// startLab runs script with sh as the lab's init. The script sets up what
// the test needs in the background, then prints "ready" and waits (the
// init lives on when there is nothing to wait for). The lab
// ends with the test.
func startLab(t testing.TB, script string) *lab {
	t.Helper()
	return startLabIn(t, -1, script)
}

// startLabIn is startLab with the init born into the cgroup v2 directory
// open as cgroupFD (none when -1).
func startLabIn(t testing.TB, cgroupFD int, script string) *lab {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireCommand(t, "unshare", "util-linux")
	// unshare -T with an offset: the init itself then lives in a fresh
	// time namespace (exec moves a process into its time_for_children).
	cmd := exec.Command("unshare", "--time", "--boottime", "100", "--", "sh", "-c",
		"set -e\nmount --make-rprivate /\nhostname lab\n"+script+"\necho ready\nwait\nwhile :; do sleep 1000; done")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWUSER | syscall.CLONE_NEWPID | syscall.CLONE_NEWNS |
			syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWNET | syscall.CLONE_NEWCGROUP,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: labIDBase, Size: 65536}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: labIDBase, Size: 65536}},
		// Become root of the new user namespace: the real machine's root
		// is not mapped in it, so without this the init is nobody.
		Credential: &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: true},
		Pdeathsig:  syscall.SIGKILL,
	}
	if cgroupFD >= 0 {
		cmd.SysProcAttr.UseCgroupFD, cmd.SysProcAttr.CgroupFD = true, cgroupFD
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start lab: %v", err)
	}
	l := &lab{cmd: cmd, init: cmd.Process.Pid}
	t.Cleanup(func() {
		// Killing PID 1 of a PID namespace kills everything in it and in
		// the namespaces below.
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "ready" {
				ready <- true
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("lab script ended before it was ready; stderr: %s", stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("lab script not ready after 20s; stderr: %s", stderr.String())
	}
	return l
}

// snapshotWhen takes snapshots until cond holds (the script's background
// pieces set themselves up in their own time) and returns the first that
// satisfies it. It fails the test with the last snapshot after a while.
func snapshotWhen(t testing.TB, opts Options, cond func(*nsstate.Snapshot) bool) *nsstate.Snapshot {
	t.Helper()
	var last *nsstate.Snapshot
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		s, err := Snapshot(opts)
		if err != nil {
			t.Fatalf("Snapshot: %v", err)
		}
		if err := s.Validate(); err != nil {
			b, _ := json.MarshalIndent(s, "", "  ")
			t.Fatalf("Validate: %v\n%s", err, b)
		}
		if cond(s) {
			return s
		}
		last = s
		time.Sleep(20 * time.Millisecond)
	}
	b, _ := json.MarshalIndent(last, "", "  ")
	t.Fatalf("the lab never reached the expected state; last snapshot:\n%s", b)
	return nil
}
