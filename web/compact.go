package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nslab/nslab/nsstate"
)

// compactRow is one line comparing a small namespace type between the lab
// host and the container: hostnames, IPC objects, interfaces, cgroup
// paths, time offsets.
type compactRow struct {
	Type      nsstate.NSType
	Label     string
	Host      string
	Container string
	// Shared is true when both sides use the same namespace of this type.
	Shared bool
}

func buildCompact(s *nsstate.Snapshot, refs []setRef, host, ctr perspective, ctrKey string) []compactRow {
	row := func(t nsstate.NSType, label string, show func(*nsstate.Namespace) string) compactRow {
		return compactRow{
			Type: t, Label: label,
			Host:      show(s.Namespace(host.of(t))),
			Container: show(s.Namespace(ctr.of(t))),
			Shared:    host.of(t) == ctr.of(t),
		}
	}
	rows := []compactRow{
		row(nsstate.NSUTS, "hostname", hostname),
		row(nsstate.NSIPC, "SysV IPC", ipcObjects),
		row(nsstate.NSNet, "interfaces", interfaces),
	}
	cg := compactRow{
		Type: nsstate.NSCgroup, Label: "cgroup",
		Host:      cgroupOf(s, refs[0].LeaderPID),
		Container: cgroupOf(s, leaderOf(refs, ctrKey)),
		Shared:    host.of(nsstate.NSCgroup) == ctr.of(nsstate.NSCgroup),
	}
	rows = append(rows, cg, row(nsstate.NSTime, "time offsets", timeOffsets))
	return rows
}

func leaderOf(refs []setRef, key string) int {
	for _, r := range refs {
		if r.Key == key {
			return r.LeaderPID
		}
	}
	return 0
}

func hostname(ns *nsstate.Namespace) string {
	if ns == nil {
		return "?"
	}
	if ns.Hostname == "" {
		return "(none)"
	}
	return ns.Hostname
}

func ipcObjects(ns *nsstate.Namespace) string {
	if ns == nil {
		return "?"
	}
	if len(ns.IPC) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(ns.IPC))
	for _, o := range ns.IPC {
		parts = append(parts, fmt.Sprintf("%s 0x%08x", o.Kind, uint32(o.Key)))
	}
	return strings.Join(parts, ", ")
}

func interfaces(ns *nsstate.Namespace) string {
	if ns == nil {
		return "?"
	}
	if len(ns.Interfaces) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(ns.Interfaces))
	for _, i := range ns.Interfaces {
		state := "down"
		if i.Up {
			state = "up"
		}
		parts = append(parts, i.Name+" "+state)
	}
	return strings.Join(parts, ", ")
}

func cgroupOf(s *nsstate.Snapshot, pid int) string {
	p := s.Process(pid)
	if p == nil || p.Cgroup == "" {
		return "?"
	}
	return p.Cgroup
}

func timeOffsets(ns *nsstate.Namespace) string {
	if ns == nil {
		return "?"
	}
	if ns.Offsets == nil || *ns.Offsets == (nsstate.TimeOffsets{}) {
		return "none"
	}
	return "monotonic " + offset(ns.Offsets.Monotonic) + ", boottime " + offset(ns.Offsets.Boottime)
}

func offset(o nsstate.Offset) string {
	sign := "+"
	if o.Sec < 0 || (o.Sec == 0 && o.Nsec < 0) {
		sign = ""
	}
	s := sign + strconv.FormatInt(o.Sec, 10)
	if o.Nsec != 0 {
		s += fmt.Sprintf(".%09d", abs(o.Nsec))
	}
	return s + " s"
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
