package sim

import (
	"path"
	"sort"
	"strings"
)

// This file is the simulated file system: in-memory inodes grouped in
// superblocks, reached through the mounts of a mount namespace.

// inodeKind is what an inode is.
type inodeKind int

const (
	kindFile inodeKind = iota
	kindDir
	kindSymlink
	kindChar  // a character device
	kindBlock // a block device
)

// inode is a file, a directory or a symbolic link.
type inode struct {
	ino      uint64
	kind     inodeKind
	perm     uint32
	uid      KUID
	gid      KGID
	children map[string]*inode
	data     []byte
	target   string // symlink target
	program  string // name of the simulated program an executable runs
	devNull  bool   // /dev/null
	rdev     [2]int // a device's major and minor number
	// elf is an ELF file's size and the libraries it needs (elf.go).
	elf *elfImage
	// extraLinks counts the names of a file beyond its first (link(2)).
	extraLinks int
	mtime      int64
	// gen renders a synthetic file's content for a reader (procfs).
	gen func(viewer *Task) string
	// write receives writes to a synthetic file.
	write func(writer *Task, data []byte) error
	// openCheck vets an open for writing of a synthetic file.
	openCheck func(writer *Task) error
	// list renders a synthetic directory's entries for a reader.
	list func(viewer *Task) map[string]*inode
	// lookup finds a synthetic directory's entry.
	lookupFn func(viewer *Task, name string) *inode
	// guard vets a reader of a synthetic file or link (procfs's ptrace
	// access check); nil allows everyone.
	guard func(viewer *Task) error
	// access replaces the permission bits' check (sysctls,
	// proc_sys_permission); nil uses them.
	access func(t *Task, mask uint32) bool
	// ovl is the overlay directory a merged directory shows
	// (overlayfs.go); nlink, when set, is its link count.
	ovl   *ovlDir
	nlink int
}

func (n *inode) isDir() bool { return n.kind == kindDir }

// superblock is one file system instance.
type superblock struct {
	fstype   string
	source   string
	major    int
	minor    int
	opts     string // super options, as in mountinfo's last field
	root     *inode
	readOnly bool
	// pidns is the PID namespace a proc file system shows.
	pidns *PIDNamespace
	// ns is the namespace an nsfs file stands for: a bind mount of it
	// keeps the namespace alive.
	ns      Namespace
	nextIno uint64
	// limit is a tmpfs's size in bytes (0: none); used is what its files
	// hold.
	limit, used int64
	// owner is the user namespace that made a devpts instance, whose
	// CAP_SYS_ADMIN a remount needs; nil for the mount namespace's owner.
	owner *UserNamespace
	// noDevNodes is SB_I_NODEV: mounted from inside a user namespace, its
	// device nodes do not open (nodev.go).
	noDevNodes bool
}

func (sb *superblock) newInode(kind inodeKind, perm uint32) *inode {
	sb.nextIno++
	n := &inode{ino: sb.nextIno, kind: kind, perm: perm}
	if kind == kindDir {
		n.children = map[string]*inode{}
	}
	return n
}

// mkdirAll makes the directories of p (slash-separated, from sb's root).
func (sb *superblock) mkdirAll(p string, perm uint32) *inode {
	cur := sb.root
	for _, part := range splitPath(p) {
		next := cur.children[part]
		if next == nil {
			next = sb.newInode(kindDir, perm)
			cur.children[part] = next
		}
		cur = next
	}
	return cur
}

// addFile puts a regular file at p.
func (sb *superblock) addFile(p string, perm uint32, data string) *inode {
	dir := sb.mkdirAll(path.Dir(p), 0o755)
	f := sb.newInode(kindFile, perm)
	f.data = []byte(data)
	dir.children[path.Base(p)] = f
	return f
}

// addSymlink puts a symbolic link at p.
func (sb *superblock) addSymlink(p, target string) {
	dir := sb.mkdirAll(path.Dir(p), 0o755)
	l := sb.newInode(kindSymlink, 0o777)
	l.target = target
	dir.children[path.Base(p)] = l
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

// dirEntries returns a directory's entries for a reader, sorted by name.
func (n *inode) entries(viewer *Task) ([]string, map[string]*inode) {
	m := n.children
	if n.list != nil {
		m = n.list(viewer)
	}
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return names, m
}

// child looks up one entry of a directory.
func (n *inode) child(viewer *Task, name string) *inode {
	if n.lookupFn != nil {
		return n.lookupFn(viewer, name)
	}
	if n.list != nil {
		return n.list(viewer)[name]
	}
	return n.children[name]
}

// resolved is the result of a path lookup: the mount the inode was found
// under, the inode, and the absolute path (symbolic links followed).
type resolved struct {
	mnt  *Mount
	node *inode
	path string
	// parent is the directory holding the last component, when it exists.
	parent *inode
	name   string
}

// maxSymlinks is the kernel's limit of links followed in one lookup.
const maxSymlinks = 40

// lookup resolves p (absolute, or relative to t's working directory) in
// t's mount namespace. With follow, a symbolic link in the last component
// is followed too. A missing last component gives ENOENT with r.parent set
// so that callers can create it.
func (k *Kernel) lookup(t *Task, p string, follow bool) (resolved, error) {
	if !strings.HasPrefix(p, "/") {
		p = t.cwd + "/" + p
	}
	// A path starts at the task's root directory, which ".." does not
	// leave (chroot(2)).
	rootParts := splitPath(t.root)
	links := 0
	parts := splitPath(p)
	if len(rootParts) > 0 {
		parts = append(append([]string(nil), rootParts...), parts...)
	}
	// The walk starts on the namespace's root mount, not on what is
	// mounted over it: a task's root is the mount it was on (a mount on
	// "/" hides nothing from it, and pivot_root's "pivot_root . ." leaves
	// the old root stacked on the new one, out of the way).
	mnt := t.ns.mnt.root
	node, err := mnt.rootInode()
	if err != nil {
		return resolved{}, err
	}
	cur := "/"
	var curStack []resolved // for ".."
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		if part == ".." {
			if len(curStack) > len(rootParts) {
				last := curStack[len(curStack)-1]
				curStack = curStack[:len(curStack)-1]
				mnt, node, cur = last.mnt, last.node, last.path
			}
			continue
		}
		if !node.isDir() {
			return resolved{}, ENOTDIR
		}
		// Going through a directory needs search permission on it.
		if !k.mayAccess(t, node, mayExec) {
			return resolved{}, EACCES
		}
		next := node.child(t, part)
		nextPath := path.Join(cur, part)
		if next == nil {
			if i == len(parts)-1 {
				return resolved{mnt: mnt, path: nextPath, parent: node, name: part}, ENOENT
			}
			return resolved{}, ENOENT
		}
		if next.guard != nil && (next.kind != kindSymlink || follow || i < len(parts)-1) {
			if err := next.guard(t); err != nil {
				return resolved{}, err
			}
		}
		if next.kind == kindSymlink && (follow || i < len(parts)-1) {
			links++
			if links > maxSymlinks {
				return resolved{}, ELOOP
			}
			target := next.target
			if next.gen != nil {
				target = next.gen(t)
			}
			rest := append(splitPath(target), parts[i+1:]...)
			if strings.HasPrefix(target, "/") {
				rest = append(append([]string(nil), rootParts...), rest...)
				mnt = t.ns.mnt.root
				node, _ = mnt.rootInode()
				cur = "/"
				curStack = nil
			}
			parts = rest
			i = -1
			continue
		}
		curStack = append(curStack, resolved{mnt: mnt, node: node, path: cur})
		// A mount on nextPath hides what is below it.
		if m := mountAt(mnt, nextPath); m != nil {
			mnt = m
			next, err = mnt.rootInode()
			if err != nil {
				return resolved{}, err
			}
		}
		node, cur = next, nextPath
		if i == len(parts)-1 {
			return resolved{mnt: mnt, node: node, path: cur, parent: curStack[len(curStack)-1].node, name: part}, nil
		}
	}
	return resolved{mnt: mnt, node: node, path: cur}, nil
}

// topMount follows mounts stacked on m's own mount point.
func topMount(m *Mount, point string) *Mount {
	for {
		next := m.childAt(point)
		if next == nil {
			return m
		}
		m = next
	}
}

// mountAt returns the topmost mount on point whose parent is m.
func mountAt(m *Mount, point string) *Mount {
	c := m.childAt(point)
	if c == nil {
		return nil
	}
	return topMount(c, point)
}
