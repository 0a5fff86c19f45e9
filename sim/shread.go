package sim

import "strings"

// read is the read builtin: a line from standard input split into
// fields by IFS, the last variable taking the rest of the line. Without
// -r a backslash quotes the next character and joins continued lines.
// bash adds -a (into an array), -d, -n and -p (a prompt, shown only when
// the input is a terminal, as in dash).
func (s *shell) read(argv []string) int {
	args := argv[1:]
	raw := false
	prompt, arrayName := "", ""
	delim := byte('\n')
	nchars := -1
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		a := args[0]
		args = args[1:]
		if a == "--" {
			break
		}
		for i := 1; i < len(a); i++ {
			c := a[i]
			takesArg := c == 'p' || s.bash && strings.IndexByte("adn", c) >= 0
			val := ""
			if takesArg {
				switch {
				case i+1 < len(a):
					val, i = a[i+1:], len(a)
				case len(args) > 0:
					val, args = args[0], args[1:]
				default:
					if s.bash {
						s.errorf("read: -%c: option requires an argument", c)
						s.readUsage()
						return 2
					}
					s.errorf("read: No arg for -%c option", c)
					return 2
				}
			}
			switch {
			case c == 'r':
				raw = true
			case c == 'p':
				prompt = val
			case c == 'a':
				arrayName = val
			case c == 'd':
				delim = 0
				if val != "" {
					delim = val[0]
				}
			case c == 'n':
				nchars = atoiDefault(val, -1)
			case c == 's' && s.bash:
			default:
				if s.bash {
					s.errorf("read: -%c: invalid option", c)
					s.readUsage()
					return 2
				}
				s.errorf("read: Illegal option -%c", c)
				return 2
			}
		}
	}
	if f := s.t.fds[0]; prompt != "" && f != nil && f.tty != nil {
		s.t.Write(2, []byte(prompt))
	}
	line, esc, ok := s.readInput(raw, delim, nchars)
	names := args
	if len(names) == 0 && arrayName == "" {
		names = []string{"REPLY"}
	}
	ifs, set := s.vars["IFS"]
	if !set {
		ifs = " \t\n"
	}
	if arrayName != "" {
		s.setArray(arrayName, readFields(line, esc, ifs, -1), false)
	} else if len(names) == 1 && names[0] == "REPLY" && len(args) == 0 {
		// bash keeps the whole line in REPLY, dash splits it as for a name.
		if s.bash {
			s.setVar("REPLY", string(line))
		} else {
			s.setVar("REPLY", strings.Join(readFields(line, esc, ifs, 1), ""))
		}
	} else {
		fields := readFields(line, esc, ifs, len(names))
		for i, name := range names {
			v := ""
			if i < len(fields) {
				v = fields[i]
			}
			if !s.setVar(name, v) {
				if s.bash {
					s.errorf("%s: readonly variable", name)
					return 1
				}
				s.fatal("read: %s: is read only", name)
			}
		}
	}
	if !ok {
		return 1
	}
	return 0
}

func (s *shell) readUsage() {
	s.t.Write(2, []byte("read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n"))
}

// readInput reads up to the delimiter (or nchars characters); esc marks
// the characters a backslash protected. ok is false at the end of input.
func (s *shell) readInput(raw bool, delim byte, nchars int) ([]byte, []bool, bool) {
	var line []byte
	var esc []bool
	one := make([]byte, 1)
	backslash := false
	for nchars < 0 || len(line) < nchars {
		n, err := s.t.Read(0, one)
		if n == 0 {
			if err == errInterrupted {
				return nil, nil, true
			}
			return line, esc, false
		}
		c := one[0]
		switch {
		case backslash:
			backslash = false
			if c == '\n' {
				continue
			}
			line, esc = append(line, c), append(esc, true)
		case c == delim:
			return line, esc, true
		case c == '\\' && !raw:
			backslash = true
		default:
			line, esc = append(line, c), append(esc, false)
		}
	}
	return line, esc, true
}

// readFields splits a line for read into at most n fields (all for n <
// 0): the last takes the rest of the line, IFS white space trimmed.
func readFields(line []byte, esc []bool, ifs string, n int) []string {
	isIFS := func(i int) bool { return !esc[i] && strings.IndexByte(ifs, line[i]) >= 0 }
	isWS := func(i int) bool { return isIFS(i) && strings.IndexByte(" \t\n", line[i]) >= 0 }
	pos := 0
	for pos < len(line) && isWS(pos) {
		pos++
	}
	var out []string
	for pos < len(line) {
		if n >= 0 && len(out) == n-1 {
			end := len(line)
			for end > pos && isWS(end-1) {
				end--
			}
			out = append(out, string(line[pos:end]))
			return out
		}
		start := pos
		for pos < len(line) && !isIFS(pos) {
			pos++
		}
		out = append(out, string(line[start:pos]))
		for pos < len(line) && isWS(pos) {
			pos++
		}
		if pos < len(line) && isIFS(pos) && !isWS(pos) {
			pos++
			for pos < len(line) && isWS(pos) {
				pos++
			}
		}
	}
	return out
}
