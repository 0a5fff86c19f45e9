package web

import (
	"strings"

	"github.com/nslab/nslab/nsstate"
)

// mountsModel is the mount view: the lab host's and the container's mount
// tables next to each other.
type mountsModel struct {
	// SameNS is true when the container shares the lab host's mount
	// namespace: the two tables are one.
	SameNS          bool
	Host, Container []mountRow
}

type mountRow struct {
	Side   string // "host" or "container"
	Point  string
	FSType string
	Source string
	// Access is "ro" or "rw", from the per-mount options.
	Access string
	// Propagation is each mount's propagation as mountinfo names it:
	// "shared:N", "master:N", "propagate_from:N", "unbindable", or
	// "private" when it has none of them.
	Propagation []string
	// OnlyHere marks a mount the other side does not have.
	OnlyHere bool
}

func buildMounts(s *nsstate.Snapshot, host, ctr perspective) mountsModel {
	hostNS := s.Namespace(host.of(nsstate.NSMnt))
	ctrNS := s.Namespace(ctr.of(nsstate.NSMnt))
	var hm, cm []nsstate.Mount
	if hostNS != nil {
		hm = hostNS.Mounts
	}
	if ctrNS != nil {
		cm = ctrNS.Mounts
	}
	return mountsModel{
		SameNS:    host.of(nsstate.NSMnt) == ctr.of(nsstate.NSMnt),
		Host:      mountRows("host", hm, cm),
		Container: mountRows("container", cm, hm),
	}
}

// mountRows lists mine, marking what others lacks. Mounts are matched by
// where and what they are (point, type, source, root), not by mount ID:
// unshare -m copies every mount under new IDs. Stacked mounts at one
// point count one for one.
func mountRows(side string, mine, others []nsstate.Mount) []mountRow {
	have := map[string]int{}
	for _, m := range others {
		have[mountKey(m)]++
	}
	var rows []mountRow
	for _, m := range mine {
		k := mountKey(m)
		only := have[k] == 0
		if !only {
			have[k]--
		}
		rows = append(rows, mountRow{
			Side: side, Point: m.Point, FSType: m.FSType, Source: m.Source,
			Access: access(m.Options), Propagation: propagation(m.Propagation), OnlyHere: only,
		})
	}
	return rows
}

func mountKey(m nsstate.Mount) string {
	return m.Point + "\x00" + m.FSType + "\x00" + m.Source + "\x00" + m.Root
}

func access(options string) string {
	for _, o := range strings.Split(options, ",") {
		if o == "ro" {
			return "ro"
		}
	}
	return "rw"
}

func propagation(p []string) []string {
	if len(p) == 0 {
		return []string{"private"}
	}
	return p
}
