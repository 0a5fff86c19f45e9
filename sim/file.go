package sim

import (
	"io"
)

// File is an open file description: a pipe end, a terminal, a regular
// file of the simulated file system, or a writer/reader of the world
// outside the lab (the output of `nslab sim`).
type File struct {
	refs int

	pipe     *pipe
	readEnd  bool
	tty      *tty
	out      io.Writer   // outside writer
	in       io.Reader   // outside reader
	node     *inode      // regular file
	sb       *superblock // the file's file system, for its size limit
	appendTo bool
	offset   int
	devNull  bool
	// writeHook receives whole writes to synthetic files (procfs).
	writeHook func(data []byte) error
	// content is the rendered text of a synthetic file, read from offset.
	content   []byte
	synthetic bool
	// ns is the namespace of an open nsfs file (/proc/PID/ns/TYPE or a
	// file one is bound on): the descriptor keeps it alive.
	ns Namespace
}

func (f *File) dup() *File {
	f.refs++
	return f
}

// pipe is a pipe(2): a bounded buffer between writers and readers.
type pipe struct {
	buf              []byte
	readers, writers int
}

// pipeCapacity is the kernel's default pipe size.
const pipeCapacity = 65536

// newPipe returns the read and write ends of a new pipe.
func newPipe() (r, w *File) {
	p := &pipe{readers: 1, writers: 1}
	return &File{refs: 1, pipe: p, readEnd: true}, &File{refs: 1, pipe: p}
}

// closeFD closes descriptor fd of t.
func (t *Task) closeFD(fd int) {
	f := t.fds[fd]
	if f == nil {
		return
	}
	delete(t.fds, fd)
	f.refs--
	if f.refs > 0 {
		return
	}
	if f.ns != nil {
		// The last descriptor of an nsfs file may have held its namespace.
		t.k.collectNamespaces()
	}
	if f.pipe != nil {
		if f.readEnd {
			f.pipe.readers--
		} else {
			f.pipe.writers--
		}
	}
}

// setFD installs f as fd, closing what was there.
func (t *Task) setFD(fd int, f *File) {
	if old := t.fds[fd]; old == f {
		return
	}
	t.closeFD(fd)
	t.fds[fd] = f
}

// Write writes p to descriptor fd of t, blocking on a full pipe. A write
// to a pipe without readers raises SIGPIPE, as the kernel does.
func (t *Task) Write(fd int, p []byte) (int, error) {
	f := t.fds[fd]
	if f == nil {
		return 0, EBADF
	}
	switch {
	case f.devNull:
		return len(p), nil
	case f.pipe != nil:
		if f.readEnd {
			return 0, EBADF
		}
		n := 0
		for n < len(p) {
			pp := f.pipe
			t.block(func() bool { return pp.readers == 0 || len(pp.buf) < pipeCapacity }, 0)
			if pp.readers == 0 {
				t.sendSignal(SIGPIPE)
				t.preemptSignals()
				return n, Errno(32) // EPIPE
			}
			room := pipeCapacity - len(pp.buf)
			chunk := p[n:]
			if len(chunk) > room {
				chunk = chunk[:room]
			}
			pp.buf = append(pp.buf, chunk...)
			n += len(chunk)
		}
		return n, nil
	case f.tty != nil:
		f.tty.output(p)
		return len(p), nil
	case f.out != nil:
		return f.out.Write(p)
	case f.writeHook != nil:
		if err := f.writeHook(p); err != nil {
			return 0, err
		}
		return len(p), nil
	case f.node != nil:
		if f.node.isDir() {
			return 0, EISDIR
		}
		if f.appendTo {
			f.offset = len(f.node.data)
		}
		end := f.offset + len(p)
		if grow := end - len(f.node.data); grow > 0 {
			// A tmpfs holds at most its size=, counted in whole pages:
			// "ENOSPC".
			more := int64(pageBytes(end) - pageBytes(len(f.node.data)))
			if f.sb != nil && f.sb.limit > 0 && f.sb.used+more > f.sb.limit {
				return 0, ENOSPC
			}
			if f.sb != nil {
				f.sb.used += more
			}
			f.node.data = append(f.node.data, make([]byte, grow)...)
		}
		copy(f.node.data[f.offset:], p)
		f.offset = end
		f.node.mtime = t.k.now
		return len(p), nil
	}
	return 0, EBADF
}

// preemptSignals ends the task at once when a fatal signal is pending.
func (t *Task) preemptSignals() {
	if sig := t.pendingFatal(); sig != 0 && !t.exiting {
		panic(killedPanic{sig: sig})
	}
}

// Read reads from descriptor fd of t into p, blocking on an empty pipe or
// a terminal without input. It returns io.EOF at end of file.
func (t *Task) Read(fd int, p []byte) (int, error) {
	f := t.fds[fd]
	if f == nil {
		return 0, EBADF
	}
	switch {
	case f.devNull:
		return 0, io.EOF
	case f.pipe != nil:
		if !f.readEnd {
			return 0, EBADF
		}
		pp := f.pipe
		t.block(func() bool { return pp.writers == 0 || len(pp.buf) > 0 }, 0)
		if len(pp.buf) == 0 {
			return 0, io.EOF
		}
		n := copy(p, pp.buf)
		pp.buf = pp.buf[n:]
		if len(pp.buf) == 0 {
			pp.buf = nil
		}
		return n, nil
	case f.tty != nil:
		return f.tty.read(t, p)
	case f.in != nil:
		return f.in.Read(p)
	case f.synthetic:
		if f.offset >= len(f.content) {
			return 0, io.EOF
		}
		n := copy(p, f.content[f.offset:])
		f.offset += n
		return n, nil
	case f.node != nil:
		if f.node.isDir() {
			return 0, EISDIR
		}
		if f.offset >= len(f.node.data) {
			return 0, io.EOF
		}
		n := copy(p, f.node.data[f.offset:])
		f.offset += n
		return n, nil
	}
	return 0, EBADF
}

// fdWriter and fdReader adapt a descriptor to io.Writer and io.Reader for
// the programs of the userland.
type fdWriter struct {
	t  *Task
	fd int
}

func (w fdWriter) Write(p []byte) (int, error) { return w.t.Write(w.fd, p) }

type fdReader struct {
	t  *Task
	fd int
}

func (r fdReader) Read(p []byte) (int, error) { return r.t.Read(r.fd, p) }

// pageBytes rounds a file size up to whole 4 KiB pages.
func pageBytes(n int) int { return (n + 4095) / 4096 * 4096 }
