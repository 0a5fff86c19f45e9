//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/internal/testenv"
)

// readDisk reads count blocks of bs bytes of path and says how many bytes
// it read in how long: "direct" reads in order with O_DIRECT, "random" at
// random block offsets with O_DIRECT, "buffered" in order through the page
// cache after dropping the file's cached pages (which any reader may do),
// so that every read goes to the disk. It wraps around at the end of the
// file. It serves the attack helper in a lab and the same read on the
// real machine.
func readDisk(path string, bs, count int, mode string) (int64, time.Duration, error) {
	flags := unix.O_RDONLY | unix.O_CLOEXEC
	if mode == "direct" || mode == "random" {
		flags |= unix.O_DIRECT
	} else if mode != "buffered" {
		return 0, 0, fmt.Errorf("read-disk: unknown mode %q", mode)
	}
	fd, err := unix.Open(path, flags, 0)
	if err != nil {
		return 0, 0, fmt.Errorf("read-disk: %w", err)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return 0, 0, fmt.Errorf("read-disk: %w", err)
	}
	blocks := st.Size / int64(bs)
	if blocks < 2 {
		return 0, 0, fmt.Errorf("read-disk: %s is smaller than two blocks", path)
	}
	// O_DIRECT wants a buffer aligned to the disk's blocks: a fresh
	// mapping is aligned to a page.
	buf, err := unix.Mmap(-1, 0, bs, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return 0, 0, fmt.Errorf("read-disk: %w", err)
	}
	defer unix.Munmap(buf)
	drop := func() error { return unix.Fadvise(fd, 0, 0, unix.FADV_DONTNEED) }
	if mode == "buffered" {
		if err := drop(); err != nil {
			return 0, 0, fmt.Errorf("read-disk: drop cached pages: %w", err)
		}
	}
	var total int64
	start := time.Now()
	for i := range count {
		block := int64(i) % blocks
		if mode == "random" {
			block = rand.Int64N(blocks)
		}
		if block == 0 && i > 0 && mode == "buffered" {
			if err := drop(); err != nil {
				return 0, 0, fmt.Errorf("read-disk: drop cached pages: %w", err)
			}
		}
		n, err := unix.Pread(fd, buf, block*int64(bs))
		if err != nil {
			return 0, 0, fmt.Errorf("read-disk: %w", err)
		}
		total += int64(n)
	}
	return total, time.Since(start), nil
}

// bigSystemFile finds a file of at least size bytes in the machine's
// /usr that everyone may read, that lies on one of disks, and whose pages
// leave the page cache when asked: a file that a running program maps
// (node, a compiler of a concurrent build) stays cached, and reading it
// measures memory, not the disk. /usr/share comes first: its files are
// data that nothing on a test machine keeps reading.
func bigSystemFile(t *testing.T, size int64, disks []blockDevice) string {
	t.Helper()
	var found string
	for _, root := range []string{"/usr/share", "/usr"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			var st unix.Stat_t
			if unix.Stat(path, &st) != nil || st.Size < size || st.Mode&0o004 == 0 {
				return nil
			}
			disk, ok := wholeDisk(blockDevice{unix.Major(st.Dev), unix.Minor(st.Dev)})
			if !ok || !slices.Contains(disks, disk) || !evictable(path, st.Size) {
				return nil
			}
			found = path
			return filepath.SkipAll
		})
		if found != "" {
			return found
		}
	}
	testenv.Missing(t, fmt.Sprintf("a world-readable file of %d bytes or more in /usr on a disk the engine limits (%v) that no program keeps in the page cache", size, disks), "install a big package (a compiler, node) or run on a machine whose /usr is on a disk")
	return ""
}

// evictable reports whether none of a file's pages stay in the page
// cache after POSIX_FADV_DONTNEED.
func evictable(path string, size int64) bool {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	if unix.Fadvise(fd, 0, 0, unix.FADV_DONTNEED) != nil {
		return false
	}
	m, err := unix.Mmap(fd, 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return false
	}
	defer unix.Munmap(m)
	vec := make([]byte, (int(size)+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		return false
	}
	for _, v := range vec {
		if v&1 != 0 {
			return false
		}
	}
	return true
}

// Escape tried: take the machine's disk by reading the system folders
// through the lab's read-only binds as fast as the disk goes (O_DIRECT,
// random 4 KiB reads, and uncached buffered reads), so that the real
// machine's and the other labs' reads starve. The same read runs on the
// real machine first: it must go well past the lab's limit there (else
// the test could not tell), and the lab's must not.
func TestAttackDiskBandwidth(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	lim := e.cfg.Limits
	if len(e.cgrp.disks) == 0 {
		testenv.Missing(t, "system folders on a block device", "the engine found no disk behind its binds (an overlay or network root?): run on a machine whose /usr is on a disk")
	}
	file := bigSystemFile(t, 16<<20, e.cgrp.disks)
	const seconds = 2 // of reading at the limit, per case
	for _, c := range []struct {
		mode string
		bs   int
		// limit is the most a lab may read per second, in bytes.
		limit float64
	}{
		{"direct", 1 << 20, float64(lim.DiskBytesPerSecond)},
		{"buffered", 1 << 20, float64(lim.DiskBytesPerSecond)},
		{"random", 4096, float64(min(int64(lim.DiskIOPS)*4096, lim.DiskBytesPerSecond))},
	} {
		count := int(seconds * c.limit / float64(c.bs))
		n, d, err := readDisk(file, c.bs, count, c.mode)
		if err != nil {
			t.Fatal(err)
		}
		machine := float64(n) / d.Seconds()
		if machine < 3*c.limit {
			t.Fatalf("the real machine reads %s %s at %.1f MB/s, less than 3 times a lab's limit of %.1f MB/s: the test cannot tell a limited lab from an unlimited one on this disk", c.mode, file, machine/1e6, c.limit/1e6)
		}
		out := runAttack(t, l, fmt.Sprintf("h read-disk %s %d %d %s", file, c.bs, count, c.mode))
		var ln, lns int64
		if _, err := fmt.Sscanf(out, "%d %d", &ln, &lns); err != nil || ln != n {
			t.Fatalf("%s read in the lab: %q, want %d bytes read and a time", c.mode, out, n)
		}
		lab := float64(ln) / time.Duration(lns).Seconds()
		t.Logf("%s reads of %d bytes: the machine %.1f MB/s, the lab %.1f MB/s (limit %.1f MB/s), the machine/lab ratio %.1f", c.mode, c.bs, machine/1e6, lab/1e6, c.limit/1e6, machine/lab)
		if lab > 1.5*c.limit {
			t.Errorf("ATTACK WORKED: the lab read %s at %.1f MB/s, past its limit of %.1f MB/s (the machine: %.1f MB/s)", c.mode, lab/1e6, c.limit/1e6, machine/1e6)
		}
	}
	afterAttack(t, e, other)
}

// The limits land in the lab's cgroup, for every disk behind the binds.
func TestDiskLimitsAreSet(t *testing.T) {
	lim := Limits{DiskBytesPerSecond: 3 << 20, DiskIOPS: 77}
	e := newTestEngine(t, Config{Limits: lim})
	l := spawn(t, e)
	if len(l.cg.disks) == 0 {
		testenv.Missing(t, "system folders on a block device", "the engine found no disk behind its binds (an overlay or network root?): run on a machine whose /usr is on a disk")
	}
	for _, d := range l.cg.disks {
		var want map[string]string
		dir := l.cg.dirs[0]
		if l.cg.v2 {
			want = map[string]string{"io.max": fmt.Sprintf("%s rbps=%d wbps=%d riops=77 wiops=77", d, 3<<20, 3<<20)}
		} else {
			dir = l.cg.dirs[3]
			want = map[string]string{
				"blkio.throttle.read_bps_device": fmt.Sprintf("%s %d", d, 3<<20), "blkio.throttle.write_bps_device": fmt.Sprintf("%s %d", d, 3<<20),
				"blkio.throttle.read_iops_device": d.String() + " 77", "blkio.throttle.write_iops_device": d.String() + " 77",
			}
		}
		for file, line := range want {
			b, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil || !slices.Contains(strings.Split(strings.TrimSpace(string(b)), "\n"), line) {
				t.Errorf("%s: %q, %v; want a line %q", file, b, err, line)
			}
		}
	}
}

// The root file system's disk is found from its mount, as the engine
// finds those of its binds, and is the disk stat reports for /.
func TestDiskOfRootMount(t *testing.T) {
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	var st unix.Stat_t
	if err := unix.Stat("/usr", &st); err != nil {
		t.Fatal(err)
	}
	want, ok := wholeDisk(blockDevice{unix.Major(st.Dev), unix.Minor(st.Dev)})
	if !ok {
		testenv.Missing(t, "/usr on a block device", fmt.Sprintf("/usr is on device %d:%d, which is none: run on a machine whose /usr is on a disk", unix.Major(st.Dev), unix.Minor(st.Dev)))
	}
	// The mount that holds /usr: the longest mount point that is a prefix.
	var usr mountEntry
	for _, m := range mountsUnder(mountinfo, "") {
		p := m.point
		if (p == "/" || p == "/usr" || strings.HasPrefix("/usr", p+"/")) && len(p) >= len(usr.point) {
			usr = m
		}
	}
	if got, ok := diskOf(usr); !ok || got != want {
		t.Errorf("disk of the mount %+v: %v, %v; want %v", usr, got, ok, want)
	}
	if _, ok := wholeDisk(blockDevice{0, 1}); ok {
		t.Error("an anonymous device number (0:1) taken for a disk")
	}
}

func TestMountsUnder(t *testing.T) {
	const mountinfo = `26 1 254:0 / / rw,relatime - ext4 /dev/vda rw
100 26 254:0 /usr /run/nslab-binds/1-ab/usr ro,nosuid,nodev - ext4 /dev/vda rw
101 100 0:45 / /run/nslab-binds/1-ab/usr/local ro - btrfs /dev/sdb2 rw
102 26 0:46 / /run/nslab-binds/1-ab/etc\040x ro - overlay overlay rw,lowerdir=/a
103 26 0:47 / /run/nslab-binds/1-abc ro - tmpfs tmpfs rw
bad line
104 26 x:1 / /run/nslab-binds/1-ab/bad ro - ext4 /dev/vda rw
`
	got := mountsUnder([]byte(mountinfo), "/run/nslab-binds/1-ab")
	want := []mountEntry{
		{blockDevice{254, 0}, "/run/nslab-binds/1-ab/usr", "ext4", "/dev/vda"},
		{blockDevice{0, 45}, "/run/nslab-binds/1-ab/usr/local", "btrfs", "/dev/sdb2"},
		{blockDevice{0, 46}, "/run/nslab-binds/1-ab/etc x", "overlay", "overlay"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDiskIOSettings(t *testing.T) {
	disks := []blockDevice{{254, 0}, {8, 16}}
	lim := Limits{DiskBytesPerSecond: 1000, DiskIOPS: 20}
	if got, want := diskIOSettings(true, disks, lim), []cgroupSetting{
		{"io.max", "254:0 rbps=1000 wbps=1000 riops=20 wiops=20"},
		{"io.max", "8:16 rbps=1000 wbps=1000 riops=20 wiops=20"},
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("v2: %v, want %v", got, want)
	}
	got := diskIOSettings(false, disks, lim)
	if len(got) != 8 || got[0] != (cgroupSetting{"blkio.throttle.read_bps_device", "254:0 1000"}) ||
		got[7] != (cgroupSetting{"blkio.throttle.write_iops_device", "8:16 20"}) {
		t.Errorf("v1: %v", got)
	}
	if got := diskIOSettings(false, nil, lim); len(got) != 0 {
		t.Errorf("no disks: %v", got)
	}
}

// A lab with a limit the disk cannot take stops with an error that names
// the step, and leaves no cgroup behind.
func TestDiskLimitErrorStopsLab(t *testing.T) {
	e := newTestEngine(t, isolated(t.TempDir()))
	g := e.cgrp.lab(e.cfg.MaxLabs - 1)
	g.disks = append(slices.Clone(g.disks), blockDevice{0, 1}) // no such disk
	err := g.create(e.cfg.Limits)
	if err == nil || !strings.Contains(err.Error(), "limit disk I/O") {
		t.Errorf("create with a bad disk: %v, want an error naming the disk limit", err)
	}
	for _, d := range g.dirs {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", d, err)
		}
	}
}

// limitDiskIO writes its rules into the io (v2) or blkio (v1) folder of
// the lab. Plain files stand in for the cgroup files here: each write
// replaces the last, so the last disk's rule is what is left.
func TestLimitDiskIOFolders(t *testing.T) {
	lim := Limits{DiskBytesPerSecond: 5 << 20, DiskIOPS: 50}
	disks := []blockDevice{{8, 0}, {254, 0}}
	v2 := t.TempDir()
	if err := (&labCgroup{v2: true, dirs: []string{v2}, disks: disks}).limitDiskIO(lim); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(v2, "io.max")); string(b) != "254:0 rbps=5242880 wbps=5242880 riops=50 wiops=50" {
		t.Errorf("v2 io.max: %q", b)
	}
	var v1 []string
	for range labControllers {
		v1 = append(v1, t.TempDir())
	}
	if err := (&labCgroup{dirs: v1, disks: disks}).limitDiskIO(lim); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"blkio.throttle.read_bps_device": "254:0 5242880", "blkio.throttle.write_iops_device": "254:0 50",
	} {
		if b, _ := os.ReadFile(filepath.Join(v1[3], file)); string(b) != want {
			t.Errorf("v1 %s: %q, want %q", file, b, want)
		}
	}
	// A folder that cannot take the rules: an error naming the step.
	err := (&labCgroup{v2: true, dirs: []string{filepath.Join(v2, "missing")}, disks: disks}).limitDiskIO(lim)
	if err == nil || !strings.Contains(err.Error(), "limit disk I/O") {
		t.Errorf("no folder: %v", err)
	}
}
