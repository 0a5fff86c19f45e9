//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pageCacheProbe is the attack helper's pagecache: it maps path and asks
// mincore how many of its pages are in the page cache, then asks
// cachestat the same, and prints "mincore N cachestat M", each N and M a
// page count or eERRNO.
func pageCacheProbe(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	out := "mincore "
	if n, err := residentPages(f, st.Size()); err != nil {
		out += "e" + errnoOf(err)
	} else {
		out += strconv.Itoa(n)
	}
	// struct cachestat_range { __u64 off, len; } and struct cachestat
	// { __u64 nr_cache, nr_dirty, nr_writeback, nr_evicted,
	// nr_recently_evicted; }: len 0 is the whole file.
	var rng [2]uint64
	var cs [5]uint64
	_, _, e := unix.Syscall6(unix.SYS_CACHESTAT, f.Fd(), uintptr(unsafe.Pointer(&rng)), uintptr(unsafe.Pointer(&cs)), 0, 0, 0)
	if e != 0 {
		return out + " cachestat e" + strconv.Itoa(int(e)), nil
	}
	return out + " cachestat " + strconv.FormatUint(cs[0], 10), nil
}

// residentPages maps f's size bytes and counts the pages mincore says
// are in the page cache.
func residentPages(f *os.File, size int64) (int, error) {
	m, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return 0, fmt.Errorf("mmap: %w", err)
	}
	defer unix.Munmap(m)
	vec := make([]byte, (len(m)+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		return 0, e
	}
	n := 0
	for _, b := range vec {
		n += int(b & 1)
	}
	return n, nil
}

// quietSystemFile is a file of the machine's /usr/share that the lab
// shows (through the idmapped /usr) and that nothing else is likely to
// read meanwhile: the first one found of 16 pages or more.
func quietSystemFile(t *testing.T) string {
	t.Helper()
	var found string
	stop := errors.New("found")
	filepath.WalkDir("/usr/share", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Size() >= 16*int64(os.Getpagesize()) {
			found = p
			return stop
		}
		return nil
	})
	if found == "" {
		t.Fatal("no file of 16 pages or more under /usr/share to watch")
	}
	return found
}

// Escape tried: spy on what the machine and the other labs run, page by
// page, through the page cache they share with the lab: mincore (and
// cachestat) tell which pages of a file are cached. The kernel answers
// mincore truly only to a file's owner or to whom may write it, and the
// idmapped system folders make the lab's root the owner of the machine's
// files. The test empties the page cache of a system file, has the lab
// look, reads the file on the machine, and has the lab look again.
func TestAttackPageCacheSpy(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	path := quietSystemFile(t)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Fatalf("empty the page cache of %s: %v", path, err)
	}
	if n, err := residentPages(f, st.Size()); err != nil || n != 0 {
		t.Fatalf("the machine cannot empty the page cache of %s (%d pages stay, %v): nothing to watch", path, n, err)
	}
	before := runAttack(t, l, "h pagecache "+path)
	if _, err := io.Copy(io.Discard, f); err != nil {
		t.Fatal(err)
	}
	after := runAttack(t, l, "h pagecache "+path)
	t.Logf("%s, %d bytes: the lab saw %q, then %q after the machine read it", path, st.Size(), before, after)
	b, a := strings.Fields(before), strings.Fields(after)
	if len(b) != 4 || len(a) != 4 {
		t.Fatalf("attack output %q, %q", before, after)
	}
	for i, call := range []string{"mincore", "cachestat"} {
		v := 2*i + 1
		if !strings.HasPrefix(b[v], "e") && b[v] != a[v] {
			t.Errorf("ATTACK WORKED: %s shows the machine's reads of %s in the lab: %s, then %s pages cached", call, path, b[v], a[v])
		}
	}
	afterAttack(t, e, other)
}
