package sim

// maxPIDNSLevel is the kernel's MAX_PID_NS_LEVEL: "Since Linux 3.7, the
// kernel limits the maximum nesting depth for PID namespaces to 32"
// (pid_namespaces(7)).
const maxPIDNSLevel = 32

// pidMax is /proc/sys/kernel/pid_max.
const pidMax = 4194304

// PIDNamespace is a simulated PID namespace.
type PIDNamespace struct {
	nsCommon
	parent *PIDNamespace
	level  int
	last   int
	tasks  map[int]*Task
	// reaper is the namespace's init, PID 1: "The first process created in
	// a new namespace ... has the PID 1, and is the "init" process for the
	// namespace" (pid_namespaces(7)).
	reaper *Task
	// adding is the kernel's PIDNS_ADDING: the namespace accepts new
	// processes. It is cleared when its init terminates.
	adding bool
	// pidMax is its kernel/pid_max (per PID namespace since Linux 6.14),
	// inherited from the parent at creation.
	pidMax int64
}

// Parent returns the parent PID namespace (nil for the lab host's).
func (p *PIDNamespace) Parent() *PIDNamespace { return p.parent }

// Init returns the namespace's init, or nil before it exists or after it
// terminated.
func (p *PIDNamespace) Init() *Task { return p.reaper }

func (k *Kernel) newPIDNamespace(parent *PIDNamespace, owner *UserNamespace) (*PIDNamespace, error) {
	level := 1
	if parent != nil {
		level = parent.level + 1
	}
	// clone(2)/unshare(2): "EUSERS (since Linux 3.11) CLONE_NEWPID was
	// specified in flags, and the call would cause the limit on the number
	// of nested PID namespaces to be exceeded"; the kernel says ENOSPC since
	// 4.9.
	if level > maxPIDNSLevel {
		return nil, ENOSPC
	}
	p := &PIDNamespace{parent: parent, level: level, tasks: map[int]*Task{}, adding: true, pidMax: pidMax}
	if parent != nil {
		p.pidMax = parent.pidMax
	}
	p.nsCommon = k.newNSCommon(NSPID, p)
	p.owner = owner
	return p, nil
}

// pidLink is a task's PID in one namespace.
type pidLink struct {
	ns *PIDNamespace
	nr int
}

// allocPID gives a new task a PID in ns and every ancestor of ns
// (alloc_pid). The chain is returned from the outermost namespace down.
func (k *Kernel) allocPID(ns *PIDNamespace) ([]pidLink, error) {
	// "If the "init" process of a PID namespace terminates, ... a
	// subsequent fork(2) into this PID namespace fail[s] with the error
	// ENOMEM" (pid_namespaces(7)).
	if !ns.adding {
		return nil, ENOMEM
	}
	var chain []pidLink
	for n := ns; n != nil; n = n.parent {
		nr := n.nextFree()
		chain = append(chain, pidLink{ns: n, nr: nr})
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain, nil
}

// nextFree hands out PIDs cyclically from last+1, as idr_alloc_cyclic.
func (p *PIDNamespace) nextFree() int {
	nr := p.last
	for {
		nr++
		if nr >= int(p.pidMax) {
			nr = 300 // RESERVED_PIDS
		}
		if _, used := p.tasks[nr]; !used {
			p.last = nr
			return nr
		}
	}
}

// PIDOf returns t's PID as seen from p, 0 when t is not visible there.
func (p *PIDNamespace) PIDOf(t *Task) int {
	if t == nil {
		return 0
	}
	for _, l := range t.pids {
		if l.ns == p {
			return l.nr
		}
	}
	return 0
}

// Task returns the task with PID nr in p, or nil.
func (p *PIDNamespace) Task(nr int) *Task { return p.tasks[nr] }

// IsAncestorOf reports whether p is q or one of its ancestors.
func (p *PIDNamespace) IsAncestorOf(q *PIDNamespace) bool {
	for n := q; n != nil; n = n.parent {
		if n == p {
			return true
		}
	}
	return false
}
