//go:build linux

package inspect

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/nsstate"
	"golang.org/x/sys/unix"
)

// cgroup2Root finds a mounted cgroup v2 hierarchy: /sys/fs/cgroup on a
// unified machine, /sys/fs/cgroup/unified on a hybrid one.
func cgroup2Root(t *testing.T) string {
	for _, dir := range []string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified"} {
		var st unix.Statfs_t
		if unix.Statfs(dir, &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
			return dir
		}
	}
	testenv.Missing(t, "a cgroup v2 hierarchy", "mount cgroup2 at /sys/fs/cgroup or /sys/fs/cgroup/unified")
	return ""
}

// TestSnapshotCgroup runs a lab in a cgroup of its own and moves one of
// its processes into a child cgroup: the snapshot shows paths relative to
// the lab's cgroup, as the lab host's cgroup namespace does.
func TestSnapshotCgroup(t *testing.T) {
	testenv.RequireRoot(t)
	labDir := filepath.Join(cgroup2Root(t), "nslab-inspect-test-"+strconv.Itoa(os.Getpid()))
	inner := filepath.Join(labDir, "inner")
	for _, d := range []string{labDir, inner} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Cleanups run last-in first-out: the lab ends (startLabIn's cleanup)
	// before its cgroups go.
	t.Cleanup(func() {
		for _, d := range []string{inner, labDir} {
			if err := os.Remove(d); err != nil {
				t.Errorf("remove cgroup: %v", err)
			}
		}
	})
	fd, err := unix.Open(labDir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	l := startLabIn(t, fd, "sleep 1001 &\nsleep 1002 &")
	opts := Options{InitPID: l.init}
	snapshotWhen(t, opts, func(s *nsstate.Snapshot) bool { return bySleep(s, "1002") != nil })

	sc := &scan{procfs: "/proc", sp: newSpend(Budget{})}
	if _, err := sc.run(opts); err != nil {
		t.Fatal(err)
	}
	moved := 0
	for _, p := range sc.procs {
		if slices.Equal(p.cmdline, []string{"sleep", "1002"}) {
			moved = p.real
		}
	}
	if err := os.WriteFile(filepath.Join(inner, "cgroup.procs"), []byte(strconv.Itoa(moved)), 0); err != nil {
		t.Fatalf("move sleep 1002 (pid %d) into %s: %v", moved, inner, err)
	}
	s := snapshotWhen(t, opts, func(s *nsstate.Snapshot) bool { return bySleep(s, "1002").Cgroup != "/" })
	for _, p := range s.Processes {
		want := "/"
		if slices.Equal(p.Cmdline, []string{"sleep", "1002"}) {
			want = "/inner"
		}
		if p.Cgroup != want {
			t.Errorf("process %d %v: cgroup %q, want %q", p.PID, p.Cmdline, p.Cgroup, want)
		}
	}
}
