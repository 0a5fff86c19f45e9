package sim

import (
	"path"
	"sort"
	"strconv"
	"strings"
)

// builtin is a command the shell runs itself, without forking.
type builtin func(s *shell, argv []string) int

var builtins map[string]builtin

// specialBuiltins keep variable assignments that precede them (POSIX).
var specialBuiltins = map[string]bool{"local": true, ":": true, "exit": true, "export": true, "set": true, "shift": true, "unset": true, "eval": true, "exec": true, "readonly": true, "return": true, "trap": true, ".": true}

// bashNotBuiltin lists dash builtins that bash runs as programs or lacks.
var bashNotBuiltin = map[string]bool{}

// bashOnlyBuiltins are builtins of bash that dash does not have: in the
// lab's /bin/sh they are "not found", as in a live lab.
var bashOnlyBuiltins = map[string]bool{"source": true, "let": true, "declare": true, "typeset": true}

func init() {
	builtins = map[string]builtin{
		":":        func(*shell, []string) int { return 0 },
		"true":     func(*shell, []string) int { return 0 },
		"false":    func(*shell, []string) int { return 1 },
		"echo":     (*shell).echo,
		"printf":   (*shell).printfBuiltin,
		"cd":       (*shell).cd,
		"pwd":      func(s *shell, _ []string) int { s.out(s.curdir + "\n"); return 0 },
		"exit":     (*shell).exit,
		"export":   (*shell).exportBuiltin,
		"readonly": (*shell).readonlyBuiltin,
		"unset":    (*shell).unsetBuiltin,
		"set":      (*shell).set,
		"shift":    (*shell).shift,
		"read":     (*shell).read,
		"test":     (*shell).test,
		"[":        (*shell).test,
		"kill":     (*shell).kill,
		"wait":     (*shell).waitBuiltin,
		"exec":     (*shell).exec,
		"eval":     (*shell).eval,
		"type":     (*shell).typeBuiltin,
		"command":  (*shell).command,
		"umask":    (*shell).umask,
		"trap":     (*shell).trap,
		"local":    (*shell).local,
		".":        (*shell).dot,
		"source":   (*shell).dot,
		"return":   (*shell).returnBuiltin,
		"jobs":     (*shell).jobsBuiltin,
		"fg":       (*shell).fgBuiltin,
		"hash":     (*shell).hash,
		"times":    (*shell).times,
		"ulimit":   (*shell).ulimit,
		"alias":    (*shell).alias,
		"unalias":  (*shell).unalias,
		"getopts":  (*shell).getopts,
		"let":      (*shell).let,
		"declare":  (*shell).declare,
		"typeset":  (*shell).declare,
		"break":    (*shell).loopControl,
		"continue": (*shell).loopControl,
	}
}

func (s *shell) out(text string) { s.t.Write(1, []byte(text)) }

// echo is dash's echo: no options but -n, backslash escapes always; bash's
// takes -n, -e, -E and leaves escapes alone by default.
func (s *shell) echo(argv []string) int {
	args := argv[1:]
	newline, escapes := true, !s.bash
	for len(args) > 0 {
		a := args[0]
		if s.bash && len(a) > 1 && a[0] == '-' && strings.Trim(a[1:], "neE") == "" {
			for _, c := range a[1:] {
				switch c {
				case 'n':
					newline = false
				case 'e':
					escapes = true
				case 'E':
					escapes = false
				}
			}
			args = args[1:]
			continue
		}
		if !s.bash && a == "-n" {
			newline = false
			args = args[1:]
			continue
		}
		break
	}
	text := strings.Join(args, " ")
	if escapes {
		var stop bool
		text, stop = expandEscapes(text)
		if stop {
			newline = false
		}
	}
	if newline {
		text += "\n"
	}
	if _, err := s.t.Write(1, []byte(text)); err != nil {
		// dash reports any failed write of echo this way.
		if s.bash {
			s.errorf("echo: write error: %s", err.Error())
		} else {
			s.errorf("echo: echo: I/O error")
		}
		return 1
	}
	return 0
}

// expandEscapes handles \n, \t, \\, \0NNN and \c (stop output).
func expandEscapes(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 'f':
			b.WriteByte(12)
		case 'v':
			b.WriteByte(11)
		case '\\':
			b.WriteByte('\\')
		case 'c':
			return b.String(), true
		case '0':
			n, j := 0, i+1
			for ; j < len(s) && j < i+4 && s[j] >= '0' && s[j] <= '7'; j++ {
				n = n*8 + int(s[j]-'0')
			}
			b.WriteByte(byte(n))
			i = j - 1
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String(), false
}

// octalEscape reads the one to three octal digits of printf's \NNN
// starting at s[i]; j is where they end (i when there are none).
func octalEscape(s string, i int) (n byte, j int) {
	for j = i; j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7'; j++ {
		n = n*8 + s[j] - '0'
	}
	return n, j
}

// printfBuiltin is printf(1): the format is reused until the arguments
// are used up.
func (s *shell) printfBuiltin(argv []string) int {
	if len(argv) < 2 {
		s.errorf("printf: usage: printf format [arg ...]")
		return 2
	}
	varName := ""
	if s.bash && argv[1] == "-v" {
		if len(argv) < 4 {
			s.errorf("printf: usage: printf [-v var] format [arguments]")
			return 2
		}
		varName, argv = argv[2], argv[2:]
	}
	format, args := argv[1], argv[2:]
	printfStatus := 0
	var b strings.Builder
	for {
		used := 0
		for i := 0; i < len(format); i++ {
			c := format[i]
			if c == '\\' {
				// In the format, \NNN is one to three octal digits (%b's
				// escapes want \0NNN).
				if n, j := octalEscape(format, i+1); j > i+1 {
					b.WriteByte(n)
					i = j - 1
					continue
				}
				j := i + 1
				for j < len(format) && j < i+2 {
					j++
				}
				e, _ := expandEscapes(format[i:j])
				b.WriteString(e)
				i = j - 1
				continue
			}
			if c != '%' || i+1 >= len(format) {
				b.WriteByte(c)
				continue
			}
			j := i + 1
			for j < len(format) && strings.IndexByte("-+ #0123456789.", format[j]) >= 0 {
				j++
			}
			if j >= len(format) {
				b.WriteString(format[i:])
				break
			}
			spec := format[i+1 : j]
			verb := format[j]
			i = j
			arg := ""
			if verb != '%' && used < len(args) {
				arg = args[used]
			}
			if verb != '%' {
				used++
			}
			switch verb {
			case '%':
				b.WriteByte('%')
			case 's':
				b.WriteString(sprintf("%"+spec+"s", arg))
			case 'b':
				e, _ := expandEscapes(arg)
				b.WriteString(sprintf("%"+spec+"s", e))
			case 'c':
				if arg != "" {
					b.WriteByte(arg[0])
				}
			case 'd', 'i', 'x', 'X', 'o', 'u':
				n, ok := s.printfNumber(arg)
				if !ok {
					printfStatus = 1
				}
				v := verb
				if v == 'i' || v == 'u' {
					v = 'd'
				}
				b.WriteString(sprintf("%"+spec+string(v), n))
			case 'e', 'E', 'f', 'F', 'g', 'G':
				f, ok := s.printfFloat(arg)
				if !ok {
					printfStatus = 1
				}
				b.WriteString(sprintf("%"+spec+string(verb), f))
			default:
				if s.bash {
					s.errorf("printf: `%c': invalid format character", verb)
					return 1
				}
				s.errorf("printf: %%%s%c: invalid directive", spec, verb)
				return 2
			}
		}
		args = args[min(used, len(args)):]
		if used == 0 || len(args) == 0 {
			break
		}
	}
	if varName != "" {
		if !s.setVar(varName, b.String()) {
			s.errorf("%s: readonly variable", varName)
			return 1
		}
		return printfStatus
	}
	if b.Len() == 0 {
		return printfStatus
	}
	if _, err := s.t.Write(1, []byte(b.String())); err != nil {
		// dash reports a failed write of printf like echo's.
		if s.bash {
			s.errorf("printf: write error: %s", err.Error())
		} else {
			s.errorf("printf: printf: I/O error")
		}
		return 1
	}
	return printfStatus
}

func (s *shell) cd(argv []string) int {
	dir := s.vars["HOME"]
	if len(argv) > 1 {
		dir = argv[1]
	}
	if dir == "-" {
		dir = s.vars["OLDPWD"]
		s.out(dir + "\n")
	}
	// A relative directory goes from the shell's own idea of where it is
	// (cd -L): after pivot_root moved the directory, dash's "cd ." fails;
	// bash then tries the name as given.
	target := dir
	if !strings.HasPrefix(target, "/") {
		target = path.Join(s.curdir, target)
	}
	target = path.Clean(target)
	r, err := s.k.lookup(s.t, target, true)
	if err != nil && s.bash && !strings.HasPrefix(dir, "/") {
		target = path.Clean(path.Join(s.t.cwd, dir))
		r, err = s.k.lookup(s.t, target, true)
	}
	if err != nil || !r.node.isDir() {
		if s.bash {
			msg := "No such file or directory"
			if err == nil {
				msg = "Not a directory"
			}
			s.errorf("cd: %s: %s", dir, msg)
		} else {
			s.errorf("cd: can't cd to %s", dir)
		}
		return 2 - boolInt(s.bash)
	}
	s.vars["OLDPWD"] = s.t.cwd
	s.t.cwd = target
	s.curdir = target
	s.vars["PWD"] = target
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *shell) exit(argv []string) int {
	st := s.status
	if len(argv) > 1 {
		n, err := strconv.Atoi(argv[1])
		if err != nil && s.bash {
			s.fatalExit(2, "exit: %s: numeric argument required", argv[1])
		}
		if err != nil {
			s.fatal("exit: Illegal number: %s", argv[1])
		}
		st = n
	}
	if s.interactive && s.bash {
		s.t.Write(2, []byte("exit\n"))
	}
	panic(exitPanic{status: st & 0xff})
}

func (s *shell) set(argv []string) int {
	if len(argv) == 1 {
		names := make([]string, 0, len(s.vars))
		for k := range s.vars {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			s.out(k + "='" + s.vars[k] + "'\n")
		}
		return 0
	}
	return s.setOptions(argv[1:])
}

func (s *shell) shift(argv []string) int {
	n := 1
	if len(argv) > 1 {
		var err error
		n, err = strconv.Atoi(argv[1])
		switch {
		case err != nil && s.bash:
			s.errorf("shift: %s: numeric argument required", argv[1])
			return 1
		case err != nil || n < 0 && !s.bash:
			s.fatal("shift: Illegal number: %s", argv[1])
		}
	}
	if n < 0 || n > len(s.args) {
		if s.bash {
			if n < 0 {
				s.errorf("shift: %s: shift count out of range", argv[1])
			}
			return 1
		}
		s.fatal("shift: can't shift that many")
	}
	s.args = s.args[n:]
	return 0
}

func (s *shell) test(argv []string) int {
	args := argv[1:]
	if argv[0] == "[" {
		if len(args) == 0 || args[len(args)-1] != "]" {
			s.errorf("[: missing ]")
			return 2
		}
		args = args[:len(args)-1]
	}
	ok, err := s.testExpr(args)
	if err != "" {
		s.errorf("%s: %s", argv[0], err)
		return 2
	}
	if ok {
		return 0
	}
	return 1
}

// testExpr evaluates test(1)'s expression grammar.
func (s *shell) testExpr(args []string) (bool, string) {
	// -o has the lowest precedence, then -a, then !.
	for i := len(args) - 1; i > 0; i-- {
		if args[i] == "-o" && i < len(args)-1 {
			l, e1 := s.testExpr(args[:i])
			r, e2 := s.testExpr(args[i+1:])
			return l || r, e1 + e2
		}
	}
	for i := len(args) - 1; i > 0; i-- {
		if args[i] == "-a" && i < len(args)-1 {
			l, e1 := s.testExpr(args[:i])
			r, e2 := s.testExpr(args[i+1:])
			return l && r, e1 + e2
		}
	}
	if n := len(args); n > 3 && args[0] == "(" && args[n-1] == ")" {
		return s.testExpr(args[1 : n-1])
	}
	switch len(args) {
	case 0:
		return false, ""
	case 1:
		return args[0] != "", ""
	case 2:
		if args[0] == "!" {
			v, e := s.testExpr(args[1:])
			return !v, e
		}
		if _, binary := condBinary[args[1]]; binary && !s.bash && !strings.HasPrefix(args[0], "-") {
			return false, args[1] + ": argument expected"
		}
		return s.testUnary(args[0], args[1])
	case 3:
		if args[0] == "!" {
			v, e := s.testExpr(args[1:])
			return !v, e
		}
		if args[0] == "(" && args[2] == ")" {
			return s.testExpr(args[1:2])
		}
		return s.testBinary(args[0], args[1], args[2])
	case 4:
		if args[0] == "!" {
			v, e := s.testExpr(args[1:])
			return !v, e
		}
	}
	return false, "unexpected operator"
}

func (s *shell) testUnary(op, arg string) (bool, string) {
	switch op {
	case "-n":
		return arg != "", ""
	case "-z":
		return arg == "", ""
	}
	follow := op != "-L" && op != "-h"
	r, err := s.k.lookup(s.t, arg, follow)
	exists := err == nil
	switch op {
	case "-e":
		return exists, ""
	case "-f":
		return exists && r.node.kind == kindFile, ""
	case "-d":
		return exists && r.node.isDir(), ""
	case "-L", "-h":
		return exists && r.node.kind == kindSymlink, ""
	case "-s":
		return exists && (len(r.node.data) > 0 || r.node.gen != nil), ""
	case "-r", "-w", "-x":
		return exists, ""
	}
	if s.bash {
		return false, op + ": unary operator expected"
	}
	return false, op + ": unexpected operator"
}

func (s *shell) testBinary(a, op, b string) (bool, string) {
	switch op {
	case "=", "==":
		return a == b, ""
	case "!=":
		return a != b, ""
	case "<":
		return a < b, ""
	case ">":
		return a > b, ""
	}
	x, err1 := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
	y, err2 := strconv.ParseInt(strings.TrimSpace(b), 10, 64)
	if strings.HasPrefix(op, "-") && (err1 != nil || err2 != nil) {
		bad := a
		if err1 == nil {
			bad = b
		}
		if s.bash {
			return false, bad + ": integer expression expected"
		}
		return false, "Illegal number: " + bad
	}
	switch op {
	case "-eq":
		return x == y, ""
	case "-ne":
		return x != y, ""
	case "-lt":
		return x < y, ""
	case "-le":
		return x <= y, ""
	case "-gt":
		return x > y, ""
	case "-ge":
		return x >= y, ""
	}
	if s.bash {
		return false, op + ": binary operator expected"
	}
	return false, a + ": unexpected operator"
}

// signalNames lists signals by number, as kill -l prints them.
var signalNames = []string{"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS"}

// signalNumber parses a signal given by number or name.
func signalNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 64 {
		return n, true
	}
	s = strings.TrimPrefix(strings.ToUpper(s), "SIG")
	for i, n := range signalNames {
		if i > 0 && n == s {
			return i, true
		}
	}
	return 0, false
}

// kill is dash's kill builtin.
func (s *shell) kill(argv []string) int {
	args := argv[1:]
	sig := SIGTERM
	if len(args) > 0 && args[0] == "-l" {
		return s.killList(args[1:])
	}
	if len(args) > 0 && args[0] == "-s" && len(args) > 1 {
		n, ok := signalNumber(args[1])
		if !ok {
			s.errorf("kill: invalid signal number or name: %s", args[1])
			return 2
		}
		sig, args = n, args[2:]
	} else if len(args) > 0 && strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
		n, ok := signalNumber(args[0][1:])
		if !ok {
			s.errorf("kill: invalid signal number or name: %s", args[0][1:])
			return 2
		}
		sig, args = n, args[1:]
	}
	if len(args) == 0 {
		s.errorf("kill: Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]")
		return 2
	}
	status := 0
	for _, a := range args {
		var pid int
		if strings.HasPrefix(a, "%") {
			n, err := strconv.Atoi(a[1:])
			// Without job control (a non-interactive shell) a job is not a
			// process group of its own: kill(-pgid) finds nothing.
			var job *Task
			for _, j := range s.jobs {
				if s.jobNum[j] == n && !j.exited {
					job = j
				}
			}
			// bash without job control signals the job's process itself.
			switch {
			case (err != nil || job == nil) && !s.bash:
				s.errorf("kill: No such job: %s", a)
				status = 2
				continue
			case err != nil || job == nil:
				s.errorf("kill: %s: no such job", a)
				status = 1
				continue
			case !s.interactive && !s.bash:
				s.killError(ESRCH)
				status = 1
				continue
			}
			pid = job.VPIDIn(s.t.PIDNS())
		} else {
			n, err := strconv.Atoi(a)
			if err != nil {
				s.errorf("kill: Illegal number: %s", a)
				return 2
			}
			pid = n
		}
		if err := s.k.Kill(s.t, pid, sig); err != nil {
			if s.bash {
				s.errorf("kill: (%d) - %s", pid, err.Error())
			} else {
				s.killError(err)
			}
			status = 1
		}
	}
	s.t.preemptSignals()
	return status
}

// waitBuiltin waits for background jobs.
func (s *shell) waitBuiltin(argv []string) int {
	status := 0
	if len(argv) == 1 {
		// A bare wait waits for no job in particular: dash reports no
		// signal deaths then, and its status is 0.
		for _, j := range s.jobs {
			if !j.reaped && j.parent == s.t {
				s.t.wait(j, false)
			}
		}
		s.jobs = nil
		return 0
	}
	for _, a := range argv[1:] {
		n, err := strconv.Atoi(a)
		if err != nil {
			s.errorf("wait: Illegal number: %s", a)
			return 2
		}
		// A job reaped already (while the shell waited for another
		// command, or by an earlier wait) keeps its status in dash's job
		// table, for wait to return without a report.
		if j := s.reapedJob(n); j != nil {
			status = exitStatusOf(j.status)
			continue
		}
		t := s.t.PIDNS().tasks[n]
		if t == nil || t.parent != s.t {
			if s.bash {
				s.errorf("wait: pid %d is not a child of this shell", n)
			}
			status = 127
			continue
		}
		status = s.waitReport(t)
	}
	return status
}

// reapedJob returns the job with PID pid if it has been reaped already.
// (dash frees a job once waited for at a later fork, one at a time; the
// jobs here stay until a bare wait.)
func (s *shell) reapedJob(pid int) *Task {
	for _, j := range s.jobs {
		if j.reaped && s.t.PIDNS().PIDOf(j) == pid {
			return j
		}
	}
	return nil
}

// exec replaces the shell with a program, or with no program makes its
// redirections permanent (handled in evalSimple).
func (s *shell) exec(argv []string) int {
	if len(argv) == 1 {
		return 0
	}
	s.execExternal(argv[1:], nil, nil)
	return 127
}

func (s *shell) eval(argv []string) int {
	s.enter()
	defer s.leave()
	src := strings.Join(argv[1:], " ")
	l, err := s.newParser(src).script()
	if err != nil {
		s.errorf("%s", err.Error())
		return 2
	}
	s.evalList(l, false)
	return s.status
}

func (s *shell) command(argv []string) int {
	if len(argv) > 2 && argv[1] == "-v" {
		// Each name as the shell would run it; dash stops at the first
		// it cannot find (127), bash reports 1 after them all.
		status := 0
		names := argv[2:]
		if !s.bash {
			// dash looks at its first operand only.
			names = names[:1]
		}
		for _, a := range names {
			_, isFunc := s.funcs[a]
			if v, ok := s.aliases[a]; ok {
				s.out("alias " + a + "=" + shellQuote(v) + "\n")
				continue
			}
			if s.isBuiltin(a) || isFunc || keywords[a] {
				s.out(a + "\n")
				continue
			}
			if file, _, err := s.k.findExecutable(s.t, a); err == nil {
				s.out(file + "\n")
				continue
			}
			if !s.bash {
				return 127
			}
			status = 1
		}
		return status
	}
	if len(argv) == 1 {
		return 0
	}
	args := argv[1:]
	if b := builtins[args[0]]; b != nil {
		return b(s, args)
	}
	ch := s.fork()
	child := s.clone(ch)
	s.k.startTask(ch, func(t *Task) int {
		child.execExternal(args, nil, nil)
		return child.status
	})
	return exitStatusOf(s.t.wait(ch, true))
}

// loopControl is break and continue: they unwind to the enclosing loop.
func (s *shell) loopControl(argv []string) int {
	n := 1
	if len(argv) > 1 {
		n = atoiDefault(argv[1], 1)
		if n < 1 {
			s.errorf("%s: Illegal number: %s", argv[0], argv[1])
			return 2
		}
	}
	if s.loopDepth == 0 {
		return 0
	}
	if n > s.loopDepth {
		n = s.loopDepth
	}
	panic(loopJump{n: n, cont: argv[0] == "continue"})
}

// loopJump unwinds n loops for break or continue.
type loopJump struct {
	n    int
	cont bool
}

// killError prints a failed kill as dash does: its message format ends in
// a newline of its own, so a blank line follows.
func (s *shell) killError(err error) {
	if s.bash {
		s.errorf("kill: %s", err.Error())
		return
	}
	s.errorf("kill: %s\n", err.Error())
}

// jobsBuiltin lists an interactive shell's running jobs as bash does:
// "[1]+  Running                 sleep 100 &".
func (s *shell) jobsBuiltin(argv []string) int {
	live := s.liveJobs()
	for i, j := range live {
		mark := " "
		switch i {
		case len(live) - 1:
			mark = "+"
		case len(live) - 2:
			mark = "-"
		}
		state := "Running"
		if j.exited {
			state = "Done"
		}
		if !s.bash {
			// dash keeps the command's text only with job control.
			cmd := ""
			if s.interactive {
				cmd = strings.Join(j.argv, " ")
			}
			s.out(sprintf("[%d] %s %-27s%s\n", s.jobNum[j], mark, state, cmd))
			continue
		}
		cmd := strings.Join(j.argv, " ")
		if text, ok := s.jobText[j]; ok && !s.interactive {
			cmd = text
		}
		s.out(sprintf("[%d]%s  %-24s%s &\n", s.jobNum[j], mark, state, cmd))
	}
	return 0
}

// liveJobs are the shell's jobs not yet reported as ended.
func (s *shell) liveJobs() []*Task {
	var out []*Task
	for _, j := range s.jobs {
		if !j.reaped && j.parent == s.t {
			out = append(out, j)
		}
	}
	return out
}

// fgBuiltin brings a job to the foreground: it gets the terminal's ^C and
// the shell waits for it.
func (s *shell) fgBuiltin(argv []string) int {
	live := s.liveJobs()
	switch {
	case !s.interactive && s.bash:
		s.errorf("fg: no job control")
		return 1
	case !s.interactive:
		s.errorf("fg: job (null) not created under job control")
		return 2
	case len(live) == 0:
		s.errorf("fg: current: no such job")
		return 1
	}
	job := live[len(live)-1]
	if len(argv) > 1 {
		n := atoiDefault(strings.TrimPrefix(argv[1], "%"), -1)
		job = nil
		for _, j := range live {
			if s.jobNum[j] == n {
				job = j
			}
		}
		if job == nil {
			s.errorf("fg: %s: no such job", argv[1])
			return 1
		}
	}
	s.out(strings.Join(job.argv, " ") + "\n")
	old := job.pgid
	for _, t := range s.k.tasks {
		if t.pgid == old {
			t.pgid = s.t.pgid
		}
	}
	job.stopped = false
	st := s.t.wait(job, false)
	delete(s.jobNum, job)
	if sig := st & 0x7f; sig != 0 && sig != SIGINT && sig != SIGPIPE {
		s.t.Write(2, []byte(signalText(sig)+"\n"))
	}
	return exitStatusOf(st)
}

// dot is . FILE (and bash's source): the file's commands run in this
// shell.
func (s *shell) dot(argv []string) int {
	if len(argv) < 2 {
		if s.bash {
			s.errorf("%s: filename argument required", argv[0])
		}
		return 2
	}
	name := argv[1]
	if !strings.Contains(name, "/") {
		if file, _, err := s.k.findExecutable(s.t, name); err == nil {
			name = file
		}
	}
	data, err := s.k.readFile(s.t, name)
	if err != nil {
		if s.bash {
			s.errorf("%s: %s", argv[1], err.Error())
			return 1
		}
		s.fatal("%s: cannot open %s: No such file", argv[0], argv[1])
	}
	l, perr := s.newParser(string(data)).script()
	if perr != nil {
		s.errorf("%s", perr.Error())
		return 2
	}
	if s.bash && len(argv) > 2 {
		// bash: "If any arguments are supplied, they become the
		// positional parameters when filename is executed."
		saved := s.args
		s.args = argv[2:]
		defer func() { s.args = saved }()
	}
	s.enter()
	s.dotDepth++
	defer func() {
		s.leave()
		s.dotDepth--
		if r := recover(); r != nil {
			j, ok := r.(returnJump)
			if !ok {
				panic(r)
			}
			s.status = j.status
		}
	}()
	s.evalList(l, false)
	return s.status
}

// trap is dash's trap: trap [ACTION SIGNAL…], "-" resetting and "" ignoring
// the signals; with no arguments it lists the traps set.
func (s *shell) trap(argv []string) int {
	args := argv[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		sigs := make([]int, 0, len(s.traps))
		for sig := range s.traps {
			sigs = append(sigs, sig)
		}
		sort.Ints(sigs)
		for _, sig := range sigs {
			name := "EXIT"
			switch {
			case sig == trapERR:
				name = "ERR"
			case sig > 0:
				name = signalNames[sig]
			}
			if sig > 0 && sig != trapERR && s.bash {
				name = "SIG" + name
			}
			s.out("trap -- " + shellQuote(s.traps[sig]) + " " + name + "\n")
		}
		return 0
	}
	action, sigs := args[0], args[1:]
	if _, err := strconv.Atoi(action); err == nil {
		// A number first: every argument is a signal to reset.
		action, sigs = "-", args
	}
	status := 0
	for _, name := range sigs {
		sig, ok := signalNumber(name)
		if strings.EqualFold(name, "EXIT") {
			sig, ok = 0, true
		}
		if s.bash && name == "ERR" {
			sig, ok = trapERR, true
		}
		if !ok {
			s.errorf("trap: %s: bad trap", name)
			status = 1
			continue
		}
		s.setTrap(sig, action)
	}
	return status
}

// setTrap sets the action of one signal and tells the kernel whether the
// shell now catches it, ignores it, or leaves it to its default.
func (s *shell) setTrap(sig int, action string) {
	if s.hardIgnored[sig] && !s.interactive {
		// "Signals that were ignored on entry to a non-interactive shell
		// cannot be trapped or reset" (POSIX).
		return
	}
	if s.traps == nil {
		s.traps = map[int]string{}
	}
	t := s.t
	if action == "-" {
		delete(s.traps, sig)
	} else {
		s.traps[sig] = action
	}
	if sig == 0 || sig == trapERR {
		return
	}
	_, set := s.traps[sig]
	t.handled[sig] = set && action != "" || !set && sig == SIGINT && s.catchesInt()
	t.ignored[sig] = set && action == ""
	s.installHandler()
}

// catchesInt reports whether the shell catches SIGINT of its own accord:
// an interactive shell, and dash running a -c string ("if (iflag ||
// minusc ...) action = S_CATCH").
func (s *shell) catchesInt() bool {
	return s.interactive || s.cmdString && !s.bash
}

// installHandler makes the shell's task hand caught signals to the shell.
func (s *shell) installHandler() {
	s.t.onSignal = func(sig int) {
		if _, trapped := s.traps[sig]; !trapped && sig == SIGINT && s.interactive {
			// ^C abandons the command line being run, as in bash.
			panic(shellAbort{})
		}
		s.caught = append(s.caught, sig)
	}
}

// runTraps acts on the signals caught, at a command boundary as dash
// does: a trap's action runs with $? kept; dash's own SIGINT handler ends
// the shell as SIGINT would (an init, which cannot kill itself so, exits
// with 130).
func (s *shell) runTraps() {
	if s.t.onSignal == nil {
		return
	}
	for range len(s.t.pending) {
		s.t.checkSignals()
	}
	for len(s.caught) > 0 {
		sig := s.caught[0]
		s.caught = s.caught[1:]
		action, trapped := s.traps[sig]
		switch {
		case trapped && action == "":
		case trapped:
			saved := s.status
			if l, err := s.newParser(action).script(); err == nil {
				s.evalList(l, false)
			}
			s.status = saved
		case sig == SIGINT && s.cmdString && !s.bash:
			if s.t.PIDNS().reaper == s.t {
				panic(exitPanic{status: 128 + SIGINT})
			}
			panic(killedPanic{sig: SIGINT})
		}
	}
}

// shellQuote quotes v in single quotes, as dash's trap and set list values.
func shellQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
