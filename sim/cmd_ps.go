package sim

import (
	"strconv"
	"strings"
	"time"
)

// This file is ps(1) of procps-ng 4.0.2: it lists the processes of the
// proc file system mounted at /proc, as that mount's PID namespace sees
// them. Simulated processes take no CPU time: C and %CPU are 0, TIME is
// 00:00:00.

// psColumn is one output column of ps.
type psColumn struct {
	head  string
	width int
	right bool
	// tree marks the command columns, which a forest indents.
	tree  bool
	value func(c *psCtx, t *Task) string
}

// psCtx is what column values need.
type psCtx struct {
	p  *Proc
	ns *PIDNamespace
}

// psMem gives plausible VSZ and RSS (KiB) per program, as Debian's show.
var psMem = map[string][2]int{
	"sh": {2592, 1684}, "dash": {2592, 1684}, "bash": {7204, 4012}, "sleep": {2484, 1016}, "ps": {8548, 4604},
	"init": {2079748, 8356}, "unshare": {2484, 1096}, "nsenter": {2484, 1100}, "cat": {5480, 1016},
}

func psColumns() map[string]psColumn {
	num := func(head string, w int, f func(c *psCtx, t *Task) int) psColumn {
		return psColumn{head: head, width: w, right: true, value: func(c *psCtx, t *Task) string { return itoa(f(c, t)) }}
	}
	nsCol := func(head string, typ NSType) psColumn {
		return psColumn{head: head, width: 10, right: true, value: func(c *psCtx, t *Task) string {
			n := t.nsOf(typ)
			if n == nil {
				return "-"
			}
			return strconv.FormatUint(n.Inode(), 10)
		}}
	}
	user := func(c *psCtx, t *Task) string {
		name := userName(c.p.K, c.p.T, c.p.T.creds.UserNS.MungedUID(t.creds.EUID))
		if len(name) > 8 {
			return itoa(int(c.p.T.creds.UserNS.MungedUID(t.creds.EUID)))
		}
		return name
	}
	args := func(c *psCtx, t *Task) string {
		if t.exited {
			return "[" + t.comm + "] <defunct>"
		}
		if len(t.argv) == 0 {
			return "[" + t.comm + "]"
		}
		// Control characters in arguments (a script's newlines) print as
		// spaces.
		return strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f {
				return ' '
			}
			return r
		}, strings.Join(t.argv, " "))
	}
	// procps 4 shows a zombie's comm and ucmd as the name alone; only
	// the argument columns say "[NAME] <defunct>".
	comm := func(c *psCtx, t *Task) string { return t.comm }
	cols := map[string]psColumn{
		"pid":   num("PID", 7, func(c *psCtx, t *Task) int { return c.ns.PIDOf(t) }),
		"ppid":  num("PPID", 7, func(c *psCtx, t *Task) int { return t.PPIDIn(c.ns) }),
		"pgid":  num("PGID", 7, func(c *psCtx, t *Task) int { return c.ns.PIDOf(c.p.K.taskByLabPID(t.pgid)) }),
		"sid":   num("SID", 7, func(c *psCtx, t *Task) int { return c.ns.PIDOf(c.p.K.taskByLabPID(t.sid)) }),
		"uid":   num("UID", 5, func(c *psCtx, t *Task) int { return int(c.p.T.creds.UserNS.MungedUID(t.creds.EUID)) }),
		"ruid":  num("RUID", 5, func(c *psCtx, t *Task) int { return int(c.p.T.creds.UserNS.MungedUID(t.creds.RealUID)) }),
		"gid":   num("GID", 5, func(c *psCtx, t *Task) int { return int(c.p.T.creds.UserNS.MungedGID(t.creds.EGID)) }),
		"user":  {head: "USER", width: 8, value: user},
		"euser": {head: "EUSER", width: 8, value: user},
		"ruser": {head: "RUSER", width: 8, value: user},
		"group": {head: "GROUP", width: 8, value: func(c *psCtx, t *Task) string {
			return groupName(c.p.K, c.p.T, c.p.T.creds.UserNS.MungedGID(t.creds.EGID))
		}},
		"comm":    {head: "COMMAND", width: 15, value: comm, tree: true},
		"ucmd":    {head: "CMD", width: 15, value: comm, tree: true},
		"args":    {head: "COMMAND", width: 27, value: args, tree: true},
		"cmd":     {head: "CMD", width: 27, value: args, tree: true},
		"command": {head: "COMMAND", width: 27, value: args, tree: true},
		"stat":    {head: "STAT", width: 4, value: func(c *psCtx, t *Task) string { return psStat(c, t) }},
		"s":       {head: "S", width: 1, value: func(c *psCtx, t *Task) string { return t.stateLetter() }},
		"state":   {head: "S", width: 1, value: func(c *psCtx, t *Task) string { return t.stateLetter() }},
		"tty":     {head: "TT", width: 8, value: psTTY},
		"tt":      {head: "TT", width: 8, value: psTTY},
		"time":    {head: "TIME", width: 8, right: true, value: func(*psCtx, *Task) string { return "00:00:00" }},
		"etime": {head: "ELAPSED", width: 11, right: true, value: func(c *psCtx, t *Task) string {
			return fmtElapsed((c.p.K.now - t.startTime) / 1e9)
		}},
		"c":        num("C", 2, func(*psCtx, *Task) int { return 0 }),
		"nlwp":     num("NLWP", 4, func(*psCtx, *Task) int { return 1 }),
		"sz":       num("SZ", 5, func(c *psCtx, t *Task) int { return psMem[t.comm][0] / 4 }),
		"psr":      num("PSR", 3, func(*psCtx, *Task) int { return 0 }),
		"pidns":    nsCol("PIDNS", NSPID),
		"userns":   nsCol("USERNS", NSUser),
		"mntns":    nsCol("MNTNS", NSMnt),
		"utsns":    nsCol("UTSNS", NSUTS),
		"ipcns":    nsCol("IPCNS", NSIPC),
		"netns":    nsCol("NETNS", NSNet),
		"cgroupns": nsCol("CGROUPNS", NSCgroup),
		"timens":   nsCol("TIMENS", NSTime),
	}
	cols["pcpu"] = psColumn{head: "%CPU", width: 4, right: true, value: func(*psCtx, *Task) string { return "0.0" }}
	cols["%cpu"] = cols["pcpu"]
	cols["pmem"] = psColumn{head: "%MEM", width: 4, right: true, value: func(*psCtx, *Task) string { return "0.0" }}
	cols["%mem"] = cols["pmem"]
	cols["vsz"] = num("VSZ", 6, func(c *psCtx, t *Task) int { return psMem[t.comm][0] })
	cols["rss"] = num("RSS", 5, func(c *psCtx, t *Task) int { return psMem[t.comm][1] })
	cols["tname"] = psColumn{head: "TTY", width: 8, value: psTTY}
	cols["euid"] = cols["uid"]
	cols["uname"] = cols["user"]
	cols["egid"] = cols["gid"]
	cols["tid"] = num("TID", 7, func(c *psCtx, t *Task) int { return c.ns.PIDOf(t) })
	cols["lwp"] = num("LWP", 7, func(c *psCtx, t *Task) int { return c.ns.PIDOf(t) })
	return cols
}

func psTTY(c *psCtx, t *Task) string {
	if t.ttyName == "" {
		return "?"
	}
	return t.ttyName
}

func fmtElapsed(sec int64) string {
	d, h, m, s := sec/86400, sec/3600%24, sec/60%60, sec%60
	switch {
	case d > 0:
		return sprintf("%d-%02d:%02d:%02d", d, h, m, s)
	case h > 0:
		return sprintf("%02d:%02d:%02d", h, m, s)
	}
	return sprintf("%02d:%02d", m, s)
}

// psStat is the STAT column: state, then s for a session leader, l for
// a multithreaded process (the lab's init is a Go program), + for a
// foreground process group on a terminal.
func psStat(c *psCtx, t *Task) string {
	s := t.stateLetter()
	if t.exited {
		return s
	}
	if t.sid == t.PID() {
		s += "s"
	}
	if t.isInit && t == c.p.K.labInit {
		s += "l"
	}
	if t.ttyName != "" && t.pgid == t.PID() || t.ttyName != "" && t.pgid == t.sid {
		s += "+"
	}
	return s
}

// psProgram is ps.
func psProgram(p *Proc) int {
	// procps first stats /proc/self: with no proc mount, or one of a PID
	// namespace where ps has no PID (self then reads as nothing), it
	// gives up with exit status 47.
	sb := procMountFor(p.K, p.T)
	if sb == nil || sb.pidns.PIDOf(p.T) == 0 {
		p.Errorf("Error, do this: mount -t proc proc /proc\n")
		return 47
	}
	// procps looks itself up before anything else, --version and --help
	// included (lookup_self): whatever /proc it reads, the PID it has in
	// its own PID namespace (getpid) must name a process there.
	if sb.pidns.Task(p.T.VPID()) == nil {
		p.Errorf("fatal library error, lookup self\n")
		return 1
	}
	c := &psCtx{p: p, ns: sb.pidns}
	all, full, bsd, noHead := false, false, false, false
	// bsdSyntax: an option without a dash was given; forest: f or
	// --forest (an ASCII tree of \_ ); hier: -H (indentation); jobs: -j.
	bsdSyntax, forest, hier, jobs := false, false, false, false
	// extra: -F's columns; wide: w or -w, lines not cut to the terminal.
	extra, wide := false, false
	var format []string
	var pids map[int]bool
	// comms and users select by command name (-C) and user (-u, -U).
	var comms map[string]bool
	var users map[KUID]bool
	// bsdA and bsdX are BSD a (any user's processes) and x (processes
	// without a terminal too); ppids selects by parent (--ppid).
	var bsdA, bsdX bool
	var ppids map[int]bool
	ok := false
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "aux" || a == "axu" || a == "uax":
			all, bsd = true, true
		case a == "-ax":
			all = true
		case a == "--ppid" || strings.HasPrefix(a, "--ppid="):
			list, has := strings.CutPrefix(a, "--ppid=")
			if !has {
				if i+1 >= len(args) {
					return psUsageError(p, "list of process IDs must follow --ppid")
				}
				i++
				list = args[i]
			}
			if ppids, ok = psPIDList(list, ppids); !ok {
				return psUsageError(p, "process ID list syntax error")
			}
		case a == "--":
			return psUsageError(p, "garbage option")
		case a == "--no-headers" || a == "--no-heading":
			noHead = true
		case a == "--forest":
			forest = true
		case a == "-o" || a == "o" || a == "--format":
			if i+1 >= len(args) {
				p.Errorf("error: format specification must follow -o\n")
				return 1
			}
			i++
			format = append(format, strings.Split(args[i], ",")...)
		case strings.HasPrefix(a, "-o"):
			format = append(format, strings.Split(a[2:], ",")...)
		case a == "-p" || a == "--pid" || a == "p":
			if i+1 >= len(args) {
				p.Errorf("error: list of process IDs must follow -p\n")
				return 1
			}
			i++
			if pids == nil {
				pids = map[int]bool{}
			}
			for _, s := range strings.Split(args[i], ",") {
				n, err := strconv.Atoi(s)
				if err != nil {
					p.Errorf("error: process ID list syntax error\n")
					return 1
				}
				pids[n] = true
			}
		case a == "-aux" || a == "-axu":
			// procps reads these as the BSD aux its users meant.
			all, bsd, bsdSyntax = true, true, true
		case a == "-C" || a == "-u" || a == "-U":
			if i+1 >= len(args) {
				p.Errorf("error: list of %s must follow %s\n", map[string]string{"-C": "command names", "-u": "users", "-U": "users"}[a], a)
				return 1
			}
			i++
			if a == "-C" {
				if comms == nil {
					comms = map[string]bool{}
				}
				for _, s := range strings.Split(args[i], ",") {
					comms[s] = true
				}
			} else if users, ok = psUsers(p, args[i], users); !ok {
				p.Errorf("error: user name does not exist\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n")
				return 1
			}
		case strings.HasPrefix(a, "-"):
			// SysV options combine (-ef, -eF); one that takes an argument
			// (-eo FORMAT, -ep PID) takes the rest of the word or the next.
			for j, ch := range a[1:] {
				if ch == 'o' || ch == 'p' || ch == 'C' {
					rest := a[j+2:]
					if rest == "" {
						if i+1 >= len(args) {
							p.Errorf("error: format specification must follow -o\n")
							return 1
						}
						i++
						rest = args[i]
					}
					switch ch {
					case 'o':
						format = append(format, strings.Split(rest, ",")...)
					case 'C':
						if comms == nil {
							comms = map[string]bool{}
						}
						for _, s := range strings.Split(rest, ",") {
							comms[s] = true
						}
					default:
						if pids == nil {
							pids = map[int]bool{}
						}
						for _, s := range strings.Split(rest, ",") {
							n, err := strconv.Atoi(s)
							if err != nil {
								p.Errorf("error: process ID list syntax error\n")
								return 1
							}
							pids[n] = true
						}
					}
					break
				}
				switch ch {
				case 'e', 'A':
					all = true
				case 'f':
					full = true
				case 'H':
					hier = true
				case 'j':
					jobs = true
				case 'F':
					full, extra = true, true
				case 'w':
					wide = true
				case 'l', 'y':
					full = true
				default:
					p.Errorf("error: unsupported SysV option\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n")
					return 1
				}
			}
		default:
			bsdSyntax = true
			for j := 0; j < len(a); j++ {
				ch := a[j]
				// o and p take the rest of the word or the next word; a
				// digit starts a PID list that takes the rest of the word.
				if ch == 'o' || ch == 'p' || ch >= '0' && ch <= '9' {
					rest := a[j+1:]
					if ch >= '0' && ch <= '9' {
						rest = a[j:]
					}
					if rest == "" {
						if i+1 >= len(args) {
							if ch == 'o' {
								return psUsageError(p, "format specification must follow o")
							}
							return psUsageError(p, "list of process IDs must follow p")
						}
						i++
						rest = args[i]
					}
					if ch == 'o' {
						format = append(format, strings.Split(rest, ",")...)
					} else if pids, ok = psPIDList(rest, pids); !ok {
						return psUsageError(p, "process ID list syntax error")
					}
					break
				}
				switch ch {
				case 'a':
					bsdA = true
				case 'x':
					bsdX = true
				case 'h':
					noHead = true
				case 'u':
					bsd = true
				case 'f':
					forest = true
				case 'w':
					wide = true
				default:
					p.Errorf("error: unsupported option (BSD syntax)\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n")
					return 1
				}
			}
		}
	}
	if format == nil {
		switch {
		case bsd:
			format = []string{"user", "pid", "pcpu", "pmem", "vsz", "rss", "tname", "stat", "start", "time", "command"}
		case bsdSyntax:
			format = []string{"pid", "tname", "stat", "time", "command"}
			bsd = true
		case jobs:
			format = []string{"pid", "pgid", "sid", "tname", "time", "ucmd"}
		case extra:
			format = []string{"user", "pid", "ppid", "c", "sz", "rss", "psr", "stime", "tname", "time", "cmd"}
		case full:
			format = []string{"user", "pid", "ppid", "c", "stime", "tname", "time", "cmd"}
		default:
			format = []string{"pid", "tname", "time", "ucmd"}
		}
	}
	defs := psColumns()
	var cols []psColumn
	for i, f := range format {
		name, head, custom := strings.Cut(f, "=")
		col, ok := defs[strings.ToLower(name)]
		switch strings.ToLower(name) {
		case "stime", "start":
			col, ok = psColumn{head: "STIME", width: 5, value: func(c *psCtx, t *Task) string { return psStart(c, t) }}, true
			if bsd && name == "start" {
				col.head = "START"
			}
		}
		if !ok {
			p.Errorf("error: unknown user-defined format specifier \"%s\"\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n", name)
			return 1
		}
		if full && !bsd && i == 0 && name == "user" && (len(format) == 8 || extra && len(format) == 11) {
			col.head = "UID"
		}
		if bsd && name == "time" {
			col.width = 6
			col.value = func(*psCtx, *Task) string { return "0:00" }
		}
		if bsd && name == "tname" {
			col.width = 8
		}
		if custom {
			col.head = head
			if len(head) > col.width && !col.right {
				col.width = len(head)
			}
		}
		cols = append(cols, col)
	}
	selfEUID := p.T.creds.EUID
	var rows [][]string
	tasks := p.K.visibleTasks(sb.pidns)
	var prefix map[*Task]string
	if forest || hier {
		tasks, prefix = psTree(tasks, sb.pidns, forest)
	}
	for _, t := range tasks {
		// Selections add up: -p, -C and -u each pick processes; with none
		// (or -e) the default applies.
		picked := pids[sb.pidns.PIDOf(t)] || comms[t.comm] || users[t.creds.EUID] || ppids[t.PPIDIn(sb.pidns)]
		// The default: the caller's processes on its terminal; BSD a
		// takes in other users', x processes on no or another terminal.
		ttyOK := t.ttyName == p.T.ttyName
		if bsdA {
			ttyOK = t.ttyName != ""
		}
		byDefault := all || (bsdA || t.creds.EUID == selfEUID) && (bsdX || ttyOK)
		if pids != nil || comms != nil || users != nil || ppids != nil {
			// BSD a and x add to a selection; the default does not.
			if !picked && !all && !((bsdA || bsdX) && byDefault) {
				continue
			}
		} else if !byDefault {
			continue
		}
		var row []string
		for _, col := range cols {
			v := col.value(c, t)
			if col.tree {
				v = prefix[t] + v
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	var b strings.Builder
	anyHead := false
	for _, col := range cols {
		anyHead = anyHead || col.head != ""
	}
	if !noHead && anyHead {
		var head []string
		for _, col := range cols {
			head = append(head, col.head)
		}
		b.WriteString(psLine(cols, head))
	}
	for _, r := range rows {
		b.WriteString(psLine(cols, r))
	}
	out := b.String()
	if width := psWidth(p); width > 0 && !wide {
		// The heading is printed whole.
		head, body, _ := strings.Cut(out, "\n")
		if noHead || !anyHead {
			out = psCut(out, width)
		} else {
			out = head + "\n" + psCut(body, width)
		}
	}
	p.Stdout().Write([]byte(out))
	if len(rows) == 0 {
		return 1
	}
	return 0
}

// psLine lays out one row: fixed widths, a space between columns, the
// last column unpadded; a cell wider than its column pushes the rest right.
func psLine(cols []psColumn, cells []string) string {
	var b strings.Builder
	for i, col := range cols {
		v := cells[i]
		if i > 0 {
			b.WriteByte(' ')
		}
		pad := col.width - len(v)
		if pad < 0 {
			pad = 0
		}
		if col.right {
			b.WriteString(strings.Repeat(" ", pad))
			b.WriteString(v)
		} else {
			b.WriteString(v)
			if i < len(cols)-1 {
				b.WriteString(strings.Repeat(" ", pad))
			}
		}
	}
	// Padding is trimmed, but not the command's own trailing blanks.
	last := cells[len(cells)-1]
	if !cols[len(cols)-1].right && strings.TrimSpace(last) != "" {
		return b.String() + "\n"
	}
	return strings.TrimRight(b.String(), " ") + "\n"
}

// psStart formats a start time: HH:MM today, "MonDD" before.
func psStart(c *psCtx, t *Task) string {
	st := time.Unix(0, t.startTime).UTC()
	now := time.Unix(0, c.p.K.now).UTC()
	if now.Sub(st) < 24*time.Hour && st.YearDay() == now.YearDay() {
		return st.Format("15:04")
	}
	return st.Format("Jan02")
}

// psTree orders tasks depth first, children by PID, and gives each the
// prefix of its command column: procps's forest (" \\_ ", with " |  "
// where an ancestor has siblings to come; children of PID 1 start new
// trees) or -H's two spaces a level.
func psTree(tasks []*Task, ns *PIDNamespace, forest bool) ([]*Task, map[*Task]string) {
	in := map[*Task]bool{}
	for _, t := range tasks {
		in[t] = true
	}
	children := map[*Task][]*Task{}
	var roots []*Task
	for _, t := range tasks {
		par := t.parent
		isRoot := par == nil || !in[par] || ns.PIDOf(par) == 0
		if forest && par != nil && ns.PIDOf(par) == 1 {
			isRoot = true
		}
		if isRoot {
			roots = append(roots, t)
		} else {
			children[par] = append(children[par], t)
		}
	}
	var out []*Task
	prefix := map[*Task]string{}
	var walk func(t *Task, level int, lead string, last bool)
	walk = func(t *Task, level int, lead string, last bool) {
		out = append(out, t)
		switch {
		case level == 0:
		case forest:
			prefix[t] = lead + " \\_ "
		default:
			prefix[t] = strings.Repeat("  ", level)
		}
		next := lead
		if level > 0 {
			if last {
				next += "    "
			} else {
				next += " |  "
			}
		}
		kids := children[t]
		for i, c := range kids {
			walk(c, level+1, next, i == len(kids)-1)
		}
	}
	for _, r := range roots {
		walk(r, 0, "", true)
	}
	return out, prefix
}

// psWidth is the width procps cuts its lines to: COLUMNS, else the
// terminal's when standard output is one; 0 (no limit) for a pipe or file.
func psWidth(p *Proc) int {
	if n, err := strconv.Atoi(p.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f := p.T.fds[1]; f != nil && f.tty != nil {
		return f.tty.cols
	}
	return 0
}

// psCut cuts every line of out to width bytes.
func psCut(out string, width int) string {
	lines := strings.SplitAfter(out, "\n")
	for i, l := range lines {
		body := strings.TrimSuffix(l, "\n")
		if len(body) > width {
			lines[i] = body[:width] + l[len(body):]
		}
	}
	return strings.Join(lines, "")
}

// psUsers adds the users of a -u list (names or numbers, as the
// caller's user namespace sees them) to set.
func psUsers(p *Proc, list string, set map[KUID]bool) (map[KUID]bool, bool) {
	if set == nil {
		set = map[KUID]bool{}
	}
	for _, u := range strings.Split(list, ",") {
		uid, found := userID(p.K, p.T, u)
		if !found {
			return set, false
		}
		if k, mapped := p.T.creds.UserNS.MapUID(UID(uid)); mapped {
			set[k] = true
		}
	}
	return set, true
}

// psUsageError prints a procps error with its usage text and returns 1.
func psUsageError(p *Proc, msg string) int {
	p.Errorf("error: %s\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n", msg)
	return 1
}

// psPIDList adds a list of PIDs (separated by commas or blanks) to set.
func psPIDList(list string, set map[int]bool) (map[int]bool, bool) {
	if set == nil {
		set = map[int]bool{}
	}
	words := strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(words) == 0 {
		return set, false
	}
	for _, w := range words {
		n, err := strconv.Atoi(w)
		if err != nil || n <= 0 {
			return set, false
		}
		set[n] = true
	}
	return set, true
}
