package sim

// This file is the file permission check (the kernel's generic_permission)
// with its user namespace rule: a capability overrides a file's mode only
// where the file's owner is visible.

// Access bits, as in access(2).
const (
	mayExec  = 1
	mayWrite = 2
	mayRead  = 4
)

// The capabilities that override file permissions.
const (
	CapDACOverride   Capability = 1
	CapDACReadSearch Capability = 2
)

// mayAccess reports whether t may access n for mask (mayRead, mayWrite,
// mayExec, or'ed).
func (k *Kernel) mayAccess(t *Task, n *inode, mask uint32) bool {
	c := t.creds
	var bits uint32
	switch {
	case n.uid == c.FSUID:
		bits = n.perm >> 6 & 7
	case n.gid == c.FSGID || inGroups(n.gid, c.Groups):
		bits = n.perm >> 3 & 7
	default:
		bits = n.perm & 7
	}
	if bits&mask == mask {
		return true
	}
	// capabilities(7) and user_namespaces(7): CAP_DAC_OVERRIDE and
	// CAP_DAC_READ_SEARCH apply to a file only if "the process has the
	// capability in its user namespace and the file's UID and GID are
	// mapped in it" (capable_wrt_inode_uidgid).
	_, uidOK := c.UserNS.UIDOf(n.uid)
	_, gidOK := c.UserNS.GIDOf(n.gid)
	if !uidOK || !gidOK {
		return false
	}
	if c.HasCapabilityIn(CapDACOverride, c.UserNS) {
		// Execution still needs an execute bit somewhere, or a directory.
		if mask&mayExec != 0 && !n.isDir() && n.perm&0o111 == 0 {
			return false
		}
		return true
	}
	if mask&mayWrite == 0 && c.HasCapabilityIn(CapDACReadSearch, c.UserNS) {
		return mask&mayExec == 0 || n.isDir()
	}
	return false
}

func inGroups(g KGID, groups []KGID) bool {
	for _, x := range groups {
		if x == g {
			return true
		}
	}
	return false
}
