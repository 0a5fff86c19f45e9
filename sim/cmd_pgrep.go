package sim

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
)

// This file is pgrep and pkill of procps-ng 4.0.2 and pidof of
// sysvinit-utils 3.06. Like the real tools they read the processes of the
// proc file system mounted at /proc (so the PID namespace of whoever
// mounted it); pkill signals the PIDs it read there.

// pgrepUsage is procps' usage text; pkill's differs in its first options.
func pgrepUsage(prog string) string {
	first := " -d, --delimiter <string>  specify output delimiter\n" +
		" -l, --list-name           list PID and process name\n" +
		" -a, --list-full           list PID and full command line\n" +
		" -v, --inverse             negates the matching\n" +
		" -w, --lightweight         list all TID\n"
	if prog == "pkill" {
		first = " -<sig>, --signal <sig>    signal to send (either number or name)\n" +
			" -q, --queue <value>       integer value to be sent with the signal\n" +
			" -e, --echo                display what is killed\n"
	}
	return "\nUsage:\n " + prog + " [options] <pattern>\n\nOptions:\n" + first +
		" -c, --count               count of matching processes\n" +
		" -f, --full                use full process name to match\n" +
		" -g, --pgroup <PGID,...>   match listed process group IDs\n" +
		" -G, --group <GID,...>     match real group IDs\n" +
		" -i, --ignore-case         match case insensitively\n" +
		" -n, --newest              select most recently started\n" +
		" -o, --oldest              select least recently started\n" +
		" -O, --older <seconds>     select where older than seconds\n" +
		" -P, --parent <PPID,...>   match only child processes of the given parent\n" +
		" -s, --session <SID,...>   match session IDs\n" +
		" -t, --terminal <tty,...>  match by controlling terminal\n" +
		" -u, --euid <ID,...>       match by effective IDs\n" +
		" -U, --uid <ID,...>        match by real IDs\n" +
		" -x, --exact               match exactly with the command name\n" +
		" -F, --pidfile <file>      read PIDs from file\n" +
		" -L, --logpidfile          fail if PID file is not locked\n" +
		" -r, --runstates <state>   match runstates [D,S,Z,...]\n" +
		" -A, --ignore-ancestors    exclude our ancestors from results\n" +
		" --cgroup <grp,...>        match by cgroup v2 names\n" +
		" --ns <PID>                match the processes that belong to the same\n" +
		"                           namespace as <pid>\n" +
		" --nslist <ns,...>         list which namespaces will be considered for\n" +
		"                           the --ns option.\n" +
		"                           Available namespaces: ipc, mnt, net, pid, user, uts\n" +
		"\n -h, --help     display this help and exit\n" +
		" -V, --version  output version information and exit\n\nFor more details see pgrep(1).\n"
}

// pgrepOpts is a parsed pgrep or pkill command line.
type pgrepOpts struct {
	list, full, listFull, inverse, count, exact, ignoreCase bool
	newest, oldest, echo                                    bool
	delim                                                   string
	sig                                                     int
	ppids, pgrps, sids                                      map[int]bool
	euids, ruids                                            map[KUID]bool
	rgids                                                   map[KGID]bool
	ttys                                                    map[string]bool
	states                                                  string
	nsTask                                                  *Task
	nsTypes                                                 []NSType
}

// pgrepProgram is pgrep and pkill.
func pgrepProgram(p *Proc) int {
	prog := p.Args[0]
	if i := strings.LastIndexByte(prog, '/'); i >= 0 {
		prog = prog[i+1:]
	}
	kill := prog == "pkill"
	o := pgrepOpts{delim: "\n", sig: SIGTERM}
	args := append([]string(nil), p.Args[1:]...)
	if kill {
		// procps takes "-SIGNAL" out of the arguments before getopt.
		for i, a := range args {
			if len(a) > 1 && a[0] == '-' && a[1] != '-' {
				if n, ok := signalNumber(a[1:]); ok {
					o.sig = n
					args = append(args[:i], args[i+1:]...)
					break
				}
			}
		}
	}
	spec := optSpec{
		short: map[byte]int{'c': 0, 'f': 0, 'g': 1, 'G': 1, 'i': 0, 'n': 0, 'o': 0, 'P': 1, 's': 1, 't': 1, 'u': 1, 'U': 1, 'x': 0, 'r': 1, 'h': 0, 'V': 0},
		long: map[string]longOpt{"count": {'c', 0}, "full": {'f', 0}, "pgroup": {'g', 1}, "group": {'G', 1},
			"ignore-case": {'i', 0}, "newest": {'n', 0}, "oldest": {'o', 0}, "parent": {'P', 1}, "session": {'s', 1},
			"terminal": {'t', 1}, "euid": {'u', 1}, "uid": {'U', 1}, "exact": {'x', 0}, "runstates": {'r', 1},
			"ns": {200, 1}, "nslist": {201, 1}, "help": {'h', 0}, "version": {'V', 0}},
	}
	if kill {
		spec.short['e'] = 0
		spec.long["echo"] = longOpt{'e', 0}
		spec.long["signal"] = longOpt{202, 1}
	} else {
		for _, c := range []byte{'d', 'l', 'a', 'v'} {
			spec.short[c] = 0
		}
		spec.short['d'] = 1
		spec.long["delimiter"] = longOpt{'d', 1}
		spec.long["list-name"] = longOpt{'l', 0}
		spec.long["list-full"] = longOpt{'a', 0}
		spec.long["inverse"] = longOpt{'v', 0}
	}
	opts, operands, msg := getoptLong(spec, args, false)
	if msg != "" {
		p.Errorf("%s: %s\n%s", prog, msg, pgrepUsage(prog))
		return 2
	}
	criteria := false
	for _, opt := range opts {
		switch opt.code {
		case 'l':
			o.list = true
		case 'a':
			o.listFull = true
		case 'v':
			o.inverse = true
		case 'c':
			o.count = true
		case 'f':
			o.full = true
		case 'i':
			o.ignoreCase = true
		case 'x':
			o.exact = true
		case 'n':
			o.newest, criteria = true, true
		case 'o':
			o.oldest, criteria = true, true
		case 'e':
			o.echo = true
		case 'd':
			o.delim = opt.value
		case 'r':
			o.states, criteria = opt.value, true
		case 'h':
			p.Printf("%s", pgrepUsage(prog)[1:])
			return 0
		case 'V':
			p.Printf("%s from procps-ng 4.0.2\n", prog)
			return 0
		case 202:
			n, ok := signalNumber(opt.value)
			if !ok {
				p.Errorf("%s: Unknown signal \"%s\".\n", prog, opt.value)
				return 2
			}
			o.sig = n
		case 'P', 'g', 's':
			set := map[int]bool{}
			for _, v := range strings.Split(opt.value, ",") {
				n, err := strconv.Atoi(v)
				if err != nil || n < 0 {
					p.Errorf("%s: invalid argument '%s'\n", prog, v)
					return 2
				}
				// 0 is the caller's own group or session.
				if n == 0 && opt.code == 'g' {
					n = p.T.PIDNS().PIDOf(p.K.taskByLabPID(p.T.pgid))
				}
				if n == 0 && opt.code == 's' {
					n = p.T.PIDNS().PIDOf(p.K.taskByLabPID(p.T.sid))
				}
				set[n] = true
			}
			switch opt.code {
			case 'P':
				o.ppids = set
			case 'g':
				o.pgrps = set
			default:
				o.sids = set
			}
			criteria = true
		case 'u', 'U':
			set := map[KUID]bool{}
			for _, v := range strings.Split(opt.value, ",") {
				uid, found := userID(p.K, p.T, v)
				if !found {
					p.Errorf("%s: invalid user name: %s\n", prog, v)
					return 2
				}
				if k, mapped := p.T.creds.UserNS.MapUID(UID(uid)); mapped {
					set[k] = true
				}
			}
			if opt.code == 'u' {
				o.euids = set
			} else {
				o.ruids = set
			}
			criteria = true
		case 'G':
			set := map[KGID]bool{}
			for _, v := range strings.Split(opt.value, ",") {
				gid, found := groupIDByName(p, v)
				if !found {
					p.Errorf("%s: invalid group name: %s\n", prog, v)
					return 2
				}
				if k, mapped := p.T.creds.UserNS.MapGID(GID(gid)); mapped {
					set[k] = true
				}
			}
			o.rgids, criteria = set, true
		case 't':
			o.ttys = map[string]bool{}
			for _, v := range strings.Split(opt.value, ",") {
				o.ttys[strings.TrimPrefix(v, "/dev/")] = true
			}
			criteria = true
		case 200:
			n, err := strconv.Atoi(opt.value)
			if err != nil {
				p.Errorf("%s: invalid argument '%s'\n", prog, opt.value)
				return 2
			}
			t := p.T.PIDNS().tasks[n]
			if t == nil {
				p.Errorf("%s: Error reading reference namespace information\n", prog)
				return 3
			}
			o.nsTask, criteria = t, true
		case 201:
			for _, name := range strings.Split(opt.value, ",") {
				typ, ok := map[string]NSType{"ipc": NSIPC, "mnt": NSMnt, "net": NSNet, "pid": NSPID, "user": NSUser, "uts": NSUTS}[name]
				if !ok {
					p.Errorf("%s: invalid namespace list\n%s", prog, pgrepUsage(prog))
					return 2
				}
				o.nsTypes = append(o.nsTypes, typ)
			}
		}
	}
	if len(operands) > 1 {
		p.Errorf("%s: only one pattern can be provided\nTry `%s --help' for more information.\n", prog, prog)
		return 2
	}
	if len(operands) == 0 && !criteria {
		p.Errorf("%s: no matching criteria specified\nTry `%s --help' for more information.\n", prog, prog)
		return 2
	}
	var re *regexp.Regexp
	if len(operands) == 1 {
		pat := operands[0]
		if o.exact {
			pat = "^(" + pat + ")$"
		}
		if o.ignoreCase {
			pat = "(?i)" + pat
		}
		var err error
		if re, err = regexp.Compile(pat); err != nil {
			p.Errorf("%s: regex error: %s\n", prog, regexErrorText(err))
			return 2
		}
	}
	sb := procMountFor(p.K, p.T)
	if sb == nil {
		p.Errorf("Error, do this: mount -t proc proc /proc\n")
		return 3
	}
	ns := sb.pidns
	var found []*Task
	for _, t := range p.K.visibleTasks(ns) {
		if t == p.T {
			continue
		}
		if o.matches(p, ns, t, re) != o.inverse {
			found = append(found, t)
		}
	}
	if (o.newest || o.oldest) && len(found) > 0 {
		// Simulated processes may start in the same instant: of those
		// the later PID counts as the newer.
		pick := found[0]
		for _, t := range found[1:] {
			if o.newest && t.startTime >= pick.startTime || o.oldest && t.startTime < pick.startTime {
				pick = t
			}
		}
		found = []*Task{pick}
	}
	if kill {
		killed := 0
		for _, t := range found {
			pid := ns.PIDOf(t)
			if err := p.K.Kill(p.T, pid, o.sig); err != nil {
				if err == ESRCH {
					continue
				}
				p.Errorf("%s: killing pid %d failed: %s\n", prog, pid, err.Error())
				continue
			}
			killed++
			if o.echo {
				p.Printf("%s killed (pid %d)\n", t.comm, pid)
			}
		}
		if o.count {
			p.Printf("%d\n", killed)
		}
		if killed == 0 {
			if len(found) > 0 {
				return 3
			}
			return 1
		}
		return 0
	}
	if o.count {
		p.Printf("%d\n", len(found))
	} else {
		var b strings.Builder
		for i, t := range found {
			if i > 0 {
				b.WriteString(o.delim)
			}
			b.WriteString(itoa(ns.PIDOf(t)))
			switch {
			case o.listFull:
				b.WriteString(" " + pgrepCmdline(t))
			case o.list:
				b.WriteString(" " + t.comm)
			}
		}
		if len(found) > 0 {
			b.WriteString("\n")
		}
		p.Printf("%s", b.String())
	}
	if len(found) == 0 {
		return 1
	}
	return 0
}

// pgrepCmdline is the command line pgrep -f matches and -a prints: the
// arguments joined by spaces, the command name for a process without any.
func pgrepCmdline(t *Task) string {
	if len(t.argv) == 0 || t.exited {
		return t.comm
	}
	return strings.Join(t.argv, " ")
}

// matches applies the selection options; every one given must hold.
func (o *pgrepOpts) matches(p *Proc, ns *PIDNamespace, t *Task, re *regexp.Regexp) bool {
	if o.ppids != nil && !o.ppids[t.PPIDIn(ns)] {
		return false
	}
	if o.pgrps != nil && !o.pgrps[ns.PIDOf(p.K.taskByLabPID(t.pgid))] {
		return false
	}
	if o.sids != nil && !o.sids[ns.PIDOf(p.K.taskByLabPID(t.sid))] {
		return false
	}
	if o.euids != nil && !o.euids[t.creds.EUID] {
		return false
	}
	if o.ruids != nil && !o.ruids[t.creds.RealUID] {
		return false
	}
	if o.rgids != nil && !o.rgids[t.creds.RealGID] {
		return false
	}
	if o.ttys != nil && !o.ttys[t.ttyName] {
		return false
	}
	if o.states != "" && !strings.Contains(o.states, t.stateLetter()) {
		return false
	}
	if o.nsTask != nil {
		types := o.nsTypes
		if types == nil {
			types = []NSType{NSIPC, NSMnt, NSNet, NSPID, NSUser, NSUTS}
		}
		for _, typ := range types {
			if t.nsOf(typ) != o.nsTask.nsOf(typ) {
				return false
			}
		}
	}
	if re != nil {
		s := t.comm
		if o.full {
			s = pgrepCmdline(t)
		}
		if !re.MatchString(s) {
			return false
		}
	}
	return true
}

// regexErrorText gives glibc's regerror words for Go's parse errors.
func regexErrorText(err error) string {
	var e *syntax.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	switch e.Code {
	case syntax.ErrMissingParen:
		return "Unmatched ( or \\("
	case syntax.ErrUnexpectedParen:
		return "Unmatched ) or \\)"
	case syntax.ErrMissingBracket:
		return "Unmatched [, [^, [:, [., or [="
	case syntax.ErrMissingRepeatArgument:
		return "Invalid preceding regular expression"
	case syntax.ErrTrailingBackslash:
		return "Trailing backslash"
	}
	return "Invalid regular expression"
}

// groupIDByName looks a group up in /etc/group, accepting numbers.
func groupIDByName(p *Proc, name string) (uint32, bool) {
	if n, err := strconv.Atoi(name); err == nil && n >= 0 {
		return uint32(n), true
	}
	data, err := p.ReadFile("/etc/group")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 3 && f[0] == name {
			return uint32(atoiDefault(f[2], 0)), true
		}
	}
	return 0, false
}

// pidofProgram is sysvinit's pidof: the PIDs, newest first, of the
// processes whose program (argv[0], its base name, or the executable's
// path) is one of the names given; -s one PID only, -o PIDs to omit
// (%PPID the caller's parent), -x scripts too.
func pidofProgram(p *Proc) int {
	single, scripts := false, false
	omit := map[int]bool{}
	var names []string
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' {
			names = append(names, a)
			continue
		}
		if a == "--" {
			names = append(names, args[i+1:]...)
			break
		}
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 's':
				single = true
			case 'x':
				scripts = true
			case 'c', 'n', 'q', 'z':
				// -c (same root), -n (no stat of network files), -q
				// (quiet: pidof prints no error messages anyway) and -z
				// (zombies and D-state) change nothing in a lab.
			case 'o', 'd':
				val := a[j+1:]
				if val == "" {
					if i+1 >= len(args) {
						return 1
					}
					i++
					val = args[i]
				}
				if a[j] == 'o' {
					for _, s := range strings.Split(val, ",") {
						switch s {
						case "%PPID":
							omit[p.T.PPIDIn(p.T.PIDNS())] = true
						default:
							if n, err := strconv.Atoi(s); err == nil {
								omit[n] = true
							} else {
								p.Errorf("pidof: illegal omit pid value (%s)!\n", s)
								return 1
							}
						}
					}
				}
				j = len(a)
			default:
				// sysvinit's pidof silences getopt and exits 1.
				return 1
			}
		}
	}
	sb := procMountFor(p.K, p.T)
	if sb == nil {
		return 1
	}
	ns := sb.pidns
	tasks := p.K.visibleTasks(ns)
	var out []string
	for _, name := range names {
		for i := len(tasks) - 1; i >= 0; i-- {
			t := tasks[i]
			pid := ns.PIDOf(t)
			if t == p.T || omit[pid] || t.exited || len(t.argv) == 0 {
				continue
			}
			if !pidofMatch(t, name, scripts) {
				continue
			}
			out = append(out, itoa(pid))
			if single {
				break
			}
		}
		if single && len(out) > 0 {
			break
		}
	}
	if len(out) == 0 {
		return 1
	}
	p.Printf("%s\n", strings.Join(out, " "))
	return 0
}

// pidofMatch is pidof's test: the name given is the executable's path,
// or the base name of argv[0] or of the executable; with -x, a script's
// name as its interpreter was given it.
func pidofMatch(t *Task, name string, scripts bool) bool {
	base := func(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }
	if strings.Contains(name, "/") {
		return t.exe == name || t.argv[0] == name
	}
	if base(t.argv[0]) == name || t.exe != "" && base(t.exe) == name {
		return true
	}
	if scripts && len(t.argv) > 1 && base(t.argv[1]) == name && t.comm == name {
		return true
	}
	return false
}
