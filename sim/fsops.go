package sim

// This file is the system calls behind ln, cp, chmod and mknod: symlink(2),
// link(2), chmod(2) and mknod(2), with the kernel's checks in its order.

// CapFowner, CapFsetid and CapMknod are the capabilities chmod(2) and
// mknod(2) check.
const (
	CapFowner Capability = 3
	CapFsetid Capability = 4
	CapMknod  Capability = 27
)

// createAt resolves name for a new entry, as filename_create does: EEXIST
// when it exists, the lookup's error when its directory does not, EROFS on
// a read-only mount, ENOENT in procfs and sysfs (which make no files), and
// EACCES without write and search permission on the directory.
func (k *Kernel) createAt(t *Task, name string) (resolved, error) {
	r, err := k.lookup(t, name, false)
	if err == nil {
		return r, EEXIST
	}
	if err != ENOENT || r.parent == nil {
		return r, err
	}
	if r.parent.list != nil || r.parent.lookupFn != nil || r.mnt.sb.fstype == "proc" || r.mnt.sb.fstype == "sysfs" {
		return r, ENOENT
	}
	if r.mnt.ro() {
		return r, EROFS
	}
	if !k.mayWrite(t, r.parent) {
		return r, EACCES
	}
	return r, nil
}

// Symlink is symlink(2): a link at name that points to target.
func (k *Kernel) Symlink(t *Task, target, name string) error {
	r, err := k.createAt(t, name)
	if err != nil {
		return err
	}
	n := r.mnt.sb.newInode(kindSymlink, 0o777)
	n.uid, n.gid, n.mtime, n.target = t.creds.FSUID, t.creds.FSGID, k.now, target
	r.parent.children[r.name] = n
	return nil
}

// Link is link(2): name becomes another name of oldname's inode. "EPERM
// oldpath is a directory"; "EXDEV oldpath and newpath are not on the same
// mounted filesystem".
func (k *Kernel) Link(t *Task, oldname, name string) error {
	old, err := k.lookup(t, oldname, false)
	if err != nil {
		return err
	}
	r, err := k.createAt(t, name)
	if err != nil {
		return err
	}
	if old.node.isDir() {
		return EPERM
	}
	if old.mnt != r.mnt {
		return EXDEV
	}
	old.node.extraLinks++
	old.node.mtime = k.now
	r.parent.children[r.name] = old.node
	return nil
}

// ownerOrCapable is inode_owner_or_capable: the caller's file system UID
// owns the inode, or it has CAP_FOWNER in its user namespace and the
// owner is mapped there.
func (k *Kernel) ownerOrCapable(t *Task, n *inode) bool {
	if n.uid == t.creds.FSUID {
		return true
	}
	_, mapped := t.creds.UserNS.UIDOf(n.uid)
	return mapped && t.creds.HasCapabilityIn(CapFowner, t.creds.UserNS)
}

// Chmod is chmod(2). procfs refuses every mode change (proc_setattr:
// EPERM); otherwise only the owner or a holder of CAP_FOWNER may, and the
// set-group-ID bit of a file whose group the caller is not in is dropped
// unless it has CAP_FSETID (setattr_prepare).
func (k *Kernel) Chmod(t *Task, name string, mode uint32) error {
	r, err := k.lookup(t, name, true)
	if err != nil {
		return err
	}
	n := r.node
	if r.mnt.sb.fstype == "proc" || n.gen != nil || n.list != nil || n.lookupFn != nil {
		return EPERM
	}
	if r.mnt.ro() {
		return EROFS
	}
	if !k.ownerOrCapable(t, n) {
		return EPERM
	}
	if mode&0o2000 != 0 && !inGroups(n.gid, t.creds.Groups) && n.gid != t.creds.FSGID {
		_, mapped := t.creds.UserNS.GIDOf(n.gid)
		if !mapped || !t.creds.HasCapabilityIn(CapFsetid, t.creds.UserNS) {
			mode &^= 0o2000
		}
	}
	n.perm = mode & 0o7777
	return nil
}

// Mknod is mknod(2) of a character or block device: "EPERM The caller is
// not privileged (Linux: does not have the CAP_MKNOD capability)", which
// vfs_mknod asks of the initial user namespace, after the checks of the
// new name.
func (k *Kernel) Mknod(t *Task, name string, block bool, mode uint32, major, minor int) error {
	r, err := k.createAt(t, name)
	if err != nil {
		return err
	}
	if !t.creds.HasCapabilityIn(CapMknod, k.machineUser) {
		return EPERM
	}
	kind := kindChar
	if block {
		kind = kindBlock
	}
	n := r.mnt.sb.newInode(kind, mode&0o7777)
	n.uid, n.gid, n.mtime, n.rdev = t.creds.FSUID, t.creds.FSGID, k.now, [2]int{major, minor}
	r.parent.children[r.name] = n
	return nil
}

// Unlink is unlink(2) of a name that is not a directory.
func (k *Kernel) Unlink(t *Task, name string) error {
	r, err := k.lookup(t, name, false)
	if err != nil {
		return err
	}
	switch {
	case r.node.isDir():
		return EISDIR
	case r.parent == nil || r.parent.list != nil || r.parent.lookupFn != nil:
		return EACCES
	case r.mnt.ro():
		return EROFS
	case r.mnt.point == r.path:
		return EBUSY
	case !k.mayWrite(t, r.parent):
		return EACCES
	}
	if r.node.extraLinks > 0 {
		r.node.extraLinks--
	} else {
		r.mnt.sb.release(r.node)
	}
	delete(r.parent.children, r.name)
	return nil
}
