//go:build linux

package nsengine

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/internal/testenv"
)

// Each test here names an escape a lab's root might try, tries it from
// inside a lab, and fails loudly if it works.

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

// A binary the labs' IDs could write is refused before any lab runs from
// it (TestAttackOverwriteBinaryThroughProcExe tries the attack).
func TestCheckExeSafeFromLabs(t *testing.T) {
	const lo, hi = DefaultIDPoolBase, DefaultIDPoolBase + 4*idRangeSize
	cases := []struct {
		name     string
		mode     os.FileMode
		uid, gid int
		ok       bool
	}{
		{"root's, 0755", 0o755, 0, 0, true},
		{"writable by everyone", 0o777, 0, 0, false},
		{"owned by a lab's ID", 0o755, lo + 5, 0, false},
		{"group-writable by a lab's group", 0o775, 0, lo + idRangeSize, false},
		{"group a lab's, not writable", 0o755, 0, lo, true},
		{"owned by an ID past the pool", 0o755, hi, 0, true},
	}
	for _, c := range cases {
		f, err := os.CreateTemp(t.TempDir(), "exe")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Chmod(c.mode); err != nil {
			t.Fatal(err)
		}
		if err := f.Chown(c.uid, c.gid); err != nil {
			testenv.Missing(t, "chown", err.Error())
		}
		err = checkExeSafeFromLabs(f, lo, hi)
		f.Close()
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", c.name, err, c.ok)
		}
	}
}
