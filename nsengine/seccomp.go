//go:build linux

package nsengine

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A seccomp filter takes from the lab the system calls no lesson needs and
// whose kernel code has been the door of many privilege escalations. They
// fail with ENOSYS, as on a kernel built without them, which programs take
// for "not available" and live with. Two terminal ioctls fail with EPERM,
// as they do on kernels that turn them off (dev.tty.legacy_tiocsti=0).
// Sockets of the address families no lesson needs fail with
// EAFNOSUPPORT, as for a family the kernel lacks.
//
// clone and clone3 stay allowed although CLONE_NEWUSER cannot be told
// apart in clone3 (its flags sit in memory, which seccomp cannot read):
// lessons create nested user namespaces (unshare -U), so both must work.
// The kernel confines a nested user namespace to the lab's own IDs.

// deniedSyscalls are the calls a lab does without, and why.
var deniedSyscalls = []uintptr{
	// Keyrings are not namespaced: keys would be shared across labs of
	// the machine's other users.
	unix.SYS_KEYCTL, unix.SYS_ADD_KEY, unix.SYS_REQUEST_KEY,
	// Kernel programs, tracing and profiling: large attack surface,
	// nothing for a namespace lesson.
	unix.SYS_BPF, unix.SYS_PERF_EVENT_OPEN,
	// userfaultfd turns kernel races into reliable exploits.
	unix.SYS_USERFAULTFD,
	// io_uring: a second system call interface with its own history of
	// escapes.
	unix.SYS_IO_URING_SETUP, unix.SYS_IO_URING_ENTER, unix.SYS_IO_URING_REGISTER,
	// Linux AIO: its contexts come from one pool of the whole machine
	// (fs.aio-max-nr) that no namespace or cgroup divides, so one lab
	// could take it all and leave the real machine's root with EAGAIN.
	unix.SYS_IO_SETUP, unix.SYS_IO_DESTROY, unix.SYS_IO_SUBMIT, unix.SYS_IO_CANCEL,
	unix.SYS_IO_GETEVENTS, unix.SYS_IO_PGETEVENTS,
	// Kernels, modules, file handles, swap and accounting belong to the
	// real machine (most need privileges the lab lacks anyway).
	unix.SYS_KEXEC_LOAD, unix.SYS_KEXEC_FILE_LOAD,
	unix.SYS_INIT_MODULE, unix.SYS_FINIT_MODULE, unix.SYS_DELETE_MODULE,
	unix.SYS_OPEN_BY_HANDLE_AT, unix.SYS_NAME_TO_HANDLE_AT,
	unix.SYS_SWAPON, unix.SYS_SWAPOFF, unix.SYS_ACCT,
	// reboot in a PID namespace would end the namespace's init: in the
	// lab host that is the whole lab, which the visitor did not mean.
	unix.SYS_REBOOT,
	// mincore tells which pages of a mapped file are in the page cache,
	// which the lab shares with the machine and every other lab: a lab
	// would watch, page by page, which programs and libraries they run.
	// The kernel answers truly only to the file's owner or to whom may
	// write it, and the idmapped system folders (idmapview.go) make the
	// lab's root the owner of the machine's files there.
	unix.SYS_MINCORE,
}

// deniedIoctls are terminal requests a lab does without. TIOCSTI pushes
// bytes into a terminal's input as if typed: a process that can open or
// inherit another terminal would type commands into the shell on it.
// TIOCLINUX does the same through the console's selection buffer.
var deniedIoctls = []uint32{unix.TIOCSTI, unix.TIOCLINUX}

// allowedSocketFamilies are the address families a lab may make sockets
// of, with socket(2) and socketpair(2): Unix sockets, IPv4 and IPv6 (in
// the lab's own network namespace), netlink (ip, ss, the resolver) and
// packet sockets (tcpdump; they see the lab's own interfaces only). The
// other families no lesson needs, and some reach past the network
// namespace: an AF_VSOCK port is one of the whole machine (a lab that
// binds it makes the real machine's bind of the same port fail), and
// AF_ALG, AF_TIPC, AF_RDS, AF_CAN, AF_BLUETOOTH, AF_KEY, AF_XDP … are
// kernel code of their own with their own history of escapes. They fail
// with EAFNOSUPPORT, as on a kernel built without them.
var allowedSocketFamilies = []uint32{unix.AF_UNIX, unix.AF_INET, unix.AF_INET6, unix.AF_NETLINK, unix.AF_PACKET}

// deniedSyscallErrno, deniedIoctlErrno and deniedSocketErrno are what the
// lab sees.
const (
	deniedSyscallErrno = unix.ENOSYS
	deniedIoctlErrno   = unix.EPERM
	deniedSocketErrno  = unix.EAFNOSUPPORT
)

// nativeAuditArch is the AUDIT_ARCH of the architectures the filter knows
// (both little-endian: see ioctlCmdOffset).
var nativeAuditArch = map[string]uint32{
	"amd64": unix.AUDIT_ARCH_X86_64,
	"arm64": unix.AUDIT_ARCH_AARCH64,
}

// x32SyscallBit marks x32 system calls on amd64: same numbers, other
// table, so the filter refuses them all.
const x32SyscallBit = 0x40000000

// Offsets into struct seccomp_data: int nr; __u32 arch; __u64
// instruction_pointer; __u64 args[6].
const (
	nrOffset   = 0
	archOffset = 4
	// ioctlCmdOffset is the low 32 bits of args[1], ioctl's request, on a
	// little-endian machine. The kernel's ioctl takes the request as an
	// unsigned int and drops the upper 32 bits, so the filter compares
	// the low 32 bits alone: TIOCSTI with upper bits set is still TIOCSTI.
	ioctlCmdOffset = 16 + 8*1
	// socketFamilyOffset is the low 32 bits of args[0], the family of
	// socket and socketpair, which the kernel takes as an int.
	socketFamilyOffset = 16 + 8*0
)

// seccompFilter builds the BPF program: other architectures' calls (32-bit
// compat entry points number their calls differently, so a filter by number
// would let them by) and the denied calls get ENOSYS, denied ioctls EPERM,
// sockets of other families than allowedSocketFamilies EAFNOSUPPORT, the
// rest runs. (amd64 and arm64 have no socketcall(2) to go around it.)
func seccompFilter() ([]unix.SockFilter, error) {
	arch, ok := nativeAuditArch[runtime.GOARCH]
	if !ok {
		return nil, fmt.Errorf("seccomp: no filter for %s", runtime.GOARCH)
	}
	// A tiny assembler: jumps name a label, resolved at the end (BPF
	// jumps go forward only, by at most 255 instructions).
	type fixup struct {
		at     int
		jt, jf string
	}
	var (
		prog   []unix.SockFilter
		fixups []fixup
		labels = map[string]int{}
	)
	stmt := func(code uint16, k uint32) {
		prog = append(prog, unix.SockFilter{Code: code, K: k})
	}
	jump := func(code uint16, k uint32, jt, jf string) {
		fixups = append(fixups, fixup{len(prog), jt, jf})
		prog = append(prog, unix.SockFilter{Code: code, K: k})
	}
	label := func(name string) { labels[name] = len(prog) }
	const (
		ld   = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
		jeq  = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
		jge  = unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K
		jset = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K
		ret  = unix.BPF_RET | unix.BPF_K
		next = "" // fall through
	)
	stmt(ld, archOffset)
	jump(jeq, arch, next, "deny")
	stmt(ld, nrOffset)
	if runtime.GOARCH == "amd64" {
		jump(jge, x32SyscallBit, "deny", next)
	}
	jump(jeq, unix.SYS_IOCTL, "ioctl", next)
	jump(jeq, unix.SYS_SOCKET, "socket", next)
	jump(jeq, unix.SYS_SOCKETPAIR, "socket", next)
	jump(jeq, unix.SYS_MOUNT, "mount", next)
	jump(jeq, unix.SYS_FSCONFIG, "fsconfig", next)
	for _, nr := range deniedSyscalls {
		jump(jeq, uint32(nr), "deny", next)
	}
	label("allow")
	stmt(ret, unix.SECCOMP_RET_ALLOW)
	label("deny")
	stmt(ret, unix.SECCOMP_RET_ERRNO|uint32(deniedSyscallErrno))
	label("ioctl")
	stmt(ld, ioctlCmdOffset)
	for _, cmd := range deniedIoctls {
		jump(jeq, cmd, "deny ioctl", next)
	}
	stmt(ret, unix.SECCOMP_RET_ALLOW)
	label("deny ioctl")
	stmt(ret, unix.SECCOMP_RET_ERRNO|uint32(deniedIoctlErrno))
	label("socket")
	stmt(ld, socketFamilyOffset)
	for _, f := range allowedSocketFamilies {
		jump(jeq, f, "allow socket", next)
	}
	stmt(ret, unix.SECCOMP_RET_ERRNO|uint32(deniedSocketErrno))
	label("allow socket")
	stmt(ret, unix.SECCOMP_RET_ALLOW)
	// Calls that may make a file system parse options, and so print to
	// the kernel log, go by the engine's mount budget (mountbudget.go).
	label("mount")
	stmt(ld, mountFlagsOffset)
	jump(jset, mountUnbudgetedFlags, "allow mount", "budget")
	label("fsconfig")
	stmt(ld, fsconfigCmdOffset)
	jump(jge, fsconfigCmdCreate, "budget", "allow mount")
	label("allow mount")
	stmt(ret, unix.SECCOMP_RET_ALLOW)
	label("budget")
	stmt(ret, unix.SECCOMP_RET_USER_NOTIF)
	for _, f := range fixups {
		for _, j := range []struct {
			name string
			off  *uint8
		}{{f.jt, &prog[f.at].Jt}, {f.jf, &prog[f.at].Jf}} {
			if j.name == next {
				continue
			}
			d := labels[j.name] - f.at - 1
			if d < 0 || d > 255 {
				return nil, fmt.Errorf("seccomp: jump to %s out of reach", j.name)
			}
			*j.off = uint8(d)
		}
	}
	return prog, nil
}

// installSeccomp loads the filter on the calling thread, init's main
// thread, which reexecHardened then makes the whole of init: every thread
// of init and every lab process inherit the filter. It stops a lab from
// reaching the kernel interfaces listed in deniedSyscalls. no_new_privs,
// which seccomp needs, is set before. It returns the filter's listener,
// which init hands to the engine for the mount budget and closes before
// any lab process exists.
func installSeccomp() (listener int, err error) {
	prog, err := seccompFilter()
	if err != nil {
		return -1, err
	}
	fd, err := loadSeccompFilter(prog, unix.SECCOMP_FILTER_FLAG_NEW_LISTENER)
	if err != nil {
		return -1, err
	}
	return int(fd), nil
}

// loadSeccompFilter adds prog to the calling thread's seccomp filters
// with flags; with SECCOMP_FILTER_FLAG_NEW_LISTENER it returns the
// listener's descriptor.
func loadSeccompFilter(prog []unix.SockFilter, flags uintptr) (uintptr, error) {
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	r, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, flags, uintptr(unsafe.Pointer(&fprog)))
	runtime.KeepAlive(prog)
	if e != 0 {
		return 0, fmt.Errorf("seccomp: %w", e)
	}
	return r, nil
}
