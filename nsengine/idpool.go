//go:build linux

package nsengine

import (
	"github.com/nslab/nslab/nsstate"

	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Every lab maps its IDs 0–65535 onto a range of 65536 unprivileged host
// IDs. The ranges come from a pool high above any real user: slot N covers
// [base + N·65536, base + (N+1)·65536).
const (
	// DefaultIDPoolBase is the first host ID of the pool.
	DefaultIDPoolBase = nsstate.LabIDBase
	// DefaultMaxLabs is how many slots the pool has, so how many labs can
	// live on one machine at once (across every nslab process).
	DefaultMaxLabs = 1024
	idRangeSize    = nsstate.LabIDCount
)

// idPool hands out slots. A slot is held by an flock on its lock file in the
// state folder, so two nslab processes on one machine never share a range,
// and a crashed process's slots become free again by themselves (the kernel
// drops its locks).
type idPool struct {
	dir   string
	base  uint32
	slots int
	// taken marks slots whose range overlaps a real user or group, or a
	// subordinate range of /etc/subuid or /etc/subgid.
	taken map[int]bool
	next  atomic.Int64 // where acquire starts looking
}

func newIDPool(stateDir string, base uint32, slots int) (*idPool, error) {
	if uint64(base)+uint64(slots)*idRangeSize > 1<<32-1 {
		return nil, fmt.Errorf("id pool: %d slots from %d pass the largest ID", slots, base)
	}
	dir := filepath.Join(stateDir, "slots")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("id pool: %w", err)
	}
	p := &idPool{dir: dir, base: base, slots: slots, taken: map[int]bool{}}
	for _, r := range realIDRanges() {
		p.reserve(r[0], r[1])
	}
	return p, nil
}

// reserve marks the slots that overlap [start, start+count).
func (p *idPool) reserve(start, count uint64) {
	end := uint64(p.base) + uint64(p.slots)*idRangeSize
	if count == 0 || start >= end || start+count <= uint64(p.base) {
		return
	}
	first := int(0)
	if start > uint64(p.base) {
		first = int((start - uint64(p.base)) / idRangeSize)
	}
	last := int((min(start+count, end) - 1 - uint64(p.base)) / idRangeSize)
	for s := first; s <= last; s++ {
		p.taken[s] = true
	}
}

// realIDRanges lists the host IDs that real users, groups and their
// subordinate ranges have, as [start, count] pairs. A lab must never map
// onto them: the lab's root would own that user's files.
func realIDRanges() [][2]uint64 {
	var out [][2]uint64
	// name:passwd:UID:GID:… and name:passwd:GID:…
	for file, fields := range map[string][]int{"/etc/passwd": {2, 3}, "/etc/group": {2}} {
		eachLine(file, func(f []string) {
			for _, i := range fields {
				if i < len(f) {
					if id, err := strconv.ParseUint(f[i], 10, 32); err == nil {
						out = append(out, [2]uint64{id, 1})
					}
				}
			}
		})
	}
	// name:start:count
	for _, file := range []string{"/etc/subuid", "/etc/subgid"} {
		eachLine(file, func(f []string) {
			if len(f) < 3 {
				return
			}
			start, err1 := strconv.ParseUint(f[1], 10, 32)
			count, err2 := strconv.ParseUint(f[2], 10, 32)
			if err1 == nil && err2 == nil {
				out = append(out, [2]uint64{start, count})
			}
		})
	}
	return out
}

// eachLine calls fn with the colon-separated fields of each line of a file;
// a missing file has no lines.
func eachLine(file string, fn func([]string)) {
	f, err := os.Open(file)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fn(strings.Split(line, ":"))
	}
}

// slotLock is a held slot.
type slotLock struct {
	slot int
	path string
	f    *os.File
}

func (p *idPool) lockPath(slot int) string {
	return filepath.Join(p.dir, strconv.Itoa(slot)+".lock")
}

// idBase is the first host ID of a slot's range.
func (p *idPool) idBase(slot int) uint32 {
	return p.base + uint32(slot)*idRangeSize
}

// acquire takes a free slot. It looks from just after the slot it took
// last, so with many labs alive it does not knock on every held slot's
// lock first.
func (p *idPool) acquire() (*slotLock, error) {
	start := int(p.next.Load())
	for i := 0; i < p.slots; i++ {
		s := (start + i) % p.slots
		if p.taken[s] {
			continue
		}
		l, err := p.tryLock(s)
		if err != nil {
			return nil, err
		}
		if l != nil {
			p.next.Store(int64((s + 1) % p.slots))
			return l, nil
		}
	}
	return nil, fmt.Errorf("id pool: all %d lab slots are in use", p.slots)
}

// tryLock takes slot s if it is free; it returns nil, nil if it is held.
func (p *idPool) tryLock(s int) (*slotLock, error) {
	path := p.lockPath(s)
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("id pool: lock slot %d: %w", s, err)
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, nil
			}
			return nil, fmt.Errorf("id pool: lock slot %d: %w", s, err)
		}
		// The holder removes the file before it lets go, so a lock on a
		// file that is no longer at path is a lock on nothing: try again.
		var held, now unix.Stat_t
		if unix.Fstat(int(f.Fd()), &held) == nil && unix.Stat(path, &now) == nil &&
			held.Ino == now.Ino && held.Dev == now.Dev {
			return &slotLock{slot: s, path: path, f: f}, nil
		}
		f.Close()
	}
}

// release removes the lock file, then lets go of the slot.
func (l *slotLock) release() {
	os.Remove(l.path)
	l.f.Close()
}
