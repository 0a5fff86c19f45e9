package web

import (
	"sort"
	"strconv"
	"strings"

	"github.com/nslab/nslab/nsstate"
)

// pidRow is one process as the lab host and the container see it.
type pidRow struct {
	HostPID int
	// ContainerPID is valid only when Visible: a process outside the
	// container's pid namespace has no PID there.
	ContainerPID int
	Visible      bool
	Command      string
	// Depth is the process's depth in the lab host's process tree, for
	// indenting the command.
	Depth        int
	HostUID      uint32
	ContainerUID uint32
	UIDMapped    bool
	SetKey       string
	InContainer  bool
}

// ContainerPIDText is the container PID, or "" when it cannot see the
// process.
func (r pidRow) ContainerPIDText() string {
	if !r.Visible {
		return ""
	}
	return strconv.Itoa(r.ContainerPID)
}

// commandMaxLen keeps long command lines from pushing the columns apart.
const commandMaxLen = 60

func buildPIDRows(s *nsstate.Snapshot, ctr perspective, ctrKey string) []pidRow {
	var rows []pidRow
	for _, n := range processTree(s) {
		p := n.p
		r := pidRow{
			HostPID: p.PID,
			Command: commandLine(p),
			Depth:   n.depth,
			HostUID: p.UID,
			SetKey:  nsstate.SetKey(p.NS),
		}
		r.InContainer = r.SetKey == ctrKey
		r.ContainerPID, r.Visible = s.PIDIn(p, ctr.of(nsstate.NSPID))
		r.ContainerUID, r.UIDMapped = s.UIDIn(p.UID, ctr.of(nsstate.NSUser))
		rows = append(rows, r)
	}
	return rows
}

type treeNode struct {
	p     *nsstate.Process
	depth int
}

// processTree orders processes parent before children, siblings by PID,
// so that a shell, its unshare and the unshare's child read top to bottom.
// Processes whose parent is not in the snapshot are roots.
func processTree(s *nsstate.Snapshot) []treeNode {
	children := map[int][]*nsstate.Process{}
	var roots []*nsstate.Process
	for i := range s.Processes {
		p := &s.Processes[i]
		if p.PPID != p.PID && s.Process(p.PPID) != nil {
			children[p.PPID] = append(children[p.PPID], p)
		} else {
			roots = append(roots, p)
		}
	}
	byPID := func(ps []*nsstate.Process) {
		sort.Slice(ps, func(i, j int) bool { return ps[i].PID < ps[j].PID })
	}
	byPID(roots)
	var out []treeNode
	seen := map[int]bool{}
	var walk func(p *nsstate.Process, depth int)
	walk = func(p *nsstate.Process, depth int) {
		if seen[p.PID] { // a cycle in bad input must not loop forever
			return
		}
		seen[p.PID] = true
		out = append(out, treeNode{p: p, depth: depth})
		kids := children[p.PID]
		byPID(kids)
		for _, k := range kids {
			walk(k, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	// Processes caught in a parent cycle are still shown.
	for i := range s.Processes {
		if p := &s.Processes[i]; !seen[p.PID] {
			walk(p, 0)
		}
	}
	return out
}

// commandLine is the process's command line, or its comm in brackets (as
// ps shows kernel threads and zombies) when it has none.
func commandLine(p *nsstate.Process) string {
	c := strings.Join(p.Cmdline, " ")
	if strings.TrimSpace(c) == "" {
		c = "[" + p.Comm + "]"
	}
	if r := []rune(c); len(r) > commandMaxLen {
		c = string(r[:commandMaxLen-1]) + "…"
	}
	return c
}
