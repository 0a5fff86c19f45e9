package sim

import (
	"path"
	"sort"
	"strconv"
	"strings"
)

// This file is the simulated shell, a dash (POSIX sh) that can also speak
// with bash's voice: the lab's /bin/sh is dash, its login shell bash. It
// forks where dash forks, so that PIDs come out as in a live lab: every
// external command and every pipeline element, subshell, command
// substitution and background job is a new process, and the last simple
// command of a subshell is exec'd in it.

// shell is one running shell: its variables and state.
type shell struct {
	t           *Task
	k           *Kernel
	name        string // $0
	bash        bool
	interactive bool
	cmdString   bool // run with -c
	vars        map[string]string
	exported    map[string]bool
	args        []string
	status      int
	lastBg      int
	curdir      string // where the shell thinks it is (dash's curdir): set at start and by cd, printed by pwd
	funcs       map[string]node
	line        int
	jobs        []*Task
	jobNum      map[*Task]int // an interactive shell's job numbers
	pid         int           // $$
	// host is the host name when the shell started: bash reads it once,
	// so its prompt keeps the old name after hostname changes it.
	host      string
	loopDepth int
	nesting   int // function calls and evals in progress
	// Options set with set -e, -u, -x; tested counts the conditions being
	// evaluated, where -e does not apply.
	errexit, nounset, xtrace bool
	tested                   int
	// interactiveMsgs keeps an interactive shell's message style in the
	// children it forks.
	interactiveMsgs bool
	// seq numbers variables in order of creation: dash lists its hash
	// table bucket by bucket, each bucket in order of creation.
	seq map[string]int
	// traps are the actions set with trap, by signal ("" ignores it);
	// caught holds the signals that arrived, for the next command boundary.
	traps  map[int]string
	caught []int
	// hardIgnored are the signals ignored when the shell started.
	hardIgnored map[int]bool
	nextSeq     int
	varExtras
}

// newShell makes a shell for task t from its environment.
func newShell(t *Task, name string, bash bool) *shell {
	s := &shell{t: t, k: t.k, name: name, bash: bash, vars: map[string]string{}, exported: map[string]bool{}, funcs: map[string]node{}, pid: t.VPID(), host: t.ns.uts.Hostname}
	s.varExtras = varExtras{readonly: map[string]bool{}, integer: map[string]bool{}, arrays: map[string]*shArray{}, aliases: map[string]string{}, hashed: map[string]*hashEntry{}}
	for _, kv := range t.env {
		if eq := strings.IndexByte(kv, '='); eq > 0 {
			s.vars[kv[:eq]] = kv[eq+1:]
			s.exported[kv[:eq]] = true
			s.noteVar(kv[:eq])
		}
	}
	if _, ok := s.vars["IFS"]; !ok {
		s.vars["IFS"] = " \t\n"
	}
	s.vars["PPID"] = itoa(t.PPIDIn(t.PIDNS()))
	s.curdir = t.cwd
	if _, ok := s.vars["PWD"]; !ok || s.vars["PWD"] != t.cwd {
		s.vars["PWD"] = t.cwd
		s.exported["PWD"] = true
		s.noteVar("PWD")
	}
	if bash {
		s.vars["BASH"] = "/usr/bin/bash"
		s.vars["BASH_VERSION"] = "5.2.15(1)-release"
		info := newShArray(false)
		for i, v := range []string{"5", "2", "15", "1", "release", "x86_64-pc-linux-gnu"} {
			info.set(itoa(i), v)
		}
		s.arrays["BASH_VERSINFO"] = info
		s.readonly["BASH_VERSINFO"] = true
		s.vars["UID"] = itoa(int(t.creds.UserNS.MungedUID(t.creds.RealUID)))
		s.vars["EUID"] = itoa(int(t.creds.UserNS.MungedUID(t.creds.EUID)))
	}
	return s
}

// clone copies the shell for a forked child running in task t.
func (s *shell) clone(t *Task) *shell {
	c := *s
	c.t = t
	c.vars = make(map[string]string, len(s.vars))
	for k, v := range s.vars {
		c.vars[k] = v
	}
	c.exported = make(map[string]bool, len(s.exported))
	for k, v := range s.exported {
		c.exported[k] = v
	}
	c.funcs = make(map[string]node, len(s.funcs))
	for k, v := range s.funcs {
		c.funcs[k] = v
	}
	c.args = append([]string(nil), s.args...)
	c.seq = make(map[string]int, len(s.seq))
	for k, v := range s.seq {
		c.seq[k] = v
	}
	c.jobs = nil
	c.varExtras = s.varExtras.copyExtras()
	// A subshell keeps ignored signals ignored and resets the other traps.
	c.traps, c.caught = nil, nil
	for sig, action := range s.traps {
		if action == "" {
			if c.traps == nil {
				c.traps = map[int]string{}
			}
			c.traps[sig] = ""
		}
	}
	c.interactiveMsgs = s.interactive || s.interactiveMsgs
	c.interactive = false
	return &c
}

// errPrefix is how the shell begins its error messages: "sh: 1: " for
// dash, "bash: line 1: " for bash -c, "bash: " for an interactive bash.
func (s *shell) errPrefix() string {
	switch {
	case s.bash && (s.interactive || s.interactiveMsgs):
		return s.name + ": "
	case s.bash:
		return s.name + ": line " + itoa(s.line) + ": "
	}
	return s.name + ": " + itoa(s.line) + ": "
}

func (s *shell) errorf(format string, a ...any) {
	msg := s.errPrefix() + sprintf(format, a...) + "\n"
	s.t.Write(2, []byte(msg))
}

// fatal is a shell error that ends a non-interactive shell with status 2,
// as dash's sh_error does.
func (s *shell) fatal(format string, a ...any) {
	s.errorf(format, a...)
	if !s.interactive {
		panic(exitPanic{status: 2})
	}
	panic(shellAbort{})
}

// shellAbort unwinds an interactive shell's current command line.
type shellAbort struct{}

// env returns the exported variables as an environment.
func (s *shell) env(extra map[string]string) []string {
	var out []string
	names := make([]string, 0, len(s.vars))
	for k := range s.vars {
		if s.exported[k] {
			names = append(names, k)
		}
	}
	for k := range extra {
		if !s.exported[k] {
			names = append(names, k)
		}
	}
	s.sortForEnv(names)
	for _, k := range names {
		v := s.vars[k]
		if x, ok := extra[k]; ok {
			v = x
		}
		out = append(out, k+"="+v)
	}
	return out
}

// runScript runs src line by line, as dash and bash read a script: each
// line is parsed when it is reached, so that a syntax error ends the shell
// (status 2, after its message) only there.
func (s *shell) runScript(src string) int {
	defer func() {
		// exit, set -e and fatal errors end the shell by panicking: the
		// EXIT trap runs then too, and the shell keeps its status (or
		// takes the one of an exit in the trap).
		if r := recover(); r != nil {
			ep, ok := r.(exitPanic)
			if !ok {
				panic(r)
			}
			s.status = ep.status
			s.runExitTrap()
			panic(exitPanic{status: ep.status})
		}
	}()
	p := s.newParser(src)
	p.lineMode = true
	for {
		l, err := p.list(nil)
		if err == nil && p.pos < len(p.src) && len(l.items) == 0 {
			err = p.unexpected()
		}
		if err != nil {
			s.syntaxError(err.(*syntaxError), src)
			s.status = 2
			break
		}
		done := p.pos >= len(p.src)
		s.evalLine(l, done)
		if done {
			break
		}
	}
	s.runExitTrap()
	return s.status
}

// runExitTrap runs the EXIT trap once, when the shell ends; $? stays the
// shell's.
func (s *shell) runExitTrap() {
	action, ok := s.traps[0]
	if !ok || action == "" {
		return
	}
	delete(s.traps, 0)
	status := s.status
	if l, err := s.newParser(action).script(); err == nil {
		s.evalList(l, false)
	}
	s.status = status
}

// evalLine runs one line of a script; an error bash makes abandon the
// line (lineAbort) leaves its status for the next.
func (s *shell) evalLine(l *listNode, last bool) {
	s.lineTop = true
	defer func() {
		s.lineTop = false
		if r := recover(); r != nil {
			a, ok := r.(lineAbort)
			if !ok {
				panic(r)
			}
			s.status = a.status
			s.loopDepth, s.tested, s.nesting, s.funcDepth, s.dotDepth = 0, 0, 0, 0, 0
			s.locals = nil
		}
	}()
	if last && s.bash && s.cmdString {
		s.evalLastLine(l)
		return
	}
	s.evalList(l, false)
}

// newParser parses src with this shell's grammar and aliases.
func (s *shell) newParser(src string) *parser {
	return &parser{src: src, line: 1, bash: s.bash, alias: s.aliasFor}
}

// syntaxError reports a parse failure with the shell's own words: dash's
// "Syntax error: …", bash's "syntax error near unexpected token" with the
// line quoted.
func (s *shell) syntaxError(se *syntaxError, src string) {
	s.line = se.line
	if !s.bash {
		s.errorf("%s", se.msg)
		return
	}
	where := s.name + ": "
	if s.cmdString {
		where += "-c: "
	}
	if !s.interactive && !s.interactiveMsgs {
		where += "line " + itoa(se.line) + ": "
	}
	lines := strings.Split(src, "\n")
	text := ""
	if se.line-1 < len(lines) {
		text = lines[se.line-1]
	}
	msg := se.bashMsg
	if msg == "" {
		msg = "syntax error: unexpected end of file"
		if tok := se.token; tok != "" {
			msg = "syntax error near unexpected token `" + tok + "'"
		}
	}
	out := where + msg + "\n"
	if se.token != "" || se.bashMsg != "" && !strings.HasPrefix(se.bashMsg, "syntax error: unexpected end") {
		out += where + "`" + text + "'\n"
	}
	s.t.Write(2, []byte(out))
}

// evalLastLine runs the last line of bash -c: bash execs the last command
// in place instead of forking it when it is a simple command (alone or at
// the end of && and ||), and no trap is set.
func (s *shell) evalLastLine(l *listNode) {
	for i, ao := range l.items {
		if i < len(l.items)-1 || ao.background || len(s.traps) > 0 {
			if ao.background {
				s.background(ao)
			} else {
				s.evalAndOr(ao, false)
			}
			continue
		}
		last := ao.first
		if n := len(ao.rest); n > 0 {
			last = ao.rest[n-1].pipe
		}
		if _, simple := last.cmds[0].(*simpleCmd); !simple || len(last.cmds) > 1 || last.negate {
			s.evalAndOr(ao, false)
			continue
		}
		s.evalAndOr(ao, true)
	}
}

// evalList runs a list; exitAfter marks that the shell ends after it, so
// that its last command may be exec'd in place (dash's EV_EXIT).
func (s *shell) evalList(l *listNode, exitAfter bool) {
	for i, ao := range l.items {
		last := exitAfter && i == len(l.items)-1
		if ao.background {
			s.background(ao)
			if last {
				panic(exitPanic{status: s.status})
			}
			continue
		}
		s.evalAndOr(ao, last)
	}
}

// background forks a child that runs ao; $! is its PID.
func (s *shell) background(ao andOr) {
	ao.background = false
	c := s.forkBackground()
	child := s.clone(c)
	// A non-interactive shell's background job has its stdin on /dev/null:
	// "the standard input ... shall be ... /dev/null" (POSIX, job control
	// disabled).
	if !s.interactive {
		c.setFD(0, &File{refs: 1, devNull: true})
		// "... and SIGINT and SIGQUIT ... shall be ignored" by it, so that
		// ^C reaches only the foreground; a shell it runs cannot trap
		// them again.
		child.hardIgnored = map[int]bool{SIGINT: true, SIGQUIT: true}
		c.ignored[SIGINT], c.ignored[SIGQUIT] = true, true
		c.handled[SIGINT], c.handled[SIGQUIT] = false, false
	} else {
		// With job control a background job is a process group of its
		// own, out of reach of ^C.
		c.pgid = c.PID()
	}
	s.k.startTask(c, func(t *Task) int {
		child.evalAndOr(ao, true)
		return child.status
	})
	s.lastBg = c.VPIDIn(s.t.PIDNS())
	s.jobs = append(s.jobs, c)
	s.status = 0
	// The shell numbers its jobs; an interactive one says so: "[1] 1234".
	n := 1
	for _, j := range s.jobs[:len(s.jobs)-1] {
		if s.jobNum[j] >= n {
			n = s.jobNum[j] + 1
		}
	}
	if s.jobNum == nil {
		s.jobNum = map[*Task]int{}
	}
	s.jobNum[c] = n
	if s.jobText == nil {
		s.jobText = map[*Task]string{}
	}
	s.jobText[c] = ao.text
	if s.interactive {
		s.t.Write(2, []byte(sprintf("[%d] %d\n", n, s.lastBg)))
	}
}

// reportJobs prints, before a prompt, the jobs that have ended since the
// last one, as bash does ("[1]+  Done                    sleep 1"), and
// forgets them.
func (s *shell) reportJobs() {
	var keep []*Task
	for i, j := range s.jobs {
		if j.reaped {
			continue
		}
		if !j.exited || j.parent != s.t {
			if !j.reaped {
				keep = append(keep, j)
			}
			continue
		}
		mark := " "
		switch i {
		case len(s.jobs) - 1:
			mark = "+"
		case len(s.jobs) - 2:
			mark = "-"
		}
		st := s.k.reap(s.t, j)
		status := "Done"
		switch {
		case st&0x7f != 0:
			status = signalText(st & 0x7f)
		case st>>8 != 0:
			status = "Exit " + itoa(st>>8)
		}
		cmd := strings.Join(j.argv, " ")
		s.t.Write(2, []byte(sprintf("[%d]%s  %-24s%s\n", s.jobNum[j], mark, status, cmd)))
		delete(s.jobNum, j)
	}
	s.jobs = keep
}

// fork forks the shell's task; a failure is fatal (forkFailed).
func (s *shell) fork() *Task {
	c, err := s.k.fork(s.t)
	if err != nil {
		s.forkFailed(err)
	}
	return c
}

func (s *shell) evalAndOr(ao andOr, exitAfter bool) {
	// "The -e setting shall be ignored when executing ... any command of
	// an AND-OR list other than the last."
	if len(ao.rest) > 0 {
		s.tested++
	}
	s.evalPipeline(ao.first, exitAfter && len(ao.rest) == 0)
	for i, part := range ao.rest {
		if i == len(ao.rest)-1 {
			s.tested--
		}
		if part.op == "&&" && s.status != 0 || part.op == "||" && s.status == 0 {
			continue
		}
		s.evalPipeline(part.pipe, exitAfter && i == len(ao.rest)-1)
	}
	if exitAfter {
		panic(exitPanic{status: s.status})
	}
}

func (s *shell) evalPipeline(pl *pipelineNode, exitAfter bool) {
	if pl.negate {
		s.tested++
		defer func() { s.tested-- }()
	}
	s.evalPipelineCmds(pl, exitAfter)
	s.checkErrexit()
}

// checkErrexit ends the shell after a failed command under set -e, unless
// the command is being tested (if, while, &&, ||, !).
func (s *shell) checkErrexit() {
	if action := s.traps[trapERR]; action != "" && s.status != 0 && s.tested == 0 {
		// bash's ERR trap: "whenever a pipeline ... has a non-zero exit
		// status", where set -e would apply; $? is kept.
		status := s.status
		if l, err := s.newParser(action).script(); err == nil {
			s.tested++
			s.evalList(l, false)
			s.tested--
		}
		s.status = status
	}
	if s.errexit && s.status != 0 && s.tested == 0 {
		panic(exitPanic{status: s.status})
	}
}

func (s *shell) evalPipelineCmds(pl *pipelineNode, exitAfter bool) {
	if len(pl.cmds) == 1 {
		s.evalCommand(pl.cmds[0], exitAfter && !pl.negate)
		s.setPipeStatus([]int{s.status})
	} else {
		var children []*Task
		var prevRead *File
		for i, cmd := range pl.cmds {
			var r, w *File
			if i < len(pl.cmds)-1 {
				r, w = newPipe()
			}
			c, err := s.k.fork(s.t)
			if err != nil {
				if prevRead != nil {
					s.closeFile(prevRead)
				}
				if w != nil {
					s.closeFile(r)
					s.closeFile(w)
				}
				s.forkFailed(err)
			}
			if prevRead != nil {
				c.setFD(0, prevRead.dup())
			}
			if w != nil {
				c.setFD(1, w.dup())
			}
			child := s.clone(c)
			cmd := cmd
			if sc, ok := cmd.(*simpleCmd); ok && !hasCmdSub(sc) {
				child.preExec(child.expandWords(sc.words))
			}
			s.k.startTask(c, func(t *Task) int {
				child.evalCommand(cmd, true)
				return child.status
			})
			children = append(children, c)
			if prevRead != nil {
				s.closeFile(prevRead)
			}
			if w != nil {
				s.closeFile(w)
			}
			prevRead = r
		}
		var sts []int
		for _, c := range children {
			s.status = s.waitFg(c)
			sts = append(sts, s.status)
		}
		if s.pipefail {
			// "the return value of a pipeline is the value of the last
			// (rightmost) command to exit with a non-zero status".
			for _, st := range sts {
				if st != 0 {
					s.status = st
				}
			}
		}
		s.setPipeStatus(sts)
	}
	if pl.negate {
		if s.status == 0 {
			s.status = 1
		} else {
			s.status = 0
		}
	}
	if exitAfter {
		panic(exitPanic{status: s.status})
	}
}

// closeFile drops the shell's own reference to a file it created.
func (s *shell) closeFile(f *File) {
	fd := s.t.freeFD(100)
	s.t.fds[fd] = f
	s.t.closeFD(fd)
}

// waitFg waits for a foreground child and reports its death by a signal
// as dash does ("Killed", "Terminated"; nothing for SIGINT and SIGPIPE).
func (s *shell) waitFg(c *Task) int {
	st := s.t.wait(c, true)
	if sig := st & 0x7f; sig != 0 && sig != SIGINT && sig != SIGPIPE {
		s.t.Write(2, []byte(signalText(sig)+"\n"))
	}
	return exitStatusOf(st)
}

// waitReport is the wait builtin's wait for one job: dash reports a job
// that died of a signal the same way as a foreground one.
func (s *shell) waitReport(c *Task) int {
	st := s.t.wait(c, false)
	if sig := st & 0x7f; sig != 0 && sig != SIGINT && sig != SIGPIPE && !s.bash {
		s.t.Write(2, []byte(signalText(sig)+"\n"))
	}
	return exitStatusOf(st)
}

// signalText is strsignal(3).
func signalText(sig int) string {
	switch sig {
	case SIGHUP:
		return "Hangup"
	case SIGINT:
		return "Interrupt"
	case SIGQUIT:
		return "Quit"
	case SIGPIPE:
		return "Broken pipe"
	case SIGKILL:
		return "Killed"
	case SIGUSR1:
		return "User defined signal 1"
	case SIGUSR2:
		return "User defined signal 2"
	case SIGALRM:
		return "Alarm clock"
	case SIGTERM:
		return "Terminated"
	}
	return "Unknown signal " + itoa(sig)
}

// exitStatusOf turns a wait status into $?.
func exitStatusOf(st int) int {
	if st&0x7f != 0 {
		return 128 + st&0x7f
	}
	return st >> 8 & 0xff
}

func (s *shell) evalCommand(n node, exitAfter bool) {
	// With traps set, dash forks the last command instead of exec'ing it
	// in place, so that the traps can still run.
	s.evalCommandNode(n, exitAfter && len(s.traps) == 0)
	s.runTraps()
}

// evalCommandNode runs one command of any kind.
func (s *shell) evalCommandNode(n node, exitAfter bool) {
	s.t.preempt()
	switch c := n.(type) {
	case *simpleCmd:
		s.evalSimple(c, exitAfter)
	case *subshellNode:
		if exitAfter {
			s.withRedirs(c.redirs, func() { s.evalList(c.body, true) })
			return
		}
		ch := s.fork()
		child := s.clone(ch)
		s.k.startTask(ch, func(t *Task) int {
			if !child.applyRedirs(c.redirs, nil) {
				return child.redirStatus()
			}
			child.evalList(c.body, true)
			return child.status
		})
		s.status = s.waitFg(ch)
	case *groupNode:
		s.withRedirs(c.redirs, func() { s.evalList(c.body, exitAfter) })
	case *ifNode:
		s.withRedirs(c.redirs, func() {
			for i, cond := range c.conds {
				s.tested++
				s.evalList(cond, false)
				s.tested--
				if s.status == 0 {
					s.evalList(c.bodies[i], exitAfter)
					return
				}
			}
			s.status = 0
			if c.elseBody != nil {
				s.evalList(c.elseBody, exitAfter)
			}
		})
	case *loopNode:
		s.withRedirs(c.redirs, func() {
			status := 0
			for {
				s.tested++
				s.evalList(c.cond, false)
				s.tested--
				if (s.status == 0) == c.until {
					break
				}
				j := s.loopBody(c.body)
				status = s.status
				if j != nil && !j.cont {
					break
				}
			}
			s.status = status
		})
	case *forNode:
		s.withRedirs(c.redirs, func() {
			items := s.args
			if c.hasIn {
				items = s.expandWords(c.items)
			}
			s.status = 0
			for _, it := range items {
				s.vars[c.name] = it
				s.noteVar(c.name)
				if j := s.loopBody(c.body); j != nil && !j.cont {
					break
				}
			}
		})
	case *caseNode:
		s.withRedirs(c.redirs, func() {
			subj := s.expandNoSplit(c.subject)
			s.status = 0
			run := false // bash's ";&" runs the next body untested
			for i, arm := range c.arms {
				match := run
				for _, pat := range arm.patterns {
					match = match || shMatch(s.expandPattern(pat), subj)
				}
				if !match {
					continue
				}
				last := i == len(c.arms)-1 || arm.next == ""
				s.evalList(arm.body, exitAfter && last)
				if arm.next == "" {
					return
				}
				run = arm.next == ";&"
			}
		})
	case *funcNode:
		s.funcs[c.name] = c.body
		s.status = 0
	case *condNode, *arithCmdNode, *arithForNode:
		s.evalBashCommand(n)
	}
	if exitAfter {
		panic(exitPanic{status: s.status})
	}
}

// withRedirs runs f with redirections applied to the shell itself.
func (s *shell) withRedirs(rs []*redirect, f func()) {
	if len(rs) == 0 {
		f()
		return
	}
	saved := map[int]*File{}
	if !s.applyRedirs(rs, saved) {
		s.restore(saved)
		s.status = s.redirStatus()
		return
	}
	defer s.restore(saved)
	f()
}

func (s *shell) restore(saved map[int]*File) {
	for fd, f := range saved {
		if f == nil {
			s.t.closeFD(fd)
		} else {
			s.t.setFD(fd, f)
		}
	}
}

// applyRedirs opens the redirections' files on the shell's descriptors;
// with saved, the old descriptors are kept there for restore.
func (s *shell) applyRedirs(rs []*redirect, saved map[int]*File) bool {
	for _, r := range rs {
		fd := r.fd
		if fd < 0 {
			fd = 1
			if r.op == "<" || r.op == "<&" || r.op == "<<" || r.op == "<<<" {
				fd = 0
			}
		}
		var f *File
		switch r.op {
		case "<<", "<<<":
			pr, pw := newPipe()
			body := r.body
			if r.op == "<<<" {
				body = s.expandNoSplit(r.target) + "\n"
			} else if len(r.target) > 0 && !r.target[0].quoted {
				body = s.expandHeredoc(body)
			}
			pw.pipe.buf = []byte(body)
			pw.pipe.writers = 0
			pw.refs = 0
			f = pr
		case ">&", "<&":
			target := s.expandNoSplit(r.target)
			if target == "-" {
				s.keep(saved, fd)
				s.t.closeFD(fd)
				continue
			}
			n, err := strconv.Atoi(target)
			if err != nil {
				if r.op == ">&" && r.fd < 0 {
					// bash's >&FILE: both streams to a file.
					ff, ok := s.openRedir(target, ">")
					if !ok {
						return false
					}
					s.keep(saved, 1)
					s.keep(saved, 2)
					s.t.setFD(1, ff)
					s.t.setFD(2, ff.dup())
					continue
				}
				s.errorf("%s: Bad fd number", target)
				return false
			}
			src := s.t.fds[n]
			if src == nil {
				s.errorf("%d: Bad file descriptor", n)
				return false
			}
			f = src.dup()
		case "&>":
			ff, ok := s.openRedir(s.expandNoSplit(r.target), ">")
			if !ok {
				return false
			}
			s.keep(saved, 1)
			s.keep(saved, 2)
			s.t.setFD(1, ff)
			s.t.setFD(2, ff.dup())
			continue
		default:
			var ok bool
			f, ok = s.openRedir(s.expandNoSplit(r.target), r.op)
			if !ok {
				return false
			}
		}
		s.keep(saved, fd)
		s.t.setFD(fd, f)
	}
	return true
}

// keep remembers descriptor fd's file before a redirection replaces it.
func (s *shell) keep(saved map[int]*File, fd int) {
	if saved == nil {
		return
	}
	if _, done := saved[fd]; done {
		return
	}
	if f := s.t.fds[fd]; f != nil {
		saved[fd] = f.dup()
	} else {
		saved[fd] = nil
	}
}

// openRedir opens a redirection target with dash's error messages.
func (s *shell) openRedir(name, op string) (*File, bool) {
	flags := openRead
	switch op {
	case ">":
		flags = openWrite | openCreate | openTrunc
	case ">>":
		flags = openWrite | openCreate | openAppend
	}
	f, err := s.k.open(s.t, name, flags)
	if err != nil {
		switch {
		case s.bash:
			// bash: "NAME: No such file or directory".
			s.errorf("%s: %s", name, err.Error())
		case op == "<" && err == ENOENT:
			s.errorf("cannot open %s: No such file", name)
		case op == "<":
			s.errorf("cannot open %s: %s", name, err.Error())
		case err == ENOENT:
			s.errorf("cannot create %s: Directory nonexistent", name)
		default:
			s.errorf("cannot create %s: %s", name, err.Error())
		}
		return nil, false
	}
	return f, true
}

// evalSimple runs a simple command.
func (s *shell) evalSimple(c *simpleCmd, exitAfter bool) {
	s.line = c.line
	argv := s.expandWords(c.words)
	assigns := map[string]string{}
	var order []string
	if len(argv) == 0 {
		// Assignments alone take effect one after the other: b=$a sees
		// the a assigned before it.
		for _, a := range c.assigns {
			s.assign(a)
			assigns[a.name], _ = s.lookupParam(a.name)
			order = append(order, a.name)
		}
	}
	for _, a := range c.assigns {
		if len(argv) > 0 {
			assigns[a.name] = s.expandNoSplit(a.value)
			order = append(order, a.name)
		}
	}
	if s.xtrace {
		var parts []string
		// dash prints the words as they are; bash quotes them.
		q := func(w string) string { return w }
		if s.bash {
			q = xtraceQuote
		}
		for _, name := range order {
			parts = append(parts, name+"="+q(assigns[name]))
		}
		for _, a := range argv {
			parts = append(parts, q(a))
		}
		s.t.Write(2, []byte("+ "+strings.Join(parts, " ")+"\n"))
	}
	if len(argv) == 0 {
		if len(c.redirs) > 0 {
			opened := false
			s.withRedirs(c.redirs, func() { opened = true })
			if !opened {
				return
			}
		}
		if len(c.words) == 0 || len(argv) == 0 {
			// "If there is no command name, but the command contained a
			// command substitution, the command shall complete with the exit
			// status of the last command substitution performed."
			if !hasCmdSub(c) {
				s.status = 0
			}
		}
		return
	}
	if argv[0] == "exec" && len(argv) == 1 {
		// exec without a command makes its redirections permanent.
		if !s.applyRedirs(c.redirs, nil) {
			s.status = s.redirStatus()
			return
		}
		s.status = 0
		return
	}
	if b := builtins[argv[0]]; b != nil && s.isBuiltin(argv[0]) {
		if specialBuiltins[argv[0]] && !s.bash {
			for _, name := range order {
				s.assignOrFail(name, assigns[name])
			}
		} else if len(order) > 0 {
			// IFS=: read a b: the assignments hold while the builtin
			// runs.
			saved := map[string]*string{}
			for _, name := range order {
				if v, ok := s.vars[name]; ok {
					saved[name] = &v
				} else {
					saved[name] = nil
				}
				s.assignOrFail(name, assigns[name])
			}
			defer func() {
				for name, v := range saved {
					if v == nil {
						delete(s.vars, name)
					} else {
						s.vars[name] = *v
					}
				}
			}()
		}
		s.withRedirs(c.redirs, func() { s.status = b(s, argv) })
		return
	}
	if body, ok := s.funcs[argv[0]]; ok {
		s.callFunction(body, argv, c.redirs)
		return
	}
	s.noteHashed(argv[0])
	if exitAfter {
		s.execExternal(argv, assigns, c.redirs)
		return
	}
	ch := s.fork()
	child := s.clone(ch)
	child.preExec(argv)
	s.k.startTask(ch, func(t *Task) int {
		child.execExternal(argv, assigns, c.redirs)
		return child.status
	})
	s.status = s.waitFg(ch)
}

func hasCmdSub(c *simpleCmd) bool {
	for _, a := range c.assigns {
		for _, p := range a.value {
			if p.kind == partCmdSub {
				return true
			}
		}
	}
	for _, w := range c.words {
		for _, p := range w {
			if p.kind == partCmdSub {
				return true
			}
		}
	}
	return false
}

// execExternal is the child side of running a program: redirections,
// then execve; it does not return when the program runs.
func (s *shell) execExternal(argv []string, assigns map[string]string, redirs []*redirect) {
	if !s.applyRedirs(redirs, nil) {
		panic(exitPanic{status: s.redirStatus()})
	}
	s.t.env = s.env(assigns)
	file, node, err := s.k.findExecutable(s.t, argv[0])
	if err != nil {
		switch {
		case err == ENOENT && !strings.Contains(argv[0], "/"):
			if s.bash {
				s.errorf("%s: command not found", argv[0])
			} else {
				s.errorf("%s: not found", argv[0])
			}
			panic(exitPanic{status: 127})
		case err == ENOENT:
			if s.bash {
				s.errorf("%s: No such file or directory", argv[0])
			} else {
				s.errorf("%s: not found", argv[0])
			}
			panic(exitPanic{status: 127})
		default:
			s.errorf("%s: %s", argv[0], err.Error())
			panic(exitPanic{status: 126})
		}
	}
	err = s.k.execve(s.t, file, node, argv)
	s.errorf("%s: %s", argv[0], err.Error())
	panic(exitPanic{status: 126})
}

// commandSubst runs a command substitution in a child and returns its
// output without trailing newlines.
func (s *shell) commandSubst(l *listNode) string {
	if data, ok := s.readSubst(l); ok {
		return data
	}
	r, w := newPipe()
	c, err := s.k.fork(s.t)
	if err != nil {
		s.closeFile(r)
		s.closeFile(w)
		s.forkFailed(err)
	}
	c.setFD(1, w.dup())
	s.closeFile(w)
	child := s.clone(c)
	s.k.startTask(c, func(t *Task) int {
		child.evalList(l, true)
		return child.status
	})
	fd := s.t.freeFD(10)
	s.t.fds[fd] = r
	var out []byte
	buf := make([]byte, 4096)
	for {
		n, err := s.t.Read(fd, buf)
		out = append(out, buf[:n]...)
		if err != nil {
			break
		}
	}
	s.t.closeFD(fd)
	s.status = exitStatusOf(s.t.wait(c, true))
	return strings.TrimRight(string(out), "\n")
}

// readLine reads one line from descriptor 0; ok is false at end of input.
func (s *shell) readLine() (string, bool) {
	var b []byte
	one := make([]byte, 1)
	for {
		n, err := s.t.Read(0, one)
		if n == 1 {
			if one[0] == '\n' {
				return string(b), true
			}
			b = append(b, one[0])
			continue
		}
		if err == errInterrupted {
			// ^C discarded the line: an empty one, and a new prompt.
			return "", true
		}
		if err != nil {
			return string(b), len(b) > 0
		}
	}
}

// dashVarInit are the variables dash creates before reading its
// environment; they come first in their hash buckets.
var dashVarInit = []string{"ATTY", "IFS", "MAIL", "MAILPATH", "PATH", "PS1", "PS2", "PS4", "OPTIND", "LINENO", "TERM", "HISTSIZE"}

// dashHash is dash's hashvar: the first byte times 16 plus the sum of the
// name's bytes, modulo its table size of 39.
func dashHash(name string) int {
	if name == "" {
		return 0
	}
	h := int(name[0]) << 4
	for i := 0; i < len(name); i++ {
		h += int(name[i])
	}
	return h % 39
}

// sortForEnv orders exported names as the shell passes them to a program:
// dash in hash-table order, bash sorted.
func (s *shell) sortForEnv(names []string) {
	if s.bash {
		sort.Strings(names)
		return
	}
	sort.SliceStable(names, func(i, j int) bool {
		hi, hj := dashHash(names[i]), dashHash(names[j])
		if hi != hj {
			return hi < hj
		}
		return s.varSeq(names[i]) < s.varSeq(names[j])
	})
}

func (s *shell) varSeq(name string) int {
	for i, n := range dashVarInit {
		if n == name {
			return i - len(dashVarInit)
		}
	}
	if n, ok := s.seq[name]; ok {
		return n
	}
	return 1 << 30
}

// noteVar records when a variable was first set.
func (s *shell) noteVar(name string) {
	if s.seq == nil {
		s.seq = map[string]int{}
	}
	if _, ok := s.seq[name]; !ok {
		s.nextSeq++
		s.seq[name] = s.nextSeq
	}
}

// loopBody runs one pass of a loop body; it returns the break or continue
// that ended it early (for this loop), and passes on one meant for an
// outer loop.
func (s *shell) loopBody(body *listNode) (jump *loopJump) {
	s.loopDepth++
	defer func() {
		s.loopDepth--
		if r := recover(); r != nil {
			j, ok := r.(loopJump)
			if !ok {
				panic(r)
			}
			if j.n > 1 {
				j.n--
				panic(j)
			}
			// break and continue succeed.
			s.status = 0
			jump = &j
		}
	}()
	s.evalList(body, false)
	return nil
}

// xtraceQuote quotes a word for set -x output as bash does: in single
// quotes when it holds characters the shell would treat specially.
func xtraceQuote(w string) string {
	if w != "" && !strings.ContainsAny(w, " \t\n'\"\\$`|&;<>()*?[]#~={}") {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// preExec gives a child forked for a program the name and arguments it is
// about to exec. On a real machine the child reaches execve(2) at once, on
// another CPU, before a sibling in the same pipeline (ps in "ps | grep
// sleep") looks at it; the simulated child runs only when the scheduler
// gets to it, so it takes its new name now. Builtins and functions run in
// the forked shell itself and keep its name.
func (s *shell) preExec(argv []string) {
	if len(argv) == 0 || s.isBuiltin(argv[0]) {
		return
	}
	if _, ok := s.funcs[argv[0]]; ok {
		return
	}
	file, node, err := s.k.findExecutable(s.t, argv[0])
	if err != nil || node.program == "" && !strings.HasPrefix(string(node.data), "#!") {
		return
	}
	t := s.t
	t.comm = path.Base(file)
	if len(t.comm) > 15 {
		t.comm = t.comm[:15]
	}
	t.argv = append([]string(nil), argv...)
	if node.program == "" {
		// A script: the interpreter's arguments come first.
		line, _, _ := strings.Cut(string(node.data[2:]), "\n")
		t.argv = append(append(strings.Fields(line), file), argv[1:]...)
	}
}

// isBuiltin reports whether this shell runs name itself.
func (s *shell) isBuiltin(name string) bool {
	if builtins[name] == nil {
		return false
	}
	if s.bash {
		return !bashNotBuiltin[name]
	}
	return !bashOnlyBuiltins[name]
}

// maxNesting bounds function calls and evals inside each other, so that
// endless recursion ends with an error instead of exhausting memory (bash
// has FUNCNEST; dash would crash).
const maxNesting = 1000

// enter and leave count a function call or eval.
func (s *shell) enter() {
	s.nesting++
	if s.nesting > maxNesting {
		s.nesting = 0
		s.fatal("maximum function nesting level exceeded (%d)", maxNesting)
	}
}

func (s *shell) leave() { s.nesting-- }
