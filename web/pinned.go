package web

import (
	"strconv"

	"github.com/nslab/nslab/nsstate"
)

// pinnedRow is one namespace that something other than its processes
// holds: an nsfs bind mount (ip netns add blue), an open descriptor, a
// process's pid_for_children or time_for_children. Namespaces no process
// is in appear nowhere else in the views.
type pinnedRow struct {
	ID    string
	Type  nsstate.NSType
	Inode string
	// Empty is true when no process is in the namespace.
	Empty bool
	// Pins says what holds it, one entry per pin: "/run/netns/blue",
	// "PID 105 fd 3", "PID 103 pid_for_children".
	Pins []pinView
	// Holds summarises what it holds: interfaces, a hostname, offsets.
	Holds string
}

type pinView struct {
	How, Where string
}

// buildPinned lists the pinned namespaces, those without a process first,
// in the snapshot's order (type, then inode).
func buildPinned(s *nsstate.Snapshot) []pinnedRow {
	inUse := map[string]bool{}
	for _, p := range s.Processes {
		for _, id := range p.NS {
			inUse[id] = true
		}
	}
	var empty, held []pinnedRow
	for i := range s.Namespaces {
		ns := &s.Namespaces[i]
		if len(ns.Pinned) == 0 {
			continue
		}
		r := pinnedRow{ID: ns.ID, Type: ns.Type, Inode: inodeOf(ns.ID), Empty: !inUse[ns.ID], Holds: holds(ns)}
		seen := map[pinView]bool{}
		for _, p := range ns.Pinned {
			v := pinView{How: p.How, Where: p.Where}
			if !seen[v] {
				seen[v] = true
				r.Pins = append(r.Pins, v)
			}
		}
		if r.Empty {
			empty = append(empty, r)
		} else {
			held = append(held, r)
		}
	}
	return append(empty, held...)
}

// holds says in a few words what a namespace holds, for the types that
// hold something to show.
func holds(ns *nsstate.Namespace) string {
	switch ns.Type {
	case nsstate.NSNet:
		return "interfaces: " + interfaces(ns)
	case nsstate.NSUTS:
		return "hostname: " + hostname(ns)
	case nsstate.NSIPC:
		return "SysV IPC: " + ipcObjects(ns)
	case nsstate.NSTime:
		return "offsets: " + timeOffsets(ns)
	case nsstate.NSMnt:
		if len(ns.Mounts) > 0 {
			return "mounts: " + strconv.Itoa(len(ns.Mounts))
		}
	}
	return ""
}

// pinLabel names a kind of pin for a learner.
func pinLabel(how string) string {
	switch how {
	case nsstate.PinMount:
		return "bind mount"
	case nsstate.PinFD:
		return "open fd"
	case nsstate.PinForChildren:
		return "for children"
	}
	return how
}
