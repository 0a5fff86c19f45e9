package sim

// This file is the kernel's rule for opening device nodes (may_open_dev):
// a character or block device opens only on a mount without nodev, of a
// file system that was not mounted from inside a user namespace (alloc_super
// gives those SB_I_NODEV), else open(2) fails with EACCES before any
// permission check. An overlayfs whiteout, a 0/0 character device, is
// such a node: the lab's own file systems refuse to open it.

// mayOpenDev is may_open_dev for the node r names.
func mayOpenDev(r resolved) error {
	if r.node == nil || r.node.kind != kindChar && r.node.kind != kindBlock {
		return nil
	}
	if optsFlags(r.mnt.opts)&MSNodev != 0 || r.mnt.sb.noDevNodes {
		return EACCES
	}
	return nil
}
