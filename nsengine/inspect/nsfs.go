//go:build linux

package inspect

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/nslab/nslab/nsstate"
	"golang.org/x/sys/unix"
)

// nsKey names one namespace: its type and its inode on nsfs.
type nsKey struct {
	t   nsstate.NSType
	ino uint64
}

func (k nsKey) id() string { return nsstate.NSID(k.t, k.ino) }

// readNSLink reads /proc/PID/ns/TYPE, "pid:[4026532001]", into an inode
// without allocating: it is read eight times per process. path is
// relative to dirfd (unix.AT_FDCWD for an absolute path).
func readNSLink(dirfd int, path string, buf []byte) (uint64, error) {
	n, err := unix.Readlinkat(dirfd, path, buf)
	if err != nil {
		return 0, fmt.Errorf("readlink %s: %w", path, err)
	}
	ino, ok := parseNSLink(buf[:n])
	if !ok {
		return 0, fmt.Errorf("readlink %s: %q is not TYPE:[INODE]", path, buf[:n])
	}
	return ino, nil
}

// parseNSLink takes the inode from a namespace link's text.
func parseNSLink(b []byte) (uint64, bool) {
	open := -1
	for i, c := range b {
		if c == '[' {
			open = i
			break
		}
	}
	if open < 1 || len(b) < open+3 || b[len(b)-1] != ']' {
		return 0, false
	}
	var ino uint64
	for _, c := range b[open+1 : len(b)-1] {
		d := uint64(c - '0')
		if c < '0' || c > '9' || ino > (1<<64-1-d)/10 {
			return 0, false
		}
		ino = ino*10 + d
	}
	return ino, true
}

// nsNode is what the inspector learns about one namespace from the nsfs
// ioctls (ioctl_ns(2)).
type nsNode struct {
	key nsKey
	// parent is the parent's inode for pid and user namespaces; 0 where
	// there is none, where it was not asked (the lab host's own, whose
	// parent lies outside the lab), or where the kernel refuses.
	parent uint64
	// owner is the inode of the owning user namespace (not for user
	// namespaces); 0 where it was not asked.
	owner    uint64
	parented bool // parent was asked
	owned    bool // owner was asked
	// members are real-machine PIDs of lab processes in the namespace, in
	// the order the inspector found them.
	members []int
}

// nsTree caches nsNodes for one snapshot.
type nsTree struct {
	nodes map[nsKey]*nsNode
	host  map[nsstate.NSType]uint64
}

func (t *nsTree) node(k nsKey) *nsNode {
	n := t.nodes[k]
	if n == nil {
		n = &nsNode{key: k}
		t.nodes[k] = n
	}
	return n
}

// walkParents asks the kernel for the parent chain of a pid or user
// namespace, given an open fd of it, up to the lab host's namespace of
// that type or the top. fd stays open.
func (t *nsTree) walkParents(k nsKey, fd int) error {
	var opened []int // the walk's own fds; the caller's fd stays open
	defer func() {
		for _, f := range opened {
			unix.Close(f)
		}
	}()
	for {
		n := t.node(k)
		if n.parented || k.ino == t.host[k.t] {
			return nil
		}
		n.parented = true
		pfd, err := unix.IoctlRetInt(fd, unix.NS_GET_PARENT)
		if err != nil {
			// EPERM: the parent lies outside the inspector's own
			// namespace, so this is the top as far as it can see.
			if errors.Is(err, unix.EPERM) {
				return nil
			}
			return fmt.Errorf("NS_GET_PARENT of %s: %w", k.id(), err)
		}
		opened = append(opened, pfd)
		ino, err := fdInode(pfd)
		if err != nil {
			return err
		}
		n.parent = ino
		k, fd = nsKey{k.t, ino}, pfd
	}
}

// askOwner asks for the user namespace that owns a namespace (not a user
// namespace), and that owner's parent chain. fd stays open.
func (t *nsTree) askOwner(k nsKey, fd int) error {
	n := t.node(k)
	if n.owned || k.t == nsstate.NSUser {
		return nil
	}
	n.owned = true
	ofd, err := unix.IoctlRetInt(fd, unix.NS_GET_USERNS)
	if err != nil {
		if errors.Is(err, unix.EPERM) {
			return nil
		}
		return fmt.Errorf("NS_GET_USERNS of %s: %w", k.id(), err)
	}
	defer unix.Close(ofd)
	ino, err := fdInode(ofd)
	if err != nil {
		return err
	}
	n.owner = ino
	return t.walkParents(nsKey{nsstate.NSUser, ino}, ofd)
}

// inLab reports whether a pid or user namespace is the lab host's of its
// type or lies below it.
func (t *nsTree) inLab(k nsKey) bool {
	for depth := 0; depth <= 64; depth++ {
		if k.ino == t.host[k.t] {
			return true
		}
		n := t.nodes[k]
		if n == nil || n.parent == 0 {
			return false
		}
		k = nsKey{k.t, n.parent}
	}
	return false
}

func fdInode(fd int) (uint64, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return 0, fmt.Errorf("fstat namespace fd: %w", err)
	}
	return st.Ino, nil
}

// openNS opens /proc/PID/ns/TYPE.
func openNS(procfs string, pid int, t nsstate.NSType) (int, error) {
	p := procfs + "/" + strconv.Itoa(pid) + "/ns/" + string(t)
	fd, err := unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("open %s: %w", p, err)
	}
	return fd, nil
}
