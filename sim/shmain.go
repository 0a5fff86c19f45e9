package sim

import (
	"path"
	"strings"
)

// shProgram is /bin/sh (dash) and bash: -c CMD [NAME [ARG…]], a script
// file, or commands read from standard input (a terminal: interactive).
func shProgram(bash bool) Program {
	return func(p *Proc) int {
		// A shell's messages and $0 name it as it was called
		// ("/bin/bash: line 2: …" after chroot DIR /bin/bash); an
		// interactive one's messages use its base name, less a login
		// shell's "-" (get_name_for_error).
		name := p.Args[0]
		s := newShell(p.T, name, bash)
		s.hardIgnored = map[int]bool{}
		for sig, ign := range p.T.ignored {
			s.hardIgnored[sig] = ign
		}
		args := p.Args[1:]
		var cmd *string
		interactive := false
		for len(args) > 0 && strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
			a := args[0]
			args = args[1:]
			if a == "--" {
				break
			}
			if a == "--login" || a == "--norc" || a == "--noprofile" {
				continue
			}
			for _, c := range a[1:] {
				switch c {
				case 'c':
					if len(args) == 0 {
						if bash {
							p.Errorf("%s: -c: option requires an argument\n", name)
						} else {
							p.Errorf("%s: 0: -c requires an argument\n", name)
						}
						return 2
					}
					v := args[0]
					cmd = &v
					args = args[1:]
				case 'i':
					interactive = true
				case 'e', 'x', 'u':
					s.setOption(byte(c), true)
				case 'l', 's':
				default:
					if bash {
						p.Errorf("%s: -%c: invalid option\n", name, c)
					} else {
						p.Errorf("%s: 0: Illegal option -%c\n", name, c)
					}
					return 2
				}
			}
		}
		if cmd != nil {
			s.cmdString = true
			if !bash {
				// dash catches SIGINT while it runs a -c string, unless
				// it was ignored on entry ("trap '' INT" in a parent); it
				// catches SIGCHLD for its jobs.
				p.T.handled[SIGINT] = !p.T.ignored[SIGINT]
				p.T.handled[SIGCHLD] = true
				s.installHandler()
			}
			if len(args) > 0 {
				s.name = args[0]
				s.args = args[1:]
			}
			return s.runScript(*cmd)
		}
		if len(args) > 0 {
			data, err := p.ReadFile(args[0])
			if err != nil {
				if bash {
					p.Errorf("%s: %s: %s\n", name, args[0], err.Error())
				} else {
					p.Errorf("%s: 0: cannot open %s: No such file\n", name, args[0])
				}
				return 127
			}
			s.name = args[0]
			s.args = args[1:]
			return s.runScript(string(data))
		}
		if f := p.T.fds[0]; f != nil && f.tty != nil {
			interactive = true
		}
		s.interactive = interactive
		if interactive {
			s.name = strings.TrimPrefix(path.Base(name), "-")
			// ^C abandons the command line being run, as in bash.
			p.T.handled[SIGINT] = true
			p.T.interactiveShell = true
			s.installHandler()
		}
		return s.repl()
	}
}

// repl reads and runs commands line by line, with a prompt when
// interactive.
func (s *shell) repl() int {
	lineNo := 0
	for {
		if s.interactive {
			s.reportJobs()
			s.t.Write(2, []byte(s.prompt()))
		}
		line, ok := s.readLine()
		if !ok {
			if s.interactive && s.bash {
				s.t.Write(2, []byte("exit\n"))
			}
			return s.status
		}
		lineNo++
		// Lines that open a compound command continue until it parses.
		src := line
		for {
			// So do here-documents, until their delimiter lines.
			pr := s.newParser(src)
			_, err := pr.script()
			open := err == nil && (pr.hereOpen || len(pr.pending) > 0)
			if !open && (err == nil || !strings.Contains(err.Error(), "end of file unexpected") && !strings.Contains(err.Error(), "Unterminated")) {
				break
			}
			if s.interactive {
				s.t.Write(2, []byte("> "))
			}
			more, ok := s.readLine()
			if !ok {
				break
			}
			src += "\n" + more
		}
		s.runLine(src, lineNo)
	}
}

// runLine runs one line of an interactive or piped shell; a fatal error
// aborts the line only.
func (s *shell) runLine(src string, lineNo int) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(shellAbort); ok {
				s.status = 130
				s.loopDepth, s.tested = 0, 0
				return
			}
			panic(r)
		}
	}()
	l, err := s.newParser(src).script()
	if err != nil {
		se := err.(*syntaxError)
		if !s.bash {
			se.line = lineNo
		}
		s.syntaxError(se, src)
		s.status = 2
		return
	}
	s.setLines(l, lineNo)
	s.evalList(l, false)
}

// setLines renumbers a parsed line's commands to the shell's line count.
func (s *shell) setLines(l *listNode, lineNo int) {
	for _, ao := range l.items {
		for _, pl := range append([]*pipelineNode{ao.first}, pipes(ao.rest)...) {
			for _, c := range pl.cmds {
				if sc, ok := c.(*simpleCmd); ok {
					sc.line += lineNo - 1
				}
			}
		}
	}
}

func pipes(parts []andOrPart) []*pipelineNode {
	out := make([]*pipelineNode, len(parts))
	for i, p := range parts {
		out[i] = p.pipe
	}
	return out
}

// prompt is bash's default root prompt on Debian, user@host:dir# , or
// dash's "# " / "$ ".
func (s *shell) prompt() string {
	root := s.t.creds.UserNS.MungedUID(s.t.creds.EUID) == 0
	if !s.bash {
		if root {
			return "# "
		}
		return "$ "
	}
	user := userName(s.k, s.t, s.t.creds.UserNS.MungedUID(s.t.creds.EUID))
	dir := s.t.cwd
	if home := s.vars["HOME"]; home != "" && (dir == home || strings.HasPrefix(dir, home+"/")) {
		dir = "~" + dir[len(home):]
	}
	sign := "$"
	if root {
		sign = "#"
	}
	host := s.host
	if i := strings.IndexByte(host, '.'); i > 0 {
		host = host[:i]
	}
	return user + "@" + host + ":" + dir + sign + " "
}
