//go:build linux

package nsengine

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// runFilter interprets the few BPF instructions seccompFilter uses.
// arg1 is the call's second argument (ioctl's request), all 64 bits.
func runFilter(t *testing.T, prog []unix.SockFilter, arch uint32, nr uint32, arg1 uint64) uint32 {
	t.Helper()
	return runFilterArgs(t, prog, arch, nr, [6]uint64{1: arg1})
}

// runFilterArgs is runFilter with all six arguments of the call.
func runFilterArgs(t *testing.T, prog []unix.SockFilter, arch uint32, nr uint32, args [6]uint64) uint32 {
	t.Helper()
	var acc uint32
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		switch in.Code {
		case unix.BPF_LD | unix.BPF_W | unix.BPF_ABS:
			switch in.K {
			case 0:
				acc = nr
			case 4:
				acc = arch
			default:
				// args[i] at 16+8i, little-endian: the low half first.
				i, half := (int(in.K)-16)/8, (in.K-16)%8
				if in.K < 16 || i >= len(args) || half%4 != 0 {
					t.Fatalf("load from offset %d", in.K)
				}
				acc = uint32(args[i] >> (8 * half))
			}
		case unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K, unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K:
			hit := acc == in.K
			switch in.Code & 0xf0 {
			case unix.BPF_JGE:
				hit = acc >= in.K
			case unix.BPF_JSET:
				hit = acc&in.K != 0
			}
			if hit {
				pc += int(in.Jt)
			} else {
				pc += int(in.Jf)
			}
		case unix.BPF_RET | unix.BPF_K:
			return in.K
		default:
			t.Fatalf("instruction %#x", in.Code)
		}
	}
	t.Fatal("the filter runs off its end")
	return 0
}

func TestSeccompFilter(t *testing.T) {
	prog, err := seccompFilter()
	if err != nil {
		t.Fatalf("%v: add the architecture to nativeAuditArch", err)
	}
	arch := nativeAuditArch[runtime.GOARCH]
	deny := unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)
	for _, nr := range deniedSyscalls {
		if got := runFilter(t, prog, arch, uint32(nr), 0); got != deny {
			t.Errorf("syscall %d: %#x, want deny", nr, got)
		}
	}
	for _, nr := range []uintptr{unix.SYS_READ, unix.SYS_CLONE, unix.SYS_UNSHARE, unix.SYS_SETNS, unix.SYS_PIVOT_ROOT} {
		if got := runFilter(t, prog, arch, uint32(nr), 0); got != unix.SECCOMP_RET_ALLOW {
			t.Errorf("syscall %d: %#x, want allow", nr, got)
		}
	}
	if got := runFilter(t, prog, 0x40000003 /* AUDIT_ARCH_I386 */, uint32(unix.SYS_READ), 0); got != deny {
		t.Errorf("another architecture's call: %#x, want deny", got)
	}
	// ioctl's request is compared as the kernel reads it: the low 32 bits.
	denyIoctl := unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)
	for _, c := range []struct {
		name string
		cmd  uint64
		want uint32
	}{
		{"TIOCSTI", unix.TIOCSTI, denyIoctl},
		{"TIOCSTI with upper bits", 0xffffffff_00000000 | unix.TIOCSTI, denyIoctl},
		{"TIOCSTI with one upper bit", 1<<32 | unix.TIOCSTI, denyIoctl},
		{"TIOCLINUX", unix.TIOCLINUX, denyIoctl},
		{"TIOCLINUX with upper bits", 0xdead0000_00000000 | unix.TIOCLINUX, denyIoctl},
		{"TCGETS", unix.TCGETS, unix.SECCOMP_RET_ALLOW},
		{"TIOCSWINSZ", unix.TIOCSWINSZ, unix.SECCOMP_RET_ALLOW},
		{"TIOCSTI+1", unix.TIOCSTI + 1, unix.SECCOMP_RET_ALLOW},
	} {
		if got := runFilter(t, prog, arch, uint32(unix.SYS_IOCTL), c.cmd); got != c.want {
			t.Errorf("ioctl %s (%#x): %#x, want %#x", c.name, c.cmd, got, c.want)
		}
	}
	// TIOCSTI's number as another call's second argument is no matter.
	if got := runFilter(t, prog, arch, uint32(unix.SYS_WRITE), unix.TIOCSTI); got != unix.SECCOMP_RET_ALLOW {
		t.Errorf("write with TIOCSTI's number as an argument: %#x, want allow", got)
	}
	for _, nr := range []uintptr{unix.SYS_CLONE3, unix.SYS_IOCTL} {
		if got := runFilter(t, prog, arch, uint32(nr), 0); got != unix.SECCOMP_RET_ALLOW {
			t.Errorf("syscall %d: %#x, want allow", nr, got)
		}
	}
}

// Sockets: the family is compared as the kernel reads it (an int, the low
// 32 bits of the argument), for socket and socketpair alike.
func TestSeccompSocketFamilies(t *testing.T) {
	prog, err := seccompFilter()
	if err != nil {
		t.Fatal(err)
	}
	arch := nativeAuditArch[runtime.GOARCH]
	deny := unix.SECCOMP_RET_ERRNO | uint32(unix.EAFNOSUPPORT)
	for _, nr := range []uintptr{unix.SYS_SOCKET, unix.SYS_SOCKETPAIR} {
		for _, c := range []struct {
			family uint64
			want   uint32
		}{
			{unix.AF_UNIX, unix.SECCOMP_RET_ALLOW},
			{unix.AF_INET, unix.SECCOMP_RET_ALLOW},
			{unix.AF_INET6, unix.SECCOMP_RET_ALLOW},
			{unix.AF_NETLINK, unix.SECCOMP_RET_ALLOW},
			{unix.AF_PACKET, unix.SECCOMP_RET_ALLOW},
			{1<<32 | unix.AF_INET, unix.SECCOMP_RET_ALLOW}, // the kernel drops the upper bits
			{unix.AF_VSOCK, deny},
			{1<<32 | unix.AF_VSOCK, deny},
			{unix.AF_ALG, deny},
			{unix.AF_BLUETOOTH, deny},
			{unix.AF_KEY, deny},
			{unix.AF_TIPC, deny},
			{unix.AF_UNSPEC, deny},
			{0xffffffff, deny},
		} {
			if got := runFilterArgs(t, prog, arch, uint32(nr), [6]uint64{c.family}); got != c.want {
				t.Errorf("syscall %d, family %#x: %#x, want %#x", nr, c.family, got, c.want)
			}
		}
	}
	// The family's number as another call's first argument is no matter.
	if got := runFilterArgs(t, prog, arch, uint32(unix.SYS_WRITE), [6]uint64{unix.AF_VSOCK}); got != unix.SECCOMP_RET_ALLOW {
		t.Errorf("write to fd AF_VSOCK: %#x, want allow", got)
	}
}
