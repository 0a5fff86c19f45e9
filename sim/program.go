package sim

import (
	"fmt"
	"io"
	"path"
	"strings"
)

// Program is a simulated executable: it runs in its task's goroutine and
// returns the exit status.
type Program func(p *Proc) int

// Proc is what a program sees of its process: arguments, environment,
// standard streams, and the system calls of the simulated kernel.
type Proc struct {
	T    *Task
	K    *Kernel
	Args []string // Args[0] is the name the program was called by
}

// Stdin, Stdout and Stderr are descriptors 0, 1 and 2.
func (p *Proc) Stdin() io.Reader  { return fdReader{p.T, 0} }
func (p *Proc) Stdout() io.Writer { return fdWriter{p.T, 1} }
func (p *Proc) Stderr() io.Writer { return fdWriter{p.T, 2} }

// Printf writes to standard output.
func (p *Proc) Printf(format string, a ...any) { fmt.Fprintf(p.Stdout(), format, a...) }

// Errorf writes to standard error.
func (p *Proc) Errorf(format string, a ...any) { fmt.Fprintf(p.Stderr(), format, a...) }

// Getenv returns an environment variable.
func (p *Proc) Getenv(name string) string {
	for _, kv := range p.T.env {
		if strings.HasPrefix(kv, name+"=") {
			return kv[len(name)+1:]
		}
	}
	return ""
}

// ReadFile reads a whole file as p's task would.
func (p *Proc) ReadFile(name string) ([]byte, error) { return p.K.readFile(p.T, name) }

// WriteFile writes data to a file as one write(2), creating it if needed.
func (p *Proc) WriteFile(name string, data []byte) error {
	f, err := p.K.open(p.T, name, openWrite|openCreate|openTrunc)
	if err != nil {
		return err
	}
	fd := p.T.freeFD(3)
	p.T.fds[fd] = f
	defer p.T.closeFD(fd)
	_, err = p.T.Write(fd, data)
	return err
}

// errExecNotFound is execve's ENOENT for a name PATH does not resolve.
var errExecNotFound = ENOENT

// findExecutable resolves a command name through PATH, as execvp does.
func (k *Kernel) findExecutable(t *Task, name string) (string, *inode, error) {
	if strings.Contains(name, "/") {
		r, err := k.lookup(t, name, true)
		if err != nil {
			return "", nil, err
		}
		if r.node.isDir() {
			return "", nil, EACCES
		}
		if r.node.perm&0o111 == 0 || !k.mayAccess(t, r.node, mayExec) {
			return "", nil, EACCES
		}
		return name, r.node, nil
	}
	pathVar := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for _, kv := range t.env {
		if strings.HasPrefix(kv, "PATH=") {
			pathVar = kv[5:]
		}
	}
	for _, dir := range strings.Split(pathVar, ":") {
		if dir == "" {
			dir = "."
		}
		full := path.Join(dir, name)
		r, err := k.lookup(t, full, true)
		if err == nil && !r.node.isDir() && r.node.perm&0o111 != 0 {
			return full, r.node, nil
		}
	}
	return "", nil, errExecNotFound
}

// execve replaces t's program with the one at file (already resolved).
// On success it does not return: the new program runs and the task exits
// with its status.
func (k *Kernel) execve(t *Task, file string, node *inode, argv []string) error {
	prog := k.programs[node.program]
	if prog == nil {
		// A script: "#!interpreter [arg]" runs the interpreter with the
		// script's path (binfmt_script).
		if !strings.HasPrefix(string(node.data), "#!") {
			return Errno(8) // ENOEXEC
		}
		line, _, _ := strings.Cut(string(node.data[2:]), "\n")
		f := strings.Fields(line)
		if len(f) == 0 {
			return Errno(8)
		}
		ifile, inode, err := k.findExecutable(t, f[0])
		if err != nil {
			return err
		}
		iargv := append([]string{f[0]}, f[1:]...)
		iargv = append(iargv, file)
		iargv = append(iargv, argv[1:]...)
		prog = k.programs[inode.program]
		if prog == nil {
			return Errno(8)
		}
		missing, err := k.elfLoad(t, inode)
		if err != nil {
			return err
		}
		if missing != "" {
			prog = elfLoadFailure(iargv[0], missing)
		}
		k.enterTimeNSOnExec(t)
		if r, err := k.lookup(t, ifile, true); err == nil {
			t.exe = r.path
		}
		t.comm = path.Base(file)
		t.argv = iargv
		t.creds = t.creds.afterExec()
		t.handled = map[int]bool{}
		status := prog(&Proc{T: t, K: k, Args: iargv})
		panic(exitPanic{status: status})
	}
	missing, err := k.elfLoad(t, node)
	if err != nil {
		return err
	}
	if missing != "" {
		prog = elfLoadFailure(argv[0], missing)
	}
	k.enterTimeNSOnExec(t)
	if r, err := k.lookup(t, file, true); err == nil {
		t.exe = r.path
	}
	t.comm = path.Base(file)
	if len(t.comm) > 15 {
		t.comm = t.comm[:15]
	}
	t.argv = append([]string(nil), argv...)
	t.creds = t.creds.afterExec()
	// Caught signals return to their default action across execve(2).
	t.handled = map[int]bool{}
	status := prog(&Proc{T: t, K: k, Args: t.argv})
	panic(exitPanic{status: status})
}

// freeFD returns the lowest free descriptor at or above min.
func (t *Task) freeFD(min int) int {
	for fd := min; ; fd++ {
		if t.fds[fd] == nil {
			return fd
		}
	}
}

// open flags.
const (
	openRead = 1 << iota
	openWrite
	openCreate
	openTrunc
	openAppend
)

// open opens a file for t.
func (k *Kernel) open(t *Task, name string, flags int) (*File, error) {
	if f, ok, err := k.openNS(t, name, flags); ok {
		return f, err
	}
	r, err := k.lookup(t, name, true)
	if err == ENOENT && flags&openCreate != 0 && r.parent != nil {
		if r.mnt.ro() {
			return nil, EROFS
		}
		if r.mnt.sb.fstype == "proc" || r.mnt.sb.fstype == "sysfs" {
			return nil, ENOENT
		}
		if !k.mayWrite(t, r.parent) {
			return nil, EACCES
		}
		dir := r.parent
		if dir.ovl != nil {
			dir = k.ovlCreateDir(dir.ovl, r.name)
		}
		n := r.mnt.sb.newInode(kindFile, 0o666&^t.umask)
		n.uid, n.gid = t.creds.FSUID, t.creds.FSGID
		n.mtime = k.now
		dir.children[r.name] = n
		return &File{refs: 1, node: n, sb: r.mnt.sb, appendTo: flags&openAppend != 0}, nil
	}
	if err != nil {
		return nil, err
	}
	n := r.node
	if n.isDir() && flags&openWrite != 0 {
		return nil, EISDIR
	}
	if err := mayOpenDev(r); err != nil {
		return nil, err
	}
	want := uint32(0)
	if flags&openRead != 0 {
		want |= mayRead
	}
	if flags&openWrite != 0 {
		want |= mayWrite
	}
	if !k.mayAccess(t, n, want) {
		return nil, EACCES
	}
	if n.devNull {
		return &File{refs: 1, devNull: true}, nil
	}
	if n.gen != nil || n.write != nil {
		f := &File{refs: 1, synthetic: true}
		if n.gen != nil && flags&openRead != 0 {
			f.content = []byte(n.gen(t))
		}
		if flags&openWrite != 0 {
			if n.write == nil {
				return nil, EACCES
			}
			if n.openCheck != nil {
				if err := n.openCheck(t); err != nil {
					return nil, err
				}
			}
			w := n.write
			f.writeHook = func(data []byte) error { return w(t, data) }
		}
		return f, nil
	}
	if flags&openWrite != 0 && r.mnt.ro() {
		return nil, EROFS
	}
	if flags&openWrite != 0 && r.parent != nil && r.parent.ovl != nil {
		n = k.ovlCopyUp(r.parent.ovl, r.name, n)
	}
	f := &File{refs: 1, node: n, sb: r.mnt.sb, appendTo: flags&openAppend != 0}
	if flags&openTrunc != 0 && flags&openWrite != 0 {
		r.mnt.sb.used -= int64(pageBytes(len(n.data)))
		n.data = nil
	}
	return f, nil
}

// ro reports whether a mount is read-only.
func (m *Mount) ro() bool { return strings.HasPrefix(m.opts, "ro") || m.sb.readOnly }

// readFile reads a whole file for t.
func (k *Kernel) readFile(t *Task, name string) ([]byte, error) {
	r, err := k.lookup(t, name, true)
	if err != nil {
		return nil, err
	}
	if r.node.isDir() {
		return nil, EISDIR
	}
	if err := mayOpenDev(r); err != nil {
		return nil, err
	}
	if !k.mayAccess(t, r.node, mayRead) {
		return nil, EACCES
	}
	if r.node.gen != nil {
		return []byte(r.node.gen(t)), nil
	}
	return append([]byte(nil), r.node.data...), nil
}

// enterTimeNSOnExec moves a task that unshared a time namespace into it
// when it execs, as the kernel's exec_task_namespaces does.
func (k *Kernel) enterTimeNSOnExec(t *Task) {
	if t.ns.timeForChildren != nil && t.ns.timeForChildren != t.ns.time {
		p := t.ns
		p.time = t.ns.timeForChildren
		p.time.frozen = true
		t.setNS(p, t.creds)
		k.collectNamespaces()
	}
}
