//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A lab's init is this very binary, re-executed by Spawn with argv ["init"]
// and initEnv set, the control socket as fd 3. It never returns to main.

const (
	initArg0 = "init"
	initEnv  = "NSLAB_LAB_INIT"
	// initProtocol is initEnv's value: the process is exec'd from the
	// engine's own binary, so this marks rather than negotiates.
	initProtocol = "1"
	controlFD    = 3
	exeFD        = 4 // the binary itself, open for exec
)

// isLabInit reports whether this process was started as a lab's init.
func isLabInit() bool {
	return len(os.Args) == 1 && os.Args[0] == initArg0 && os.Getenv(initEnv) == initProtocol
}

// init takes over the process when it is a lab's init. Package init
// functions run on the main thread, and locking it there keeps the lab's
// setup and every fork on that one thread: namespaces set with unshare and
// no_new_privs are per thread, and children inherit the forking thread's.
// Doing it here rather than from main means every binary that links the
// package (the nslab command, the test binaries of nsengine and its users)
// can be a lab's init with no wiring.
func init() {
	if !isLabInit() {
		return
	}
	runtime.LockOSThread()
	// ps in the lab shows PID 1 as init.
	name, _ := unix.BytePtrFromString(initArg0)
	unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(name)), 0, 0, 0)
	os.Exit(runInit())
}

// labInit is the state of a running init.
type labInit struct {
	ctl *net.UnixConn
	rcv *receiver
	dev labDevices

	// mu serialises forks with the reaper, so that a child that ends at
	// once is known before its exit is looked up, and replies go out in
	// order (started before exit).
	mu    sync.Mutex
	procs map[int]bool // PIDs init started and has not reaped
}

func runInit() int {
	unix.Close(exeFD)
	closeInheritedFDs()
	f := os.NewFile(controlFD, "control")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return 1
	}
	ctl := c.(*net.UnixConn)
	in := &labInit{ctl: ctl, rcv: newReceiver(ctl), procs: map[int]bool{}}
	in.handleSignals()

	// The engine says go once init is in the lab's cgroups, so nothing
	// init does escapes the lab's limits.
	m, files, err := in.rcv.receive()
	closeFiles(files)
	if err != nil || m.Op != opGo || m.Setup == nil {
		return 1
	}
	listener, err := setupLab(*m.Setup)
	if err != nil {
		send(in.ctl, message{Op: opError, Err: err.Error()})
		return 1
	}
	if in.dev, err = openLabDevices(); err != nil {
		send(in.ctl, message{Op: opError, Err: "set up lab: " + err.Error()})
		return 1
	}
	// The listener goes to the engine and leaves init before any lab
	// process exists: the lab's root can ptrace init and take its
	// descriptors, and with the listener it could answer its own calls.
	err = send(in.ctl, message{Op: opReady}, listener)
	unix.Close(listener)
	if err != nil {
		return 1
	}
	in.serve()
	// The engine has gone: returning ends PID 1, and the kernel kills the
	// whole lab with it.
	return 0
}

// handleSignals sets init's signal handling up: default dispositions for
// the signals that would end or stop it (see defaultSignalDispositions)
// and SIGCHLD for the reaper. One Notify only: each costs the runtime a
// round trip between threads.
func (in *labInit) handleSignals() {
	defaultSignalDispositions()
	chld := make(chan os.Signal, 1)
	signal.Notify(chld, syscall.SIGCHLD)
	go in.reap(chld)
}

// reap is PID 1's duty: it waits for every child, orphans included, and
// reports the ends of the processes the engine started. It alone calls
// wait, so statuses are never stolen.
func (in *labInit) reap(chld <-chan os.Signal) {
	for range chld {
		for {
			var ws unix.WaitStatus
			pid, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
			if err == unix.EINTR {
				continue
			}
			if err != nil || pid <= 0 {
				break
			}
			in.mu.Lock()
			if in.procs[pid] {
				delete(in.procs, pid)
				send(in.ctl, message{Op: opExit, PID: pid, Status: exitStatus(ws)})
			}
			in.mu.Unlock()
		}
	}
}

// exitStatus is a shell's $?: the exit code, or 128+signal.
func exitStatus(ws unix.WaitStatus) int {
	if ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}

// serve handles the engine's requests until the control socket closes.
func (in *labInit) serve() {
	for {
		m, files, err := in.rcv.receive()
		if errors.Is(err, errBadMessage) {
			send(in.ctl, message{Op: opError, ID: m.ID, Err: err.Error()})
			continue
		}
		if err != nil {
			return
		}
		switch m.Op {
		case opStart:
			in.start(m, files)
		case opSignal, opSignalGroup:
			in.mu.Lock()
			// Only processes init started and has not reaped: a PID
			// that was reused belongs to someone else. Each started in a
			// session of its own, so while it lives its PID is its
			// group's ID too.
			if in.procs[m.PID] && m.PID > 1 && m.Signal > 0 && m.Signal < 65 {
				pid := m.PID
				if m.Op == opSignalGroup {
					pid = -pid
				}
				unix.Kill(pid, unix.Signal(m.Signal))
			}
			in.mu.Unlock()
		default:
			send(in.ctl, message{Op: opError, ID: m.ID, Err: "unknown op " + m.Op})
		}
		closeFiles(files)
	}
}

// start forks a process of the lab host and replies started or error. The
// fds in files are the process's stdio in the order m.Stdio gives.
func (in *labInit) start(m message, files []*os.File) {
	fail := func(err error) {
		send(in.ctl, message{Op: opError, ID: m.ID, Err: err.Error()})
	}
	if len(m.Argv) == 0 {
		fail(fmt.Errorf("start: empty command"))
		return
	}
	env := m.Env
	if env == nil {
		env = DefaultEnv()
	}
	dir := m.Dir
	if dir == "" {
		dir = "/root"
	}
	path, err := lookPath(m.Argv[0], env, dir)
	if err != nil {
		fail(err)
		return
	}
	var stdio [3]*os.File
	next := 0
	for i, has := range m.Stdio {
		if has {
			if next >= len(files) {
				fail(fmt.Errorf("start: stdio fds missing"))
				return
			}
			stdio[i] = files[next]
			next++
		}
	}
	var master *os.File
	sys := &syscall.SysProcAttr{Setsid: true}
	if m.PTY {
		var slave *os.File
		master, slave, err = openPTY(in.dev.devpts, m.Rows, m.Cols)
		if err != nil {
			fail(err)
			return
		}
		defer master.Close()
		defer slave.Close()
		stdio = [3]*os.File{slave, slave, slave}
		sys.Setctty, sys.Ctty = true, 0
	}
	for i := range stdio {
		if stdio[i] == nil {
			stdio[i] = in.dev.null
		}
	}
	attr := &syscall.ProcAttr{
		Dir:   dir,
		Env:   env,
		Files: []uintptr{stdio[0].Fd(), stdio[1].Fd(), stdio[2].Fd()},
		Sys:   sys,
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	pid, err := forkPreferredForOOM(func() (int, error) { return syscall.ForkExec(path, m.Argv, attr) })
	if err != nil {
		fail(fmt.Errorf("start %s: %w", m.Argv[0], err))
		return
	}
	in.procs[pid] = true
	reply := message{Op: opStarted, ID: m.ID, PID: pid}
	if master != nil {
		send(in.ctl, reply, int(master.Fd()))
		return
	}
	send(in.ctl, reply)
}

// lookPath finds a command the way a shell would with the lab's PATH.
func lookPath(name string, env []string, dir string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	for _, d := range filepath.SplitList(path) {
		if d == "" {
			d = "."
		}
		p := filepath.Join(d, name)
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && unix.Access(p, unix.X_OK) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("start %s: command not found", name)
}

// openPTY makes a PTY in the lab's own devpts, so the process sees
// /dev/pts/0 and the lab's ptys only. It opens through init's descriptor
// of that devpts, never through paths the lab's root may have replaced.
func openPTY(devpts int, rows, cols uint16) (master, slave *os.File, err error) {
	mfd, err := unix.Openat(devpts, "ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("pty: %w", err)
	}
	master = os.NewFile(uintptr(mfd), "ptmx")
	if err := unix.IoctlSetPointerInt(mfd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("pty: unlock: %w", err)
	}
	n, err := unix.IoctlGetUint32(mfd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("pty: number: %w", err)
	}
	if rows > 0 && cols > 0 {
		unix.IoctlSetWinsize(mfd, unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
	}
	sfd, err := unix.Openat(devpts, strconv.FormatUint(uint64(n), 10), unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("pty: %w", err)
	}
	return master, os.NewFile(uintptr(sfd), "pts"), nil
}
