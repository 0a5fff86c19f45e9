package sim

import "math"

// This file holds the kernel's ucounts for namespaces: each user namespace
// limits, per user, how many namespaces of each type may be made in it and
// below it (/proc/sys/user/max_*_namespaces, namespaces(7)). Making one
// counts it for the creator in the user namespace that will own it, then
// for that namespace's creator in its parent, and so on up; a count past
// its namespace's limit anywhere fails with ENOSPC.

// ucountNames are the files of /proc/sys/user, in the kernel's order.
var ucountNames = []string{
	"max_user_namespaces", "max_pid_namespaces", "max_uts_namespaces", "max_ipc_namespaces",
	"max_net_namespaces", "max_mnt_namespaces", "max_cgroup_namespaces", "max_time_namespaces",
	"max_inotify_instances", "max_inotify_watches", "max_fanotify_groups", "max_fanotify_marks",
}

// ucountName is the limit that counts namespaces of type t.
func ucountName(t NSType) string {
	return map[NSType]string{
		NSUser: "max_user_namespaces", NSPID: "max_pid_namespaces", NSUTS: "max_uts_namespaces",
		NSIPC: "max_ipc_namespaces", NSNet: "max_net_namespaces", NSMnt: "max_mnt_namespaces",
		NSCgroup: "max_cgroup_namespaces", NSTime: "max_time_namespaces",
	}[t]
}

// The limits the live engine writes: in the lab's own user namespace, per
// user (nsengine's labNamespaceLimits), and in the namespace outside it,
// for the whole lab (labTotalNamespaceLimits), which the simulated machine's
// user namespace stands for.
var (
	labUcountLimits = map[string]int64{
		"max_user_namespaces": 64, "max_pid_namespaces": 64, "max_mnt_namespaces": 64,
		"max_net_namespaces": 64, "max_uts_namespaces": 64, "max_ipc_namespaces": 64,
		"max_cgroup_namespaces": 64, "max_time_namespaces": 64, "max_inotify_instances": 64,
		"max_inotify_watches": 8192, "max_fanotify_groups": 16, "max_fanotify_marks": 8192,
	}
	labTotalUcountLimits = map[string]int64{
		"max_user_namespaces": 128, "max_pid_namespaces": 128, "max_mnt_namespaces": 128,
		"max_net_namespaces": 128, "max_uts_namespaces": 128, "max_ipc_namespaces": 128,
		"max_cgroup_namespaces": 128, "max_time_namespaces": 128, "max_inotify_instances": 128,
		"max_inotify_watches": 65536, "max_fanotify_groups": 32, "max_fanotify_marks": 16384,
	}
)

// ucountMax returns u's limit name: a new user namespace's are INT_MAX
// (create_user_ns), the lab's and the machine's those above.
func (k *Kernel) ucountMax(u *UserNamespace, name string) *int64 {
	if u.ucountMax == nil {
		u.ucountMax = map[string]*int64{}
		for _, n := range ucountNames {
			v := int64(math.MaxInt32)
			switch u {
			case k.lab.user:
				v = labUcountLimits[n]
			case k.machineUser:
				v = labTotalUcountLimits[n]
			}
			u.ucountMax[n] = &v
		}
	}
	return u.ucountMax[name]
}

// ucountLevel is one (user namespace, user) pair a namespace is counted
// for.
type ucountLevel struct {
	ns  *UserNamespace
	uid KUID
}

// ucountLevels lists the pairs a namespace owned by owner and made by uid
// is counted for, from owner up.
func ucountLevels(owner *UserNamespace, uid KUID) []ucountLevel {
	var out []ucountLevel
	for u, id := owner, uid; u != nil; u, id = u.parent, u.owner {
		out = append(out, ucountLevel{u, id})
	}
	return out
}

// countedAt returns the pairs namespace n is counted for.
func countedAt(n Namespace) []ucountLevel {
	if u, ok := n.(*UserNamespace); ok {
		return ucountLevels(u.parent, u.owner)
	}
	c := n.common()
	return ucountLevels(c.owner, c.creator)
}

// chargeNamespace is inc_ucount for a namespace of type t that c is about
// to make, owned by owner: ENOSPC when a level is at its limit.
func (k *Kernel) chargeNamespace(t NSType, owner *UserNamespace, c *Credentials) error {
	levels := ucountLevels(owner, c.EUID)
	counts := make([]int64, len(levels))
	for _, n := range k.namespaces {
		if n.Type() != t || n == Namespace(k.machineUser) {
			continue
		}
		for _, at := range countedAt(n) {
			for i, l := range levels {
				if at == l {
					counts[i]++
				}
			}
		}
	}
	for i, l := range levels {
		if counts[i]+1 > *k.ucountMax(l.ns, ucountName(t)) {
			return ENOSPC
		}
	}
	return nil
}

// userSysctls is /proc/sys/user of user namespace u: owned by the initial
// root; CAP_SYS_RESOURCE in u gives everyone the owner's bits, anyone else
// may only read (set_permissions).
func (k *Kernel) userSysctls(u *UserNamespace) map[string]any {
	perms := func(w *Task) uint32 {
		if w.creds.HasCapabilityIn(CapSysResource, u) {
			return replicate(0o644 >> 6)
		}
		return replicate(0o644 & 4)
	}
	m := map[string]any{}
	for _, name := range ucountNames {
		m[name] = intSysctl(0o644, nil, perms, k.ucountMax(u, name), 0, math.MaxInt32)
	}
	return m
}
