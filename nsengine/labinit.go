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
// and initEnv set, the control socket as fd 3. It runs in two stages, each
// a fresh image of the binary: the setup stage builds and hardens the lab,
// then re-executes itself (see reexecHardened) as the hardened stage, which
// serves the engine until the lab ends. Neither returns to main.

const (
	initArg0 = "init"
	initEnv  = "NSLAB_LAB_INIT"
	// initProtocol is initEnv's value for the setup stage: the process is
	// exec'd from the engine's own binary, so this marks rather than
	// negotiates.
	initProtocol = "1"
	// initHardened is initEnv's value for the hardened stage.
	initHardened = "1-hardened"
	controlFD    = 3
	exeFD        = 4 // the binary itself, open for exec (setup stage only)
)

// initStage says which stage of a lab's init this process is: initProtocol,
// initHardened, or "" when it is not a lab's init.
func initStage() string {
	if len(os.Args) != 1 || os.Args[0] != initArg0 {
		return ""
	}
	switch v := os.Getenv(initEnv); v {
	case initProtocol, initHardened:
		return v
	}
	return ""
}

// isLabInit reports whether this process was started as a lab's init.
func isLabInit() bool { return initStage() != "" }

// init takes over the process when it is a lab's init. Package init
// functions run on the main thread. In the setup stage, locking it there
// keeps every hardening step and the re-exec on that one thread: cgroup
// namespaces, no_new_privs, the bounding set and seccomp are per thread,
// and the re-executed image inherits that thread's. Doing it here rather
// than from main means every binary that links the package (the nslab
// command, the test binaries of nsengine and its users) can be a lab's
// init with no wiring.
func init() {
	stage := initStage()
	if stage == "" {
		return
	}
	if stage == initProtocol {
		runtime.LockOSThread()
	}
	// ps in the lab shows PID 1 as init (exec through a descriptor
	// would name it after the descriptor's number).
	name, _ := unix.BytePtrFromString(initArg0)
	unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(name)), 0, 0, 0)
	if stage == initProtocol {
		os.Exit(runSetupInit())
	}
	os.Exit(runHardenedInit())
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

// initFailed reports why init cannot go on, naming the step, and returns
// init's exit status. It says it on the control socket when it has one
// (the engine turns it into Spawn's error) and on stderr, which the engine
// logs (see initStderr), for when the socket itself is what failed.
func initFailed(ctl *net.UnixConn, step string, err error) int {
	msg := "lab init: " + step + ": " + err.Error()
	fmt.Fprintln(os.Stderr, msg)
	if ctl != nil {
		send(ctl, message{Op: opError, Err: msg})
	}
	return 1
}

// openControl makes a connection of the control socket at controlFD,
// which it returns as a file too (for the caller to close or keep).
func openControl() (*net.UnixConn, *os.File, error) {
	f := os.NewFile(controlFD, "control")
	c, err := net.FileConn(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	ctl, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		f.Close()
		return nil, nil, fmt.Errorf("fd %d is not a unix socket", controlFD)
	}
	return ctl, f, nil
}

// runSetupInit is the setup stage: it waits for the engine's go, builds
// and hardens the lab, and re-executes init hardened. It returns only on
// failure.
func runSetupInit() int {
	if err := closeInheritedFDs(); err != nil {
		return initFailed(nil, "close inherited descriptors", err)
	}
	// ctlFile stays open at controlFD for the hardened stage.
	ctl, ctlFile, err := openControl()
	if err != nil {
		return initFailed(nil, "control socket", err)
	}
	// The engine says go once init is in the lab's cgroups, so nothing
	// init does escapes the lab's limits.
	// setup speaks with the engine during setup (idmapped layers).
	setup := &labInit{ctl: ctl, rcv: newReceiver(ctl)}
	m, files, err := setup.rcv.receive()
	switch {
	case err != nil:
		return initFailed(ctl, "wait for go", err)
	case m.Op != opGo || m.Setup == nil:
		closeFiles(files)
		return initFailed(ctl, "wait for go", fmt.Errorf("got %q without setup", m.Op))
	case len(files) != 1:
		closeFiles(files)
		return initFailed(ctl, "wait for go", fmt.Errorf("go came with %d descriptors, want the lab's devpts", len(files)))
	}
	m.Setup.idmap = setup.idmapRequest
	m.Setup.devpts = files[0]
	listener, err := setupLab(*m.Setup) // it names the step
	if err != nil {
		return initFailed(ctl, "setup stage", err)
	}
	err = reexecHardened(ctlFile, listener)
	return initFailed(ctl, "re-execute init hardened", err)
}

// runHardenedInit is the hardened stage: every thread of this image
// descends from the setup stage's hardened thread. It serves the engine
// until the control socket closes.
func runHardenedInit() int {
	if err := closeInheritedFDs(); err != nil {
		return initFailed(nil, "close inherited descriptors", err)
	}
	ctl, ctlFile, err := openControl()
	if err != nil {
		return initFailed(nil, "control socket", err)
	}
	ctlFile.Close()
	listener, err := inheritedListener()
	if err != nil {
		return initFailed(ctl, "seccomp listener", err)
	}
	in := &labInit{ctl: ctl, rcv: newReceiver(ctl), procs: map[int]bool{}}
	if err := in.handleSignals(); err != nil {
		return initFailed(ctl, "set up lab", err)
	}
	if in.dev, err = openLabDevices(); err != nil {
		return initFailed(ctl, "set up lab", err)
	}
	if err := preStartThreads(initThreads); err != nil {
		return initFailed(ctl, "set up lab", err)
	}
	if err := setFirstPID(); err != nil {
		return initFailed(ctl, "set up lab", err)
	}
	// The listener goes to the engine and leaves init before any lab
	// process exists: the lab's root can ptrace init and take its
	// descriptors, and with the listener it could answer its own calls.
	err = send(in.ctl, message{Op: opReady}, listener)
	if cerr := unix.Close(listener); err == nil && cerr != nil {
		err = fmt.Errorf("close the seccomp listener: %w", cerr)
	}
	if err != nil {
		return initFailed(nil, "say ready", err)
	}
	if err := in.serve(); err != nil {
		return initFailed(ctl, "serve", err)
	}
	// The engine has gone: returning ends PID 1, and the kernel kills the
	// whole lab with it.
	return 0
}

// handleSignals sets init's signal handling up: default dispositions for
// the signals that would end or stop it (see defaultSignalDispositions)
// and SIGCHLD for the reaper. One Notify only: each costs the runtime a
// round trip between threads.
func (in *labInit) handleSignals() error {
	if err := defaultSignalDispositions(); err != nil {
		return err
	}
	chld := make(chan os.Signal, 1)
	signal.Notify(chld, syscall.SIGCHLD)
	go in.reap(chld)
	return nil
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

// serve handles the engine's requests until the control socket closes
// (nil) or a hardening step fails (its error: the lab must end).
func (in *labInit) serve() error {
	for {
		m, files, err := in.rcv.receive()
		if errors.Is(err, errBadMessage) {
			send(in.ctl, message{Op: opError, ID: m.ID, Err: err.Error()})
			continue
		}
		if err != nil {
			return nil
		}
		switch m.Op {
		case opStart:
			if err := in.start(m, files); err != nil {
				closeFiles(files)
				return err
			}
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
// fds in files are the process's stdio in the order m.Stdio gives. It
// returns an error only when init cannot go on safely.
func (in *labInit) start(m message, files []*os.File) error {
	fail := func(err error) error {
		send(in.ctl, message{Op: opError, ID: m.ID, Err: err.Error()})
		return nil
	}
	if len(m.Argv) == 0 {
		return fail(fmt.Errorf("start: empty command"))
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
		return fail(err)
	}
	var stdio [3]*os.File
	next := 0
	for i, has := range m.Stdio {
		if has {
			if next >= len(files) {
				return fail(fmt.Errorf("start: stdio fds missing"))
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
			return fail(err)
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
	if errors.Is(err, errOOMScoreStuck) {
		return err
	}
	if err != nil {
		return fail(fmt.Errorf("start %s: %w", m.Argv[0], err))
	}
	in.procs[pid] = true
	reply := message{Op: opStarted, ID: m.ID, PID: pid}
	if master != nil {
		send(in.ctl, reply, int(master.Fd()))
		return nil
	}
	send(in.ctl, reply)
	return nil
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
