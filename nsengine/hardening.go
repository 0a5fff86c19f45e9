//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Each hardening step is a function of its own, with the attack it stops.
// Most run in a lab's init, inside the lab's fresh namespaces, as the
// lab's root, before init says ready; those that run in the server say
// so. docs/security.md lists them with the test that tries each attack.

// closeInheritedFDs marks every descriptor init got at exec, beyond its
// stdio, close-on-exec. It stops a lab process from inheriting a descriptor
// of the server (an open file or socket that leaked into init) and using it
// to reach outside the lab. Both stages of init run it (see reexecHardened).
// close_range with CLOSE_RANGE_CLOEXEC needs Linux 5.11; the engine needs
// 5.12 (mount_setattr) anyway.
func closeInheritedFDs() error {
	if err := unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC); err != nil {
		return fmt.Errorf("mark inherited descriptors close-on-exec: %w", err)
	}
	return nil
}

// unshareCgroupNamespace roots the cgroup namespace at the lab's own cgroup
// (init is in it by now). It stops the lab from learning where the server
// sits in the real machine's cgroup tree, and from addressing cgroups
// outside its own through cgroup paths. unshare changes the calling thread
// only: reexecHardened makes that thread the whole of init.
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

// The lab's own view of the system folders (overlays with a superblock
// per lab, an /etc of the lab host's own, idmapped lower layers) stops
// spying through shared inodes and reading the machine's identity: see
// labview.go and idmapview.go, where each step says what it stops.

// Size-limited tmpfs for every writable place (see tmpfsOptions) stops a
// lab from filling the real machine's disk or memory; the lab's memory
// cgroup is charged for tmpfs pages too.

// markInheritedFDsCloseOnExec runs in the server: it marks close-on-exec
// every descriptor the server inherited without the flag (Go opens its own
// with it). A forked lab init would otherwise carry them into the lab,
// where the lab's root can reach them through /proc/1/fd: a pipe or
// socket of whatever started the server. Passing descriptors on purpose
// (ExtraFiles, ProcSpec) dups them and is not affected. A descriptor
// closed meanwhile (EBADF: the listing's own, or another goroutine's) is
// fine; any other failure stops the engine.
func markInheritedFDsCloseOnExec() error {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return fmt.Errorf("mark inherited descriptors close-on-exec: %w", err)
	}
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 {
			continue
		}
		flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		if err == nil && flags&unix.FD_CLOEXEC == 0 {
			_, err = unix.FcntlInt(uintptr(fd), unix.F_SETFD, flags|unix.FD_CLOEXEC)
		}
		if err != nil && err != unix.EBADF {
			return fmt.Errorf("mark inherited descriptor %d close-on-exec: %w", fd, err)
		}
	}
	return nil
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
// dispositions too, as they should. The hardened stage of init runs it:
// exec gives caught signals their default back, and the Go runtime then
// installs its handlers again.
func defaultSignalDispositions() error {
	// struct sigaction with sa_handler = SIG_DFL (0) and everything else
	// zero has the same layout on every architecture Linux has for Go.
	var act [4]uint64
	for _, sig := range fatalSignals {
		if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0); e != 0 {
			return fmt.Errorf("default disposition of %v: %w", sig, e)
		}
	}
	return nil
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
//
// If the score cannot be raised, nothing is forked and the start fails. If
// it cannot be lowered back, init would stay the OOM killer's first pick:
// that error is errOOMScoreStuck, and init ends the lab.
func forkPreferredForOOM(fork func() (int, error)) (int, error) {
	const path = "/proc/self/oom_score_adj"
	if err := writeFileDirect(path, []byte("1000"), 0); err != nil {
		return 0, fmt.Errorf("prefer the new process for the OOM killer: %w", err)
	}
	pid, err := fork()
	if rerr := writeFileDirect(path, []byte("0"), 0); rerr != nil {
		return pid, fmt.Errorf("%w: %w", errOOMScoreStuck, rerr)
	}
	return pid, err
}

// errOOMScoreStuck is forkPreferredForOOM's failure to give init its own
// OOM score back.
var errOOMScoreStuck = errors.New("restore init's OOM score")

// startOwnedByLab runs start (which clones the lab's anchor into the lab's
// outer user namespace, see labanchor.go) with the calling thread's effective user ID set to the
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

// droppedCapabilities are taken out of the lab's capability bounding set,
// so no lab process gets them back through exec in the lab's user
// namespace. A user namespace nested in the lab starts with a full bounding
// set again (the kernel resets it in set_cred_user_ns), but capabilities
// there act only on what that nested namespace owns, and the limits of
// every ancestor namespace still apply. None serves a namespace lesson (unshare, mount,
// hostname, ipcmk, nsenter, ip, ps, kill, su keep working); each is the
// key to a kernel interface that belongs to the real machine.
// CAP_SYS_TIME stays: it sets a time namespace's offsets (unshare -T), and
// the real clock needs it in the real machine's user namespace anyway.
var droppedCapabilities = []struct {
	capability uintptr
	why        string
}{
	{unix.CAP_SYS_MODULE, "load kernel modules"},
	{unix.CAP_SYS_RAWIO, "raw I/O ports and memory"},
	{unix.CAP_SYS_BOOT, "reboot, kexec"},
	{unix.CAP_SYS_PACCT, "process accounting"},
	{unix.CAP_SYS_RESOURCE, "raise the lab's namespace and inotify limits (see limitLabNamespaces)"},
	{unix.CAP_MKNOD, "make device nodes"},
	{unix.CAP_AUDIT_CONTROL, "audit rules"},
	{unix.CAP_AUDIT_READ, "the audit log"},
	{unix.CAP_MAC_ADMIN, "security module policy"},
	{unix.CAP_MAC_OVERRIDE, "security module policy"},
	{unix.CAP_SYSLOG, "the kernel log"},
	{unix.CAP_WAKE_ALARM, "wake the machine"},
	{unix.CAP_BLOCK_SUSPEND, "keep the machine from sleeping"},
	{unix.CAP_LINUX_IMMUTABLE, "immutable files"},
	{unix.CAP_BPF, "kernel programs"},
	{unix.CAP_PERFMON, "performance monitoring"},
	{unix.CAP_CHECKPOINT_RESTORE, "choose PIDs, read other processes' maps"},
}

// dropBoundingCapabilities removes droppedCapabilities from the bounding
// set of the calling thread, init's main thread, which reexecHardened then
// makes the whole of init (every lab process is forked from it). It stops
// the capabilities above from being usable in the lab's user namespace: a
// capability the kernel checks there is gone after the next exec, for the
// lab's root and the hardened init too.
func dropBoundingCapabilities() error {
	for _, c := range droppedCapabilities {
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, c.capability, 0, 0, 0); err != nil && err != unix.EINVAL {
			// EINVAL: a kernel older than the capability.
			return fmt.Errorf("drop capability %d (%s): %w", c.capability, c.why, err)
		}
	}
	return nil
}

// labRlimits are resource limits every lab process starts with. The lab's
// root cannot raise a hard limit: that needs CAP_SYS_RESOURCE in the real
// machine's user namespace. RLIMIT_NPROC is left alone: the kernel counts
// it per user ID, and the lab's pids cgroup bounds its tasks already.
var labRlimits = []struct {
	resource int
	limit    unix.Rlimit
	why      string
}{
	{unix.RLIMIT_CORE, unix.Rlimit{Cur: 0, Max: 0}, "no core dumps: they would fill the lab's files, and a crash must not hand the machine's core handler work"},
	{unix.RLIMIT_NOFILE, unix.Rlimit{Cur: 1024, Max: 4096}, "open files per process: kernel memory outside what tmpfs and the memory cgroup count"},
	{unix.RLIMIT_MEMLOCK, unix.Rlimit{Cur: 8 << 20, Max: 8 << 20}, "locked memory, which the kernel cannot swap or reclaim"},
	{unix.RLIMIT_MSGQUEUE, unix.Rlimit{Cur: 800 << 10, Max: 800 << 10}, "POSIX message queue bytes"},
}

// setLabRlimits sets labRlimits on init, whose children inherit them. It
// stops one process of a lab from holding more of the kernel's memory
// than its share (files open, pages locked), and stops core dumps.
func setLabRlimits() error {
	for _, r := range labRlimits {
		// syscall.Setrlimit, not unix: it also tells the Go runtime not to
		// hand children its own saved RLIMIT_NOFILE.
		lim := syscall.Rlimit{Cur: r.limit.Cur, Max: r.limit.Max}
		if err := syscall.Setrlimit(r.resource, &lim); err != nil {
			return fmt.Errorf("rlimit %d (%s): %w", r.resource, r.why, err)
		}
	}
	return nil
}

// labPTYMax caps the PTYs of a lab's own devpts (the max= option). Every
// lab's devpts draws from the machine's reserved PTYs (kernel.pty.reserve,
// see ptypool.go), which the engine sizes for this many per lab; without a
// cap one lab opening /dev/ptmx in a loop would take them all, and no
// other lab could open a terminal. Four terminals of the page and what
// lessons run in them (script, ssh-less tools, nested shells) fit in far
// fewer.
const labPTYMax = 64

// labNamespaceLimits are the lab's own user namespace's limits on what
// namespaces and inotify objects each of its users may create, written to
// the lab's /proc/sys/user.
var labNamespaceLimits = map[string]int{
	"max_user_namespaces":   64,
	"max_pid_namespaces":    64,
	"max_mnt_namespaces":    64,
	"max_net_namespaces":    64,
	"max_uts_namespaces":    64,
	"max_ipc_namespaces":    64,
	"max_cgroup_namespaces": 64,
	"max_time_namespaces":   64,
	"max_inotify_instances": 64,
	"max_inotify_watches":   8192,
	"max_fanotify_groups":   16,
	"max_fanotify_marks":    8192,
}

// limitLabNamespaces writes labNamespaceLimits in the lab's user
// namespace. It stops a lab from exhausting the namespaces and inotify
// objects the kernel would otherwise let its users make: the kernel checks
// these limits at every level of nested user namespaces. Without
// CAP_SYS_RESOURCE (dropped from the bounding set) the lab's root cannot
// raise them again. They bound each of the lab's users apart; the limits
// of the lab's outer user namespace (limitLabTotalNamespaces) bound the
// lab in total however many of its IDs it uses.
func limitLabNamespaces() error {
	return writeUserNamespaceLimits(labNamespaceLimits, "")
}

// writeUserNamespaceLimits writes limits to /proc/sys/user, the limits of
// the calling process's user namespace; what says which namespace's, in
// an error.
func writeUserNamespaceLimits(limits map[string]int, what string) error {
	for name, n := range limits {
		err := writeFileDirect("/proc/sys/user/"+name, []byte(strconv.Itoa(n)), 0)
		if err != nil && !errors.Is(err, os.ErrNotExist) { // older kernels lack some
			return fmt.Errorf("limit %s%s: %w", name, what, err)
		}
	}
	return nil
}

// labDevices are init's own descriptors of the lab's /dev/null and devpts,
// opened while the lab has no process yet, so the lab's root cannot swap
// the paths under init later (a FIFO at /dev/null would block init's open
// and with it every later start; a mount over /dev/pts would hand init a
// terminal of the lab's choosing).
type labDevices struct {
	null   *os.File
	devpts int // O_PATH descriptor of the lab's devpts
}

// openLabDevices opens labDevices and checks they are what they should
// be.
func openLabDevices() (labDevices, error) {
	null, err := os.OpenFile("/dev/null", os.O_RDWR|unix.O_NOFOLLOW, 0)
	if err != nil {
		return labDevices{}, fmt.Errorf("open /dev/null: %w", err)
	}
	devpts, err := unix.Open("/dev/pts", unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		null.Close()
		return labDevices{}, fmt.Errorf("open /dev/pts: %w", err)
	}
	var fs unix.Statfs_t
	if err := unix.Fstatfs(devpts, &fs); err != nil || fs.Type != unix.DEVPTS_SUPER_MAGIC {
		null.Close()
		unix.Close(devpts)
		return labDevices{}, fmt.Errorf("/dev/pts is not a devpts (%v)", err)
	}
	return labDevices{null: null, devpts: devpts}, nil
}

// checkExeSafeFromLabs refuses to run labs from a binary that a lab's IDs
// could write. A lab's init is this binary, and a lab's root can reopen it
// through /proc/1/exe (CVE-2019-5736): the kernel lets it write only if
// the file's owner, group or mode lets the lab's host IDs write. It stops
// the lab's root from overwriting the binary that the server runs as root.
func checkExeSafeFromLabs(exe *os.File, poolLo, poolHi uint64) error {
	var st unix.Stat_t
	if err := unix.Fstat(int(exe.Fd()), &st); err != nil {
		return fmt.Errorf("stat %s: %w", exe.Name(), err)
	}
	inPool := func(id uint32) bool { return uint64(id) >= poolLo && uint64(id) < poolHi }
	switch {
	case st.Mode&0o002 != 0:
		return fmt.Errorf("%s is writable by everyone, so a lab's root could overwrite it through /proc/1/exe: chmod o-w it", exe.Name())
	case inPool(st.Uid):
		return fmt.Errorf("%s belongs to host user %d, one of the labs' IDs: chown it to root", exe.Name(), st.Uid)
	case inPool(st.Gid) && st.Mode&0o020 != 0:
		return fmt.Errorf("%s is writable by group %d, one of the labs' IDs: chmod g-w it", exe.Name(), st.Gid)
	}
	return nil
}
