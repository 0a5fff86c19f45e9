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
// for "not available" and live with.

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
	// Kernels, modules, file handles, swap and accounting belong to the
	// real machine (most need privileges the lab lacks anyway).
	unix.SYS_KEXEC_LOAD, unix.SYS_KEXEC_FILE_LOAD,
	unix.SYS_INIT_MODULE, unix.SYS_FINIT_MODULE, unix.SYS_DELETE_MODULE,
	unix.SYS_OPEN_BY_HANDLE_AT, unix.SYS_NAME_TO_HANDLE_AT,
	unix.SYS_SWAPON, unix.SYS_SWAPOFF, unix.SYS_ACCT,
}

// nativeAuditArch is the AUDIT_ARCH of the architectures the filter knows.
var nativeAuditArch = map[string]uint32{
	"amd64": unix.AUDIT_ARCH_X86_64,
	"arm64": unix.AUDIT_ARCH_AARCH64,
}

// x32SyscallBit marks x32 system calls on amd64: same numbers, other
// table, so the filter refuses them all.
const x32SyscallBit = 0x40000000

// seccompFilter builds the BPF program: other architectures' calls (32-bit
// compat entry points number their calls differently, so a filter by number
// would let them by) and the denied calls get ENOSYS, the rest runs.
func seccompFilter() ([]unix.SockFilter, error) {
	arch, ok := nativeAuditArch[runtime.GOARCH]
	if !ok {
		return nil, fmt.Errorf("seccomp: no filter for %s", runtime.GOARCH)
	}
	const (
		archOffset = 4 // struct seccomp_data: int nr; __u32 arch; …
		nrOffset   = 0
	)
	stmt := func(code uint16, k uint32) unix.SockFilter { return unix.SockFilter{Code: code, K: k} }
	jump := func(code uint16, k uint32, jt, jf uint8) unix.SockFilter {
		return unix.SockFilter{Code: code, K: k, Jt: jt, Jf: jf}
	}
	// Layout: n checks, then "allow" (where checks fall through to), then
	// "deny" (where they jump). An instruction at index i reaches deny
	// with the offset n-i.
	var prog []unix.SockFilter
	n := 3 + len(deniedSyscalls)
	if runtime.GOARCH == "amd64" {
		n++
	}
	toDeny := func() uint8 { return uint8(n - len(prog)) }
	prog = append(prog, stmt(unix.BPF_LD|unix.BPF_W|unix.BPF_ABS, archOffset))
	prog = append(prog, jump(unix.BPF_JMP|unix.BPF_JEQ|unix.BPF_K, arch, 0, toDeny()))
	prog = append(prog, stmt(unix.BPF_LD|unix.BPF_W|unix.BPF_ABS, nrOffset))
	if runtime.GOARCH == "amd64" {
		prog = append(prog, jump(unix.BPF_JMP|unix.BPF_JGE|unix.BPF_K, x32SyscallBit, toDeny(), 0))
	}
	for _, nr := range deniedSyscalls {
		prog = append(prog, jump(unix.BPF_JMP|unix.BPF_JEQ|unix.BPF_K, uint32(nr), toDeny(), 0))
	}
	prog = append(prog, stmt(unix.BPF_RET|unix.BPF_K, unix.SECCOMP_RET_ALLOW))
	prog = append(prog, stmt(unix.BPF_RET|unix.BPF_K, unix.SECCOMP_RET_ERRNO|uint32(unix.ENOSYS)))
	return prog, nil
}

// installSeccomp loads the filter on the calling thread, init's main
// thread, which every lab process is forked from and so inherits it. It
// stops a lab from reaching the kernel interfaces listed in
// deniedSyscalls. no_new_privs, which seccomp needs, is set before.
func installSeccomp() error {
	prog, err := seccompFilter()
	if err != nil {
		return err
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	if err := unix.Prctl(unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_FILTER, uintptr(unsafe.Pointer(&fprog)), 0, 0); err != nil {
		return fmt.Errorf("seccomp: %w", err)
	}
	runtime.KeepAlive(prog)
	return nil
}
