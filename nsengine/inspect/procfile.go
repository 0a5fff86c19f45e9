//go:build linux

package inspect

import (
	"bytes"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// fileReader reads small procfs files into one reused buffer, with the
// three system calls a read needs (os.ReadFile adds an fstat and an
// allocation per file, which adds up across a lab's processes).
type fileReader struct {
	buf []byte
	// sp, when set, is charged every byte read.
	sp *spend
}

// read returns the whole file. The bytes are valid until the next read.
func (r *fileReader) read(path string) ([]byte, error) {
	return r.readAt(unix.AT_FDCWD, path)
}

// readAt is read of a path relative to the directory dirfd. A file
// longer than maxProcFile is an error: none of the files read whole can
// grow that long.
func (r *fileReader) readAt(dirfd int, path string) ([]byte, error) {
	b, cut, err := r.readUpTo(dirfd, path, maxProcFile)
	if err == nil && cut {
		err = fmt.Errorf("read %s: longer than %d bytes", path, maxProcFile)
	}
	return b, err
}

// readLines reads at most limit bytes of a file of lines, cut back to the
// last whole line: the bound for files whose length the visitor decides
// (a mount table, the interfaces, IPC objects).
func (r *fileReader) readLines(dirfd int, path string, limit int) ([]byte, bool, error) {
	b, cut, err := r.readUpTo(dirfd, path, limit)
	if cut {
		b = b[:bytes.LastIndexByte(b, '\n')+1]
	}
	return b, cut, err
}

// readUpTo reads at most limit bytes; cut reports that there was more.
func (r *fileReader) readUpTo(dirfd int, path string, limit int) (b []byte, cut bool, err error) {
	return r.readFile(dirfd, path, limit, false)
}

// readShot reads a file that procfs makes whole on the first read:
// status and cgroup are single-record seq files, and cmdline is copied
// until the count or the arguments end. A read shorter than asked is then
// the end, which saves the read that returns 0, one system call in seven
// per process.
func (r *fileReader) readShot(dirfd int, path string, limit int) (b []byte, cut bool, err error) {
	return r.readFile(dirfd, path, limit, true)
}

func (r *fileReader) readFile(dirfd int, path string, limit int, shot bool) (b []byte, cut bool, err error) {
	fd, err := unix.Openat(dirfd, path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, false, fmt.Errorf("open %s: %w", path, err)
	}
	defer unix.Close(fd)
	defer func() {
		if r.sp != nil {
			r.sp.charged(len(b))
		}
	}()
	if r.buf == nil {
		r.buf = make([]byte, 16<<10)
	}
	n := 0
	for {
		if n >= limit {
			// One more byte tells a file of exactly limit bytes from a
			// longer one.
			var one [1]byte
			m, err := unix.Read(fd, one[:])
			return r.buf[:limit], err == nil && m > 0, nil
		}
		if n == len(r.buf) {
			r.buf = append(r.buf, make([]byte, min(len(r.buf), limit-n))...)
		}
		m, err := unix.Read(fd, r.buf[n:min(len(r.buf), limit)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, false, fmt.Errorf("read %s: %w", path, err)
		}
		if m == 0 || (shot && n+m < min(len(r.buf), limit)) {
			return r.buf[:n+m], false, nil
		}
		n += m
	}
}

// maxProcFile bounds a procfs file that is read whole.
const maxProcFile = 16 << 20

// Bounds of what a visitor can make long. Each keeps the snapshot of a
// lab that mounted, or made interfaces or IPC objects, without end to a
// size the server and the browser can carry.
const (
	maxCmdline   = 4 << 10   // bytes of /proc/PID/cmdline, as ps cuts it
	maxMountinfo = 1 << 20   // about 8000 mounts per mount namespace
	maxNetDev    = 256 << 10 // about 2000 interfaces per network namespace
	maxSysvipc   = 256 << 10 // about 1500 objects per kind and IPC namespace
)

// errEnded is for a process found ending by what it shows.
var errEnded = fmt.Errorf("process ended: %w", unix.ESRCH)

// gone reports whether err means that the process went away while it was
// read: such processes are left out of the snapshot, never an error.
func gone(err error) bool {
	return errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH)
}
