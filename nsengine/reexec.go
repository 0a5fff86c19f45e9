//go:build linux

package nsengine

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// reexecHardened replaces the setup stage of init, once its main thread
// is hardened, by a fresh image of the same binary: the hardened stage. It
// stops a lab's root from getting around the hardening through another
// thread of init. The cgroup namespace, no_new_privs, the capability
// bounding set and the seccomp filter are per thread, and the setup stage
// applies them to its main thread only; the Go runtime has started other
// threads before package init ran (and starts more on demand, through a
// template thread made before any hardening). The lab's root may ptrace
// init: injecting system calls into one of those threads would run what
// the filter denies (keyctl, io_setup), and setns into such a thread's
// cgroup namespace shows every lab's cgroup on the machine. exec keeps
// only the calling thread, so every thread of the new image, those the
// runtime starts later included, is a clone of the hardened one. exec also
// recomputes init's own capabilities from the bounding set, so init no
// longer holds those its children lose.
//
// Why not SECCOMP_FILTER_FLAG_TSYNC and syscall.AllThreadsSyscall, which
// apply a step to all the threads a process has: AllThreadsSyscall fails
// with ENOTSUP in a binary that links cgo (nslab does, through package
// net, wherever a C compiler is installed), unshare would give each thread
// a cgroup namespace of its own, and the result would hang on how the Go
// runtime makes threads. The re-exec holds whatever the build and the
// runtime do, for the price of a second start of the Go runtime (and of
// the dynamic loader, with cgo) on a cold lab start, which about doubles
// init's CPU time to ready (see BENCHMARKS.md); a lab from the warm pool
// is ready before it is asked for.
//
// The control socket stays at controlFD, without close-on-exec, and so
// does the seccomp filter's listener (for the mount budget), whose number
// goes in listenerEnv; the hardened stage hands it to the engine and
// closes it before it says ready. The binary is reached through exeFD,
// which exec closes (close-on-exec) and the hardened stage never gets. No
// lab process exists yet: the engine starts none before the hardened
// stage says ready.
func reexecHardened(ctl *os.File, listener int) error {
	if _, err := unix.FcntlInt(ctl.Fd(), unix.F_SETFD, 0); err != nil {
		return fmt.Errorf("keep the control socket: %w", err)
	}
	if int(ctl.Fd()) != controlFD {
		return fmt.Errorf("control socket at fd %d, want %d", ctl.Fd(), controlFD)
	}
	if _, err := unix.FcntlInt(uintptr(listener), unix.F_SETFD, 0); err != nil {
		return fmt.Errorf("keep the seccomp listener: %w", err)
	}
	env := []string{initEnv + "=" + initHardened, listenerEnv + "=" + strconv.Itoa(listener)}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, initEnv+"=") && !strings.HasPrefix(kv, listenerEnv+"=") {
			env = append(env, kv)
		}
	}
	// syscall.Exec, not a raw execve: it keeps the runtime from starting
	// a thread meanwhile. The path resolves, in the lab's own /proc, to
	// the binary's descriptor: its folder may be out of the lab's reach.
	err := syscall.Exec("/proc/self/fd/"+strconv.Itoa(exeFD), []string{initArg0}, env)
	return fmt.Errorf("exec: %w", err)
}

// listenerEnv names the descriptor of the seccomp listener that the setup
// stage leaves open for the hardened one.
const listenerEnv = "NSLAB_LAB_LISTENER"

// inheritedListener is the hardened stage's side of reexecHardened: the
// seccomp listener's descriptor, checked to be one.
func inheritedListener() (int, error) {
	fd, err := strconv.Atoi(os.Getenv(listenerEnv))
	if err != nil || fd <= exeFD {
		return -1, fmt.Errorf("no listener descriptor in %s", listenerEnv)
	}
	os.Unsetenv(listenerEnv)
	target, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
	if err != nil {
		return -1, fmt.Errorf("listener descriptor %d: %w", fd, err)
	}
	if target != "anon_inode:seccomp notify" {
		return -1, fmt.Errorf("descriptor %d is %s, not a seccomp listener", fd, target)
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC); err != nil {
		return -1, fmt.Errorf("listener descriptor %d: %w", fd, err)
	}
	return fd, nil
}
