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
	if n.access != nil {
		return n.access(t, mask)
	}
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

// CapSysPtrace overrides the ptrace access check.
const CapSysPtrace Capability = 19

// mayReadProcess is the ptrace access check in PTRACE_MODE_READ_FSCREDS
// mode that guards another process's /proc/PID/ns links, environ, cwd,
// root and exe (__ptrace_may_access and cap_ptrace_access_check): the
// same IDs, and either the same user namespace with no capability the
// target has and the caller lacks, or CAP_SYS_PTRACE in the target's user
// namespace. Anything else is EACCES for the reader.
func mayReadProcess(caller, target *Task) bool {
	if caller == target {
		return true
	}
	c, tc := caller.creds, target.creds
	sameIDs := c.FSUID == tc.EUID && c.FSUID == tc.SavedUID && c.FSUID == tc.RealUID &&
		c.FSGID == tc.EGID && c.FSGID == tc.SavedGID && c.FSGID == tc.RealGID
	if !sameIDs && !c.HasCapabilityIn(CapSysPtrace, tc.UserNS) {
		return false
	}
	if c.UserNS == tc.UserNS && tc.Permitted&^c.Effective == 0 {
		return true
	}
	return c.HasCapabilityIn(CapSysPtrace, tc.UserNS)
}
