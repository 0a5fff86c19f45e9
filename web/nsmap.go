package web

import (
	"strconv"
	"strings"

	"github.com/nslab/nslab/nsstate"
)

// nsMap is the namespace map: one column per namespace set (the lab host
// first), one row per namespace type, and the chains that lead from the
// lab host to the selected container.
type nsMap struct {
	Columns []mapColumn
	Rows    []mapRow
	// Chains are the pid and user namespace chains of the container, from
	// the lab host's namespace down.
	Chains []nsChain
	// Owners says which user namespace owns each of the container's new
	// namespaces, the one whose root may change it.
	Owners []ownerLine
}

type mapColumn struct {
	Ref      setRef
	Selected bool
	IsHost   bool
	Procs    []procChip
}

// procChip is one process in a set, named as the lab host sees it.
type procChip struct {
	PID  int
	Comm string
}

type mapRow struct {
	Type  nsstate.NSType
	Cells []mapCell
}

type mapCell struct {
	ID    string
	Inode string
	// Shared is true when the set uses the lab host's namespace of this
	// type; false marks a new namespace.
	Shared bool
	// Note is the parent (pid, user) or owning user namespace of a new
	// namespace, when it is not simply the lab host's.
	Note string
}

type nsChain struct {
	Type  nsstate.NSType
	Links []chainLink
}

type chainLink struct {
	ID    string
	Inode string
	Name  string // "lab host", "container 1", or "" for one no set lives in
}

type ownerLine struct {
	Type      nsstate.NSType
	ID        string
	Inode     string
	Owner     string
	OwnerName string
}

func buildMap(s *nsstate.Snapshot, refs []setRef, selected string) nsMap {
	var m nsMap
	procs := map[string][]procChip{}
	for i := range s.Processes {
		p := &s.Processes[i]
		k := nsstate.SetKey(p.NS)
		procs[k] = append(procs[k], procChip{PID: p.PID, Comm: p.Comm})
	}
	for i, r := range refs {
		m.Columns = append(m.Columns, mapColumn{
			Ref: r, Selected: r.Key == selected, IsHost: i == 0, Procs: procs[r.Key],
		})
	}
	for _, t := range nsstate.Types {
		row := mapRow{Type: t}
		for _, r := range refs {
			id := r.NS[t]
			cell := mapCell{ID: id, Inode: inodeOf(id), Shared: id == s.Host[t]}
			if !cell.Shared {
				cell.Note = relationNote(s, refs, id)
			}
			row.Cells = append(row.Cells, cell)
		}
		m.Rows = append(m.Rows, row)
	}
	ctr := refs[0]
	for _, r := range refs {
		if r.Key == selected {
			ctr = r
		}
	}
	for _, t := range []nsstate.NSType{nsstate.NSPID, nsstate.NSUser} {
		c := nsChain{Type: t}
		for _, ns := range s.Ancestors(ctr.NS[t]) {
			c.Links = append(c.Links, chainLink{ID: ns.ID, Inode: inodeOf(ns.ID), Name: nsName(s, refs, ns.ID)})
		}
		m.Chains = append(m.Chains, c)
	}
	for _, t := range ctr.New {
		if t == nsstate.NSUser {
			continue
		}
		ns := s.Namespace(ctr.NS[t])
		if ns == nil || ns.Owner == "" {
			continue
		}
		m.Owners = append(m.Owners, ownerLine{
			Type: t, ID: ns.ID, Inode: inodeOf(ns.ID),
			Owner: ns.Owner, OwnerName: nsName(s, refs, ns.Owner),
		})
	}
	return m
}

// relationNote says where a new namespace hangs: the parent of a pid or
// user namespace, the owning user namespace of the others.
func relationNote(s *nsstate.Snapshot, refs []setRef, id string) string {
	ns := s.Namespace(id)
	if ns == nil {
		return ""
	}
	if ns.Parent != "" {
		return "child of " + nameOrInode(s, refs, ns.Parent)
	}
	if ns.Owner != "" {
		return "owned by " + nameOrInode(s, refs, ns.Owner)
	}
	return ""
}

// nsName names a namespace by the first set that lives in it: "lab host"
// for the lab host's own, "container N", or "" when no set lives there
// (an intermediate namespace of a chain).
func nsName(s *nsstate.Snapshot, refs []setRef, id string) string {
	t, _, err := nsstate.ParseNSID(id)
	if err != nil {
		return ""
	}
	if s.Host[t] == id {
		return "lab host"
	}
	for _, r := range refs {
		if r.NS[t] == id {
			return r.Label
		}
	}
	return ""
}

func nameOrInode(s *nsstate.Snapshot, refs []setRef, id string) string {
	if n := nsName(s, refs, id); n != "" {
		return n
	}
	return inodeOf(id)
}

// inodeOf returns the number in "pid:[4026532001]", or the id itself when
// it does not parse.
func inodeOf(id string) string {
	if _, ino, err := nsstate.ParseNSID(id); err == nil {
		return strconv.FormatUint(ino, 10)
	}
	return id
}

// typeList writes types as "user pid mnt".
func typeList(ts []nsstate.NSType) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = string(t)
	}
	return strings.Join(parts, " ")
}
