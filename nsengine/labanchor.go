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
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A lab's user namespace sits inside one more user namespace of its own,
// the lab's outer namespace, which holds no process of the lab. The
// kernel counts namespaces and inotify objects per user of each user
// namespace, and checks every level of nested namespaces: the counts of a
// namespace's users against its own limits, and all of them together,
// one level up, as counts of the user who owns the namespace. The limits
// in the lab's own namespace (labNamespaceLimits) so bound each of the
// lab's 65536 users apart, and the lab as a whole was bounded only by the
// real machine's per-user limits, tens of thousands of each. The outer
// namespace is the level where the lab is one user, with limits of the
// engine's choosing (labTotalNamespaceLimits).
//
// The outer namespace is made by the lab's anchor: this binary, re-executed
// by Spawn with argv ["anchor"] into a new user namespace that maps the
// lab's host IDs, as that namespace's root (the lab's first host ID, see
// startOwnedByLab). The anchor writes the outer namespace's limits, starts
// the lab's init as its child in the lab's own namespaces, tells the
// engine init's PID and waits for init, ending with it. It keeps the real
// machine's PID and mount namespaces: no lab process can see it, and a
// capability in a user namespace never reaches its parent, so the lab's
// root cannot change the outer namespace's limits. The anchor also
// starts the launchers of lesson checks, which run with credentials of
// the outer namespace (labcheck.go).

const anchorArg0 = "anchor"

// opAnchored is the anchor's one message: init's PID on the real machine.
const opAnchored = "anchored"

// isLabAnchor reports whether this process was started as a lab's anchor.
func isLabAnchor() bool {
	return len(os.Args) == 1 && os.Args[0] == anchorArg0 && os.Getenv(initEnv) == initProtocol
}

// init takes over the process when it is a lab's anchor. Its main thread
// stays locked: init's parent-death signal comes when the thread that
// forked init ends, and that thread lives as long as the anchor.
func init() {
	if !isLabAnchor() {
		return
	}
	runtime.LockOSThread()
	name, _ := unix.BytePtrFromString("nslab-anchor")
	unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(name)), 0, 0, 0)
	os.Exit(runAnchor())
}

// runAnchor is the anchor's whole life; it returns init's exit status.
func runAnchor() int {
	ctlFile := os.NewFile(controlFD, "control")
	exe := os.NewFile(exeFD, "exe")
	c, err := net.FileConn(ctlFile)
	if err != nil {
		return 1
	}
	ctl := c.(*net.UnixConn)
	fail := func(err error) int {
		send(ctl, message{Op: opError, Err: "lab anchor: " + err.Error()})
		return 1
	}
	checks, err := openAnchorChecks()
	if err != nil {
		return fail(err)
	}
	// The lab's IDs are the outer namespace's IDs 0 to 65535, which are
	// the lab's host IDs.
	idMap := []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: idRangeSize}}
	cmd := &exec.Cmd{
		Path:       "/proc/self/fd/" + strconv.Itoa(exeFD),
		Args:       []string{initArg0},
		Env:        os.Environ(),
		ExtraFiles: []*os.File{ctlFile, exe},
		// init's stderr is the engine's pipe (see initStderr), as the
		// anchor's is.
		Stderr: os.Stderr,
		SysProcAttr: &syscall.SysProcAttr{
			Cloneflags:                 labCloneFlags,
			UidMappings:                idMap,
			GidMappings:                idMap,
			GidMappingsEnableSetgroups: true,
			Pdeathsig:                  syscall.SIGKILL,
			Credential:                 &syscall.Credential{Uid: 0, Gid: 0},
		},
	}
	if err := cmd.Start(); err != nil {
		return fail(fmt.Errorf("start init: %w", err))
	}
	// While init's runtime starts: init does nothing of the lab's before
	// the engine's go, and the engine waits for anchored.
	err = limitLabTotalNamespaces()
	if err == nil {
		err = startAnchorChecks(checks, exe, cmd.Process.Pid)
	}
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return fail(err)
	}
	err = send(ctl, message{Op: opAnchored, PID: cmd.Process.Pid})
	// init has its own copies; the engine sees the control socket close
	// when init's ends. exe stays open for the checks' launchers.
	ctl.Close()
	ctlFile.Close()
	if err != nil {
		cmd.Process.Kill()
	}
	cmd.Wait()
	return cmd.ProcessState.ExitCode()
}

// labTotalNamespaceLimits are the outer namespace's limits: what the lab
// may hold in all, whichever of its users make them, namespaces of the
// lab's own included. A network namespace costs the kernel about 117 KiB
// that no cgroup is charged for.
var labTotalNamespaceLimits = map[string]int{
	"max_user_namespaces":   128,
	"max_pid_namespaces":    128,
	"max_mnt_namespaces":    128,
	"max_net_namespaces":    128,
	"max_uts_namespaces":    128,
	"max_ipc_namespaces":    128,
	"max_cgroup_namespaces": 128,
	"max_time_namespaces":   128,
	"max_inotify_instances": 128,
	"max_inotify_watches":   65536,
	"max_fanotify_groups":   32,
	"max_fanotify_marks":    16384,
}

// limitLabTotalNamespaces writes labTotalNamespaceLimits in the outer
// namespace; it runs in the anchor. It stops a lab from holding thousands
// of namespaces (and their unaccounted kernel memory) by making them as
// many of its users, each within its own per-user limit.
func limitLabTotalNamespaces() error {
	return writeUserNamespaceLimits(labTotalNamespaceLimits, " for the whole lab")
}

// awaitAnchor reads the anchor's report of init's PID, or its error.
func awaitAnchor(ctx context.Context, ctl *net.UnixConn) (int, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(readyTimeout)
	}
	ctl.SetReadDeadline(deadline)
	defer ctl.SetReadDeadline(time.Time{})
	stop := context.AfterFunc(ctx, func() { ctl.SetReadDeadline(time.Now()) })
	defer stop()
	m, files, err := newReceiver(ctl).receive()
	closeFiles(files)
	switch {
	case err != nil:
		return 0, fmt.Errorf("wait for the lab's anchor: %w", err)
	case m.Op == opError:
		return 0, errors.New(m.Err)
	case m.Op != opAnchored || m.PID <= 1:
		return 0, fmt.Errorf("the lab's anchor said %q instead of init's PID", m.Op)
	}
	return m.PID, nil
}

// openInit opens a pidfd of the lab's init and checks that it is the
// anchor's child, so that no recycled PID is taken for it.
func openInit(anchor, pid int) (int, error) {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return -1, fmt.Errorf("open the lab's init: %w", err)
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	// PID (COMM) STATE PPID …: COMM may hold anything but ')'.
	if i := bytes.LastIndexByte(b, ')'); err == nil && i >= 0 {
		if f := strings.Fields(string(b[i+1:])); len(f) > 1 && f[1] == strconv.Itoa(anchor) {
			return fd, nil
		}
	}
	unix.Close(fd)
	return -1, fmt.Errorf("the lab's init %d is gone before it started (%v)", pid, err)
}

// kill ends the lab: SIGKILL to init, through its pidfd, which no
// recycled PID can fool; the kernel ends init's PID namespace with it,
// and the anchor reaps init and ends, so that nothing of the lab is left
// for the machine's PID 1 to reap. Before init is known, the anchor is
// killed, and init gets its parent-death signal.
func (l *Lab) kill() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.initFD >= 0 {
		unix.PidfdSendSignal(l.initFD, unix.SIGKILL, nil, 0)
		return
	}
	l.cmd.Process.Signal(syscall.SIGKILL)
}
