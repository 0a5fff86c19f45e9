//go:build linux

package inspect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestFileReaderBounds(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var r fileReader
	long := strings.Repeat("line of mountinfo\n", 4000) // 72000 bytes: past the first buffer
	for _, c := range []struct {
		name, content string
		limit         int
		want          string
		wantCut       bool
	}{
		{"short", "a\nb\n", 100, "a\nb\n", false},
		{"exactly the limit", "a\nb\n", 4, "a\nb\n", false},
		{"one past", "a\nb\nc", 4, "a\nb\n", true},
		{"mid-line", "a\nbcdef\n", 4, "a\nbc", true},
		{"long", long, 1 << 20, long, false},
		{"long cut", long, 40000, long[:40000], true},
		{"empty", "", 10, "", false},
	} {
		p := write(c.name, c.content)
		got, cut, err := r.readUpTo(unix.AT_FDCWD, p, c.limit)
		if err != nil || string(got) != c.want || cut != c.wantCut {
			t.Errorf("%s: readUpTo = %d bytes, cut %v, %v; want %d bytes, cut %v", c.name, len(got), cut, err, len(c.want), c.wantCut)
		}
		shot, shotCut, err := r.readShot(unix.AT_FDCWD, p, c.limit)
		if err != nil || string(shot) != c.want || shotCut != c.wantCut {
			t.Errorf("%s: readShot = %d bytes, cut %v, %v; want %d bytes, cut %v", c.name, len(shot), shotCut, err, len(c.want), c.wantCut)
		}
		lines, linesCut, err := r.readLines(unix.AT_FDCWD, p, c.limit)
		if want := c.want; err != nil || linesCut != c.wantCut || (c.wantCut && string(lines) != want[:strings.LastIndexByte(want, '\n')+1]) || (!c.wantCut && string(lines) != want) {
			t.Errorf("%s: readLines = %q, %v", c.name, lines, err)
		}
	}
	// procfs files as the inspector reads them, whole in one read (their
	// counters move between two reads: compare the shape).
	for _, name := range []string{"status", "cgroup", "cmdline"} {
		a, _, err1 := r.readUpTo(unix.AT_FDCWD, "/proc/self/"+name, maxProcFile)
		want := string(a)
		b, _, err2 := r.readShot(unix.AT_FDCWD, "/proc/self/"+name, maxProcFile)
		if err1 != nil || err2 != nil || len(want) == 0 || strings.Count(string(b), "\n") != strings.Count(want, "\n") || len(b) < len(want)*9/10 {
			t.Errorf("/proc/self/%s: readShot %q, readUpTo %q (%v, %v)", name, b, want, err1, err2)
		}
	}
	if _, err := r.read(filepath.Join(dir, "missing")); !gone(err) {
		t.Errorf("a missing file: %v, want an error gone() knows", err)
	}
}
