//go:build linux

package nsengine

import (
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// setnsTypeOffset is the low 32 bits of args[1], setns's nstype, which
// the kernel takes as an int (little-endian, see nativeAuditArch).
const setnsTypeOffset = 16 + 8*1

// joinUserNamespaceErrno is what a check that tries to join a user
// namespace sees.
const joinUserNamespaceErrno = unix.EPERM

// checkUserNamespaceFilter is a seccomp program that refuses setns into a
// user namespace: nstype CLONE_NEWUSER (an nsfs file or a pidfd), or 0 (a
// namespace file of any type, a user namespace's included). Other calls
// and other namespace types run on to the lab's filter.
func checkUserNamespaceFilter() ([]unix.SockFilter, error) {
	arch, ok := nativeAuditArch[runtime.GOARCH]
	if !ok {
		return nil, fmt.Errorf("seccomp: no filter for %s", runtime.GOARCH)
	}
	const (
		ld   = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
		jeq  = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
		jset = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K
		ret  = unix.BPF_RET | unix.BPF_K
	)
	deny := unix.SECCOMP_RET_ERRNO | uint32(joinUserNamespaceErrno)
	return []unix.SockFilter{
		{Code: ld, K: archOffset},
		{Code: jeq, K: arch, Jt: 1, Jf: 0},
		{Code: ret, K: deny}, // the lab's filter refuses them anyway
		{Code: ld, K: nrOffset},
		{Code: jeq, K: unix.SYS_SETNS, Jt: 1, Jf: 0},
		{Code: ret, K: unix.SECCOMP_RET_ALLOW},
		{Code: ld, K: setnsTypeOffset},
		{Code: jeq, K: 0, Jt: 2, Jf: 0},
		{Code: jset, K: unix.CLONE_NEWUSER, Jt: 1, Jf: 0},
		{Code: ret, K: unix.SECCOMP_RET_ALLOW},
		{Code: ret, K: deny},
	}, nil
}

// denyCheckJoiningUserNamespaces adds checkUserNamespaceFilter to the
// calling thread's seccomp filters. It stops a check, or a program the
// lab's root plants where a check runs one, from joining the lab's own
// user namespace: the kernel gives whoever joins a user namespace every
// capability in it with a full bounding set, so the check would get back
// what the lab's bounding set drops (dropBoundingCapabilities), such as
// CAP_SYS_RESOURCE to raise the lab's namespace limits
// (limitLabNamespaces). The lab's root cannot join its own namespace
// (the kernel refuses re-entry), and a check needs no user namespace to
// act in the lab's namespaces and the learner's nested ones: as the owner
// of the lab's namespace it holds every capability in them already.
func denyCheckJoiningUserNamespaces() error {
	prog, err := checkUserNamespaceFilter()
	if err != nil {
		return err
	}
	_, err = loadSeccompFilter(prog, 0)
	return err
}
