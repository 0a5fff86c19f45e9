//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A check's launcher is this binary, forked by the lab's anchor with argv
// [checkArg0] (see labcheck.go). It waits for the engine's go, which comes
// once the engine has moved it into the lab's cgroups, then on its main
// thread (locked since package init) enters the lab's namespaces, hardens
// the thread and forks the check from it, so the check inherits all of
// it. It reports the check's PID and exit, and passes the engine's
// signals on. The engine's code runs in it, never the lab's: the lab's
// programs run only in the check, after every hardening step.

const checkArg0 = "nslab-check"

// launcherInitFD is the launcher's pidfd of the lab's init, whose
// namespaces it enters (controlFD is its control socket, exeFD the
// binary).
const launcherInitFD = 5

// isCheckLauncher reports whether this process was started as a check's
// launcher.
func isCheckLauncher() bool {
	return len(os.Args) == 1 && os.Args[0] == checkArg0 && os.Getenv(initEnv) == initProtocol
}

// init takes over the process when it is a check's launcher. The main
// thread stays locked: the hardening is per thread, and the check's
// parent-death signal comes when the thread that forked it ends.
func init() {
	if !isCheckLauncher() {
		return
	}
	runtime.LockOSThread()
	name, _ := unix.BytePtrFromString(checkArg0)
	unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(name)), 0, 0, 0)
	os.Exit(runCheckLauncher())
}

// labNamespacesOfCheck are the lab's namespaces a check joins from its
// launcher's thread, with init's pidfd: all but the user namespace (a
// multithreaded process cannot join one, and the check's credentials stay
// in the outer one) and the time namespace (likewise: the check joins it
// itself, see checkArgv). The PID namespace counts for the children only.
const labNamespacesOfCheck = unix.CLONE_NEWNS | unix.CLONE_NEWNET | unix.CLONE_NEWUTS |
	unix.CLONE_NEWIPC | unix.CLONE_NEWCGROUP | unix.CLONE_NEWPID

// checkCapabilities are what a check holds in the lab's outer user
// namespace: what the kernel asks of the lab's root in its own namespace
// to act on the lab's files and namespaces, nothing else. In the lab's
// namespaces the check holds every capability anyway, as their owner.
var checkCapabilities = []struct {
	capability uintptr
	why        string
}{
	{unix.CAP_CHOWN, "files: chown"},
	{unix.CAP_DAC_OVERRIDE, "files: read and write the lab's files whatever their mode"},
	{unix.CAP_DAC_READ_SEARCH, "files: read and search folders whatever their mode"},
	{unix.CAP_FOWNER, "files: act on files as their owner"},
	{unix.CAP_FSETID, "files: keep set-ID bits"},
	{unix.CAP_SETUID, "identity: su to a lab user"},
	{unix.CAP_SETGID, "identity: groups of a lab user"},
	{unix.CAP_SETPCAP, "identity: drop its own capabilities (setpriv)"},
	{unix.CAP_SYS_CHROOT, "namespaces: join a mount namespace"},
	{unix.CAP_SYS_ADMIN, "namespaces: join one (nsenter)"},
}

// runCheckLauncher is the launcher's whole life; it returns 0 once it has
// reported the check's end, 1 when it could not.
func runCheckLauncher() int {
	if err := closeInheritedFDs(); err != nil {
		return launcherFailed(nil, "close inherited descriptors", err)
	}
	ctl, ctlFile, err := openControl()
	if err != nil {
		return launcherFailed(nil, "control socket", err)
	}
	ctlFile.Close()
	rcv := newReceiver(ctl)
	m, files, err := rcv.receive()
	if err != nil || m.Op != opGo || len(m.Argv) == 0 {
		closeFiles(files)
		return launcherFailed(ctl, "wait for go", fmt.Errorf("got %q (%v)", m.Op, err))
	}
	var stdio [3]*os.File
	next := 0
	for i, has := range m.Stdio {
		if has {
			if next >= len(files) {
				closeFiles(files)
				return launcherFailed(ctl, "wait for go", errors.New("stdio fds missing"))
			}
			stdio[i] = files[next]
			next++
		}
	}
	// The real machine's /proc, kept to read the check's PID in the lab
	// host, and its /dev/null for the stdio not given: the lab's are the
	// lab's root's to mount over (a FIFO, a file it reads).
	procfs, err := unix.Open("/proc", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return launcherFailed(ctl, "open /proc", err)
	}
	for i := range stdio {
		if stdio[i] == nil {
			if stdio[i], err = os.OpenFile("/dev/null", os.O_RDWR, 0); err != nil {
				return launcherFailed(ctl, "open /dev/null", err)
			}
		}
	}
	for _, st := range checkLauncherSteps {
		if err := st.fn(); err != nil {
			return launcherFailed(ctl, st.name, err)
		}
	}
	env := m.Env
	if env == nil {
		env = DefaultEnv()
	}
	dir := m.Dir
	if dir == "" {
		dir = "/root"
	}
	argv, err := checkArgv(m.Argv, env, dir)
	if err != nil {
		return launcherFailed(ctl, "start", err)
	}
	attr := &syscall.ProcAttr{
		Dir:   dir,
		Env:   env,
		Files: []uintptr{stdio[0].Fd(), stdio[1].Fd(), stdio[2].Fd()},
		// A session of its own, so its PID is its group's. No
		// parent-death signal: the check cannot see this process (it is
		// outside the lab's PID namespace), and Go's fork takes that for
		// a dead parent. The launcher ends only with the lab: the lab's
		// processes cannot signal it, and the OOM killer takes them
		// first.
		Sys: &syscall.SysProcAttr{Setsid: true},
	}
	pid, err := forkCheckPreferredForOOM(procfs, func() (int, error) { return syscall.ForkExec(argv[0], argv, attr) })
	if err != nil {
		return launcherFailed(ctl, "start", fmt.Errorf("start %s: %w", m.Argv[0], err))
	}
	closeFiles(stdio[:])
	labPID, err := labHostPID(procfs, pid)
	if err != nil {
		unix.Kill(-pid, unix.SIGKILL)
		unix.Kill(pid, unix.SIGKILL)
		return launcherFailed(ctl, "read the check's PID", err)
	}
	ch := &launchedCheck{pid: pid}
	if err := send(ctl, message{Op: opStarted, PID: labPID}); err != nil {
		ch.kill()
	}
	go ch.serve(rcv)
	status, err := ch.wait()
	if err != nil {
		return launcherFailed(ctl, "wait for the check", err)
	}
	send(ctl, message{Op: opExit, PID: labPID, Status: status})
	return 0
}

// checkLauncherSteps are what the launcher does, in order, on its main
// thread before it forks the check: into the lab, then each hardening
// step a lab's init takes (hardening.go, seccomp.go) with the check's own
// credentials. Each stops the lab's root, who may replace the programs a
// check runs (docs/lessons.md), from getting more through a check than it
// has.
var checkLauncherSteps = []struct {
	name string
	fn   func() error
}{
	{"rlimits", setLabRlimits},
	{"enter the lab's namespaces", enterLabNamespaces},
	{"group", setCheckGroup},
	{"capabilities", limitCheckCapabilities},
	{"no_new_privs", setNoNewPrivs},
	{"seccomp", installCheckSeccomp},
	{"no user namespace to join", denyCheckJoiningUserNamespaces},
}

// launcherFailed reports why the launcher cannot go on, naming the step,
// and returns its exit status.
func launcherFailed(ctl *net.UnixConn, step string, err error) int {
	msg := "check launcher: " + step + ": " + err.Error()
	fmt.Fprintln(os.Stderr, msg)
	if ctl != nil {
		send(ctl, message{Op: opError, Err: msg})
	}
	return 1
}

// forkCheckPreferredForOOM is forkPreferredForOOM for the launcher, whose
// /proc/self is in the real machine's /proc (procfs): the check gets the
// OOM score every lab process has, the launcher keeps 0. It stops a check
// from being spared by the OOM killer in favour of the lab's other
// processes, and the launcher from being taken before them.
func forkCheckPreferredForOOM(procfs int, fork func() (int, error)) (int, error) {
	write := func(v string) error {
		fd, err := unix.Openat(procfs, "self/oom_score_adj", unix.O_WRONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		_, err = unix.Write(fd, []byte(v))
		return err
	}
	if err := write("1000"); err != nil {
		return 0, fmt.Errorf("prefer the check for the OOM killer: %w", err)
	}
	pid, err := fork()
	if rerr := write("0"); rerr != nil && err == nil {
		unix.Kill(-pid, unix.SIGKILL)
		unix.Kill(pid, unix.SIGKILL)
		return 0, fmt.Errorf("restore the launcher's OOM score: %w", rerr)
	}
	return pid, err
}

// enterLabNamespaces joins the lab's mount, network, UTS, IPC and cgroup
// namespaces, and its PID namespace for the check, on the calling thread,
// through the pidfd of the lab's init. It stops a check from seeing
// anything but the lab (the real machine's files, processes, network).
// The thread first gets a file system context of its own (root and
// working folder), which joining a mount namespace needs and which the
// runtime's other threads share otherwise.
func enterLabNamespaces() error {
	if err := unix.Unshare(unix.CLONE_FS); err != nil {
		return fmt.Errorf("unshare CLONE_FS: %w", err)
	}
	if err := unix.Setns(launcherInitFD, labNamespacesOfCheck); err != nil {
		return fmt.Errorf("setns: %w", err)
	}
	return nil
}

// setCheckGroup makes the calling thread's real, effective and saved
// group checkGroupOuterID, with no supplementary group. It stops the lab's
// root from tracing the check as a process of its own IDs: the kernel
// asks for the same user and group IDs. Raw system calls change this
// thread only (Go's Setresgid would change every thread).
func setCheckGroup() error {
	if _, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, 0, 0, 0); e != 0 {
		return fmt.Errorf("setgroups: %w", e)
	}
	g := uintptr(checkGroupOuterID)
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESGID, g, g, g); e != 0 {
		return fmt.Errorf("setresgid %d: %w", checkGroupOuterID, e)
	}
	return nil
}

// limitCheckCapabilities leaves the calling thread checkCapabilities in
// every set (bounding, permitted, effective) and none inheritable or
// ambient. It stops a check, and whatever the lab's root makes it run,
// from acting in the lab's outer user namespace beyond what the lab's
// root does in its own; the bounding set keeps exec from giving more back
// (the check is the outer namespace's root), and no_new_privs keeps it
// from gaining any through a file's capabilities.
func limitCheckCapabilities() error {
	var keep [2]uint32
	kept := map[uintptr]bool{}
	for _, c := range checkCapabilities {
		keep[c.capability/32] |= 1 << (c.capability % 32)
		kept[c.capability] = true
	}
	last, err := lastCapability()
	if err != nil {
		return err
	}
	for c := uintptr(0); c <= last; c++ {
		if kept[c] {
			continue
		}
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, c, 0, 0, 0); err != nil {
			return fmt.Errorf("drop capability %d from the bounding set: %w", c, err)
		}
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return fmt.Errorf("clear ambient capabilities: %w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	data := [2]unix.CapUserData{
		{Effective: keep[0], Permitted: keep[0]},
		{Effective: keep[1], Permitted: keep[1]},
	}
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("capset: %w", err)
	}
	return nil
}

// lastCapability is the kernel's highest capability number.
func lastCapability() (uintptr, error) {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 0, fmt.Errorf("capabilities: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n < unix.CAP_SYS_ADMIN || n > 63 {
		return 0, fmt.Errorf("capabilities: cap_last_cap %q", b)
	}
	return uintptr(n), nil
}

// installCheckSeccomp loads the lab's seccomp filter (seccompFilter) on
// the calling thread. It stops a check from reaching the kernel
// interfaces a lab does without. The filter has no listener here: a
// mount that the lab's filter sends to the engine's mount budget fails
// with ENOSYS in a check.
func installCheckSeccomp() error {
	prog, err := seccompFilter()
	if err != nil {
		return err
	}
	_, err = loadSeccompFilter(prog, 0)
	return err
}

// checkArgv is what the check runs: the lab's nsenter, found in the lab's
// PATH, joins the lab's time namespace and runs argv. A multithreaded Go
// process cannot join a time namespace (setns needs a single thread), so
// the check does it itself, hardened, as its first program. Its
// namespace is named as the lab's root would, by /proc/1 of the lab: the
// lab's init.
func checkArgv(argv, env []string, dir string) ([]string, error) {
	nsenter, err := lookPath("nsenter", env, dir)
	if err != nil {
		return nil, fmt.Errorf("the lab host has no nsenter to enter its time namespace: %w", err)
	}
	return append([]string{nsenter, "--time=/proc/1/ns/time", "--"}, argv...), nil
}

// labHostPID reads pid's PID in its own (the lab host's) PID namespace,
// from the real machine's /proc.
func labHostPID(procfs, pid int) (int, error) {
	fd, err := unix.Openat(procfs, strconv.Itoa(pid)+"/status", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	f := os.NewFile(uintptr(fd), "status")
	defer f.Close()
	b := make([]byte, 4096)
	n, err := f.Read(b)
	if err != nil {
		return 0, err
	}
	st, err := parseNSpid(b[:n])
	if err != nil {
		return 0, err
	}
	return st, nil
}

// parseNSpid returns the last PID of a status file's NSpid line.
func parseNSpid(b []byte) (int, error) {
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "NSpid:"); ok {
			f := strings.Fields(rest)
			if len(f) < 2 {
				return 0, fmt.Errorf("NSpid %q: the check is not in the lab's PID namespace", rest)
			}
			return strconv.Atoi(f[len(f)-1])
		}
	}
	return 0, errors.New("no NSpid line")
}

// launchedCheck is the launcher's running check.
type launchedCheck struct {
	pid int // on the real machine
	// mu guards reaped: the check's PID names its group only until it is
	// reaped.
	mu     sync.Mutex
	reaped bool
}

// kill ends the check's process group.
func (c *launchedCheck) kill() { c.signal(unix.SIGKILL, true) }

// signal sends sig to the check, or to its group, unless it is reaped.
func (c *launchedCheck) signal(sig unix.Signal, group bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reaped {
		return
	}
	pid := c.pid
	if group {
		pid = -pid
	}
	unix.Kill(pid, sig)
}

// serve passes the engine's signals on until the control socket closes,
// which kills the check (the engine gave up on it).
func (c *launchedCheck) serve(rcv *receiver) {
	for {
		m, files, err := rcv.receive()
		closeFiles(files)
		if errors.Is(err, errBadMessage) {
			continue
		}
		if err != nil {
			c.kill()
			return
		}
		if (m.Op == opSignal || m.Op == opSignalGroup) && m.Signal > 0 && m.Signal < 65 {
			c.signal(unix.Signal(m.Signal), m.Op == opSignalGroup)
		}
	}
}

// wait waits for the check to end, kills what it left in its group while
// its PID still names the group, then reaps it.
func (c *launchedCheck) wait() (int, error) {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, c.pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		break
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	unix.Kill(-c.pid, unix.SIGKILL)
	var ws unix.WaitStatus
	for {
		_, err := unix.Wait4(c.pid, &ws, 0, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		break
	}
	c.reaped = true
	return exitStatus(ws), nil
}
