package sim

import (
	"io"
	"strconv"
	"strings"
)

// This file holds the smaller text tools of coreutils, reading standard
// input or files: cut, basename, dirname, and the programs that are also
// shell builtins (echo, true, false, test, printf). grep, wc, head, tail,
// sort, tr, tee and seq have files of their own (cmd_NAME.go).

// inputs returns the contents of the named files, or standard input.
func inputs(p *Proc, prog string, files []string) ([]string, []string, int) {
	if len(files) == 0 {
		files = []string{"-"}
	}
	var texts, names []string
	status := 0
	for _, f := range files {
		if f == "-" {
			data, _ := io.ReadAll(p.Stdin())
			texts = append(texts, string(data))
			names = append(names, "(standard input)")
			continue
		}
		data, err := p.ReadFile(f)
		if err != nil {
			p.Errorf("%s: %s: %s\n", prog, f, err.Error())
			status = 2
			continue
		}
		texts = append(texts, string(data))
		names = append(names, f)
	}
	return texts, names, status
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// basicToExtended turns a POSIX basic regular expression into Go's
// syntax: \( \) \{ \} \| are the operators, bare ( ) { } | + ? are
// literal.
func basicToExtended(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			n := s[i+1]
			switch n {
			case '(', ')', '{', '}', '|', '+', '?':
				b.WriteByte(n)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
			i++
			continue
		}
		switch c {
		case '(', ')', '{', '}', '|', '+', '?':
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// cutProgram is cut with -d/-f and -c.
func cutProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'b': 1, 'c': 1, 'd': 1, 'f': 1, 's': 0, 'n': 0, 'z': 0},
		long: map[string]longOpt{
			"bytes": {'b', 1}, "characters": {'c', 1}, "delimiter": {'d', 1},
			"fields": {'f', 1}, "only-delimited": {'s', 0}, "zero-terminated": {'z', 0},
			"complement": {200, 0}, "output-delimiter": {201, 1},
		},
	}
	opts, files, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "cut", msg)
	}
	var (
		kind                          byte // 'b', 'c' or 'f'
		list, delim, outDelim         string
		haveDelim, haveOut, onlyDelim bool
		complement, zero              bool
	)
	for _, o := range opts {
		switch o.code {
		case 'b', 'c', 'f':
			if kind != 0 {
				return usageError(p, "cut", "only one list may be specified")
			}
			kind, list = o.code, o.value
		case 'd':
			if len(o.value) > 1 {
				return usageError(p, "cut", "the delimiter must be a single character")
			}
			delim, haveDelim = o.value, true
		case 's':
			onlyDelim = true
		case 'z':
			zero = true
		case 200:
			complement = true
		case 201:
			outDelim, haveOut = o.value, true
		}
	}
	if kind == 0 {
		return usageError(p, "cut", "you must specify a list of bytes, characters, or fields")
	}
	if haveDelim && kind != 'f' {
		return usageError(p, "cut", "an input delimiter may be specified only when operating on fields")
	}
	if onlyDelim && kind != 'f' {
		return usageError(p, "cut", "suppressing non-delimited lines makes sense\n\tonly when operating on fields")
	}
	sel, msg := cutRanges(list, kind == 'f')
	if msg != "" {
		return usageError(p, "cut", msg)
	}
	if complement {
		inner := sel
		sel = func(i int) bool { return !inner(i) }
	}
	if !haveDelim || delim == "" {
		// cut -d '' means NUL, as coreutils takes it.
		if !haveDelim {
			delim = "\t"
		} else {
			delim = "\x00"
		}
	}
	eol := "\n"
	if zero {
		eol = "\x00"
	}
	texts, _, status := inputs(p, "cut", files)
	var out strings.Builder
	for _, t := range texts {
		recs := strings.SplitAfter(t, eol)
		for _, rec := range recs {
			if rec == "" {
				continue
			}
			line := strings.TrimSuffix(rec, eol)
			if kind == 'f' {
				if !strings.Contains(line, delim) {
					if !onlyDelim {
						out.WriteString(line + eol)
					}
					continue
				}
				od := delim
				if haveOut {
					od = outDelim
				}
				var keep []string
				for i, f := range strings.Split(line, delim) {
					if sel(i + 1) {
						keep = append(keep, f)
					}
				}
				out.WriteString(strings.Join(keep, od) + eol)
				continue
			}
			// Bytes and characters: coreutils 9.1 treats -c as -b.
			var b strings.Builder
			prev := false
			for i := 0; i < len(line); i++ {
				if sel(i + 1) {
					if haveOut && !prev && b.Len() > 0 {
						b.WriteString(outDelim)
					}
					b.WriteByte(line[i])
					prev = true
				} else {
					prev = false
				}
			}
			out.WriteString(b.String() + eol)
		}
	}
	p.Stdout().Write([]byte(out.String()))
	if status != 0 {
		return 1
	}
	return 0
}

// cutRanges parses cut's LIST ("1,3-5,7-") as coreutils 9.1 does, with its
// messages for what it refuses.
func cutRanges(list string, fields bool) (func(int) bool, string) {
	what := "byte/character position"
	if fields {
		what = "field value"
	}
	type rng struct{ lo, hi int }
	var rs []rng
	for _, part := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		lo, hi, isRange := strings.Cut(part, "-")
		if isRange && strings.Contains(hi, "-") {
			if fields {
				return nil, "invalid field range"
			}
			return nil, "invalid byte or character range"
		}
		if isRange && lo == "" && hi == "" {
			return nil, "invalid range with no endpoint: -"
		}
		num := func(v string) (int, string) {
			n, err := strconv.Atoi(v)
			if err != nil || strings.ContainsAny(v, "+-") {
				return 0, "invalid " + what + " \u2018" + part + "\u2019"
			}
			if n == 0 {
				if fields {
					return 0, "fields are numbered from 1"
				}
				return 0, "byte/character positions are numbered from 1"
			}
			return n, ""
		}
		r := rng{1, 1 << 30}
		var m string
		if lo != "" {
			if r.lo, m = num(lo); m != "" {
				return nil, m
			}
		}
		switch {
		case !isRange:
			r.hi = r.lo
		case hi != "":
			if r.hi, m = num(hi); m != "" {
				return nil, m
			}
		}
		if r.hi < r.lo {
			return nil, "invalid decreasing range"
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return nil, "missing list of " + map[bool]string{true: "fields", false: "byte/character positions"}[fields]
	}
	return func(i int) bool {
		for _, r := range rs {
			if i >= r.lo && i <= r.hi {
				return true
			}
		}
		return false
	}, ""
}

func basenameProgram(p *Proc) int {
	if len(p.Args) < 2 {
		p.Errorf("basename: missing operand\nTry 'basename --help' for more information.\n")
		return 1
	}
	s := strings.TrimRight(p.Args[1], "/")
	if s == "" {
		s = "/"
	} else if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	if len(p.Args) > 2 {
		s = strings.TrimSuffix(s, p.Args[2])
	}
	p.Printf("%s\n", s)
	return 0
}

func dirnameProgram(p *Proc) int {
	if len(p.Args) < 2 {
		p.Errorf("dirname: missing operand\nTry 'dirname --help' for more information.\n")
		return 1
	}
	s := strings.TrimRight(p.Args[1], "/")
	i := strings.LastIndexByte(s, '/')
	switch {
	case i < 0:
		s = "."
	case i == 0:
		s = "/"
	default:
		s = strings.TrimRight(s[:i], "/")
	}
	p.Printf("%s\n", s)
	return 0
}

// builtinProgram runs a shell builtin as a program (/usr/bin/echo,
// /usr/bin/test …), with coreutils' behaviour where it differs.
func builtinProgram(name string) Program {
	return func(p *Proc) int {
		s := newShell(p.T, name, true)
		s.name = name
		argv := append([]string{name}, p.Args[1:]...)
		if len(p.Args) > 0 && strings.HasSuffix(p.Args[0], "[") {
			argv[0] = "["
		}
		return builtins[name](s, argv)
	}
}

// yesProgram is yes: the same line forever, until the reader goes away
// (SIGPIPE) or a signal ends it.
func yesProgram(p *Proc) int {
	line := "y"
	if len(p.Args) > 1 {
		line = strings.Join(p.Args[1:], " ")
	}
	chunk := []byte(strings.Repeat(line+"\n", 8192/(len(line)+1)+1))
	for {
		if _, err := p.Stdout().Write(chunk); err != nil {
			p.Errorf("yes: standard output: %s\n", err.Error())
			return 1
		}
		p.T.preempt()
	}
}

// whichProgram is debianutils' which: the path of each command found in
// PATH; status 1 when one is not.
func whichProgram(p *Proc) int {
	status := 0
	for _, name := range p.Args[1:] {
		if strings.HasPrefix(name, "-") {
			continue
		}
		file, _, err := p.K.findExecutable(p.T, name)
		if err != nil {
			status = 1
			continue
		}
		p.Printf("%s\n", file)
	}
	return status
}
