package web

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/nslab/nslab/nsstate"
)

// Views draws the snapshot as seen from the lab host and from the selected
// namespace set, next to each other. selected is an nsstate.SetKey; "" (or
// a set that no longer exists) means the newest set the visitor made, or
// the lab host itself when there is none yet.
func Views(s *nsstate.Snapshot, selected string) templ.Component {
	return viewsHTML(buildViews(s, selected))
}

// viewsModel is everything the views show, decided in Go so that the
// templates only lay it out.
type viewsModel struct {
	// Waiting is true when there is no state to show yet.
	Waiting bool
	// Container is the selected set; ContainerIsHost is true when it is the
	// lab host's own set (nothing unshared yet, or chosen on purpose).
	Container       setRef
	ContainerIsHost bool
	// Missing is true when the visitor asked for a set that is gone.
	Missing bool
	// Containers counts the sets the visitor made.
	Containers int
	// Truncated is true when the lab holds more than a snapshot carries
	// (nsstate.Snapshot.Truncated): the views show part of it.
	Truncated bool

	Map     nsMap
	PIDs    []pidRow
	Users   usersModel
	Mounts  mountsModel
	Compact []compactRow
	// Pinned lists namespaces held by a mount, a descriptor or a
	// for_children link, those without a process first.
	Pinned []pinnedRow
}

// setRef names one namespace set for the page.
type setRef struct {
	Key   string
	Label string // "lab host", "container 2"
	// LeaderPID and LeaderComm name the set's oldest process, as the lab
	// host sees it.
	LeaderPID  int
	LeaderComm string
	New        []nsstate.NSType
	NS         map[nsstate.NSType]string
}

// perspective is everything one side of the views needs: the namespaces
// it looks from.
type perspective struct {
	ns map[nsstate.NSType]string
}

func (p perspective) of(t nsstate.NSType) string { return p.ns[t] }

func buildViews(s *nsstate.Snapshot, selected string) viewsModel {
	if s == nil || len(s.Host) == 0 {
		return viewsModel{Waiting: true}
	}
	refs := setRefs(s)
	var vm viewsModel
	vm.Container, vm.Missing = pickSet(refs, selected)
	vm.ContainerIsHost = len(vm.Container.New) == 0
	vm.Containers = len(refs) - 1
	vm.Truncated = s.Truncated != nil
	host := perspective{ns: s.Host}
	ctr := perspective{ns: vm.Container.NS}
	vm.Map = buildMap(s, refs, vm.Container.Key)
	vm.PIDs = buildPIDRows(s, ctr, vm.Container.Key)
	vm.Users = buildUsers(s, refs, ctr, vm.Container.Key)
	vm.Mounts = buildMounts(s, host, ctr)
	vm.Compact = buildCompact(s, refs, host, ctr, vm.Container.Key)
	vm.Pinned = buildPinned(s)
	return vm
}

// setRefs lists the lab host's set first, then the sets the visitor made,
// oldest first, numbered in that order. A lab host with no process in its
// own set still gets a column, drawn from Snapshot.Host.
func setRefs(s *nsstate.Snapshot) []setRef {
	sets := s.Sets()
	hostRef := setRef{Key: nsstate.SetKey(s.Host), Label: "lab host", NS: s.Host}
	var made []setRef
	for i := len(sets) - 1; i >= 0; i-- {
		st := sets[i]
		r := setRef{Key: st.Key, NS: st.NS, New: st.New, LeaderPID: st.PIDs[0]}
		if p := s.Process(st.PIDs[0]); p != nil {
			r.LeaderComm = p.Comm
		}
		if st.IsHost() {
			r.Label = "lab host"
			hostRef = r
			continue
		}
		r.Label = "container " + strconv.Itoa(len(made)+1)
		made = append(made, r)
	}
	return append([]setRef{hostRef}, made...)
}

// pickSet finds the selected set among refs (lab host first, then oldest
// to newest). missing reports a selection that is gone.
func pickSet(refs []setRef, selected string) (ref setRef, missing bool) {
	if selected != "" {
		for _, r := range refs {
			if r.Key == selected {
				return r, false
			}
		}
		missing = true
	}
	return refs[len(refs)-1], missing
}

// sideClass is the CSS class that colours one side: host or container.
func sideClass(side string) string {
	if side == "host" {
		return "host"
	}
	return "ctr"
}

// propClass colours a propagation tag by its kind ("shared:3" → shared).
func propClass(p string) string {
	kind, _, _ := strings.Cut(p, ":")
	switch kind {
	case "shared", "master", "propagate_from", "unbindable", "private":
		return "prop-" + kind
	}
	return "prop-other"
}
