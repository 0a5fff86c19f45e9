package sim

import (
	"sort"
	"strconv"

	"github.com/nslab/nslab/nsstate"
)

// pins lists, per namespace, what holds it besides its member tasks, as
// the snapshot shows it (nsstate.Pin): bind mounts of nsfs files in every
// mount namespace, open descriptors of nsfs files, and tasks'
// pid_for_children and time_for_children links that differ from the
// task's own namespace. namespaces(7): "bind mounting ... one of the files
// in this directory to somewhere else in the filesystem keeps the
// corresponding namespace ... alive even if all processes currently in
// the namespace terminate"; so does an open descriptor.
func (k *Kernel) pins() map[Namespace][]nsstate.Pin {
	out := map[Namespace][]nsstate.Pin{}
	for _, n := range k.sortedNamespaces() {
		m, ok := n.(*MountNamespace)
		if !ok {
			continue
		}
		for _, x := range m.mounts {
			if x.sb.ns != nil {
				out[x.sb.ns] = append(out[x.sb.ns], nsstate.Pin{How: nsstate.PinMount, Where: x.point, MountNS: m.id()})
			}
		}
	}
	for _, t := range k.tasks {
		if t.exited {
			continue
		}
		pid := t.PID()
		for _, fd := range t.sortedFDs() {
			if f := t.fds[fd]; f.ns != nil {
				out[f.ns] = append(out[f.ns], nsstate.Pin{How: nsstate.PinFD, Where: "PID " + strconv.Itoa(pid) + " fd " + strconv.Itoa(fd), PID: pid})
			}
		}
		// A PID namespace without its first process yet is not shown
		// (pid_for_children reads ENOENT until then).
		if c := t.ns.pidForChildren; c != nil && c != t.PIDNS() && c.active() {
			out[c] = append(out[c], nsstate.Pin{How: nsstate.PinForChildren, Where: "PID " + strconv.Itoa(pid) + " pid_for_children", PID: pid})
		}
		if c := t.ns.timeForChildren; c != nil && c != t.ns.time {
			out[c] = append(out[c], nsstate.Pin{How: nsstate.PinForChildren, Where: "PID " + strconv.Itoa(pid) + " time_for_children", PID: pid})
		}
	}
	return out
}

// openNS opens a /proc/PID/ns/TYPE link, or a file an nsfs file is bound
// on, as the kernel opens an nsfs file: read-only, for setns(2) or to keep
// the namespace alive. ok is false for any other name.
func (k *Kernel) openNS(t *Task, name string, flags int) (*File, bool, error) {
	ns, ok := k.nsLink(t, name)
	if !ok {
		return nil, false, nil
	}
	if flags&openWrite != 0 {
		return nil, false, nil
	}
	return &File{refs: 1, ns: ns, synthetic: true}, true, nil
}

// sortedFDs lists t's descriptors in order.
func (t *Task) sortedFDs() []int {
	fds := make([]int, 0, len(t.fds))
	for fd := range t.fds {
		fds = append(fds, fd)
	}
	sort.Ints(fds)
	return fds
}

// active reports whether a PID namespace has had its first process
// (pidns_for_children_get shows it from then on, also after its init
// died): until then the kernel shows it nowhere.
func (n *PIDNamespace) active() bool { return n.reaper != nil || !n.adding }
