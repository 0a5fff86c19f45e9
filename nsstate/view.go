package nsstate

import (
	"sort"
	"strings"
)

// This file holds the translation rules the views use, so that live and
// simulated labs are drawn by one set of rules.

// Ancestors returns the chain of a pid or user namespace from the lab
// host's own namespace of that type down to id itself, following Parent.
// It is nil when id does not descend from the lab host's namespace.
func (s *Snapshot) Ancestors(id string) []*Namespace {
	var chain []*Namespace
	for cur := s.Namespace(id); cur != nil; cur = s.Namespace(cur.Parent) {
		chain = append(chain, cur)
		if cur.ID == s.Host[cur.Type] {
			for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
				chain[i], chain[j] = chain[j], chain[i]
			}
			return chain
		}
		if len(chain) > 64 { // the kernel nests at most 32 deep
			return nil
		}
	}
	return nil
}

// Depth is how far below the lab host's namespace of its type id lies:
// 0 for the lab host's own, -1 when it does not descend from it.
func (s *Snapshot) Depth(id string) int {
	return len(s.Ancestors(id)) - 1
}

// PIDIn returns p's PID as seen from the PID namespace pidns, and false
// when p is not visible there (it lives outside pidns and its
// descendants).
func (s *Snapshot) PIDIn(p *Process, pidns string) (int, bool) {
	chain := s.Ancestors(p.NS[NSPID])
	for i, ns := range chain {
		if ns.ID == pidns {
			if i < len(p.NSpid) {
				return p.NSpid[i], true
			}
			return 0, false
		}
	}
	return 0, false
}

// UIDIn returns a lab-host-view uid as seen from the user namespace
// userns, by mapping it down the chain of uid_maps. An unmapped uid reads
// as OverflowID, with ok false.
func (s *Snapshot) UIDIn(uid uint32, userns string) (uint32, bool) {
	return s.idIn(uid, userns, func(n *Namespace) IDMap { return n.UIDMap })
}

// GIDIn is UIDIn for group IDs.
func (s *Snapshot) GIDIn(gid uint32, userns string) (uint32, bool) {
	return s.idIn(gid, userns, func(n *Namespace) IDMap { return n.GIDMap })
}

func (s *Snapshot) idIn(id uint32, userns string, m func(*Namespace) IDMap) (uint32, bool) {
	chain := s.Ancestors(userns)
	if chain == nil {
		return OverflowID, false
	}
	for _, ns := range chain[1:] {
		var ok bool
		if id, ok = m(ns).Down(id); !ok {
			return OverflowID, false
		}
	}
	return id, true
}

// Set is a namespace set: the processes that share all eight namespaces.
// The views call a set other than the lab host's a container.
type Set struct {
	// Key is the eight namespace ids joined in Types order.
	Key string
	NS  map[NSType]string
	// New lists the types in which the set differs from the lab host.
	New  []NSType
	PIDs []int // lab host's view, ascending
}

// IsHost reports whether the set is the lab host's own.
func (st *Set) IsHost() bool { return len(st.New) == 0 }

// SetKey joins a process's namespace ids in Types order.
func SetKey(ns map[NSType]string) string {
	var b strings.Builder
	for i, t := range Types {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(ns[t])
	}
	return b.String()
}

// Sets groups the processes by namespace set, newest first: the set whose
// oldest member has the highest PID comes first, the lab host's set last
// among equals.
func (s *Snapshot) Sets() []Set {
	byKey := map[string]*Set{}
	var sets []*Set
	for _, p := range s.Processes {
		k := SetKey(p.NS)
		st := byKey[k]
		if st == nil {
			st = &Set{Key: k, NS: p.NS}
			for _, t := range Types {
				if p.NS[t] != s.Host[t] {
					st.New = append(st.New, t)
				}
			}
			byKey[k] = st
			sets = append(sets, st)
		}
		st.PIDs = append(st.PIDs, p.PID)
	}
	for _, st := range sets {
		sort.Ints(st.PIDs)
	}
	sort.SliceStable(sets, func(i, j int) bool {
		if sets[i].IsHost() != sets[j].IsHost() {
			return !sets[i].IsHost()
		}
		return sets[i].PIDs[0] > sets[j].PIDs[0]
	})
	out := make([]Set, len(sets))
	for i, st := range sets {
		out[i] = *st
	}
	return out
}
