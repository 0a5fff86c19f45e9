//go:build linux

package nsengine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// ProcSpec says how to start a process in a lab.
type ProcSpec struct {
	// Argv is the command and its arguments; Argv[0] is looked up in the
	// lab's PATH.
	Argv []string
	// Env is the environment; nil means DefaultEnv.
	Env []string
	// Dir is the working folder in the lab; "" means /root.
	Dir string
	// Stdin, Stdout and Stderr are passed to the process as they are; nil
	// means the lab's /dev/null. As with os/exec, a file passed here is put
	// in blocking mode.
	Stdin, Stdout, Stderr *os.File
}

// Proc is a process started in a lab.
type Proc struct {
	lab *Lab
	pid int

	once   sync.Once
	done   chan struct{}
	status int
	err    error
}

// PID is the process's PID as the lab host sees it.
func (p *Proc) PID() int { return p.pid }

// Wait waits for the process to end and returns its exit code, or 128+N if
// signal N killed it. If the lab ends first it returns ErrLabEnded.
func (p *Proc) Wait() (status int, err error) {
	<-p.done
	return p.status, p.err
}

func (p *Proc) finish(status int, err error) {
	p.once.Do(func() {
		p.status, p.err = status, err
		close(p.done)
	})
}

// Signal sends sig to the process.
func (p *Proc) Signal(sig syscall.Signal) error {
	select {
	case <-p.done:
		return errors.New("signal: process has ended")
	default:
	}
	if err := send(p.lab.ctl, message{Op: opSignal, PID: p.pid, Signal: int(sig)}); err != nil {
		return fmt.Errorf("signal: %w", ErrLabEnded)
	}
	return nil
}

// SignalGroup sends sig to the process's whole process group: the
// process and whatever it started that stayed in its group (a pipeline,
// a command a non-interactive shell runs). Every lab process starts in a
// session of its own, so its PID is its group's ID. init sends it only
// while the process has not been reaped: once it has, its PID may name
// someone else's group.
func (p *Proc) SignalGroup(sig syscall.Signal) error {
	select {
	case <-p.done:
		return errors.New("signal group: process has ended")
	default:
	}
	if err := send(p.lab.ctl, message{Op: opSignalGroup, PID: p.pid, Signal: int(sig)}); err != nil {
		return fmt.Errorf("signal group: %w", ErrLabEnded)
	}
	return nil
}

// Start starts a process in the lab host, as a child of the lab's init, in
// a session of its own. ctx bounds the starting only; use Signal to end the
// process.
func (l *Lab) Start(ctx context.Context, spec ProcSpec) (*Proc, error) {
	p, _, err := l.start(ctx, spec, false, 0, 0)
	return p, err
}

// StartPTY starts a process on a new PTY of the lab's own devpts (so `tty`
// says /dev/pts/N in the lab), as the leader of a new session with the PTY
// as its controlling terminal, and returns the PTY's master. spec's stdio
// files are ignored. Resize the terminal with TIOCSWINSZ on the master.
func (l *Lab) StartPTY(ctx context.Context, spec ProcSpec, rows, cols uint16) (*Proc, *os.File, error) {
	spec.Stdin, spec.Stdout, spec.Stderr = nil, nil, nil
	return l.start(ctx, spec, true, rows, cols)
}

func (l *Lab) start(ctx context.Context, spec ProcSpec, pty bool, rows, cols uint16) (*Proc, *os.File, error) {
	name := "(none)"
	if len(spec.Argv) > 0 {
		name = spec.Argv[0]
	}
	fail := func(err error) (*Proc, *os.File, error) {
		return nil, nil, fmt.Errorf("start %s in %s: %w", name, l.id, err)
	}
	if len(spec.Argv) == 0 {
		return fail(errors.New("empty command"))
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	m := message{Op: opStart, Argv: spec.Argv, Env: spec.Env, Dir: spec.Dir, PTY: pty, Rows: rows, Cols: cols}
	var fds []int
	for i, f := range []*os.File{spec.Stdin, spec.Stdout, spec.Stderr} {
		if f != nil {
			m.Stdio[i] = true
			fds = append(fds, int(f.Fd()))
		}
	}
	ch := make(chan startReply, 1)
	l.mu.Lock()
	if l.ended {
		l.mu.Unlock()
		return fail(ErrLabEnded)
	}
	l.nextID++
	m.ID = l.nextID
	l.pending[m.ID] = ch
	l.mu.Unlock()
	err := send(l.ctl, m, fds...)
	runtime.KeepAlive(spec.Stdin)
	runtime.KeepAlive(spec.Stdout)
	runtime.KeepAlive(spec.Stderr)
	if err != nil {
		l.mu.Lock()
		delete(l.pending, m.ID)
		l.mu.Unlock()
		return fail(err)
	}
	select {
	case r := <-ch:
		return l.started(r, pty, fail)
	case <-l.done:
		select {
		case r := <-ch:
			closeFiles(r.files)
		default:
		}
		return fail(ErrLabEnded)
	case <-ctx.Done():
		// The request is out: whatever init starts is ended at once.
		go func() {
			select {
			case r := <-ch:
				closeFiles(r.files)
				if r.proc != nil {
					r.proc.Signal(syscall.SIGKILL)
				}
			case <-l.done:
			}
		}()
		return fail(ctx.Err())
	}
}

// started turns init's reply into a Proc (and the PTY master).
func (l *Lab) started(r startReply, pty bool, fail func(error) (*Proc, *os.File, error)) (*Proc, *os.File, error) {
	if r.m.Op == opError {
		closeFiles(r.files)
		return fail(errors.New(r.m.Err))
	}
	if !pty {
		closeFiles(r.files)
		return r.proc, nil, nil
	}
	if len(r.files) != 1 {
		closeFiles(r.files)
		r.proc.Signal(syscall.SIGKILL)
		return fail(errors.New("init sent no PTY master"))
	}
	// A non-blocking copy is pollable, so Close interrupts a Read.
	fd, err := unix.FcntlInt(r.files[0].Fd(), unix.F_DUPFD_CLOEXEC, 0)
	r.files[0].Close()
	if err != nil {
		r.proc.Signal(syscall.SIGKILL)
		return fail(fmt.Errorf("pty master: %w", err))
	}
	unix.SetNonblock(fd, true)
	return r.proc, os.NewFile(uintptr(fd), "ptmx"), nil
}
