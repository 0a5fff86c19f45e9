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
}

// bindTree is copy_tree for a bind mount of the file at srcPath, inside
// mount src: the top clones src (keeping its peer group and master, as
// clone_mnt does) from that file; with recursive, every mount below whose
// mount point lies under srcPath follows, except unbindable ones and what
// is under them.
func bindTree(src *Mount, srcPath string, recursive bool) []mountCopy {
	rel := strings.TrimPrefix(srcPath, src.point)
	tree := []mountCopy{{sb: src.sb, root: path.Join(src.root, "/"+rel), opts: src.opts, up: -1, shared: src.shared, master: src.master}}
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
		tree = append(tree, mountCopy{sb: c.sb, root: c.root, opts: c.opts, rel: strings.TrimPrefix(c.point, strings.TrimSuffix(srcPath, "/")), up: up, shared: c.shared, master: c.master})
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
			k.placeTree(r, p, tree, func(c *Mount, s mountCopy) { c.shared, c.master = s.shared, s.master })
		}
	}
	for _, r := range slaves {
		if p, ok := receiverPoint(parent, r, point); ok {
			k.placeTree(r, p, tree, func(c *Mount, s mountCopy) {
				c.master = s.shared
				if r.shared != 0 {
					c.shared = k.allocGroupID()
				}
			})
		}
	}
	return top
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
// the mount's own flags become flags', leaving the file system alone. A
// flag locked with the mount cannot be cleared, nor its atime setting
// changed (can_change_locked_flags: EPERM).
func (k *Kernel) remountBind(r resolved, flags MountFlags) error {
	m := r.mnt
	if m.point != r.path {
		return EINVAL
	}
	for _, f := range []MountFlags{MSRdonly, MSNosuid, MSNodev, MSNoexec} {
		if m.lockFlags&f != 0 && flags&f == 0 {
			return EPERM
		}
	}
	if m.locked && optsFlags(m.opts)&MSNoatime != flags&MSNoatime {
		return EPERM
	}
	m.opts = mountOpts(flags, "")
	return nil
}
