package sim

// Capability is a capability number, as in capabilities(7).
type Capability int

// The capabilities the simulated kernel checks.
const (
	CapChown     Capability = 0
	CapKill      Capability = 5
	CapSetGID    Capability = 6
	CapSetUID    Capability = 7
	CapNetAdmin  Capability = 12
	CapIPCOwner  Capability = 15
	CapSysChroot Capability = 18
	CapSysAdmin  Capability = 21
	CapSysTime   Capability = 25
)

// capLastCap is /proc/sys/kernel/cap_last_cap of the kernels nslab runs on
// (CAP_CHECKPOINT_RESTORE, 40).
const capLastCap = 40

// CapSet is a set of capabilities, one bit each.
type CapSet uint64

// fullCapSet holds every capability up to capLastCap.
const fullCapSet CapSet = 1<<(capLastCap+1) - 1

// Has reports whether c is in s.
func (s CapSet) Has(c Capability) bool { return s&(1<<uint(c)) != 0 }

// Credentials are a task's identity: its IDs as kernel IDs, its capability
// sets and the user namespace they apply in. They are never changed in
// place once a task holds them; changes make a copy (like struct cred).
type Credentials struct {
	RealUID, EUID, SavedUID, FSUID KUID
	RealGID, EGID, SavedGID, FSGID KGID
	Groups                         []KGID

	Inheritable, Permitted, Effective, Bounding, Ambient CapSet

	// UserNS is the user namespace the IDs and capabilities belong to.
	UserNS *UserNamespace
}

// copy returns an independent copy of c.
func (c *Credentials) copy() *Credentials {
	n := *c
	n.Groups = append([]KGID(nil), c.Groups...)
	return &n
}

// HasCapabilityIn implements cap_capable: whether c has capability cp in
// the user namespace ns.
func (c *Credentials) HasCapabilityIn(cp Capability, ns *UserNamespace) bool {
	for n := ns; n != nil; n = n.parent {
		// "a process has a capability in a user namespace if it is a member
		// of that namespace and it has the capability in its effective
		// capability set" (user_namespaces(7)).
		if n == c.UserNS {
			return c.Effective.Has(cp)
		}
		// A process cannot have capabilities in a namespace at or above
		// its own level unless it is a member or an ancestor.
		if n.level <= c.UserNS.level {
			return false
		}
		// "If a process has a capability in a user namespace, then it has
		// that capability in all child (and further removed descendant)
		// namespaces as well" and "the user who created [a namespace] ...
		// has all capabilities in it": "Processes that are members of the
		// parent user namespace and whose effective user ID matches the
		// owner of the namespace have all capabilities in the namespace."
		if n.parent == c.UserNS && n.owner == c.EUID {
			return true
		}
	}
	return false
}

// enterUserNS returns the credentials a process gets in a new or joined
// user namespace: "The child process created by clone(2) with the
// CLONE_NEWUSER flag starts out with a complete set of capabilities in the
// new user namespace" and "a process that ... setns(2)s into a user
// namespace ... gains a full set of capabilities in that namespace"
// (user_namespaces(7)).
func (c *Credentials) enterUserNS(ns *UserNamespace) *Credentials {
	n := c.copy()
	n.UserNS = ns
	n.Inheritable, n.Ambient = 0, 0
	n.Permitted, n.Effective, n.Bounding = fullCapSet, fullCapSet, fullCapSet
	return n
}

// afterExec returns the credentials after execve(2) of a program with no
// file capabilities and no set-user-ID bit, by the rules of
// capabilities(7): "If the effective user ID ... is 0 ... the file
// inheritable and permitted sets are ... all ones", and a process whose IDs
// are all nonzero loses its permitted and effective sets.
func (c *Credentials) afterExec() *Credentials {
	n := c.copy()
	root, ok := c.UserNS.MapUID(0)
	isRoot := ok && (c.EUID == root || c.RealUID == root)
	if isRoot {
		n.Permitted = c.Bounding | c.Inheritable&c.Bounding
		if c.EUID == root {
			n.Effective = n.Permitted
		} else {
			n.Effective = 0
		}
	} else {
		n.Permitted = c.Ambient
		n.Effective = c.Ambient
	}
	return n
}
