//go:build linux

package nsengine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// A lesson's check must not be the learner's to win. A process started
// through init (Start) runs as the lab's root in the lab's user
// namespace, where the lab's root holds CAP_SYS_PTRACE: the learner could
// attach to a running check (or to a grep it runs) and make it exit 0.
// StartCheck runs a check as the lab's root too, but with credentials of
// the lab's outer user namespace (see labanchor.go), where the lab's root
// has no capability at all:
//
//   - Its user ID is the owner of the lab's user namespace, the ID that
//     the lab's root has on the real machine (the anchor, which makes
//     that namespace, runs as it). The kernel gives the owner of a user
//     namespace, when its credentials are in the parent namespace, every
//     capability in the child and its descendants (cap_capable), whatever
//     its own capability sets hold: the check is the lab's root in every
//     namespace of the lab.
//   - Its group is checkGroupHostID, which the outer namespace maps and
//     the lab's does not, with no supplementary groups.
//
// The kernel lets a process trace another (ptrace, /proc/PID/mem,
// process_vm_writev, pidfd_getfd) only when both have the same user and
// group IDs and the tracer's capabilities are a subset of the target's in
// the same user namespace, or when the tracer has CAP_SYS_PTRACE in the
// target's user namespace (__ptrace_may_access, cap_ptrace_access_check).
// Neither holds for the lab's root and a check: other group, other
// namespace, no capability in the outer one. The lab's root may still
// signal the check (same user ID): a check it kills fails, and does not
// pass.
//
// Some permission checks ask for a capability in the caller's own user
// namespace, the outer one: joining a namespace (setns asks for
// CAP_SYS_ADMIN there, and CAP_SYS_CHROOT for a mount namespace) and
// overriding file permissions (CAP_DAC_OVERRIDE and the like, for files
// whose owner the outer namespace maps, the lab's). So the check keeps
// checkCapabilities, exactly those, in the outer namespace, and nothing
// else: `nsenter -t PID -n ip link` and reading a learner's 0600 file work
// as they do for the lab's root. The outer namespace owns nothing but the
// lab's user namespace (its limits need CAP_SYS_RESOURCE, which the check
// has not), so the check is no more than the lab's root outside the lab.
//
// The check is started by a launcher: this binary once more, forked by
// the lab's anchor (which is in the outer namespace), moved by the engine
// into the lab's cgroups before it does anything, which then joins the
// lab's namespaces on its main thread, hardens that thread as a lab's
// init hardens itself (checkLauncherSteps) and forks the check from it:
// the lab's bash, run through the lab's nsenter to enter the lab's time
// namespace (a multithreaded process cannot: setns of a time namespace
// needs a single thread). See checklauncher.go.

// anchorControlFD is the anchor's end of the engine's socket for check
// requests.
const anchorControlFD = 5

// Check-request operations, on the anchor's socket. The launcher speaks
// the control protocol: go (with the command), started, exit, signal,
// signal-group, error.
const (
	opCheck    = "check"    // engine → anchor: start a launcher (fd: its control socket)
	opLaunched = "launched" // anchor → engine: the launcher's PID on the real machine
)

// checkGroupHostID is the group a check runs as, on the real machine:
// nogroup, the kernel's overflow group. No lab maps it (the ID pool
// leaves real groups out), no file of the system folders belongs to it,
// and the lab sees it as the overflow ID, nogroup, which is what it is.
// The outer namespace maps it as checkGroupOuterID.
const checkGroupHostID = 65534

// checkGroupOuterID is checkGroupHostID in the lab's outer namespace: the
// first ID after the lab's, which the lab's namespace does not map.
const checkGroupOuterID = idRangeSize

// outerGidMap is the outer namespace's gid_map: the lab's IDs, and the
// check's group.
func outerGidMap(base uint32) []syscall.SysProcIDMap {
	return []syscall.SysProcIDMap{
		{ContainerID: 0, HostID: int(base), Size: idRangeSize},
		{ContainerID: checkGroupOuterID, HostID: checkGroupHostID, Size: 1},
	}
}

// checkGroupOutsidePool refuses an ID pool that holds checkGroupHostID: a
// lab of that slot would map the check's group, and its root could trace
// its checks.
func checkGroupOutsidePool(base uint32, slots int) error {
	if uint64(base) <= checkGroupHostID && checkGroupHostID < uint64(base)+uint64(slots)*idRangeSize {
		return fmt.Errorf("the ID pool [%d, %d) holds %d, the group lesson checks run as: move it above", base, uint64(base)+uint64(slots)*idRangeSize, checkGroupHostID)
	}
	return nil
}

// checkStartTimeout bounds the start of a check when ctx has no deadline.
const checkStartTimeout = 10 * time.Second

// Check is a lesson check started by StartCheck. Its methods are safe for
// concurrent use.
type Check struct {
	pid  int
	conn *net.UnixConn

	mu     sync.Mutex // serialises sends
	done   chan struct{}
	status int
	err    error
}

// PID is the check's PID as the lab host sees it.
func (c *Check) PID() int { return c.pid }

// Wait waits for the check to end and returns its exit code, or 128+N if
// signal N killed it.
func (c *Check) Wait() (int, error) {
	<-c.done
	return c.status, c.err
}

// Signal sends sig to the check.
func (c *Check) Signal(sig syscall.Signal) error {
	return c.send(message{Op: opSignal, Signal: int(sig)})
}

// SignalGroup sends sig to the check's process group: the check and what
// it started in its group. Whatever ends the check, its launcher kills
// the group before it reaps the check, while the check's PID still names
// the group, so nothing the check left there outlives it.
func (c *Check) SignalGroup(sig syscall.Signal) error {
	return c.send(message{Op: opSignalGroup, Signal: int(sig)})
}

func (c *Check) send(m message) error {
	select {
	case <-c.done:
		return errors.New("signal: check has ended")
	default:
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := send(c.conn, m); err != nil {
		return fmt.Errorf("signal: %w", err)
	}
	return nil
}

// StartCheck starts a lesson check in the lab host: spec's command, as
// the lab's root in every namespace of the lab, in the lab's cgroups,
// under its seccomp filter, but out of the lab root's reach (see the top
// of this file). The command is looked up in the lab's PATH; nil stdio
// files are /dev/null. ctx bounds the starting only.
func (l *Lab) StartCheck(ctx context.Context, spec ProcSpec) (*Check, error) {
	name := "(none)"
	if len(spec.Argv) > 0 {
		name = spec.Argv[0]
	}
	fail := func(err error) (*Check, error) {
		return nil, fmt.Errorf("start check %s in %s: %w", name, l.id, err)
	}
	if len(spec.Argv) == 0 {
		return fail(errors.New("empty command"))
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, checkStartTimeout)
		defer cancel()
	}
	ours, theirs, err := socketPair()
	if err != nil {
		return fail(err)
	}
	pid, err := l.launchChecker(ctx, theirs)
	theirs.Close()
	if err != nil {
		ours.Close()
		return fail(err)
	}
	pidfd, err := l.enterLauncher(pid)
	if err != nil {
		ours.Close()
		return fail(err)
	}
	// From here on the launcher dies on any failure: it has not started
	// the check, or its parent-death signal ends the check with it.
	defer unix.Close(pidfd)
	kill := func(err error) (*Check, error) {
		unix.PidfdSendSignal(pidfd, unix.SIGKILL, nil, 0)
		ours.Close()
		return fail(err)
	}
	m := message{Op: opGo, Argv: spec.Argv, Env: spec.Env, Dir: spec.Dir}
	var fds []int
	for i, f := range []*os.File{spec.Stdin, spec.Stdout, spec.Stderr} {
		if f != nil {
			m.Stdio[i] = true
			fds = append(fds, int(f.Fd()))
		}
	}
	err = send(ours, m, fds...)
	runtime.KeepAlive(spec.Stdin)
	runtime.KeepAlive(spec.Stdout)
	runtime.KeepAlive(spec.Stderr)
	if err != nil {
		return kill(fmt.Errorf("go: %w", err))
	}
	deadline, _ := ctx.Deadline()
	ours.SetReadDeadline(deadline)
	rcv := newReceiver(ours)
	r, files, err := rcv.receive()
	closeFiles(files)
	ours.SetReadDeadline(time.Time{})
	switch {
	case err != nil:
		if l.hasEnded() {
			err = ErrLabEnded
		}
		return kill(fmt.Errorf("wait for the check's launcher: %w%s", err, l.stderr.said(100*time.Millisecond)))
	case r.Op == opError:
		return kill(errors.New(r.Err))
	case r.Op != opStarted || r.PID <= 1:
		return kill(fmt.Errorf("the check's launcher said %q instead of started", r.Op))
	}
	c := &Check{pid: r.PID, conn: ours, done: make(chan struct{})}
	go c.wait(l, rcv)
	return c, nil
}

// wait reads the launcher's report of the check's end.
func (c *Check) wait(l *Lab, rcv *receiver) {
	defer close(c.done)
	defer c.conn.Close()
	for {
		m, files, err := rcv.receive()
		closeFiles(files)
		if errors.Is(err, errBadMessage) {
			continue
		}
		switch {
		case err != nil && l.hasEnded():
			c.status, c.err = -1, ErrLabEnded
		case err != nil:
			c.status, c.err = -1, errors.New("the check's launcher ended without the check's status")
		case m.Op == opExit:
			c.status = m.Status
		default:
			continue
		}
		return
	}
}

// hasEnded reports whether the lab has ended.
func (l *Lab) hasEnded() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ended
}

// launchChecker asks the lab's anchor for a launcher whose control socket
// is sock, and returns its PID on the real machine. One request at a
// time; a reply to a request given up on is skipped.
func (l *Lab) launchChecker(ctx context.Context, sock *os.File) (int, error) {
	l.anchorMu.Lock()
	defer l.anchorMu.Unlock()
	if l.hasEnded() {
		return 0, ErrLabEnded
	}
	l.anchorNext++
	id := l.anchorNext
	if err := send(l.anchorCtl, message{Op: opCheck, ID: id}, int(sock.Fd())); err != nil {
		return 0, fmt.Errorf("ask the lab's anchor for a launcher: %w", err)
	}
	deadline, _ := ctx.Deadline()
	l.anchorCtl.SetReadDeadline(deadline)
	defer l.anchorCtl.SetReadDeadline(time.Time{})
	for {
		m, files, err := l.anchorRcv.receive()
		closeFiles(files)
		switch {
		case err != nil:
			return 0, fmt.Errorf("wait for the lab's anchor: %w", err)
		case m.ID != id:
			continue
		case m.Op == opError:
			return 0, errors.New(m.Err)
		case m.Op != opLaunched || m.PID <= 1:
			return 0, fmt.Errorf("the lab's anchor said %q instead of launched", m.Op)
		}
		return m.PID, nil
	}
}

// enterLauncher moves a launcher into the lab's cgroups, after checking
// that pid is the anchor's child (so no recycled PID is moved), and
// returns a pidfd of it. The launcher does nothing before the engine's
// go, so nothing of the check escapes the lab's limits. It stops a check
// (which the lab's root can subvert, see docs/lessons.md) from running
// outside the lab's pids, memory, CPU and I/O limits.
func (l *Lab) enterLauncher(pid int) (int, error) {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return -1, fmt.Errorf("open the check's launcher: %w", err)
	}
	if ppid, err := parentPID(pid); err != nil || ppid != l.cmd.Process.Pid {
		unix.Close(fd)
		return -1, fmt.Errorf("the check's launcher %d is gone before it started (%v)", pid, err)
	}
	if err := l.cg.add(pid); err != nil {
		unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
		unix.Close(fd)
		return -1, err
	}
	// Still the launcher: a pidfd turns readable when its process ends.
	if n, _ := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, 0); n != 0 {
		unix.Close(fd)
		return -1, errors.New("the check's launcher ended before it started")
	}
	return fd, nil
}

// parentPID reads a process's parent from /proc/PID/stat.
func parentPID(pid int) (int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// PID (COMM) STATE PPID …: COMM may hold anything but ')'.
	i := bytes.LastIndexByte(b, ')')
	var state string
	var ppid int
	if i < 0 {
		return 0, errors.New("unreadable stat")
	}
	if _, err := fmt.Sscan(string(b[i+1:]), &state, &ppid); err != nil {
		return 0, fmt.Errorf("unreadable stat: %w", err)
	}
	return ppid, nil
}

// anchorChecks is the anchor's side of check requests.
type anchorChecks struct {
	ctl  *net.UnixConn
	exe  *os.File
	init *os.File // pidfd of the lab's init
}

// openAnchorChecks takes the anchor's check socket and marks it
// close-on-exec: the lab's init must not inherit it.
func openAnchorChecks() (*net.UnixConn, error) {
	if _, err := unix.FcntlInt(anchorControlFD, unix.F_SETFD, unix.FD_CLOEXEC); err != nil {
		return nil, fmt.Errorf("check socket: %w", err)
	}
	f := os.NewFile(anchorControlFD, "checks")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("check socket: %w", err)
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("check socket: fd %d is not a unix socket", anchorControlFD)
	}
	return uc, nil
}

// startAnchorChecks serves the engine's check requests in the anchor,
// from now until the engine closes checks. initPID is the anchor's child,
// not reaped yet, so its PID names it.
func startAnchorChecks(checks *net.UnixConn, exe *os.File, initPID int) error {
	fd, err := unix.PidfdOpen(initPID, 0)
	if err != nil {
		return fmt.Errorf("open init for the checks: %w", err)
	}
	a := &anchorChecks{ctl: checks, exe: exe, init: os.NewFile(uintptr(fd), "init")}
	go a.serve()
	return nil
}

// serve runs in the anchor once init has started: it starts a
// launcher for each of the engine's requests until the engine closes the
// socket. Its thread stays locked and ends with the goroutine: a
// launcher's parent-death signal comes when the thread that forked it
// ends.
func (a *anchorChecks) serve() {
	runtime.LockOSThread()
	defer a.ctl.Close()
	rcv := newReceiver(a.ctl)
	for {
		m, files, err := rcv.receive()
		if errors.Is(err, errBadMessage) {
			continue
		}
		if err != nil {
			return
		}
		if m.Op != opCheck || len(files) != 1 {
			closeFiles(files)
			send(a.ctl, message{Op: opError, ID: m.ID, Err: "lab anchor: bad check request " + m.Op})
			continue
		}
		pid, err := a.launch(files[0])
		files[0].Close()
		if err != nil {
			send(a.ctl, message{Op: opError, ID: m.ID, Err: "lab anchor: start a check's launcher: " + err.Error()})
			continue
		}
		send(a.ctl, message{Op: opLaunched, ID: m.ID, PID: pid})
	}
}

// launch starts a launcher: this binary, with its control socket at
// controlFD, the binary at exeFD (for exec's path only) and init's pidfd
// at launcherInitFD. It runs as the anchor does: the outer namespace's
// root, in the real machine's other namespaces and the server's cgroups,
// until the engine moves it.
func (a *anchorChecks) launch(sock *os.File) (int, error) {
	cmd := &exec.Cmd{
		Path:        "/proc/self/fd/" + strconv.Itoa(exeFD),
		Args:        []string{checkArg0},
		Env:         os.Environ(),
		ExtraFiles:  []*os.File{sock, a.exe, a.init},
		Stderr:      os.Stderr,
		SysProcAttr: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	go cmd.Wait()
	return cmd.Process.Pid, nil
}
