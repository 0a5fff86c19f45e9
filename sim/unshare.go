package sim

// CloneFlags are the CLONE_NEW* flags of unshare(2) and setns(2).
type CloneFlags uint64

// The namespace flags, with the kernel's values.
const (
	CloneNewTime   CloneFlags = 0x00000080
	CloneNewNS     CloneFlags = 0x00020000
	CloneNewCgroup CloneFlags = 0x02000000
	CloneNewUTS    CloneFlags = 0x04000000
	CloneNewIPC    CloneFlags = 0x08000000
	CloneNewUser   CloneFlags = 0x10000000
	CloneNewPID    CloneFlags = 0x20000000
	CloneNewNet    CloneFlags = 0x40000000
)

// Unshare is unshare(2) for task t.
func (k *Kernel) Unshare(t *Task, flags CloneFlags) error {
	all := CloneNewTime | CloneNewNS | CloneNewCgroup | CloneNewUTS | CloneNewIPC | CloneNewUser | CloneNewPID | CloneNewNet
	if flags&^all != 0 {
		return EINVAL
	}
	creds := t.creds
	if flags&CloneNewUser != 0 {
		u, err := k.newUserNamespace(creds)
		if err != nil {
			return err
		}
		creds = creds.enterUserNS(u)
	}
	// unshare(2): "EPERM The calling process did not have the required
	// privileges for this operation" — every type but user needs
	// CAP_SYS_ADMIN in the caller's (possibly new) user namespace.
	if flags&^CloneNewUser != 0 && !creds.HasCapabilityIn(CapSysAdmin, creds.UserNS) {
		k.dropIfUnused(creds.UserNS, t)
		return EPERM
	}
	owner := creds.UserNS
	p := t.ns
	// Each new namespace counts against the limits of /proc/sys/user
	// (ENOSPC); what was made before a refusal is dropped again.
	charge := func(typ NSType) error {
		if err := k.chargeNamespace(typ, owner, creds); err != nil {
			k.collectNamespaces()
			return err
		}
		return nil
	}
	made := func(n Namespace) { n.common().creator = creds.EUID }
	// create_new_namespaces makes them in this order, so their inode
	// numbers come in this order.
	if flags&CloneNewNS != 0 {
		if err := charge(NSMnt); err != nil {
			return err
		}
		p.mnt = k.copyMountNamespace(t.ns.mnt, owner)
		made(p.mnt)
	}
	if flags&CloneNewUTS != 0 {
		if err := charge(NSUTS); err != nil {
			return err
		}
		// "a child UTS namespace ... is initialized as a copy of the
		// identifiers of the caller's UTS namespace" (uts_namespaces(7)).
		u := &UTSNamespace{Hostname: t.ns.uts.Hostname, Domainname: t.ns.uts.Domainname}
		u.nsCommon = k.newNSCommon(NSUTS, u)
		u.owner = owner
		p.uts = u
		made(u)
	}
	if flags&CloneNewIPC != 0 {
		if err := charge(NSIPC); err != nil {
			return err
		}
		p.ipc = k.newIPCNamespace(owner)
		made(p.ipc)
	}
	if flags&CloneNewPID != 0 {
		// copy_pid_ns: a new PID namespace can be made only from the
		// caller's active one: after one unshare(CLONE_NEWPID) without a
		// child yet, the next fails with EINVAL.
		if t.ns.pidForChildren != t.PIDNS() {
			k.dropIfUnused(creds.UserNS, t)
			return EINVAL
		}
		// create_pid_namespace: the owner must be the parent PID
		// namespace's owner or below it (EPERM otherwise).
		if !t.PIDNS().owner.IsAncestorOf(owner) {
			return EPERM
		}
		if err := charge(NSPID); err != nil {
			return err
		}
		ns, err := k.newPIDNamespace(t.PIDNS(), owner)
		if err != nil {
			k.collectNamespaces()
			return err
		}
		made(ns)
		// "unshare(CLONE_NEWPID) ... the calling process is not moved into
		// the new namespace. The first child created by the calling process
		// will have the process ID 1 and will assume the role of init(1)"
		// (unshare(2)).
		p.pidForChildren = ns
	}
	if flags&CloneNewCgroup != 0 {
		// "the process's current cgroups directories become the cgroup root
		// directories of the new namespace" (cgroup_namespaces(7)).
		if err := charge(NSCgroup); err != nil {
			return err
		}
		c := &CgroupNamespace{root: t.cgroup}
		c.nsCommon = k.newNSCommon(NSCgroup, c)
		c.owner = owner
		p.cgroup = c
		made(c)
	}
	if flags&CloneNewNet != 0 {
		if err := charge(NSNet); err != nil {
			return err
		}
		p.net = k.newNetNamespace(owner)
		made(p.net)
	}
	if flags&CloneNewTime != 0 {
		// The new namespace starts with the caller's offsets; "the calling
		// process is not placed in the new namespace, but subsequently
		// created children of the calling process will be"
		// (time_namespaces(7)).
		if err := charge(NSTime); err != nil {
			return err
		}
		tn := &TimeNamespace{}
		if t.ns.time != nil {
			tn.monotonic, tn.boottime = t.ns.time.monotonic, t.ns.time.boottime
		}
		tn.nsCommon = k.newNSCommon(NSTime, tn)
		tn.owner = owner
		p.timeForChildren = tn
		made(tn)
	}
	t.setNS(p, creds)
	k.collectNamespaces()
	return nil
}

// dropIfUnused forgets a user namespace made by a failing unshare.
func (k *Kernel) dropIfUnused(u *UserNamespace, t *Task) {
	if u != t.creds.UserNS {
		delete(k.namespaces, u.inode)
	}
}

// Setns is setns(2): t joins ns.
func (k *Kernel) Setns(t *Task, ns Namespace) error {
	c := t.creds
	switch n := ns.(type) {
	case *UserNamespace:
		// setns(2): "EINVAL ... the caller attempted to join the user
		// namespace in which it is already a member"; "Reassociating with a
		// user namespace requires that the caller has the CAP_SYS_ADMIN
		// capability in the target user namespace" ("Upon successfully
		// joining a user namespace, a process is granted all capabilities in
		// that namespace").
		if n == c.UserNS {
			return EINVAL
		}
		if !c.HasCapabilityIn(CapSysAdmin, n) {
			return EPERM
		}
		t.setNS(t.ns, c.enterUserNS(n))
		k.collectNamespaces()
		return nil
	}
	// For the other types setns(2) requires "the CAP_SYS_ADMIN capability
	// in its own user namespace and in the user namespace that owns the
	// target ... namespace".
	if !c.HasCapabilityIn(CapSysAdmin, ns.Owner()) || !c.HasCapabilityIn(CapSysAdmin, c.UserNS) {
		return EPERM
	}
	p := t.ns
	switch n := ns.(type) {
	case *PIDNamespace:
		// "the caller may ... join ... a descendant of [its] current PID
		// namespace" — pidns_install returns EINVAL otherwise.
		if !t.PIDNS().IsAncestorOf(n) {
			return EINVAL
		}
		p.pidForChildren = n
	case *MountNamespace:
		// "Changing the mount namespace requires ... CAP_SYS_CHROOT ... in
		// its own user namespace"; the caller's root and working directory
		// become the namespace's root.
		if !c.HasCapabilityIn(CapSysChroot, c.UserNS) {
			return EPERM
		}
		p.mnt = n
		t.cwd, t.root = "/", ""
	case *UTSNamespace:
		p.uts = n
	case *IPCNamespace:
		p.ipc = n
	case *NetNamespace:
		p.net = n
	case *CgroupNamespace:
		p.cgroup = n
	case *TimeNamespace:
		p.timeForChildren = n
		p.time = n
	default:
		return EINVAL
	}
	t.setNS(p, c)
	k.collectNamespaces()
	return nil
}

// Sethostname is sethostname(2): "EPERM The caller did not have the
// CAP_SYS_ADMIN capability in the user namespace associated with its UTS
// namespace".
func (k *Kernel) Sethostname(t *Task, name string) error {
	if len(name) > 64 {
		return EINVAL
	}
	if !t.creds.HasCapabilityIn(CapSysAdmin, t.ns.uts.owner) {
		return EPERM
	}
	t.ns.uts.Hostname = name
	return nil
}

// Setdomainname is setdomainname(2), under sethostname(2)'s rules.
func (k *Kernel) Setdomainname(t *Task, name string) error {
	if len(name) > 64 {
		return EINVAL
	}
	if !t.creds.HasCapabilityIn(CapSysAdmin, t.ns.uts.owner) {
		return EPERM
	}
	t.ns.uts.Domainname = name
	return nil
}

// nsOf returns t's namespace of type typ (for time and pid: the one t is
// in, not the one for its children).
func (t *Task) nsOf(typ NSType) Namespace {
	switch typ {
	case NSUser:
		return t.creds.UserNS
	case NSPID:
		return t.PIDNS()
	case NSMnt:
		return t.ns.mnt
	case NSUTS:
		return t.ns.uts
	case NSIPC:
		return t.ns.ipc
	case NSNet:
		return t.ns.net
	case NSCgroup:
		return t.ns.cgroup
	case NSTime:
		return t.ns.time
	}
	return nil
}
