package sim

import (
	"regexp"
	"strconv"
	"strings"
)

// This file runs what bash adds to the POSIX shell (see shbashparse.go):
// arrays and the parameter expansions on them, ${v:1:2}, ${v/a/b},
// ${v^^}, ${!v}, brace expansion, [[ ]], (( )) and for ((;;)).

// paramValues returns the words of a parameter that stands for several
// ("$@", "${a[@]}", "${!a[@]}", "${@:2}"); multi is false for the others.
func (s *shell) paramValues(p wordPart) ([]string, bool) {
	var vals []string
	switch {
	case p.op == "!keys":
		if p.index != "@" {
			return nil, false
		}
		if a := s.arrays[p.text]; a != nil {
			return a.indices(), true
		}
		if _, ok := s.vars[p.text]; ok {
			return []string{"0"}, true
		}
		return nil, true
	case (p.text == "@" || p.text == "*" && p.op != "") && p.index == "":
		vals = s.args
	case (p.index == "@" || p.index == "*") && s.bash:
		vals, _ = s.elementValues(p.text, "@")
	default:
		return nil, false
	}
	switch p.op {
	case "":
		return vals, true
	case ":", "::":
		return s.sliceValues(p, vals), true
	case "/", "//", "/#", "/%", "^^", "^", ",,", ",", "~~", "~", "#", "##", "%", "%%":
		out := make([]string, len(vals))
		for i, v := range vals {
			q := p
			q.index = ""
			if r, ok := s.bashParamOp(q, v, true); ok {
				out[i] = r
			} else {
				out[i] = trimPattern(v, s.expandPattern(p.arg), p.op)
			}
		}
		return out, true
	}
	return nil, false
}

// sliceValues is ${@:offset:length} and ${a[@]:offset:length}: for the
// positional parameters, offset 0 is $0.
func (s *shell) sliceValues(p wordPart, vals []string) []string {
	if p.text == "@" || p.text == "*" {
		vals = append([]string{s.name}, vals...)
	}
	off := int(s.arithOrFail(s.expandNoSplit(p.arg)))
	if off < 0 {
		off += len(vals)
	}
	if off < 0 || off > len(vals) {
		return nil
	}
	vals = vals[off:]
	if p.op == "::" {
		n := int(s.arithOrFail(s.expandNoSplit(p.arg2)))
		if n < 0 {
			s.fatalStatus(1, "%s: substring expression < 0", s.expandNoSplit(p.arg2))
		}
		if n < len(vals) {
			vals = vals[:n]
		}
	}
	return vals
}

// paramList is the value of ${a[i]} and of ${!name} (what name names).
func (s *shell) paramList(p wordPart) ([]string, bool) {
	if p.op == "!" {
		target, _ := s.lookupParam(p.text)
		name, index := target, ""
		if open := strings.IndexByte(target, '['); open > 0 && strings.HasSuffix(target, "]") {
			name, index = target[:open], target[open+1:len(target)-1]
		}
		if index != "" {
			return s.elementValues(name, index)
		}
		if target == "" {
			return []string{""}, false
		}
		v, ok := s.lookupParam(name)
		return []string{v}, ok
	}
	return s.elementValues(p.text, p.index)
}

// bashParamOp applies the operators only bash has; ok is false for the
// POSIX ones, which param applies.
func (s *shell) bashParamOp(p wordPart, val string, set bool) (string, bool) {
	switch p.op {
	case "#len":
		if s.bash && p.index == "" && (p.text == "@" || p.text == "*") {
			return itoa(len(s.args)), true
		}
		if p.index == "@" || p.index == "*" {
			vals, _ := s.elementValues(p.text, "@")
			return itoa(len(vals)), true
		}
		if p.index != "" {
			return itoa(len([]rune(val))), true
		}
		return "", false
	case ":", "::":
		r := []rune(val)
		off := int(s.arithOrFail(s.expandNoSplit(p.arg)))
		if off < 0 {
			off += len(r)
		}
		if off < 0 || off > len(r) {
			return "", true
		}
		r = r[off:]
		if p.op == "::" {
			n := int(s.arithOrFail(s.expandNoSplit(p.arg2)))
			if n < 0 {
				n += len(r)
				if n < 0 {
					s.fatalStatus(1, "%s: substring expression < 0", s.expandNoSplit(p.arg2))
				}
			}
			if n < len(r) {
				r = r[:n]
			}
		}
		return string(r), true
	case "/", "//", "/#", "/%":
		return replacePattern(val, s.expandPattern(p.arg), s.expandNoSplit(p.arg2), p.op), true
	case "^^":
		return strings.ToUpper(val), true
	case ",,":
		return strings.ToLower(val), true
	case "^", ",", "~":
		if val == "" {
			return "", true
		}
		r := []rune(val)
		first := string(r[0])
		switch {
		case p.op == "^" || p.op == "~" && first == strings.ToLower(first):
			first = strings.ToUpper(first)
		default:
			first = strings.ToLower(first)
		}
		return first + string(r[1:]), true
	case "~~":
		var b strings.Builder
		for _, c := range val {
			l, u := strings.ToLower(string(c)), strings.ToUpper(string(c))
			if string(c) == l {
				b.WriteString(u)
			} else {
				b.WriteString(l)
			}
		}
		return b.String(), true
	}
	return "", false
}

// replacePattern is ${v/pattern/string} and its //, /# and /% forms: the
// longest match, the first (or every one, or one anchored at an end).
func replacePattern(val, pat, rep, op string) string {
	if pat == "" {
		return val
	}
	switch op {
	case "/#":
		for j := len(val); j >= 0; j-- {
			if shMatch(pat, val[:j]) {
				return rep + val[j:]
			}
		}
		return val
	case "/%":
		for i := 0; i <= len(val); i++ {
			if shMatch(pat, val[i:]) {
				return val[:i] + rep
			}
		}
		return val
	}
	var b strings.Builder
	for i := 0; i < len(val); {
		end := -1
		for j := len(val); j > i; j-- {
			if shMatch(pat, val[i:j]) {
				end = j
				break
			}
		}
		if end < 0 {
			b.WriteByte(val[i])
			i++
			continue
		}
		b.WriteString(rep)
		i = end
		if op == "/" {
			b.WriteString(val[i:])
			return b.String()
		}
	}
	return b.String()
}

// braceExpand is bash's brace expansion of a word, before the others:
// a{b,c}d and {1..5}; dash leaves braces alone.
func (s *shell) braceExpand(w word) []word {
	if !s.bash {
		return []word{w}
	}
	for i, p := range w {
		if p.kind != partLit || p.quoted {
			continue
		}
		open, end, alts := findBrace(p.text)
		if open < 0 {
			continue
		}
		var out []word
		for _, alt := range alts {
			nw := append(word{}, w[:i]...)
			nw = append(nw, wordPart{kind: partLit, text: p.text[:open] + alt + p.text[end+1:]})
			nw = append(nw, w[i+1:]...)
			out = append(out, s.braceExpand(nw)...)
			if len(out) > maxBraceWords {
				// A live bash would run out of memory.
				s.fatal("Out of space")
			}
		}
		return out
	}
	return []word{w}
}

// maxBraceWords bounds one sequence expression such as {1..100000000}.
const maxBraceWords = 1 << 16

// findBrace finds the first brace expression in text: its braces and
// alternatives; open is -1 when there is none.
func findBrace(text string) (int, int, []string) {
	for open := 0; open < len(text); open++ {
		if text[open] != '{' {
			continue
		}
		depth, start := 0, open+1
		var alts []string
		for i := open; i < len(text); i++ {
			switch text[i] {
			case '{':
				depth++
			case ',':
				if depth == 1 {
					alts = append(alts, text[start:i])
					start = i + 1
				}
			case '}':
				depth--
				if depth > 0 {
					continue
				}
				if len(alts) > 0 {
					return open, i, append(alts, text[start:i])
				}
				if seq := braceSequence(text[open+1 : i]); seq != nil {
					return open, i, seq
				}
				i = len(text)
			}
		}
	}
	return -1, -1, nil
}

// braceSequence expands x..y[..step] for numbers or single letters.
func braceSequence(body string) []string {
	parts := strings.Split(body, "..")
	if len(parts) < 2 || len(parts) > 3 {
		return nil
	}
	step := 1
	if len(parts) == 3 {
		n, err := strconv.Atoi(parts[2])
		if err != nil {
			return nil
		}
		step = max(n, -n)
	}
	if step == 0 {
		step = 1
	}
	a, errA := strconv.Atoi(parts[0])
	b, errB := strconv.Atoi(parts[1])
	var out []string
	switch {
	case errA == nil && errB == nil:
		width := 0
		for _, p := range parts[:2] {
			d := strings.TrimPrefix(p, "-")
			if len(d) > 1 && d[0] == '0' {
				width = max(width, len(p))
			}
		}
		for i := a; len(out) < maxBraceWords; {
			v := strconv.Itoa(i)
			if width > 0 {
				v = sprintf("%0*d", width, i)
			}
			out = append(out, v)
			if a <= b && i+step > b || a > b && i-step < b {
				break
			}
			if a <= b {
				i += step
			} else {
				i -= step
			}
		}
	case len(parts[0]) == 1 && len(parts[1]) == 1 && errA != nil && errB != nil:
		x, y := int(parts[0][0]), int(parts[1][0])
		for i := x; ; {
			out = append(out, string(rune(i)))
			if x <= y && i+step > y || x > y && i-step < y {
				break
			}
			if x <= y {
				i += step
			} else {
				i -= step
			}
		}
	default:
		return nil
	}
	return out
}

// evalBashCommand runs [[ ]], (( )) and for ((;;)).
func (s *shell) evalBashCommand(n node) {
	switch c := n.(type) {
	case *condNode:
		s.line = c.line
		s.withRedirs(c.redirs, func() {
			e := &condEval{s: s, toks: c.toks}
			v := e.or()
			switch {
			case e.err != "":
				s.errorf("%s", e.err)
				s.status = 2
			case e.pos < len(e.toks):
				s.errorf("syntax error in conditional expression")
				s.status = 2
			default:
				s.status = 1 - int(b2i(v))
			}
		})
	case *arithCmdNode:
		s.line = c.line
		s.withRedirs(c.redirs, func() { s.status = s.arithStatus("((", c.expr) })
	case *arithForNode:
		s.line = c.line
		s.withRedirs(c.redirs, func() {
			s.status = 0
			if s.arithStatus("((", c.init) == 2 {
				return
			}
			for {
				if strings.TrimSpace(c.cond) != "" {
					st := s.arithStatus("((", c.cond)
					if st == 2 {
						return
					}
					if st != 0 {
						break
					}
				}
				j := s.loopBody(c.body)
				if j != nil && !j.cont {
					break
				}
				if s.arithStatus("((", c.step) == 2 {
					return
				}
			}
		})
	}
}

// arithStatus evaluates an expression of (( )) or let: status 0 when it
// is not zero, 1 when it is, and 1 after an error message.
func (s *shell) arithStatus(who, expr string) int {
	expr = s.expandArithText(expr)
	n, err := s.arith(expr)
	if err != nil {
		s.errorf("%s: %s: %s (error token is \"%s\")", who, strings.TrimSpace(expr), err.bashMsg, err.token)
		return 1
	}
	if n == 0 {
		return 1
	}
	return 0
}

// condEval evaluates the tokens of [[ ]].
type condEval struct {
	s    *shell
	toks []condTok
	pos  int
	err  string
}

func (e *condEval) peekOp(op string) bool {
	return e.pos < len(e.toks) && e.toks[e.pos].op == op
}

func (e *condEval) or() bool {
	v := e.and()
	for e.peekOp("||") {
		e.pos++
		w := e.and()
		v = v || w
	}
	return v
}

func (e *condEval) and() bool {
	v := e.not()
	for e.peekOp("&&") {
		e.pos++
		w := e.not()
		v = v && w
	}
	return v
}

func (e *condEval) not() bool {
	if e.peekOp("!") {
		e.pos++
		return !e.not()
	}
	return e.primary()
}

// wordAt is the text of the word token at i, unexpanded, or "".
func (e *condEval) wordAt(i int) (string, bool) {
	if i >= len(e.toks) || e.toks[i].op != "" {
		return "", false
	}
	w := e.toks[i].w
	if len(w) == 1 && w[0].kind == partLit && !w[0].quoted || len(w) == 1 && (w[0].text == "<" || w[0].text == ">") {
		return w[0].text, true
	}
	return "", true
}

var condBinary = map[string]bool{"==": true, "=": true, "!=": true, "=~": true, "<": true, ">": true, "-eq": true, "-ne": true, "-lt": true, "-le": true, "-gt": true, "-ge": true, "-nt": true, "-ot": true, "-ef": true}

func (e *condEval) primary() bool {
	if e.err != "" || e.pos >= len(e.toks) {
		if e.err == "" {
			e.err = "syntax error in conditional expression"
		}
		return false
	}
	if e.peekOp("(") {
		e.pos++
		v := e.or()
		if !e.peekOp(")") {
			e.err = "syntax error in conditional expression"
			return false
		}
		e.pos++
		return v
	}
	s := e.s
	if op, ok := e.wordAt(e.pos + 1); ok && condBinary[op] && e.toks[e.pos].op == "" {
		if e.pos+2 >= len(e.toks) || e.toks[e.pos+2].op != "" {
			e.err = "syntax error in conditional expression"
			return false
		}
		left := s.expandNoSplit(e.toks[e.pos].w)
		right := e.toks[e.pos+2]
		e.pos += 3
		switch op {
		case "==", "=", "!=":
			m := shMatch(s.expandPattern(right.w), left)
			return m == (op != "!=")
		case "=~":
			return s.condRegex(left, right.w)
		case "<", ">", "-nt", "-ot", "-ef":
			r, _ := s.testBinary(left, op, s.expandNoSplit(right.w))
			return r
		}
		x, err1 := s.arith(left)
		y, err2 := s.arith(s.expandNoSplit(right.w))
		if err1 != nil || err2 != nil {
			e.err = "syntax error in conditional expression"
			return false
		}
		r, _ := s.testBinary(itoa(int(x)), op, itoa(int(y)))
		return r
	}
	if op, ok := e.wordAt(e.pos); ok && len(op) == 2 && op[0] == '-' && e.pos+1 < len(e.toks) && e.toks[e.pos+1].op == "" {
		arg := s.expandNoSplit(e.toks[e.pos+1].w)
		e.pos += 2
		if op == "-v" {
			_, set := s.lookupParam(arg)
			return set
		}
		r, msg := s.testUnary(op, arg)
		if msg != "" {
			e.err = "unexpected argument `" + arg + "' to conditional unary operator"
		}
		return r
	}
	v := s.expandNoSplit(e.toks[e.pos].w)
	e.pos++
	return v != ""
}

// condRegex is =~: an extended regular expression where the quoted parts
// match themselves; BASH_REMATCH gets the match and its groups.
func (s *shell) condRegex(left string, w word) bool {
	var b strings.Builder
	for _, p := range w {
		switch {
		case p.kind == partLit && p.quoted:
			b.WriteString(regexp.QuoteMeta(p.text))
		case p.kind == partLit:
			b.WriteString(p.text)
		default:
			v := s.expandNoSplit(word{p})
			if p.quoted {
				v = regexp.QuoteMeta(v)
			}
			b.WriteString(v)
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		s.status = 2
		return false
	}
	m := re.FindStringSubmatch(left)
	delete(s.arrays, "BASH_REMATCH")
	if m == nil {
		s.setArray("BASH_REMATCH", nil, false)
		return false
	}
	s.setArray("BASH_REMATCH", m, false)
	return true
}

// readSubst is bash's $(< FILE): the file's contents without a process;
// ok is false for any other command substitution.
func (s *shell) readSubst(l *listNode) (string, bool) {
	if !s.bash || len(l.items) != 1 || len(l.items[0].rest) > 0 || l.items[0].background {
		return "", false
	}
	pl := l.items[0].first
	sc, simple := pl.cmds[0].(*simpleCmd)
	if !simple || len(pl.cmds) != 1 || pl.negate || len(sc.words) > 0 || len(sc.assigns) > 0 || len(sc.redirs) != 1 || sc.redirs[0].op != "<" || sc.redirs[0].fd >= 0 {
		return "", false
	}
	name := s.expandNoSplit(sc.redirs[0].target)
	f, ok := s.openRedir(name, "<")
	if !ok {
		s.status = 1
		return "", true
	}
	fd := s.t.freeFD(10)
	s.t.fds[fd] = f
	var out []byte
	buf := make([]byte, 4096)
	for {
		n, err := s.t.Read(fd, buf)
		out = append(out, buf[:n]...)
		if err != nil || n == 0 {
			break
		}
	}
	s.t.closeFD(fd)
	s.status = 0
	return strings.TrimRight(string(out), "\n"), true
}
