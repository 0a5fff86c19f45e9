package sim

import (
	"sort"
)

// Kernel is the simulated machine: its clock, namespaces, tasks and mounts.
// It is not safe for concurrent use; Lab serialises callers.
type Kernel struct {
	// now is the simulated wall clock in nanoseconds since the epoch;
	// boot is when the machine booted.
	now, boot int64
	// start is when the lab started: the time of the files made for it.
	start int64

	steps   int
	yield   chan struct{}
	current *Task
	tasks   []*Task // live and zombie tasks, in order of creation
	rr      int

	namespaces   map[uint64]Namespace
	mountIDs     map[int]bool
	groupIDs     map[int]bool
	firstMountID int
	nextDev      int

	// The machine's own user namespace (the initial one, outside the lab)
	// and the lab host's namespaces.
	machineUser *UserNamespace
	lab         labNamespaces
	labInit     *Task

	programs map[string]Program
	rootfs   *superblock
	labProc  *superblock
}

// labNamespaces are the lab host's own namespaces.
type labNamespaces struct {
	user   *UserNamespace
	pid    *PIDNamespace
	mnt    *MountNamespace
	uts    *UTSNamespace
	ipc    *IPCNamespace
	net    *NetNamespace
	cgroup *CgroupNamespace
	time   *TimeNamespace
}

// sortedNamespaces lists every namespace by inode.
func (k *Kernel) sortedNamespaces() []Namespace {
	inos := make([]uint64, 0, len(k.namespaces))
	for ino := range k.namespaces {
		inos = append(inos, ino)
	}
	sort.Slice(inos, func(i, j int) bool { return inos[i] < inos[j] })
	out := make([]Namespace, len(inos))
	for i, ino := range inos {
		out[i] = k.namespaces[ino]
	}
	return out
}

// collectNamespaces forgets namespaces nothing refers to any more, so
// that their inode numbers are free again, as the kernel frees them.
func (k *Kernel) collectNamespaces() {
	held := map[Namespace]bool{}
	for _, t := range k.tasks {
		if t.exited {
			continue
		}
		for _, n := range t.namespaces() {
			if n != nil {
				held[n] = true
			}
		}
	}
	// So does an open descriptor of an nsfs file.
	for _, t := range k.tasks {
		if !t.exited {
			for _, f := range t.fds {
				if f.ns != nil {
					held[f.ns] = true
				}
			}
		}
	}
	// A bound nsfs file keeps its namespace alive.
	for _, n := range k.namespaces {
		if m, ok := n.(*MountNamespace); ok && held[n] {
			for _, x := range m.mounts {
				if x.sb.ns != nil {
					held[x.sb.ns] = true
				}
			}
		}
	}
	// Namespaces keep their owners and parents alive.
	changed := true
	for changed {
		changed = false
		for n := range held {
			var up []Namespace
			if o := n.Owner(); o != nil {
				up = append(up, o)
			}
			switch x := n.(type) {
			case *UserNamespace:
				if x.parent != nil {
					up = append(up, x.parent)
				}
			case *PIDNamespace:
				if x.parent != nil {
					up = append(up, x.parent)
				}
			}
			for _, u := range up {
				if !held[u] {
					held[u] = true
					changed = true
				}
			}
		}
	}
	for ino, n := range k.namespaces {
		if n == Namespace(k.machineUser) {
			continue
		}
		if !held[n] {
			// A PID namespace lives on while zombies have PIDs in it.
			if p, ok := n.(*PIDNamespace); ok && len(p.tasks) > 0 {
				continue
			}
			if m, ok := n.(*MountNamespace); ok {
				for _, x := range reverse(m.mounts) {
					k.removeMount(x)
				}
			}
			if x, ok := n.(*NetNamespace); ok {
				// Its devices end with it, and a veth's peer with its end.
				x.destroyDevices()
			}
			delete(k.namespaces, ino)
		}
	}
}
