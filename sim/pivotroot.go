package sim

import "path"

// This file holds pivot_root(2) and util-linux's pivot_root(8).

// PivotRoot is pivot_root(2) for t: "it moves the root mount to the
// directory put_old and makes new_root the new root mount", then "changes
// the root directory and the current working directory of each process
// or thread in the same mount namespace to new_root if they point to the
// old root directory". The checks come in the kernel's order, so that a
// call breaking several rules fails as it does there.
func (k *Kernel) PivotRoot(t *Task, newRoot, putOld string) error {
	ns := t.ns.mnt
	if !t.creds.HasCapabilityIn(CapSysAdmin, ns.owner) {
		return EPERM
	}
	// "new_root and put_old must be directories."
	nr, err := k.lookup(t, newRoot, true)
	if err != nil {
		return err
	}
	if !nr.node.isDir() {
		return ENOTDIR
	}
	or, err := k.lookup(t, putOld, true)
	if err != nil {
		return err
	}
	if !or.node.isDir() {
		return ENOTDIR
	}
	rootPath := t.fullPath("/")
	rr, err := k.lookup(t, "/", true)
	if err != nil {
		return err
	}
	// put_old is locked as a mount point (lock_mount): the topmost mount
	// on it, when there is one, is the one the old root goes on.
	newMnt, rootMnt, oldMnt := nr.mnt, rr.mnt, or.mnt
	if oldMnt.point == or.path {
		oldMnt = topMount(oldMnt, or.path)
	}
	exParent, rootParent := newMnt.parent, rootMnt.parent
	// "The propagation type of the parent mount of new_root and the
	// parent mount of the current root directory must not be MS_SHARED;
	// similarly, if put_old is an existing mount point, its propagation
	// type must not be MS_SHARED." The namespace's root mount hangs on a
	// mount outside it, which is not shared.
	if oldMnt.shared != 0 || exParent != nil && exParent.shared != 0 || rootParent != nil && rootParent.shared != 0 {
		return EINVAL
	}
	// A mount locked in a less privileged namespace cannot become the
	// root: that would uncover what is below it.
	if newMnt.locked {
		return EINVAL
	}
	// "EBUSY new_root or put_old is on the current root mount."
	if newMnt == rootMnt || oldMnt == rootMnt {
		return EBUSY
	}
	// "EINVAL The current root directory is not a mount point (because
	// of an earlier chroot(2))"; "EINVAL new_root is not a mount point."
	if rootMnt.point != rootPath || newMnt.point != nr.path {
		return EINVAL
	}
	// "EINVAL put_old is not at or underneath new_root."
	if !under(or.path, nr.path) {
		return EINVAL
	}
	// new_root must lie under the current root.
	if !under(nr.path, rootPath) {
		return EINVAL
	}
	k.pivot(ns, rootMnt, newMnt, oldMnt, rootPath, nr.path, or.path)
	return nil
}

// pivot moves the mounts: newMnt (at newPath) takes the old root's place
// at rootPath, and rootMnt goes on oldMnt at put_old (oldPath), with
// everything below each; then every task of ns whose root or working
// directory was the old root gets the new one (chroot_fs_refs), and the
// others keep their directories, now at their new paths.
func (k *Kernel) pivot(ns *MountNamespace, rootMnt, newMnt, oldMnt *Mount, rootPath, newPath, oldPath string) {
	// Where a file of the namespace is after the pivot: below new_root it
	// moves up to the root's place; elsewhere in the old root it moves
	// below put_old's new place.
	oldAt := path.Join(rootPath, rel(oldPath, newPath))
	moved := func(p string) string {
		if under(p, newPath) {
			return path.Join(rootPath, rel(p, newPath))
		}
		if under(p, rootPath) {
			return path.Join(oldAt, rel(p, rootPath))
		}
		return p
	}
	inNew := map[*Mount]bool{}
	for _, m := range newMnt.subtree() {
		inNew[m] = true
	}
	for _, m := range rootMnt.subtree() {
		if inNew[m] {
			m.point = path.Join(rootPath, rel(m.point, newPath))
		} else {
			m.point = path.Join(oldAt, rel(m.point, rootPath))
		}
	}
	detachChild(newMnt)
	if rootParent := rootMnt.parent; rootParent != nil {
		detachChild(rootMnt)
		newMnt.parent = rootParent
		rootParent.children = append(rootParent.children, newMnt)
	} else {
		newMnt.parent = nil
		ns.root = newMnt
	}
	rootMnt.parent = oldMnt
	oldMnt.children = append(oldMnt.children, rootMnt)
	// The new root inherits the old one's lock, which the old root loses:
	// it may now be unmounted.
	if rootMnt.locked {
		newMnt.locked, rootMnt.locked = true, false
	}
	for _, x := range k.tasks {
		if x.exited || x.ns.mnt != ns {
			continue
		}
		root, cwd := x.fullPath("/"), x.fullPath(x.cwd)
		newRoot, newCwd := moved(root), moved(cwd)
		if root == rootPath {
			newRoot = rootPath
		}
		if cwd == rootPath {
			newCwd = rootPath
		}
		if x.root != "" || newRoot != "/" {
			x.root = newRoot
		}
		x.cwd = newCwd
		if newRoot != "/" && under(newCwd, newRoot) {
			x.cwd = "/" + rel(newCwd, newRoot)
		}
	}
}

// lookupMountpoint resolves the target of mount(2) or umount(2): the
// topmost mount on it when it is a mount point, "/" included, which a
// plain lookup does not climb (the kernel's lock_mount and
// LOOKUP_MOUNTPOINT).
func (k *Kernel) lookupMountpoint(t *Task, p string) (resolved, error) {
	r, err := k.lookup(t, p, true)
	if err == nil && r.mnt.point == r.path {
		r.mnt = topMount(r.mnt, r.path)
	}
	return r, err
}

// rel is p below dir, without a leading slash ("" for dir itself).
func rel(p, dir string) string {
	if p == dir {
		return ""
	}
	if dir == "/" {
		return p[1:]
	}
	return p[len(dir)+1:]
}

// detachChild takes m off its parent's list of children.
func detachChild(m *Mount) {
	p := m.parent
	if p == nil {
		return
	}
	for i, c := range p.children {
		if c == m {
			p.children = append(p.children[:i], p.children[i+1:]...)
			return
		}
	}
}

// pivotRootProgram is util-linux 2.38's pivot_root(8): "pivot_root
// new_root put_old", which "simply calls pivot_root(2)".
func pivotRootProgram(p *Proc) int {
	spec := optSpec{short: map[byte]int{'h': 0, 'V': 0}, long: map[string]longOpt{"help": {'h', 0}, "version": {'V', 0}}}
	opts, _, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "pivot_root", msg)
	}
	for _, o := range opts {
		switch o.code {
		case 'h':
			p.Printf("\nUsage:\n pivot_root [options] new_root put_old\n\nChange the root filesystem.\n\nOptions:\n -h, --help     display this help\n -V, --version  display version\n\nFor more details see pivot_root(8).\n")
			return 0
		case 'V':
			p.Printf("pivot_root from util-linux 2.38.1\n")
			return 0
		}
	}
	// pivot_root(8) counts its arguments and takes the first two as they
	// are, after getopt has looked for options: "pivot_root -- a" pivots
	// to "--".
	if len(p.Args) != 3 {
		return usageError(p, "pivot_root", "bad usage")
	}
	newRoot, putOld := p.Args[1], p.Args[2]
	if err := p.K.PivotRoot(p.T, newRoot, putOld); err != nil {
		p.Errorf("pivot_root: failed to change root from `%s' to `%s': %s\n", newRoot, putOld, err.Error())
		return 1
	}
	return 0
}
