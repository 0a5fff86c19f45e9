package sim

import (
	"bufio"
	"io"
	"regexp"
	"strings"
)

// This file is GNU sed 4.9: its options -n -e -f -E/-r -i -s, addresses
// (N, $, /RE/ and \cREc with I and M, FIRST~STEP, ranges with ADDR,+N
// and ADDR,~N, 0,/RE/, !), the commands { } s y p P d D n N q Q = a i c
// h H g G x z b t T : r w and #, its error messages with their character
// positions, and its output of a last line that had no newline. Regular
// expressions are Go's, leftmost-longest, with POSIX basic syntax turned
// into extended syntax when -E is not given.

// sedUsage is GNU sed's usage text.
const sedUsage = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the ` + "`l'" + ` command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
`

const sedVersion = `sed (GNU sed) 4.9
Packaged by Debian
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jay Fenlason, Tom Lord, Ken Pizzini,
Paolo Bonzini, Jim Meyering, and Assaf Gordon.

This sed program was built with SELinux support.
SELinux is disabled on this system.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
E-mail bug reports to: <bug-sed@gnu.org>.
`

// sedAddr is one address.
type sedAddr struct {
	kind  byte // 'n' line, '$' last, 'r' regex, '~' first~step, '+' +N, 's' ~N (multiple)
	n, m  int
	re    *regexp.Regexp // nil with kind 'r': the last regex used
	empty bool
}

// sedCmd is one compiled command.
type sedCmd struct {
	a1, a2 *sedAddr
	negate bool
	cmd    byte
	// active and end are a range's state.
	active bool
	end    int

	re      *regexp.Regexp
	reEmpty bool
	repl    string
	global  bool
	nth     int
	print   bool
	wfile   string
	text    string
	label   string
	target  int // b, t, T: the command to go to (len(cmds): the end); {: past its }
	exit    int
	from    []rune
	to      []rune
}

// sedError is a compile error with GNU's location.
type sedError struct{ msg string }

// sedParser reads one script chunk (an -e expression or an -f file).
type sedParser struct {
	s        string
	pos      int
	where    string // "-e expression #1" or "file F line"
	line     int
	extended bool
}

func (ps *sedParser) fail(msg string) *sedError {
	if strings.HasPrefix(ps.where, "file ") {
		return &sedError{sprintf("sed: %s %d: %s", ps.where, ps.line, msg)}
	}
	return &sedError{sprintf("sed: %s, char %d: %s", ps.where, ps.pos, msg)}
}

// get reads a character; -1 at the end.
func (ps *sedParser) get() int {
	if ps.pos >= len(ps.s) {
		return -1
	}
	c := ps.s[ps.pos]
	ps.pos++
	if c == '\n' {
		ps.line++
	}
	return int(c)
}

func (ps *sedParser) unget(c int) {
	if c < 0 {
		return
	}
	ps.pos--
	if c == '\n' {
		ps.line--
	}
}

func (ps *sedParser) skipSpace() int {
	for {
		c := ps.get()
		if c != ' ' && c != '\t' {
			return c
		}
	}
}

// readUntil reads up to an unescaped delim: "\delim" gives delim, "\n" a
// newline, other escapes stay for the regex or replacement; ok is false
// at the end of the script.
func (ps *sedParser) readUntil(delim int, keepDelimEscape bool) (string, bool) {
	var b strings.Builder
	for {
		c := ps.get()
		switch {
		case c < 0:
			return "", false
		case c == delim:
			return b.String(), true
		case c == '\\':
			n := ps.get()
			switch {
			case n < 0:
				return "", false
			case n == delim:
				if keepDelimEscape && delim != '/' && strings.ContainsRune(`.*[]^$+?(){}|&`, rune(delim)) {
					b.WriteByte('\\')
				}
				b.WriteByte(byte(n))
			case n == 'n':
				b.WriteByte('\n')
			default:
				b.WriteByte('\\')
				b.WriteByte(byte(n))
			}
		case c == '\n' && delim != '\n':
			return "", false
		default:
			b.WriteByte(byte(c))
		}
	}
}

// compileRegex compiles a sed regex with its flags; "" means the last
// regex used.
func (ps *sedParser) compileRegex(src, flags string) (*regexp.Regexp, *sedError) {
	if src == "" {
		return nil, nil
	}
	if !ps.extended {
		src = basicToExtended(src)
	}
	prefix := ""
	if strings.Contains(flags, "I") {
		prefix += "(?i)"
	}
	if strings.Contains(flags, "M") {
		prefix += "(?m)"
	}
	re, err := regexp.Compile(prefix + src)
	if err != nil {
		return nil, ps.fail(regexErrorText(err))
	}
	re.Longest()
	return re, nil
}

// readAddr reads an address, nil when there is none.
func (ps *sedParser) readAddr() (*sedAddr, *sedError) {
	c := ps.get()
	switch {
	case c >= '0' && c <= '9':
		n := 0
		for ; c >= '0' && c <= '9'; c = ps.get() {
			n = n*10 + c - '0'
		}
		if c == '~' {
			m := 0
			for c = ps.get(); c >= '0' && c <= '9'; c = ps.get() {
				m = m*10 + c - '0'
			}
			ps.unget(c)
			return &sedAddr{kind: '~', n: n, m: m}, nil
		}
		ps.unget(c)
		return &sedAddr{kind: 'n', n: n}, nil
	case c == '$':
		return &sedAddr{kind: '$'}, nil
	case c == '/' || c == '\\':
		delim := c
		if c == '\\' {
			delim = ps.get()
		}
		src, ok := ps.readUntil(delim, true)
		if !ok {
			return nil, ps.fail("unterminated address regex")
		}
		flags := ""
		for {
			f := ps.get()
			if f == 'I' || f == 'M' {
				flags += string(rune(f))
				continue
			}
			ps.unget(f)
			break
		}
		re, err := ps.compileRegex(src, flags)
		if err != nil {
			return nil, err
		}
		return &sedAddr{kind: 'r', re: re, empty: src == ""}, nil
	}
	ps.unget(c)
	return nil, nil
}

// endOfCommand checks what follows a command: nothing, a newline, ';',
// '}' or '#'.
func (ps *sedParser) endOfCommand() *sedError {
	c := ps.skipSpace()
	switch c {
	case -1, '\n', ';':
		return nil
	case '}', '#':
		ps.unget(c)
		return nil
	}
	return ps.fail("extra characters after command")
}

// readLabel reads a label for : b t T, up to a newline or ';'.
func (ps *sedParser) readLabel() string {
	c := ps.skipSpace()
	var b strings.Builder
	for c >= 0 && c != '\n' && c != ';' {
		b.WriteByte(byte(c))
		c = ps.get()
	}
	return strings.TrimRight(b.String(), " \t")
}

// readText reads the text of a, i and c: one-line ("a text") or after
// a backslash and newline, lines joined by backslash-newline.
func (ps *sedParser) readText() (string, *sedError) {
	c := ps.skipSpace()
	if c < 0 {
		return "", ps.fail("expected \\ after `a', `c' or `i'")
	}
	if c == '\\' {
		c = ps.get()
		if c == '\n' {
			c = ps.get()
		} else if c >= 0 {
			ps.unget(c)
			c = '\\'
		}
	}
	var b strings.Builder
	for c >= 0 {
		if c == '\\' {
			c = ps.get()
			if c < 0 {
				break
			}
			b.WriteByte(byte(c))
			c = ps.get()
			continue
		}
		if c == '\n' {
			break
		}
		b.WriteByte(byte(c))
		c = ps.get()
	}
	return b.String() + "\n", nil
}

// parse compiles the chunk's commands onto cmds; blocks holds the open {.
func (ps *sedParser) parse(cmds []*sedCmd, blocks *[]int) ([]*sedCmd, *sedError) {
	for {
		c := ps.skipSpace()
		for c == ';' || c == '\n' || c == ' ' || c == '\t' {
			c = ps.skipSpace()
		}
		if c < 0 {
			return cmds, nil
		}
		ps.unget(c)
		cmd := &sedCmd{}
		a1, err := ps.readAddr()
		if err != nil {
			return nil, err
		}
		if a1 != nil {
			cmd.a1 = a1
			c = ps.skipSpace()
			if c == ',' {
				c = ps.skipSpace()
				switch {
				case c == '+' || c == '~':
					n := 0
					x := ps.get()
					for ; x >= '0' && x <= '9'; x = ps.get() {
						n = n*10 + x - '0'
					}
					ps.unget(x)
					if c == '+' {
						cmd.a2 = &sedAddr{kind: '+', n: n}
					} else {
						cmd.a2 = &sedAddr{kind: 's', n: n}
					}
				default:
					ps.unget(c)
					a2, err := ps.readAddr()
					if err != nil {
						return nil, err
					}
					if a2 == nil || a2.kind == '~' {
						return nil, ps.fail("unexpected `,'")
					}
					cmd.a2 = a2
				}
			} else {
				ps.unget(c)
			}
		}
		c = ps.skipSpace()
		if c == '!' {
			cmd.negate = true
			c = ps.skipSpace()
			if c == '!' {
				return nil, ps.fail("multiple `!'s")
			}
		}
		if c < 0 || c == '\n' || c == ';' {
			return nil, ps.fail("missing command")
		}
		cmd.cmd = byte(c)
		if a := cmd.a1; a != nil && a.kind == 'n' && a.n == 0 && (cmd.a2 == nil || cmd.a2.kind != 'r') {
			return nil, ps.fail("invalid usage of line address 0")
		}
		noAddr := func(name string) *sedError {
			if cmd.a1 != nil {
				return ps.fail(name + " doesn't want any addresses")
			}
			return nil
		}
		switch c {
		case '#':
			if err := noAddr("comments"); err != nil {
				return nil, err
			}
			for c = ps.get(); c >= 0 && c != '\n'; c = ps.get() {
			}
			continue
		case '{':
			*blocks = append(*blocks, len(cmds))
			cmds = append(cmds, cmd)
			continue
		case '}':
			if len(*blocks) == 0 {
				return nil, ps.fail("unexpected `}'")
			}
			if cmd.a1 != nil || cmd.negate {
				return nil, ps.fail("} doesn't want any addresses")
			}
			open := (*blocks)[len(*blocks)-1]
			*blocks = (*blocks)[:len(*blocks)-1]
			cmds[open].target = len(cmds)
			if err := ps.endOfCommand(); err != nil {
				return nil, err
			}
			continue
		case '=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z':
			if err := ps.endOfCommand(); err != nil {
				return nil, err
			}
		case 'q', 'Q':
			if cmd.a2 != nil {
				return nil, ps.fail("command only uses one address")
			}
			c = ps.skipSpace()
			for ; c >= '0' && c <= '9'; c = ps.get() {
				cmd.exit = cmd.exit*10 + c - '0'
			}
			ps.unget(c)
			if err := ps.endOfCommand(); err != nil {
				return nil, err
			}
		case 'a', 'i', 'c':
			text, err := ps.readText()
			if err != nil {
				return nil, err
			}
			cmd.text = text
		case ':':
			if err := noAddr(":"); err != nil {
				return nil, err
			}
			cmd.label = ps.readLabel()
			if cmd.label == "" {
				return nil, ps.fail("\":\" lacks a label")
			}
		case 'b', 't', 'T':
			cmd.label = ps.readLabel()
		case 'r', 'w':
			cmd.wfile = strings.TrimLeft(ps.restOfLine(), " \t")
			if cmd.wfile == "" {
				return nil, ps.fail("missing filename in r/R/w/W commands")
			}
		case 's':
			if err := ps.parseS(cmd); err != nil {
				return nil, err
			}
		case 'y':
			if err := ps.parseY(cmd); err != nil {
				return nil, err
			}
		default:
			return nil, ps.fail("unknown command: `" + string(rune(c)) + "'")
		}
		cmds = append(cmds, cmd)
	}
}

// restOfLine reads to the end of the line (a file name).
func (ps *sedParser) restOfLine() string {
	var b strings.Builder
	for c := ps.get(); c >= 0 && c != '\n'; c = ps.get() {
		b.WriteByte(byte(c))
	}
	return b.String()
}

func (ps *sedParser) parseS(cmd *sedCmd) *sedError {
	delim := ps.get()
	if delim < 0 || delim == '\n' || delim == '\\' {
		return ps.fail("unterminated `s' command")
	}
	pat, ok := ps.readUntil(delim, true)
	if !ok {
		return ps.fail("unterminated `s' command")
	}
	repl, ok := ps.readUntil(delim, false)
	if !ok {
		return ps.fail("unterminated `s' command")
	}
	flags := ""
flags:
	for {
		c := ps.get()
		switch {
		case c == 'g':
			cmd.global = true
		case c == 'p':
			cmd.print = true
		case c == 'i' || c == 'I':
			flags += "I"
		case c == 'm' || c == 'M':
			flags += "M"
		case c >= '0' && c <= '9':
			n := 0
			for ; c >= '0' && c <= '9'; c = ps.get() {
				n = n*10 + c - '0'
			}
			ps.unget(c)
			if n == 0 {
				return ps.fail("number option to `s' command may not be zero")
			}
			cmd.nth = n
		case c == 'w':
			cmd.wfile = strings.TrimLeft(ps.restOfLine(), " \t")
			break flags
		case c < 0 || c == '\n' || c == ';':
			break flags
		case c == '}' || c == '#':
			ps.unget(c)
			break flags
		case c == ' ' || c == '\t':
			if err := ps.endOfCommand(); err != nil {
				return ps.fail("unknown option to `s'")
			}
			break flags
		default:
			return ps.fail("unknown option to `s'")
		}
	}
	re, err := ps.compileRegex(pat, flags)
	if err != nil {
		return err
	}
	cmd.re, cmd.reEmpty, cmd.repl = re, pat == "", repl
	if re != nil {
		for i := 0; i+1 < len(repl); i++ {
			if repl[i] == '\\' {
				if d := repl[i+1]; d >= '1' && d <= '9' && int(d-'0') > re.NumSubexp() {
					return ps.fail("invalid reference \\" + string(d) + " on `s' command's RHS")
				}
				i++
			}
		}
	}
	return nil
}

func (ps *sedParser) parseY(cmd *sedCmd) *sedError {
	delim := ps.get()
	if delim < 0 || delim == '\n' || delim == '\\' {
		return ps.fail("unterminated `y' command")
	}
	unescape := func(s string) []rune {
		var out []rune
		rs := []rune(s)
		for i := 0; i < len(rs); i++ {
			if rs[i] == '\\' && i+1 < len(rs) && rs[i+1] == '\\' {
				i++
			}
			out = append(out, rs[i])
		}
		return out
	}
	from, ok := ps.readUntil(delim, false)
	if !ok {
		return ps.fail("unterminated `y' command")
	}
	to, ok := ps.readUntil(delim, false)
	if !ok {
		return ps.fail("unterminated `y' command")
	}
	cmd.from, cmd.to = unescape(from), unescape(to)
	if len(cmd.from) != len(cmd.to) {
		return ps.fail("strings for `y' command are different lengths")
	}
	return ps.endOfCommand()
}

// sedProgram is sed.
func sedProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'n': 0, 'e': 1, 'f': 1, 'E': 0, 'r': 0, 'i': 2, 's': 0, 'z': 0},
		long: map[string]longOpt{"quiet": {'n', 0}, "silent": {'n', 0}, "expression": {'e', 1}, "file": {'f', 1},
			"regexp-extended": {'E', 0}, "in-place": {'i', 2}, "separate": {'s', 0}, "null-data": {'z', 0}, "help": {200, 0}, "version": {201, 0}},
	}
	opts, operands, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		p.Errorf("sed: %s\n%s", msg, sedUsage)
		return 1
	}
	quiet, extended, inPlace, separate := false, false, false, false
	suffix := ""
	sep := byte('\n')
	type chunk struct{ text, where string }
	var chunks []chunk
	exprs := 0
	for _, o := range opts {
		switch o.code {
		case 'n':
			quiet = true
		case 'E', 'r':
			extended = true
		case 'i':
			inPlace, separate, suffix = true, true, o.value
		case 's':
			separate = true
		case 'z':
			sep = 0
		case 'e':
			exprs++
			chunks = append(chunks, chunk{o.value, "-e expression #" + itoa(exprs)})
		case 'f':
			data, err := p.ReadFile(o.value)
			if err != nil {
				p.Errorf("sed: couldn't open file %s: %s\n", o.value, err.Error())
				return 1
			}
			chunks = append(chunks, chunk{strings.TrimSuffix(string(data), "\n"), "file " + o.value + " line"})
		case 200:
			p.Printf("%s", sedUsage)
			return 0
		case 201:
			p.Printf("%s", sedVersion)
			return 0
		}
	}
	if len(chunks) == 0 {
		if len(operands) == 0 {
			p.Errorf("%s", sedUsage)
			return 1
		}
		chunks = append(chunks, chunk{operands[0], "-e expression #1"})
		operands = operands[1:]
	}
	var cmds []*sedCmd
	var blocks []int
	var ps *sedParser
	for _, ch := range chunks {
		ps = &sedParser{s: ch.text, where: ch.where, line: 1, extended: extended}
		var err *sedError
		if cmds, err = ps.parse(cmds, &blocks); err != nil {
			p.Errorf("%s\n", err.msg)
			return 1
		}
	}
	if len(blocks) > 0 {
		ps.pos = 0
		p.Errorf("%s\n", ps.fail("unmatched `{'").msg)
		return 1
	}
	labels := map[string]int{}
	for i, c := range cmds {
		if c.cmd == ':' {
			if _, dup := labels[c.label]; dup {
				p.Errorf("sed: -e expression #1, char 0: duplicate label `%s'\n", c.label)
				return 1
			}
			labels[c.label] = i
		}
	}
	for _, c := range cmds {
		if c.cmd == 'b' || c.cmd == 't' || c.cmd == 'T' {
			if c.label == "" {
				c.target = len(cmds)
				continue
			}
			t, ok := labels[c.label]
			if !ok {
				p.Errorf("sed: can't find label for jump to `%s'\n", c.label)
				return 4
			}
			c.target = t
		}
	}
	r := &sedRun{p: p, cmds: cmds, quiet: quiet, wfiles: map[string]bool{}, sep: sep}
	// w files are truncated before any input is read.
	for _, c := range cmds {
		if c.wfile != "" && c.cmd != 'r' && !r.wfiles[c.wfile] {
			if err := p.WriteFile(c.wfile, nil); err != nil {
				p.Errorf("sed: couldn't open file %s: %s\n", c.wfile, err.Error())
				return 4
			}
			r.wfiles[c.wfile] = true
		}
	}
	if len(operands) == 0 {
		if inPlace {
			p.Errorf("sed: no input files\n")
			return 4
		}
		operands = []string{"-"}
	}
	status := 0
	if separate {
		for _, f := range operands {
			in := r.open([]string{f})
			if in == nil {
				status = 2
				continue
			}
			if inPlace {
				if suffix != "" {
					// The backup: FILE + SUFFIX, or SUFFIX with each *
					// replaced by the file's name.
					backup := f + suffix
					if strings.Contains(suffix, "*") {
						dir, base := "", f
						if i := strings.LastIndexByte(f, '/'); i >= 0 {
							dir, base = f[:i+1], f[i+1:]
						}
						backup = strings.ReplaceAll(suffix, "*", base)
						if !strings.Contains(backup, "/") {
							backup = dir + backup
						}
					}
					if data, err := p.ReadFile(f); err == nil {
						if err := p.WriteFile(backup, data); err != nil {
							p.Errorf("sed: cannot rename %s: %s\n", f, err.Error())
							return 4
						}
					}
				}
				var out strings.Builder
				r.out = &out
				r.execute(in)
				if err := p.WriteFile(f, []byte(out.String())); err != nil {
					p.Errorf("sed: couldn't open temporary file %s: %s\n", f, err.Error())
					return 4
				}
			} else {
				r.out = p.Stdout()
				r.execute(in)
			}
			if r.quit {
				break
			}
		}
	} else {
		r.out = p.Stdout()
		in := r.open(operands)
		if in != nil {
			r.execute(in)
		}
		if r.readFailed {
			status = 2
		}
	}
	if r.quit {
		return r.exit
	}
	if status == 0 && r.readFailed {
		status = 2
	}
	return status
}

// sedInput reads lines from the input files in turn, one line ahead so
// that $ knows the last line.
type sedInput struct {
	r       *sedRun
	files   []string
	cur     *bufio.Reader
	next    string
	hasNext bool
	nextNL  bool
}

// sedRun is a running script.
type sedRun struct {
	p          *Proc
	cmds       []*sedCmd
	quiet      bool
	out        io.Writer
	missingNL  bool
	lineNo     int
	hold       string
	lastRE     *regexp.Regexp
	appendQ    []string
	quit       bool
	exit       int
	readFailed bool
	wfiles     map[string]bool
	// sep ends lines: a newline, or NUL with -z.
	sep byte
}

func (r *sedRun) open(files []string) *sedInput {
	in := &sedInput{r: r, files: files}
	in.advance()
	return in
}

// advance reads the line after the current one.
func (in *sedInput) advance() {
	for {
		if in.cur == nil {
			if len(in.files) == 0 {
				in.hasNext = false
				return
			}
			f := in.files[0]
			in.files = in.files[1:]
			if f == "-" {
				in.cur = bufio.NewReader(in.r.p.Stdin())
			} else {
				data, err := in.r.p.ReadFile(f)
				if err != nil {
					if err == EISDIR {
						in.r.p.Errorf("sed: read error on %s: %s\n", f, err.Error())
					} else {
						in.r.p.Errorf("sed: can't read %s: %s\n", f, err.Error())
					}
					in.r.readFailed = true
					continue
				}
				in.cur = bufio.NewReader(strings.NewReader(string(data)))
			}
		}
		sep := in.r.sep
		line, err := in.cur.ReadString(sep)
		if line == "" && err != nil {
			in.cur = nil
			continue
		}
		in.nextNL = line[len(line)-1] == sep
		if in.nextNL {
			line = line[:len(line)-1]
		}
		in.next, in.hasNext = line, true
		return
	}
}

// read takes the next line; ok is false at the end of the input.
func (in *sedInput) read() (line string, nl, ok bool) {
	if !in.hasNext {
		return "", false, false
	}
	line, nl = in.next, in.nextNL
	in.advance()
	return line, nl, true
}

// emit writes text that ends a line, or (nl false) the last line that
// had no newline: GNU sed adds that newline only if more output follows.
func (r *sedRun) emit(text string, nl bool) {
	if r.missingNL {
		r.out.Write([]byte{r.sep})
	}
	io.WriteString(r.out, text)
	if nl {
		r.out.Write([]byte{r.sep})
	}
	r.missingNL = !nl
}

func (r *sedRun) matchAddr(a *sedAddr, ps string, in *sedInput) bool {
	switch a.kind {
	case 'n':
		return r.lineNo == a.n
	case '$':
		return !in.hasNext
	case '~':
		if a.m <= 0 {
			return r.lineNo == a.n
		}
		return r.lineNo >= a.n && (r.lineNo-a.n)%a.m == 0
	case 'r':
		re := a.re
		if re == nil {
			re = r.lastRE
		} else {
			r.lastRE = re
		}
		return re != nil && re.MatchString(ps)
	}
	return false
}

// selected applies a command's addresses to the current line.
func (r *sedRun) selected(c *sedCmd, ps string, in *sedInput) bool {
	if c.a1 == nil {
		return true
	}
	if c.a2 == nil {
		return r.matchAddr(c.a1, ps, in)
	}
	if c.active {
		switch c.a2.kind {
		case 'n':
			if r.lineNo >= c.a2.n {
				c.active = false
			}
			return true
		case '+', 's':
			if r.lineNo >= c.end {
				c.active = false
			}
			return true
		default:
			if r.matchAddr(c.a2, ps, in) {
				c.active = false
			}
			return true
		}
	}
	start := c.a1.kind == 'n' && c.a1.n == 0 && r.lineNo == 1 || r.matchAddr(c.a1, ps, in)
	if !start {
		return false
	}
	switch c.a2.kind {
	case 'n':
		c.active = c.a2.n > r.lineNo
	case '+':
		c.end = r.lineNo + c.a2.n
		c.active = c.a2.n > 0
	case 's':
		if c.a2.n <= 0 || r.lineNo%c.a2.n == 0 {
			return true
		}
		c.end = (r.lineNo/c.a2.n + 1) * c.a2.n
		c.active = true
	case '$':
		c.active = in.hasNext
	default:
		// 0,/RE/ may end on its first line.
		if c.a1.kind == 'n' && c.a1.n == 0 && r.matchAddr(c.a2, ps, in) {
			return true
		}
		c.active = true
	}
	return true
}

// substitute runs an s command on ps.
func (r *sedRun) substitute(c *sedCmd, ps string) (string, bool) {
	re := c.re
	if re == nil {
		re = r.lastRE
	} else {
		r.lastRE = re
	}
	if re == nil {
		r.p.Errorf("sed: no previous regular expression\n")
		return ps, false
	}
	matches := re.FindAllStringSubmatchIndex(ps, -1)
	var b strings.Builder
	last, count, done := 0, 0, false
	for _, m := range matches {
		count++
		if count < c.nth || done {
			continue
		}
		b.WriteString(ps[last:m[0]])
		b.WriteString(sedReplace(c.repl, ps, m))
		last = m[1]
		if !c.global {
			done = true
		}
		if c.nth > 0 && !c.global && count == c.nth {
			done = true
		}
	}
	if last == 0 && (len(matches) == 0 || count < max(c.nth, 1)) {
		return ps, false
	}
	b.WriteString(ps[last:])
	return b.String(), true
}

// sedReplace expands a replacement: & and \0-\9 the match and its
// groups, \n a newline, \U \L \u \l \E case conversion, \c a literal c.
func sedReplace(repl, ps string, m []int) string {
	var b strings.Builder
	mode, once := byte(0), byte(0)
	put := func(s string) {
		for _, r := range s {
			switch {
			case once == 'u':
				b.WriteString(strings.ToUpper(string(r)))
				once = 0
			case once == 'l':
				b.WriteString(strings.ToLower(string(r)))
				once = 0
			case mode == 'U':
				b.WriteString(strings.ToUpper(string(r)))
			case mode == 'L':
				b.WriteString(strings.ToLower(string(r)))
			default:
				b.WriteRune(r)
			}
		}
	}
	group := func(n int) string {
		if 2*n+1 >= len(m) || m[2*n] < 0 {
			return ""
		}
		return ps[m[2*n]:m[2*n+1]]
	}
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch {
		case c == '&':
			put(group(0))
		case c == '\\' && i+1 < len(repl):
			i++
			d := repl[i]
			switch {
			case d >= '0' && d <= '9':
				put(group(int(d - '0')))
			case d == 'n':
				put("\n")
			case d == 't':
				put("\t")
			case d == 'U' || d == 'L':
				mode = d
			case d == 'E':
				mode = 0
			case d == 'u' || d == 'l':
				once = d
			default:
				put(string(d))
			}
		default:
			put(string(c))
		}
	}
	return b.String()
}

// execute runs the script over the input.
func (r *sedRun) execute(in *sedInput) {
	for _, c := range r.cmds {
		c.active = false
	}
	for !r.quit {
		ps, nl, ok := in.read()
		if !ok {
			return
		}
		r.lineNo++
		r.cycle(in, ps, nl)
	}
}

// flushAppends writes the text queued by a and r.
func (r *sedRun) flushAppends() {
	for _, t := range r.appendQ {
		r.emit(t, false)
		r.missingNL = false
	}
	r.appendQ = nil
}

// cycle runs the script once over a line.
func (r *sedRun) cycle(in *sedInput, ps string, nl bool) {
	subst := false
	autoprint := !r.quiet
	restart := false
	for pc := 0; pc < len(r.cmds); pc++ {
		c := r.cmds[pc]
		if c.cmd == ':' {
			continue
		}
		sel := r.selected(c, ps, in) != c.negate
		if c.cmd == '{' {
			if !sel {
				pc = c.target - 1
			}
			continue
		}
		if !sel {
			continue
		}
		switch c.cmd {
		case '=':
			r.emit(itoa(r.lineNo), true)
		case 'a':
			r.appendQ = append(r.appendQ, c.text)
		case 'i':
			r.emit(c.text, false)
			r.missingNL = false
		case 'c':
			if c.a2 == nil || !c.active || c.negate {
				r.emit(c.text, false)
				r.missingNL = false
			}
			r.endCycle(ps, nl, false)
			return
		case 'd':
			r.endCycle(ps, nl, false)
			return
		case 'D':
			i := strings.IndexByte(ps, '\n')
			if i < 0 {
				r.endCycle(ps, nl, false)
				return
			}
			ps = ps[i+1:]
			restart = true
		case 'p':
			r.emit(ps, nl)
		case 'P':
			first, _, _ := strings.Cut(ps, "\n")
			r.emit(first, true)
		case 'n':
			if !in.hasNext {
				r.endCycle(ps, nl, autoprint)
				r.quit = true
				return
			}
			if autoprint {
				r.emit(ps, nl)
			}
			r.flushAppends()
			ps, nl, _ = in.read()
			r.lineNo++
		case 'N':
			if !in.hasNext {
				r.endCycle(ps, nl, autoprint)
				r.quit = true
				return
			}
			r.flushAppends()
			var next string
			next, nl, _ = in.read()
			ps += "\n" + next
			r.lineNo++
		case 'g':
			ps = r.hold
		case 'G':
			ps += "\n" + r.hold
		case 'h':
			r.hold = ps
		case 'H':
			r.hold += "\n" + ps
		case 'x':
			ps, r.hold = r.hold, ps
		case 'z':
			ps = ""
		case 'q':
			r.endCycle(ps, nl, autoprint)
			r.quit, r.exit = true, c.exit
			return
		case 'Q':
			r.quit, r.exit = true, c.exit
			r.appendQ = nil
			return
		case 'b':
			pc = c.target - 1
		case 't', 'T':
			if subst == (c.cmd == 't') {
				pc = c.target - 1
			}
			if c.cmd == 't' || subst {
				subst = false
			}
		case 's':
			out, did := r.substitute(c, ps)
			if did {
				ps, subst = out, true
				if c.print {
					r.emit(ps, nl)
				}
				if c.wfile != "" {
					r.writeTo(c.wfile, ps)
				}
			}
		case 'y':
			rs := []rune(ps)
			for i, ch := range rs {
				for j, f := range c.from {
					if ch == f {
						rs[i] = c.to[j]
						break
					}
				}
			}
			ps = string(rs)
		case 'r':
			if data, err := r.p.ReadFile(c.wfile); err == nil && len(data) > 0 {
				r.appendQ = append(r.appendQ, string(data))
			}
		case 'w':
			r.writeTo(c.wfile, ps)
		}
		if restart {
			break
		}
	}
	if restart {
		// D: "restart cycle with the resultant pattern space, without
		// reading a new line of input"; nothing is printed first.
		r.flushAppends()
		r.cycle(in, ps, nl)
		return
	}
	r.endCycle(ps, nl, autoprint)
}

// endCycle prints the pattern space (autoprint) and the queued text.
func (r *sedRun) endCycle(ps string, nl, print bool) {
	if print {
		r.emit(ps, nl)
	}
	r.flushAppends()
}

// writeTo appends a line to a w file.
func (r *sedRun) writeTo(name, line string) {
	f, err := r.p.K.open(r.p.T, name, openWrite|openCreate|openAppend)
	if err != nil {
		return
	}
	fd := r.p.T.freeFD(3)
	r.p.T.fds[fd] = f
	r.p.T.Write(fd, []byte(line+"\n"))
	r.p.T.closeFD(fd)
}
