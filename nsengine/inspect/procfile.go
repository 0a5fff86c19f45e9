//go:build linux

package inspect

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// fileReader reads small procfs files into one reused buffer, with the
// three system calls a read needs (os.ReadFile adds an fstat and an
// allocation per file, which adds up across a lab's processes).
type fileReader struct {
	buf []byte
}

// read returns the whole file. The bytes are valid until the next read.
func (r *fileReader) read(path string) ([]byte, error) {
	return r.readAt(unix.AT_FDCWD, path)
}

// readAt is read of a path relative to the directory dirfd.
func (r *fileReader) readAt(dirfd int, path string) ([]byte, error) {
	fd, err := unix.Openat(dirfd, path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer unix.Close(fd)
	if r.buf == nil {
		r.buf = make([]byte, 16<<10)
	}
	n := 0
	for {
		if n == len(r.buf) {
			if len(r.buf) >= maxProcFile {
				return nil, fmt.Errorf("read %s: longer than %d bytes", path, maxProcFile)
			}
			r.buf = append(r.buf, make([]byte, len(r.buf))...)
		}
		m, err := unix.Read(fd, r.buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if m == 0 {
			return r.buf[:n], nil
		}
		n += m
	}
}

// maxProcFile bounds what one procfs file may cost; a mount table of a
// lab that mounted without end is cut off by an error, not by memory.
const maxProcFile = 16 << 20

// errEnded is for a process found ending by what it shows.
var errEnded = fmt.Errorf("process ended: %w", unix.ESRCH)

// gone reports whether err means that the process went away while it was
// read: such processes are left out of the snapshot, never an error.
func gone(err error) bool {
	return errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH)
}
