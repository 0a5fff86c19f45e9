package web

import (
	"strconv"

	"github.com/nslab/nslab/nsstate"
)

// usersModel is the user view: the uid and gid maps of every user
// namespace from the lab host down to the container, and each process's
// uid as both sides see it.
type usersModel struct {
	Maps []userNSMaps
	Rows []uidRow
}

// userNSMaps is one user namespace of the chain with its maps. Outside
// IDs are in the parent namespace (OutsideName), the real machine for the
// lab host's own.
type userNSMaps struct {
	ID          string
	Inode       string
	Name        string // "lab host", "container 1", or "(no process)"
	OutsideName string
	Setgroups   string
	UID, GID    []rangeView
	// Unmapped is true when the namespace has no uid_map yet: every ID
	// reads as 65534 (nobody) inside it.
	Unmapped bool
}

// rangeView is one line of a uid_map or gid_map drawn as two ranges.
type rangeView struct {
	Inside, Outside string // "0–65535"
	Count           uint32
}

type uidRow struct {
	HostPID      int
	Comm         string
	HostUID      uint32
	ContainerUID uint32
	// Mapped is false when the uid has no mapping in the container's user
	// namespace: it reads as 65534 there.
	Mapped      bool
	SetKey      string
	InContainer bool
}

func buildUsers(s *nsstate.Snapshot, refs []setRef, ctr perspective, ctrKey string) usersModel {
	var um usersModel
	chain := s.Ancestors(ctr.of(nsstate.NSUser))
	for i, ns := range chain {
		m := userNSMaps{
			ID: ns.ID, Inode: inodeOf(ns.ID), Name: nsName(s, refs, ns.ID),
			Setgroups: ns.Setgroups, UID: rangeViews(ns.UIDMap), GID: rangeViews(ns.GIDMap),
			Unmapped: len(ns.UIDMap) == 0,
		}
		if m.Name == "" {
			m.Name = "(no process)"
		}
		if i == 0 {
			m.OutsideName = "real machine"
		} else {
			m.OutsideName = nameOrInode(s, refs, chain[i-1].ID)
		}
		um.Maps = append(um.Maps, m)
	}
	for _, n := range processTree(s) {
		p := n.p
		r := uidRow{HostPID: p.PID, Comm: p.Comm, HostUID: p.UID, SetKey: nsstate.SetKey(p.NS)}
		r.InContainer = r.SetKey == ctrKey
		r.ContainerUID, r.Mapped = s.UIDIn(p.UID, ctr.of(nsstate.NSUser))
		um.Rows = append(um.Rows, r)
	}
	return um
}

func rangeViews(m nsstate.IDMap) []rangeView {
	var out []rangeView
	for _, r := range m {
		out = append(out, rangeView{
			Inside: idRange(r.Inside, r.Count), Outside: idRange(r.Outside, r.Count), Count: r.Count,
		})
	}
	return out
}

// idRange writes the IDs first…first+count-1 as "0–65535".
func idRange(first, count uint32) string {
	if count == 0 {
		return "none"
	}
	last := uint64(first) + uint64(count) - 1
	return strconv.FormatUint(uint64(first), 10) + "–" + strconv.FormatUint(last, 10)
}
