//go:build linux

package nsengine

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/internal/testenv"
)

// Each test here names an escape a lab's root might try, tries it from
// inside a lab, and fails loudly if it works.

// Escape tried: raise the lab's own limits through a cgroup file system
// mounted inside the lab (allowed: the lab owns its cgroup namespace).
func TestLabCannotRaiseItsLimits(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	script := `
mount -t cgroup2 none /mnt 2>/dev/null && { (echo max > /mnt/pids.max) 2>/dev/null && echo RAISED; umount /mnt; }
mount -t cgroup -o pids none /mnt 2>/dev/null && { (echo max > /mnt/pids.max) 2>/dev/null && echo RAISED; umount /mnt; }
echo done`
	if out, _ := run(t, l, script); out != "done" {
		t.Errorf("the lab raised its pids limit: %q", out)
	}
}

// Escape tried: use a descriptor of whatever started the server, which a
// lab's init would inherit, through /proc/1/fd.
func TestInitHoldsNoServerDescriptors(t *testing.T) {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil { // no O_CLOEXEC, as an inherited fd
		t.Fatal(err)
	}
	defer syscall.Close(p[0])
	defer syscall.Close(p[1])
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	out, _ := run(t, l, "for f in /proc/1/fd/*; do readlink $f; done")
	for _, target := range strings.Fields(out) {
		switch {
		case target == "/dev/null", target == "/dev/pts", strings.HasPrefix(target, "socket:"), strings.HasPrefix(target, "anon_inode:"):
		default:
			t.Errorf("lab init holds %s (all: %s)", target, out)
		}
	}
}

// Escape tried: change the real machine's kernel settings, hostname or
// clock from the lab's root.
func TestLabCannotChangeHostKernel(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	script := `
(echo 1 > /proc/sys/kernel/sysrq) 2>/dev/null && echo SYSRQ
(echo 0 > /proc/sys/kernel/randomize_va_space) 2>/dev/null && echo ASLR
date -s 2000-01-01 >/dev/null 2>&1 && echo CLOCK
echo done`
	if out, _ := run(t, l, script); out != "done" {
		t.Errorf("the lab changed the host kernel: %q", out)
	}
}

// Escape tried: end the lab (and whatever the engine does with it) by
// killing or stopping its init from inside.
func TestInitIgnoresSignalsFromInside(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	run(t, l, "for s in TERM INT HUP QUIT USR1 USR2 ALRM TSTP TTIN TTOU STOP KILL; do kill -$s 1; done; sleep 0.1")
	select {
	case <-l.Done():
		t.Fatal("signals from inside ended the lab")
	default:
	}
	if out, _ := run(t, l, "echo alive"); out != "alive" {
		t.Errorf("lab answers %q after signals to its init", out)
	}
	// The lab's processes get default dispositions, not init's.
	if out, _ := run(t, l, "exec 2>/dev/null; sleep 100 & kill -TERM $!; wait $!; echo $?"); out != "143" {
		t.Errorf("SIGTERM to a lab process: %q, want 143", out)
	}
}

// Escape tried: reach the kernel interfaces no lesson needs (keyrings
// shared with the machine, BPF, perf, userfaultfd, io_uring, module
// loading, file handles), with the native calls and through the x32 ABI.
func TestSeccompDeniesDangerousCalls(t *testing.T) {
	testenv.RequireCommand(t, "perl", "perl-base")
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	calls := map[string]uintptr{
		"keyctl": unix.SYS_KEYCTL, "add_key": unix.SYS_ADD_KEY, "bpf": unix.SYS_BPF,
		"perf_event_open": unix.SYS_PERF_EVENT_OPEN, "userfaultfd": unix.SYS_USERFAULTFD,
		"io_uring_setup": unix.SYS_IO_URING_SETUP, "finit_module": unix.SYS_FINIT_MODULE,
		"open_by_handle_at": unix.SYS_OPEN_BY_HANDLE_AT,
	}
	if runtime.GOARCH == "amd64" {
		calls["x32 getpid"] = 0x40000000 + unix.SYS_GETPID
	}
	for name, nr := range calls {
		// perl's syscall() makes any system call; $! is its errno.
		script := fmt.Sprintf(`perl -e 'syscall(%d, 0, 0, 0, 0, 0); print $!+0'`, nr)
		if out, _ := run(t, l, script); out != strconv.Itoa(int(unix.ENOSYS)) {
			t.Errorf("%s: errno %q, want ENOSYS (%d)", name, out, unix.ENOSYS)
		}
	}
	// Ordinary calls still work.
	if out, _ := run(t, l, fmt.Sprintf(`perl -e 'print syscall(%d) > 0 ? "ok" : "no"'`, unix.SYS_GETPID)); out != "ok" {
		t.Errorf("getpid through perl: %q", out)
	}
}
