package sim

import (
	"path"
	"strings"
)

// This file attaches trees of mounts and propagates them, as the kernel's
// attach_recursive_mnt and propagate_mnt do: a bind mount copies its
// source (and with MS_REC every mount below it) into a detached tree; the
// tree is attached at the target, and when the target's mount is shared, a
// copy of the whole tree goes to each of its peers and slaves, placed at
// the same file in each. mount_namespaces(7) shows the result: rbinding /
// twice under a shared root makes the mount count explode.

// mountCopy is one mount of a tree about to be attached.
type mountCopy struct {
	sb         *superblock
	root, opts string
	// rel is its mount point below the tree's top ("" for the top); up is
	// its parent's index in the tree (-1 for the top).
	rel        string
	up         int
	shared     int
	master     int
	unbindable bool
	// The locks clone_mnt keeps: a copy of a locked mount is locked
	// alike (the top of a bind is unlocked, its flags stay locked).
	locked      bool
	lockFlags   MountFlags
	atimeLocked bool
}

// copyOf is the mountCopy of m, with its locks.
func copyOf(m *Mount, root, rel string, up int) mountCopy {
	return mountCopy{sb: m.sb, root: root, opts: m.opts, rel: rel, up: up, shared: m.shared, master: m.master,
		locked: m.locked, lockFlags: m.lockFlags, atimeLocked: m.atimeLocked}
}

// bindTree is copy_tree for a bind mount of the file at srcPath, inside
// mount src: the top clones src (keeping its peer group and master, as
// clone_mnt does) from that file; with recursive, every mount below whose
// mount point lies under srcPath follows, except unbindable ones and what
// is under them.
func bindTree(src *Mount, srcPath string, recursive bool) []mountCopy {
	rel := strings.TrimPrefix(srcPath, src.point)
	tree := []mountCopy{copyOf(src, path.Join(src.root, "/"+rel), "", -1)}
	// do_loopback: "mnt->mnt.mnt_flags &= ~MNT_LOCKED".
	tree[0].locked = false
	if !recursive {
		return tree
	}
	index := map[*Mount]int{src: 0}
	for _, c := range src.treeOrder()[1:] {
		up, ok := index[c.parent]
		if !ok || c.unbindable {
			continue
		}
		if c.parent == src && !under(c.point, srcPath) {
			continue
		}
		index[c] = len(tree)
		tree = append(tree, copyOf(c, c.root, strings.TrimPrefix(c.point, strings.TrimSuffix(srcPath, "/")), up))
	}
	return tree
}

// under reports whether p is dir or below it.
func under(p, dir string) bool {
	return dir == "/" || p == dir || strings.HasPrefix(p, dir+"/")
}

// attachTree attaches tree at point under parent and propagates it; it
// returns the tree's top mount.
func (k *Kernel) attachTree(parent *Mount, point string, tree []mountCopy) *Mount {
	if parent.shared != 0 {
		// invent_group_ids: below a shared mount every new mount is
		// shared, in a new peer group unless it already has one.
		for i := range tree {
			if tree[i].shared == 0 {
				tree[i].shared = k.allocGroupID()
			}
		}
	}
	// The receivers are found before the tree is attached: propagate_one
	// skips the mounts the operation itself makes.
	peers, slaves := k.receivers(parent)
	top := k.placeTree(parent, point, tree, func(c *Mount, s mountCopy) {
		c.shared, c.master, c.unbindable = s.shared, s.master, s.unbindable
	})
	for _, r := range peers {
		if p, ok := receiverPoint(parent, r, point); ok {
			k.lockAcross(parent, r, k.placeTree(r, p, tree, func(c *Mount, s mountCopy) { c.shared, c.master = s.shared, s.master }))
		}
	}
	for _, r := range slaves {
		if p, ok := receiverPoint(parent, r, point); ok {
			k.lockAcross(parent, r, k.placeTree(r, p, tree, func(c *Mount, s mountCopy) {
				c.master = s.shared
				if r.shared != 0 {
					c.shared = k.allocGroupID()
				}
			}))
		}
	}
	return top
}

// lockAcross locks a copy that propagated from parent's namespace into a
// receiver r whose namespace another user namespace owns, as
// attach_recursive_mnt does ("Notice when we are propagating across user
// namespaces"): every mount of the copy is locked, except that the top
// may itself be unmounted. mount_namespaces(7): "a subtree that
// propagated as a unit into a less privileged mount namespace" can be
// unmounted only as a whole.
func (k *Kernel) lockAcross(parent, r *Mount, top *Mount) {
	if r.ns.owner == parent.ns.owner {
		return
	}
	for _, m := range top.subtree() {
		m.lock()
	}
	top.locked = false
}

// placeTree makes the mounts of tree at point under parent, in tree order.
func (k *Kernel) placeTree(parent *Mount, point string, tree []mountCopy, set func(*Mount, mountCopy)) *Mount {
	made := make([]*Mount, len(tree))
	for i, s := range tree {
		par, pt := parent, point
		if s.up >= 0 {
			par, pt = made[s.up], path.Join(point, s.rel)
		}
		made[i] = k.newMount(parent.ns, par, pt, s.sb, s.root, s.opts)
		made[i].locked, made[i].lockFlags, made[i].atimeLocked = s.locked, s.lockFlags, s.atimeLocked
		set(made[i], s)
	}
	return made[0]
}

// receiverPoint is where a mount at point under parent lands in receiver
// r: at the same file of the file system, which must lie inside r's root
// (propagate_one: "is_subdir(mp->m_dentry, m->mnt.mnt_root)").
func receiverPoint(parent, r *Mount, point string) (string, bool) {
	file := path.Join(parent.root, "/"+strings.TrimPrefix(point, strings.TrimSuffix(parent.point, "/")))
	if r.sb != parent.sb || !under(file, r.root) {
		return "", false
	}
	return path.Join(r.point, "/"+strings.TrimPrefix(file, strings.TrimSuffix(r.root, "/"))), true
}

// optsFlags are the per-mount flags that mount options (as mountinfo shows
// them) stand for.
func optsFlags(opts string) MountFlags {
	var f MountFlags
	for _, o := range strings.Split(opts, ",") {
		f |= map[string]MountFlags{"ro": MSRdonly, "nosuid": MSNosuid, "nodev": MSNodev, "noexec": MSNoexec, "noatime": MSNoatime}[o]
	}
	return f
}

// remountBind is mount(2) with MS_REMOUNT|MS_BIND (do_reconfigure_mnt):
// the mount's own flags become flags', leaving the file system alone.
func (k *Kernel) remountBind(r resolved, flags MountFlags) error {
	m := r.mnt
	if m.point != r.path {
		return EINVAL
	}
	if !m.canChangeLockedFlags(flags) {
		return EPERM
	}
	m.opts = mountOpts(flags, "")
	return nil
}

// hasLockedChildren is has_locked_children: whether a locked mount sits
// on dir or below it, directly on m.
func (m *Mount) hasLockedChildren(dir string) bool {
	for _, c := range m.children {
		if c.locked && under(c.point, dir) {
			return true
		}
	}
	return false
}

// canChangeLockedFlags is can_change_locked_flags: a remount of m (with
// or without MS_BIND) may not clear a flag locked with the mount, nor
// change a locked atime setting: "EPERM ... an attempt was made to modify
// (mount -o remount) a locked flag" (mount_namespaces(7)).
func (m *Mount) canChangeLockedFlags(flags MountFlags) bool {
	for _, f := range []MountFlags{MSRdonly, MSNosuid, MSNodev, MSNoexec} {
		if m.lockFlags&f != 0 && flags&f == 0 {
			return false
		}
	}
	return !m.atimeLocked || atimeSetting(m.opts) == atimeSetting(mountOpts(flags, ""))
}

// atimeSetting is the atime option of per-mount options as mountinfo
// shows them: "noatime", "relatime", or "" for strictatime.
func atimeSetting(opts string) string {
	for _, o := range strings.Split(opts, ",") {
		if o == "noatime" || o == "relatime" {
			return o
		}
	}
	return ""
}
