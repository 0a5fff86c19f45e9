package sim

import (
	"strings"
)

// This file holds lsns's columns beyond the process's own: PATH, and the
// network ones, NETNSID and NSFS, which -t net adds to the defaults.

// lsnsColumns are lsns's columns, in the order of --output-all.
var lsnsColumns = []string{"NS", "TYPE", "PATH", "NPROCS", "PID", "PPID", "COMMAND", "UID", "USER", "NETNSID", "NSFS", "PNS", "ONS"}

// lsnsWidthHints are lsns's column width hints.
var lsnsWidthHints = map[string]int{"NS": 10, "TYPE": 5, "NPROCS": 5, "PID": 5, "PPID": 5}

// lsnsOutputColumns applies -o LIST to the default columns: LIST replaces
// them, "+LIST" adds to them; bad is a column lsns does not know, as it
// was written.
func lsnsOutputColumns(defaults []string, list string) (cols []string, bad string) {
	if rest, ok := strings.CutPrefix(list, "+"); ok {
		cols, list = append([]string(nil), defaults...), rest
	}
	for _, c := range strings.Split(list, ",") {
		known := false
		for _, k := range lsnsColumns {
			if strings.EqualFold(c, k) {
				cols, known = append(cols, k), true
				break
			}
		}
		if !known {
			return nil, c
		}
	}
	return cols, ""
}

// lsnsNetValue is a PATH, NETNSID or NSFS cell of a namespace's row, for
// lsns run by t; pid is the row's process as t's /proc numbers it.
func lsnsNetValue(t *Task, pid int, ns Namespace, col string, noWrap bool) string {
	switch col {
	case "PATH":
		return "/proc/" + itoa(pid) + "/ns/" + string(ns.Type())
	case "NETNSID":
		// RTM_GETNSID in lsns's own network namespace: the id it gave
		// the row's namespace, if any.
		net, ok := ns.(*NetNamespace)
		if !ok {
			return ""
		}
		// Its own namespace reads "unassigned" too.
		if id, ok := t.ns.net.peerIDs[net]; ok && net != t.ns.net {
			return itoa(id)
		}
		return "unassigned"
	case "NSFS":
		// The mount points of the namespace's nsfs file in lsns's own
		// mountinfo, one a line (with -W or -r, a comma between).
		sep := "\n"
		if noWrap {
			sep = ","
		}
		var where []string
		for _, m := range t.ns.mnt.mounts {
			if m.sb.fstype != "nsfs" || m.sb.ns != ns || !t.seesMount(m) {
				continue
			}
			p := t.visiblePath(m.point)
			dup := false
			for _, w := range where {
				dup = dup || w == p
			}
			if !dup {
				where = append(where, p)
			}
		}
		return strings.Join(where, sep)
	}
	return ""
}

// lsnsLines splits a row whose cells hold several lines (NSFS) into
// table rows: the first with each cell's first line, then one row per
// further line, the other cells empty.
func lsnsLines(row []string) [][]string {
	n := 1
	split := make([][]string, len(row))
	for i, c := range row {
		split[i] = strings.Split(c, "\n")
		n = max(n, len(split[i]))
	}
	lines := make([][]string, n)
	for k := range lines {
		lines[k] = make([]string, len(row))
		for i := range row {
			if k < len(split[i]) {
				lines[k][i] = split[i][k]
			}
		}
	}
	return lines
}

// lsnsContinuations redraws the continuation lines of multi-line cells
// in out, the rendering of t: libsmartcols pads each cell but the last to
// its column's width there, blanks included.
func lsnsContinuations(out string, t *table, cont []bool, withHead bool) string {
	widths := t.widths()
	lines := strings.SplitAfter(out, "\n")
	off := 0
	if withHead {
		off = 1
	}
	for i, c := range cont {
		if !c {
			continue
		}
		var b strings.Builder
		row := t.rows[i]
		for j, cell := range row {
			if j > 0 {
				b.WriteByte(' ')
			}
			if j == len(row)-1 {
				b.WriteString(cell)
				break
			}
			pad := strings.Repeat(" ", widths[j]-strlenRunes(cell))
			if t.right[t.head[j]] {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
		}
		lines[i+off] = b.String() + "\n"
	}
	return strings.Join(lines, "")
}
