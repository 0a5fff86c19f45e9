//go:build linux

package nsengine

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Each hardening step of a lab's init is a function of its own, with the
// attack it stops. They run inside the lab's fresh namespaces, as the lab's
// root, before init says ready.

// closeInheritedFDs marks every descriptor init got at exec, beyond its
// stdio, close-on-exec. It stops a lab process from inheriting a descriptor
// of the server (an open file or socket that leaked into init) and using it
// to reach outside the lab.
func closeInheritedFDs() {
	unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC)
}

// unshareCgroupNamespace roots the cgroup namespace at the lab's own cgroup
// (init is in it by now). It stops the lab from learning where the server
// sits in the real machine's cgroup tree, and from addressing cgroups
// outside its own through cgroup paths. unshare changes the calling thread
// only, which is why init forks every child from its locked main thread.
func unshareCgroupNamespace() error {
	if err := unix.Unshare(unix.CLONE_NEWCGROUP); err != nil {
		return fmt.Errorf("cgroup namespace: %w", err)
	}
	return nil
}

// setNoNewPrivs sets no_new_privs for init and so for every process of the
// lab. It stops a setuid or file-capability binary from raising a lab
// process above the lab root's own privileges, and is what a later seccomp
// filter needs.
func setNoNewPrivs() error {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("no_new_privs: %w", err)
	}
	return nil
}

// makeMountsPrivate cuts the lab's copy of the mount table off from the
// real machine's. It stops mounts made in the lab from propagating to the
// real machine (and the real machine's new mounts from showing up in the
// lab).
func makeMountsPrivate() error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make mounts private: %w", err)
	}
	return nil
}

// readOnlyBind makes a recursive bind read-only, nosuid and nodev. It
// stops the lab from writing to the real machine's system folders, from
// running setuid binaries found there with their owner's rights, and from
// opening device nodes through them.
func readOnlyBind(path string) error {
	attr := &unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY | unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NODEV}
	if err := unix.MountSetattr(unix.AT_FDCWD, path, unix.AT_RECURSIVE, attr); err != nil {
		return fmt.Errorf("make %s read-only: %w", path, err)
	}
	return nil
}

// detachOldRoot lets go of the real machine's root after pivot_root. It
// stops the lab from reaching the real machine's file systems through the
// old root, which would otherwise stay mounted under the new one.
func detachOldRoot() error {
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detach old root: %w", err)
	}
	return unix.Chdir("/")
}

// Size-limited tmpfs for every writable place (see tmpfsOptions) stops a
// lab from filling the real machine's disk or memory; the lab's memory
// cgroup is charged for tmpfs pages too.

// markInheritedFDsCloseOnExec runs in the server: it marks close-on-exec
// every descriptor the server inherited without the flag (Go opens its own
// with it). A forked lab init would otherwise carry them into the lab,
// where the lab's root can reach them through /proc/1/fd: a pipe or
// socket of whatever started the server. Passing descriptors on purpose
// (ExtraFiles, ProcSpec) dups them and is not affected.
func markInheritedFDsCloseOnExec() {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 {
			continue
		}
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && flags&unix.FD_CLOEXEC == 0 {
			unix.FcntlInt(uintptr(fd), unix.F_SETFD, flags|unix.FD_CLOEXEC)
		}
	}
}

// fatalSignals are the signals whose default action ends or stops a
// process; the Go runtime installs handlers for them.
var fatalSignals = []unix.Signal{
	unix.SIGHUP, unix.SIGINT, unix.SIGQUIT, unix.SIGTERM, unix.SIGUSR1, unix.SIGUSR2,
	unix.SIGALRM, unix.SIGVTALRM, unix.SIGXCPU, unix.SIGXFSZ, unix.SIGIO, unix.SIGPWR,
	unix.SIGSTKFLT, unix.SIGTSTP, unix.SIGTTIN, unix.SIGTTOU,
}

// defaultSignalDispositions gives init's fatal signals their default
// disposition back from the Go runtime's handlers. It stops a lab process
// from killing or stopping the lab's init (and so ending the whole lab)
// with kill: the kernel drops a signal sent to a PID namespace's init from
// inside the namespace when init has no handler for it. The engine's
// SIGKILL, from outside, still ends init. Children start with these
// dispositions too, as they should.
func defaultSignalDispositions() {
	// struct sigaction with sa_handler = SIG_DFL (0) and everything else
	// zero has the same layout on every architecture Linux has for Go.
	var act [4]uint64
	for _, sig := range fatalSignals {
		unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0)
	}
}

// forkPreferredForOOM runs fork in init with init's oom_score_adj at 1000
// for the moment, so the child inherits 1000 from its first instruction
// on (setting it after the fork would race with the child's own forks).
// It stops a lab that fills its memory from having the OOM killer pick
// init, often the lab's largest process, and so end the whole lab. Every
// lab process gets the same score, which raises them all alike: among them
// the killer still picks the largest. Raising a score and lowering it back
// to 0 needs no privilege; lowering init's below 0 instead would need
// CAP_SYS_RESOURCE on the real machine, which a server in a container may
// lack, and children would inherit it.
func forkPreferredForOOM(fork func() (int, error)) (int, error) {
	os.WriteFile("/proc/self/oom_score_adj", []byte("1000"), 0)
	defer os.WriteFile("/proc/self/oom_score_adj", []byte("0"), 0)
	return fork()
}

// startOwnedByLab runs start (which clones the lab's init into its new
// user namespace) with the calling thread's effective user ID set to the
// lab's first host ID, so that the kernel records that ID, not the
// server's root, as the owner of the lab's user namespace. It stops one
// lab from exhausting the real machine's per-user counts: the kernel
// charges what a nested namespace creates (inotify instances, user, mount,
// pid... namespaces) up the chain of user namespaces, and at the real
// machine's level to the owner of the lab's namespace. Owned by root, a
// lab that opens 128 inotify instances takes the last of root's (systemd's
// and the server's included); owned by the lab's own ID, it takes its own.
//
// It must run on a locked thread (the spawner's): setresuid through the
// raw system call changes that thread only, and SECBIT_NO_SETUID_FIXUP
// keeps the thread's capabilities meanwhile, which writing the new
// namespace's uid_map and gid_map needs. Where securebits cannot be set
// (a server without CAP_SETPCAP), start runs as it is and a warning says
// what is lost.
func startOwnedByLab(base uint32, start func() error, log *slog.Logger) error {
	old, err := unix.PrctlRetInt(unix.PR_GET_SECUREBITS, 0, 0, 0, 0)
	if err == nil {
		err = unix.Prctl(unix.PR_SET_SECUREBITS, uintptr(old|secbitNoSetuidFixup), 0, 0, 0)
	}
	if err != nil {
		log.Warn("lab user namespace owned by the server's user: labs share its inotify and namespace counts", "err", err)
		return start()
	}
	keep := ^uintptr(0) // -1: leave that ID as it is
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, keep, uintptr(base), keep); e != 0 {
		unix.Prctl(unix.PR_SET_SECUREBITS, uintptr(old), 0, 0, 0)
		log.Warn("lab user namespace owned by the server's user: labs share its inotify and namespace counts", "err", e)
		return start()
	}
	defer func() {
		// The thread goes on spawning labs: it must be root again. With
		// its capabilities kept this cannot fail; if it did, the thread
		// would spawn with wrong IDs, so stop here.
		if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, keep, 0, keep); e != 0 {
			panic("spawner thread cannot return to root: " + e.Error())
		}
		unix.Prctl(unix.PR_SET_SECUREBITS, uintptr(old), 0, 0, 0)
	}()
	return start()
}

// secbitNoSetuidFixup is SECBIT_NO_SETUID_FIXUP of <linux/securebits.h>.
const secbitNoSetuidFixup = 1 << 2
