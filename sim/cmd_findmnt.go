package sim

import (
	"path"
	"strings"
)

// This file holds findmnt's options, its --fstab mode and its --poll
// mode; the mount tree itself is printed by findmntProgram (cmd_mount.go).

// findmntArgs are findmnt's parsed options.
type findmntArgs struct {
	cols                []string
	noHead, list, raw   bool
	types               map[string]bool
	operands            []string
	target, mountpoint  string // -T PATH, -M PATH
	hasTarget, hasPoint bool
	fstab, evaluate     bool
	firstOnly           bool
	options             string // -O LIST
	poll                bool
	pollActions         map[string]bool // nil: every action
}

var findmntSpec = optSpec{
	short: map[byte]int{'n': 0, 'l': 0, 'r': 0, 'o': 1, 't': 1, 'T': 1, 'M': 1, 's': 0, 'e': 0, 'p': 2, 'f': 0, 'O': 1, 'k': 0, 'm': 0, 'h': 0, 'V': 0},
	long: map[string]longOpt{
		"noheadings": {'n', 0}, "list": {'l', 0}, "raw": {'r', 0}, "output": {'o', 1}, "types": {'t', 1},
		"target": {'T', 1}, "mountpoint": {'M', 1}, "fstab": {'s', 0}, "evaluate": {'e', 0}, "poll": {'p', 2},
		"first-only": {'f', 0}, "options": {'O', 1}, "kernel": {'k', 0}, "mtab": {'m', 0}, "help": {'h', 0}, "version": {'V', 0},
	},
}

// findmntColumns are the columns findmnt knows that the simulator fills.
var findmntColumns = map[string]bool{
	"TARGET": true, "SOURCE": true, "FSTYPE": true, "OPTIONS": true, "PROPAGATION": true, "ID": true, "PARENT": true,
	"VFS-OPTIONS": true, "FS-OPTIONS": true, "FSROOT": true, "MAJ:MIN": true,
	"ACTION": true, "OLD-TARGET": true, "OLD-OPTIONS": true, "FREQ": true, "PASSNO": true,
}

// parseFindmntArgs parses findmnt's command line as util-linux 2.38 does;
// ok is false after an error, with status the exit status.
func parseFindmntArgs(p *Proc) (a findmntArgs, status int, ok bool) {
	a.cols = []string{"TARGET", "SOURCE", "FSTYPE", "OPTIONS"}
	opts, operands, msg := getoptLong(findmntSpec, p.Args[1:], false)
	if msg != "" {
		return a, usageError(p, "findmnt", msg), false
	}
	userCols := false
	for _, o := range opts {
		switch o.code {
		case 'n':
			a.noHead = true
		case 'l':
			a.list = true
		case 'r':
			a.raw, a.list = true, true
		case 'o':
			a.cols, userCols = strings.Split(strings.ToUpper(o.value), ","), true
		case 't':
			a.types = map[string]bool{}
			for _, t := range strings.Split(o.value, ",") {
				a.types[t] = true
			}
		case 'T':
			a.target, a.hasTarget = o.value, true
		case 'M':
			a.mountpoint, a.hasPoint = o.value, true
		case 's':
			a.fstab = true
		case 'e':
			a.evaluate = true
		case 'f':
			a.firstOnly = true
		case 'O':
			a.options = o.value
		case 'p':
			a.poll = true
			if o.hasVal {
				a.pollActions = map[string]bool{}
				for _, act := range strings.Split(o.value, ",") {
					switch act {
					case "mount", "umount", "remount", "move":
						a.pollActions[act] = true
					default:
						p.Errorf("findmnt: unknown action: %s\n", act)
						return a, 1, false
					}
				}
			}
		case 'k', 'm':
			// The kernel's table, which is the default.
		case 'h':
			p.Printf("\nUsage:\n findmnt [options]\n findmnt [options] <device> | <mountpoint>\n findmnt [options] <device> <mountpoint>\n findmnt [options] [--source <device>] [--target <path> | --mountpoint <dir>]\n\nFind a (mounted) filesystem.\n")
			return a, 0, false
		case 'V':
			p.Printf("findmnt from util-linux 2.38.1\n")
			return a, 0, false
		}
	}
	if a.poll && !userCols {
		a.cols = append([]string{"ACTION"}, a.cols...)
	}
	for _, c := range a.cols {
		if !findmntColumns[c] {
			p.Errorf("findmnt: unknown column: %s\n", c)
			return a, 1, false
		}
	}
	// Operands past a source and a mount point are ignored.
	if len(operands) > 2 {
		operands = operands[:2]
	}
	a.operands = operands
	if a.evaluate {
		for i, s := range a.operands {
			a.operands[i] = evaluateTag(s)
		}
	}
	return a, 0, true
}

// evaluateTag is what --evaluate makes of a source: a LABEL=, UUID=,
// PARTLABEL= or PARTUUID= tag names a device through udev's links, and a
// lab has no such device, so it comes out empty.
func evaluateTag(s string) string {
	for _, tag := range []string{"LABEL=", "UUID=", "PARTLABEL=", "PARTUUID="} {
		if strings.HasPrefix(s, tag) {
			return ""
		}
	}
	return s
}

// matchOptions is libmount's mnt_match_options: every option of pattern
// must be in optstr ("foo=value" with that value), and a pattern option
// "noX" means X must not be (a leading "+" takes the name as it is).
func matchOptions(optstr, pattern string) bool {
	have := map[string]string{}
	for _, o := range strings.Split(optstr, ",") {
		name, val, _ := strings.Cut(o, "=")
		have[name] = val
	}
	for _, o := range strings.Split(pattern, ",") {
		if o == "" {
			continue
		}
		name, val, hasVal := strings.Cut(o, "=")
		no := false
		if strings.HasPrefix(name, "+") {
			name = name[1:]
		} else if strings.HasPrefix(name, "no") {
			no, name = true, name[2:]
		}
		v, present := have[name]
		if present && hasVal && v != val {
			present = false
		}
		if present == no {
			return false
		}
	}
	return true
}

// fstabEntry is one line of /etc/fstab.
type fstabEntry struct {
	source, target, fstype, options, freq, passno string
}

// findmntFstab is findmnt --fstab: the entries of /etc/fstab, as a list.
func findmntFstab(p *Proc, a findmntArgs) int {
	data, err := p.ReadFile("/etc/fstab")
	if err != nil {
		// libmount names the file it could not open by a NULL pointer.
		p.Errorf("findmnt: can't read (null): %s\n", err.Error())
		return 1
	}
	var entries []fstabEntry
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") || len(f) < 2 {
			continue
		}
		e := fstabEntry{source: f[0], target: f[1], fstype: "auto", options: "defaults", freq: "0", passno: "0"}
		for i, v := range f[2:] {
			switch i {
			case 0:
				e.fstype = v
			case 1:
				e.options = v
			case 2:
				e.freq = v
			case 3:
				e.passno = v
			}
		}
		entries = append(entries, e)
	}
	match := func(e fstabEntry, source, target string, hasSource, hasTarget bool) bool {
		if hasSource && e.source != source {
			return false
		}
		if hasTarget && path.Clean(e.target) != path.Clean(target) {
			return false
		}
		if a.types != nil && !a.types[e.fstype] {
			return false
		}
		return a.options == "" || matchOptions(e.options, a.options)
	}
	source, target := "", ""
	hasSource, hasTarget := false, false
	switch {
	case a.hasTarget || a.hasPoint:
		target, hasTarget = a.target+a.mountpoint, true
	}
	if len(a.operands) > 0 {
		source, hasSource = a.operands[0], true
	}
	if len(a.operands) > 1 {
		target, hasTarget = a.operands[1], true
	}
	pick := func(source, target string, hasSource, hasTarget bool) []fstabEntry {
		var sel []fstabEntry
		for _, e := range entries {
			if match(e, source, target, hasSource, hasTarget) {
				sel = append(sel, e)
			}
		}
		return sel
	}
	sel := pick(source, target, hasSource, hasTarget)
	if len(sel) == 0 && len(a.operands) == 1 && !hasTarget {
		// A lone operand that is no source may be a mount point.
		sel = pick("", source, false, true)
	}
	if len(sel) == 0 {
		return 1
	}
	if a.firstOnly {
		sel = sel[:1]
	}
	t := newTable(a.cols, a.raw)
	t.rightAlign("FREQ", "PASSNO")
	for _, e := range sel {
		var row []string
		for _, c := range a.cols {
			v := ""
			switch c {
			case "TARGET":
				v = e.target
			case "SOURCE":
				v = e.source
				if a.evaluate {
					v = evaluateTag(v)
				}
			case "FSTYPE":
				v = e.fstype
			case "OPTIONS", "VFS-OPTIONS", "FS-OPTIONS":
				v = e.options
			case "FREQ":
				v = e.freq
			case "PASSNO":
				v = e.passno
			}
			if a.raw && v == "" {
				v = `""`
			}
			row = append(row, v)
		}
		t.add(row)
	}
	p.Stdout().Write([]byte(t.render(!a.noHead)))
	return 0
}

// pollState is what findmnt --poll remembers of a mount.
type pollState struct {
	m              *Mount
	point, options string
}

// findmntPoll is findmnt --poll: it waits for changes of the caller's
// mount table and prints one line per change (libmount's mnt_diff_tables:
// mounts, moves and remounts in the new table's order, then unmounts),
// with the header before the first, until it is killed, or after the
// first with --first-only.
func findmntPoll(p *Proc, a findmntArgs, value func(m *Mount, c string) string) int {
	ns := p.T.ns.mnt
	snapshot := func() []pollState {
		var s []pollState
		for _, m := range ns.mounts {
			s = append(s, pollState{m: m, point: m.point, options: mergedOptions(m)})
		}
		return s
	}
	same := func(x, y []pollState) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	wanted := func(action string, m *Mount, point, options string) bool {
		if a.pollActions != nil && !a.pollActions[action] {
			return false
		}
		if a.hasPoint && path.Clean(a.mountpoint) != point || a.hasTarget && path.Clean(a.target) != point {
			return false
		}
		if len(a.operands) > 0 && a.operands[0] != point && a.operands[0] != m.sb.source {
			return false
		}
		if a.types != nil && !a.types[m.sb.fstype] {
			return false
		}
		return a.options == "" || matchOptions(options, a.options)
	}
	old := snapshot()
	headed := a.noHead
	for {
		p.T.block(func() bool { return !same(old, snapshot()) }, 0)
		cur := snapshot()
		before := map[*Mount]pollState{}
		for _, s := range old {
			before[s.m] = s
		}
		now := map[*Mount]bool{}
		// ACTION has a strict width of 10 in findmnt's column table.
		head := append([]string(nil), a.cols...)
		for i, c := range head {
			if c == "ACTION" && i < len(head)-1 && !a.raw {
				head[i] = "ACTION    "
			}
		}
		t := newTable(head, a.raw)
		events := 0
		add := func(action string, s pollState, prev pollState) {
			if !wanted(action, s.m, s.point, s.options) {
				return
			}
			var row []string
			for _, c := range a.cols {
				v := ""
				switch c {
				case "ACTION":
					v = action
				case "TARGET":
					v = s.point
				case "OPTIONS":
					v = s.options
				case "OLD-TARGET":
					v = prev.point
				case "OLD-OPTIONS":
					v = prev.options
				default:
					v = value(s.m, c)
				}
				if a.raw && v == "" {
					v = `""`
				}
				row = append(row, v)
			}
			t.add(row)
			events++
		}
		for _, s := range cur {
			now[s.m] = true
			prev, ok := before[s.m]
			switch {
			case !ok:
				add("mount", s, pollState{})
			case prev.point != s.point:
				add("move", s, prev)
			case prev.options != s.options:
				add("remount", s, prev)
			}
		}
		for _, s := range old {
			if !now[s.m] {
				add("umount", s, pollState{})
			}
		}
		old = cur
		if events == 0 {
			continue
		}
		if a.firstOnly {
			t.rows = t.rows[:1]
		}
		// The header's widths are those of the first event's table.
		out := t.render(!headed)
		headed = true
		p.Stdout().Write([]byte(out))
		if a.firstOnly {
			return 0
		}
	}
}

// findmntSelect picks the mounts of the kernel's table that findmnt
// prints: those on the mount point of -M, or holding the path of -T; else
// those matching a source and a mount point; else a lone operand as a
// mount point (every mount stacked there, in mountinfo's order) or as a
// source; else all of them, with -t only the types given (still a tree:
// a mount whose parent is left out starts one). -O filters by options and
// -f keeps the first. list tells whether the result prints as a list.
func findmntSelect(p *Proc, a findmntArgs, mounts []*Mount, list bool) ([]*Mount, bool, bool) {
	var sel []*Mount
	switch {
	case a.hasPoint:
		point := path.Clean(a.mountpoint)
		if r, err := p.K.lookup(p.T, a.mountpoint, true); err == nil {
			point = r.path
		}
		for _, m := range mounts {
			if m.point == point {
				sel = append(sel, m)
			}
		}
		list = true
	case a.hasTarget:
		// The mount holding the path.
		if r, err := p.K.lookup(p.T, a.target, true); err == nil {
			sel = append(sel, r.mnt)
		}
		list = true
	case len(a.operands) > 1:
		// A source and a mount point, both to match.
		for _, m := range mounts {
			if m.sb.source == a.operands[0] && m.point == path.Clean(a.operands[1]) {
				sel = append(sel, m)
			}
		}
		list = true
	case len(a.operands) > 0:
		list = true
		for _, t := range a.operands[:1] {
			point := ""
			if r, err := p.K.lookup(p.T, t, true); err == nil && r.mnt.point == r.path {
				point = r.path
			}
			for _, m := range mounts {
				if point != "" && m.point == point || point == "" && m.sb.source == t {
					sel = append(sel, m)
				}
			}
		}
	default:
		for _, m := range mounts {
			if a.types == nil || a.types[m.sb.fstype] {
				sel = append(sel, m)
			}
		}
	}
	if a.options != "" {
		var keep []*Mount
		for _, m := range sel {
			if matchOptions(mergedOptions(m), a.options) {
				keep = append(keep, m)
			}
		}
		sel = keep
	}
	if len(sel) == 0 {
		return nil, list, false
	}
	if a.firstOnly {
		sel, list = sel[:1], true
	}
	return sel, list, true
}
