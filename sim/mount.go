package sim

import "strings"

// This file is the simulated mount table: mounts, mount namespaces and
// the propagation rules of mount_namespaces(7).

// Mount is one mount: a superblock (from root inside it) attached at a
// mount point of its parent.
type Mount struct {
	id       int
	parent   *Mount
	point    string // absolute path in the namespace
	sb       *superblock
	root     string // path inside sb, "/" unless a bind mount
	opts     string // per-mount options: rw,nosuid,nodev,noexec,relatime
	ns       *MountNamespace
	children []*Mount

	// Propagation: shared is the peer group id (0: not shared); master is
	// the peer group this mount receives from (0: not a slave).
	shared     int
	master     int
	unbindable bool
	// locked marks mounts that came as a unit from a more privileged
	// namespace: "mounts that come as a single unit from a more privileged
	// mount namespace are locked together and may not be separated in a
	// less privileged mount namespace" (mount_namespaces(7)).
	locked bool
	// lockFlags are the per-mount flags locked with it (MNT_LOCK_*): the
	// ones it had when copied into a less privileged namespace, which a
	// remount there may not clear (mountprop.go).
	lockFlags MountFlags
	// atimeLocked is MNT_LOCK_ATIME: the atime setting (relatime,
	// noatime, strictatime) may not change either.
	atimeLocked bool
}

// lock is lock_mnt_tree for one mount, done to every mount that comes into
// a less privileged mount namespace: "mounts that come as a single unit
// from a more privileged mount namespace are locked together" and "the
// MS_RDONLY, MS_NOSUID, MS_NOEXEC, and the "atime" flags ... become
// locked" (mount_namespaces(7)); nodev too.
func (m *Mount) lock() {
	m.locked = true
	m.atimeLocked = true
	m.lockFlags |= optsFlags(m.opts) & (MSRdonly | MSNosuid | MSNodev | MSNoexec)
}

// childAt returns the last-attached child of m on point.
func (m *Mount) childAt(point string) *Mount {
	for i := len(m.children) - 1; i >= 0; i-- {
		if m.children[i].point == point {
			return m.children[i]
		}
	}
	return nil
}

// rootInode returns the inode at the mount's root.
func (m *Mount) rootInode() (*inode, error) {
	n := m.sb.root
	for _, part := range splitPath(m.root) {
		n = n.child(nil, part)
		if n == nil {
			return nil, ENOENT
		}
	}
	return n, nil
}

// MountNamespace is a simulated mount namespace: a tree of mounts.
type MountNamespace struct {
	nsCommon
	root   *Mount
	mounts []*Mount // in the order /proc/PID/mountinfo lists them
	// rootParentID is the parent ID mountinfo shows for the root mount,
	// which lies outside the namespace.
	rootParentID int
}

// allocMountID gives the lowest free mount ID (the kernel's mnt_id_ida).
func (k *Kernel) allocMountID() int {
	for id := k.firstMountID; ; id++ {
		if !k.mountIDs[id] {
			k.mountIDs[id] = true
			return id
		}
	}
}

// allocGroupID gives the lowest free peer group ID (mnt_group_ida).
func (k *Kernel) allocGroupID() int {
	for id := 1; ; id++ {
		if !k.groupIDs[id] {
			k.groupIDs[id] = true
			return id
		}
	}
}

// newMount makes a mount of sb (from root) at point under parent in ns.
func (k *Kernel) newMount(ns *MountNamespace, parent *Mount, point string, sb *superblock, root, opts string) *Mount {
	m := &Mount{id: k.allocMountID(), parent: parent, point: point, sb: sb, root: root, opts: opts, ns: ns}
	if parent != nil {
		parent.children = append(parent.children, m)
	}
	ns.mounts = append(ns.mounts, m)
	return m
}

// copyMountNamespace is copy_mnt_ns: the new namespace gets a copy of
// every mount of old, in the same order. "When a new mount namespace is
// created, its mount list is initialized as a copy of the mount list of
// the caller's mount namespace" (mount_namespaces(7)). Shared copies stay
// peers of the originals, except: "If the new namespace and the namespace
// from which the mount point list was copied are owned by different user
// namespaces, then the new mount namespace is considered less privileged
// ... shared mounts are reduced to slave mounts."
func (k *Kernel) copyMountNamespace(old *MountNamespace, owner *UserNamespace) *MountNamespace {
	ns := &MountNamespace{}
	ns.nsCommon = k.newNSCommon(NSMnt, ns)
	ns.owner = owner
	lessPrivileged := owner != old.owner
	// Every namespace has an invisible rootfs mount under its root, as the
	// kernel's has; it takes a mount ID and is the root's parent.
	ns.rootParentID = k.allocMountID()
	copies := map[*Mount]*Mount{}
	// copy_tree walks the tree depth first, each mount's children in the
	// order they were attached, so the copy lists mounts in that order.
	for _, m := range old.root.treeOrder() {
		var parent *Mount
		if m.parent != nil {
			parent = copies[m.parent]
		}
		c := k.newMount(ns, parent, m.point, m.sb, m.root, m.opts)
		c.shared, c.master, c.unbindable = m.shared, m.master, m.unbindable
		c.locked, c.lockFlags, c.atimeLocked = m.locked, m.lockFlags, m.atimeLocked
		if lessPrivileged {
			c.lock()
			if c.shared != 0 {
				c.master = c.shared
				c.shared = 0
			}
		}
		copies[m] = c
		if m == old.root {
			ns.root = c
		}
	}
	return ns
}

// mountinfoLine renders m as /proc/PID/mountinfo does for a reader whose
// root is in ns.
func (m *Mount) mountinfoLine(viewer *Task) string {
	var b strings.Builder
	pid := m.id
	switch {
	case m.parent != nil:
		pid = m.parent.id
	case m.ns != nil && m.ns.root == m:
		pid = m.ns.rootParentID
	}
	b.WriteString(itoa(m.id))
	b.WriteByte(' ')
	b.WriteString(itoa(pid))
	b.WriteByte(' ')
	b.WriteString(itoa(m.sb.major) + ":" + itoa(m.sb.minor))
	b.WriteByte(' ')
	b.WriteString(escapeMountPath(m.root))
	b.WriteByte(' ')
	b.WriteString(escapeMountPath(viewer.visiblePath(m.point)))
	b.WriteByte(' ')
	b.WriteString(m.opts)
	for _, f := range m.propagationFields(viewer) {
		b.WriteByte(' ')
		b.WriteString(f)
	}
	b.WriteString(" - ")
	b.WriteString(m.sb.fstype)
	b.WriteByte(' ')
	b.WriteString(m.sb.source)
	b.WriteByte(' ')
	b.WriteString(m.sb.opts)
	return b.String()
}

// propagationFields are mountinfo's optional fields. A slave also shows
// "propagate_from:X" when its master's peer group has no mount the viewer
// can reach: X is "the ID of the closest dominant peer group under the
// process's root", when it differs from the master (mount_namespaces(7),
// "Dominance and propagate_from").
func (m *Mount) propagationFields(viewer *Task) []string {
	var out []string
	if m.shared != 0 {
		out = append(out, "shared:"+itoa(m.shared))
	}
	if m.master != 0 {
		out = append(out, "master:"+itoa(m.master))
		if dom := m.dominatingGroup(viewer); dom != 0 && dom != m.master {
			out = append(out, "propagate_from:"+itoa(dom))
		}
	}
	if m.unbindable {
		out = append(out, "unbindable")
	}
	return out
}

// dominatingGroup is get_dominating_id: going up m's chain of masters, the
// first peer group with a member in m's namespace that lies under the
// viewer's root (0: none).
func (m *Mount) dominatingGroup(viewer *Task) int {
	seen := map[int]bool{}
	for g := m.master; g != 0 && !seen[g]; {
		seen[g] = true
		next := 0
		for _, x := range m.ns.mounts {
			if x.shared != g {
				continue
			}
			if viewer.seesMount(x) {
				return g
			}
			if next == 0 {
				next = x.master
			}
		}
		if next == 0 && viewer != nil {
			// The group's members may all be in other namespaces: its
			// master is theirs.
			next = viewer.k.groupMaster(g)
		}
		g = next
	}
	return 0
}

// escapeMountPath escapes space, tab, newline and backslash as the kernel's
// seq_path does (\040 …).
func escapeMountPath(p string) string {
	if !strings.ContainsAny(p, " \t\n\\") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case ' ', '\t', '\n', '\\':
			b.WriteString("\\0" + string('0'+c>>3&7) + string('0'+c&7))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// setPropagation is mount(2) with MS_SHARED, MS_PRIVATE, MS_SLAVE or
// MS_UNBINDABLE on m (and with recursive, on every mount below it).
func (k *Kernel) setPropagation(m *Mount, typ string, recursive bool) {
	list := []*Mount{m}
	if recursive {
		list = m.subtree()
	}
	for _, x := range list {
		switch typ {
		case "shared":
			x.unbindable = false
			if x.shared == 0 {
				x.shared = k.allocGroupID()
			}
		case "private":
			k.leaveGroup(x)
			x.master, x.unbindable = 0, false
		case "slave":
			// "If the mount is a member of a peer group ... it becomes a
			// slave of that peer group"; a mount that is not shared and
			// not a slave is unchanged by MS_SLAVE except private stays
			// private.
			if x.shared != 0 {
				g := x.shared
				k.leaveGroup(x)
				if k.groupMembers(g) > 0 {
					x.master = g
				} else if x.master == 0 {
					x.master = 0
				}
			}
			x.unbindable = false
		case "unbindable":
			k.leaveGroup(x)
			x.master = 0
			x.unbindable = true
		}
	}
}

// leaveGroup takes x out of its peer group, freeing the group's id when x
// was its last member. Then, as do_make_slave does, the group's slaves
// turn to x's own master, or become private when x had none: a slave's
// master is a mount, so they outlive the group only that way.
func (k *Kernel) leaveGroup(x *Mount) {
	if x.shared == 0 {
		return
	}
	g := x.shared
	x.shared = 0
	if k.groupMembers(g) > 0 {
		return
	}
	delete(k.groupIDs, g)
	for _, ns := range k.mountNamespaces() {
		for _, m := range ns.mounts {
			if m.master == g {
				m.master = x.master
			}
		}
	}
}

// groupMaster is the peer group that the members of group g are slaves
// of (0: none).
func (k *Kernel) groupMaster(g int) int {
	for _, ns := range k.mountNamespaces() {
		for _, m := range ns.mounts {
			if m.shared == g && m.master != 0 {
				return m.master
			}
		}
	}
	return 0
}

// groupMembers counts the mounts in peer group g, in every namespace.
func (k *Kernel) groupMembers(g int) int {
	n := 0
	for _, ns := range k.mountNamespaces() {
		for _, m := range ns.mounts {
			if m.shared == g {
				n++
			}
		}
	}
	return n
}

// mountNamespaces lists the live mount namespaces.
func (k *Kernel) mountNamespaces() []*MountNamespace {
	var out []*MountNamespace
	for _, n := range k.sortedNamespaces() {
		if m, ok := n.(*MountNamespace); ok {
			out = append(out, m)
		}
	}
	return out
}

// subtree lists m and every mount below it, in namespace order.
func (m *Mount) subtree() []*Mount {
	var out []*Mount
	for _, x := range m.ns.mounts {
		for p := x; p != nil; p = p.parent {
			if p == m {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// receivers returns the mounts that receive mount events from m: its
// peers and, recursively, their slaves ("propagation ... events ... to
// ... peer group ... and ... slave mounts", mount_namespaces(7)). Each
// comes with whether it is a peer (copies join the new mount's group) or a
// slave (copies become its slaves).
func (k *Kernel) receivers(m *Mount) (peers, slaves []*Mount) {
	if m.shared == 0 {
		return nil, nil
	}
	seenGroup := map[int]bool{}
	var walk func(g int, asSlave bool)
	walk = func(g int, asSlave bool) {
		if seenGroup[g] {
			return
		}
		seenGroup[g] = true
		for _, ns := range k.mountNamespaces() {
			for _, x := range ns.mounts {
				if x == m {
					continue
				}
				if x.shared == g {
					if asSlave {
						slaves = append(slaves, x)
					} else {
						peers = append(peers, x)
					}
				}
				if x.master == g {
					slaves = append(slaves, x)
					if x.shared != 0 {
						walk(x.shared, true)
					}
				}
			}
		}
	}
	walk(m.shared, false)
	return peers, slaves
}

// attachMount attaches a new mount of sb at point under parent and
// propagates it: "a mount event under a shared mount is propagated to its
// peers and slaves".
// (mountprop.go).
func (k *Kernel) attachMount(parent *Mount, point string, sb *superblock, root, opts string) *Mount {
	return k.attachTree(parent, point, []mountCopy{{sb: sb, root: root, opts: opts, up: -1}})
}

// detachMount unmounts m (and, lazily, what is below it), propagating the
// unmount to the copies in peers and slaves.
func (k *Kernel) detachMount(m *Mount) {
	if m.parent != nil && m.parent.shared != 0 {
		peers, slaves := k.receivers(m.parent)
		for _, r := range append(peers, slaves...) {
			if c := r.childAt(m.point); c != nil && c.sb == m.sb && len(c.children) == 0 {
				k.removeMount(c)
			}
		}
	}
	for _, x := range reverse(m.subtree()) {
		k.removeMount(x)
	}
}

func reverse(ms []*Mount) []*Mount {
	out := make([]*Mount, len(ms))
	for i, m := range ms {
		out[len(ms)-1-i] = m
	}
	return out
}

// removeMount takes one mount out of its namespace.
func (k *Kernel) removeMount(m *Mount) {
	if p := m.parent; p != nil {
		for i, c := range p.children {
			if c == m {
				p.children = append(p.children[:i], p.children[i+1:]...)
				break
			}
		}
	}
	ns := m.ns
	for i, x := range ns.mounts {
		if x == m {
			ns.mounts = append(ns.mounts[:i], ns.mounts[i+1:]...)
			break
		}
	}
	k.leaveGroup(m)
	delete(k.mountIDs, m.id)
}

// treeOrder lists m and the mounts below it depth first, children in the
// order they were attached.
func (m *Mount) treeOrder() []*Mount {
	out := []*Mount{m}
	for _, c := range m.children {
		out = append(out, c.treeOrder()...)
	}
	return out
}
