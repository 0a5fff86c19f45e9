package sim

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// field is a word being expanded: its bytes, and for each byte whether it
// may be split on IFS (it came from an unquoted expansion) and whether it
// is an active glob character (unquoted in the source).
type field struct {
	b      []byte
	split  []bool
	glob   []bool
	quoted bool // some part was quoted: an empty result still counts
}

func (f *field) add(s string, split, glob bool) {
	for i := 0; i < len(s); i++ {
		f.b = append(f.b, s[i])
		f.split = append(f.split, split)
		f.glob = append(f.glob, glob && strings.IndexByte("*?[", s[i]) >= 0)
	}
}

// expandWords expands words into fields: parameter expansion, command
// substitution, arithmetic, field splitting, pathname expansion.
func (s *shell) expandWords(ws []word) []string {
	var out []string
	for _, w0 := range ws {
		for _, w := range s.braceExpand(w0) {
			for _, f := range s.expandFields(w) {
				for _, fl := range s.splitField(f) {
					out = append(out, s.glob(fl)...)
				}
			}
		}
	}
	return out
}

// expandNoSplit expands a word into one string (assignments, redirection
// targets, case subjects).
func (s *shell) expandNoSplit(w word) string {
	return string(s.expandWord(w).b)
}

// expandPattern expands a case pattern, keeping unquoted glob characters.
func (s *shell) expandPattern(w word) string {
	f := s.expandWord(w)
	var b strings.Builder
	for i, c := range f.b {
		if !f.glob[i] && strings.IndexByte("*?[\\", c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// maxWord bounds one expanded word: a script that doubles a variable in a
// loop fails here ("Out of space", as dash says when memory runs out)
// instead of exhausting the page's memory; a live lab would hit its
// memory limit.
const maxWord = 16 << 20

// expandWord expands a word into one field: the fields of "$@" and
// "${a[@]}" joined by spaces.
func (s *shell) expandWord(w word) *field {
	fs := s.expandFields(w)
	if len(fs) == 0 {
		return &field{}
	}
	f := fs[0]
	for _, g := range fs[1:] {
		f.add(" ", false, false)
		f.b = append(f.b, g.b...)
		f.split = append(f.split, g.split...)
		f.glob = append(f.glob, g.glob...)
	}
	return f
}

// expandFields expands a word: one field, or several where a quoted "$@"
// or "${a[@]}" stands for several words (none for no words at all).
func (s *shell) expandFields(w word) []*field {
	f := &field{}
	fields := []*field{f}
	defer func() {
		if len(f.b) > maxWord {
			s.fatal("Out of space")
		}
	}()
	for i, p := range w {
		if p.kind == partParam {
			if vals, multi := s.paramValues(p); multi {
				if p.quoted && (p.text == "*" || p.index == "*") {
					f.add(strings.Join(vals, s.ifsJoiner()), false, false)
					f.quoted = true
					continue
				}
				if !p.quoted {
					f.add(strings.Join(vals, " "), true, false)
					continue
				}
				if len(vals) == 0 && len(w) == 1 {
					return nil
				}
				for j, v := range vals {
					if j > 0 {
						f = &field{}
						fields = append(fields, f)
					}
					f.add(v, false, false)
					f.quoted = true
				}
				continue
			}
		}
		if p.kind == partArray {
			var q []string
			for _, v := range s.expandWords(p.elems) {
				q = append(q, shellQuote(v))
			}
			f.add("("+strings.Join(q, " ")+")", false, false)
			continue
		}
		switch p.kind {
		case partLit:
			if i == 0 && !p.quoted && strings.HasPrefix(p.text, "~") {
				// Tilde expansion: ~ and ~/… are $HOME, ~user a user's home.
				name, rest, _ := strings.Cut(p.text[1:], "/")
				if home, ok := s.homeOf(name); ok {
					if rest != "" || strings.Contains(p.text, "/") {
						rest = "/" + rest
					}
					f.add(home, false, false)
					f.add(rest, false, true)
					continue
				}
			}
			f.add(p.text, false, !p.quoted)
			if p.quoted {
				f.quoted = true
			}
		case partParam:
			v := s.param(p)
			f.add(v, !p.quoted, false)
			if p.quoted {
				f.quoted = true
			}
		case partCmdSub:
			v := s.commandSubst(p.sub)
			f.add(v, !p.quoted, false)
			if p.quoted {
				f.quoted = true
			}
		case partArith:
			expr := s.expandArithText(p.text)
			n := s.arithOrFail(expr)
			f.add(strconv.FormatInt(n, 10), !p.quoted, false)
		}
	}
	return fields
}

// expandArithText expands $-parameters inside an arithmetic expression.
func (s *shell) expandArithText(expr string) string {
	if !strings.Contains(expr, "$") {
		return expr
	}
	sp := &parser{src: expr, line: 1}
	w, err := sp.wordAll()
	if err != nil {
		return expr
	}
	return s.expandNoSplit(w)
}

// splitField splits a field on IFS where it came from expansions.
func (s *shell) splitField(f *field) []*field {
	ifs, ok := s.vars["IFS"]
	if !ok {
		ifs = " \t\n"
	}
	var out []*field
	cur := &field{quoted: f.quoted}
	has := false
	for i := 0; i < len(f.b); i++ {
		c := f.b[i]
		if f.split[i] && strings.IndexByte(ifs, c) >= 0 {
			// "IFS white space shall be ignored at the beginning and
			// end"; a non-white IFS character delimits a field, empty
			// ones too, with the white space around it.
			white := strings.IndexByte(" \t\n", c) >= 0
			j := i + 1
			for j < len(f.b) && f.split[j] && strings.IndexByte(ifs, f.b[j]) >= 0 && strings.IndexByte(" \t\n", f.b[j]) >= 0 {
				j++
			}
			if white && j < len(f.b) && f.split[j] && strings.IndexByte(ifs, f.b[j]) >= 0 {
				// white space then a non-white delimiter: one delimiter.
				i = j - 1
				continue
			}
			if has || len(cur.b) > 0 || !white {
				out = append(out, cur)
			}
			cur = &field{}
			has = false
			if !white {
				i = j - 1
			}
			continue
		}
		cur.b = append(cur.b, c)
		cur.split = append(cur.split, f.split[i])
		cur.glob = append(cur.glob, f.glob[i])
		has = true
	}
	if len(cur.b) > 0 || cur.quoted {
		out = append(out, cur)
	}
	return out
}

// glob does pathname expansion of one field; a pattern that matches
// nothing stays as it is.
func (s *shell) glob(f *field) []string {
	active := false
	if s.noglob {
		return []string{string(f.b)}
	}
	for _, g := range f.glob {
		active = active || g
	}
	if !active {
		return []string{string(f.b)}
	}
	var pat strings.Builder
	for i, c := range f.b {
		if !f.glob[i] && strings.IndexByte("*?[\\", c) >= 0 {
			pat.WriteByte('\\')
		}
		pat.WriteByte(c)
	}
	matches := s.k.globPath(s.t, pat.String())
	if len(matches) == 0 {
		return []string{string(f.b)}
	}
	return matches
}

// globPath expands a pattern against the file system.
func (k *Kernel) globPath(t *Task, pattern string) []string {
	abs := strings.HasPrefix(pattern, "/")
	parts := splitPath(pattern)
	cands := []string{""}
	for i, part := range parts {
		var next []string
		isMeta := strings.ContainsAny(part, "*?[")
		for _, c := range cands {
			dir := c
			if dir == "" {
				if abs {
					dir = "/"
				} else {
					dir = "."
				}
			}
			if !isMeta {
				p := joinGlob(c, part, abs)
				if i == len(parts)-1 {
					if _, err := k.lookup(t, p, false); err != nil {
						continue
					}
				}
				next = append(next, p)
				continue
			}
			r, err := k.lookup(t, dir, true)
			if err != nil || !r.node.isDir() {
				continue
			}
			names, _ := r.node.entries(t)
			for _, n := range names {
				if strings.HasPrefix(n, ".") && !strings.HasPrefix(part, ".") {
					continue
				}
				if ok, _ := path.Match(part, n); ok {
					next = append(next, joinGlob(c, n, abs))
				}
			}
		}
		cands = next
	}
	sort.Strings(cands)
	return cands
}

func joinGlob(dir, name string, abs bool) string {
	if dir == "" {
		if abs {
			return "/" + name
		}
		return name
	}
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}

// param expands one parameter.
func (s *shell) param(p wordPart) string {
	name := p.text
	val, set := s.lookupParam(name)
	if p.index != "" || p.op == "!" {
		vals, ok := s.paramList(p)
		val, set = strings.Join(vals, " "), ok
		if p.op == "!" {
			return val
		}
	}
	if v, ok := s.bashParamOp(p, val, set); ok {
		return v
	}
	switch p.op {
	case "":
		// set -u: "expanding a parameter that is not set ... shall write a
		// message to standard error and ... exit".
		if !set && s.nounset && name != "@" && name != "*" && name != "!" {
			if s.bash {
				s.fatalExit(127, "%s: unbound variable", name)
			}
			s.fatal("%s: parameter not set", name)
		}
		return val
	case "#len":
		return itoa(len(val))
	case ":-", "-":
		if !set || p.op == ":-" && val == "" {
			return s.expandNoSplit(p.arg)
		}
		return val
	case ":=", "=":
		if !set || p.op == ":=" && val == "" {
			val = s.expandNoSplit(p.arg)
			s.assignOrFail(name, val)
		}
		return val
	case ":+", "+":
		if set && (p.op == "+" || val != "") {
			return s.expandNoSplit(p.arg)
		}
		return ""
	case ":?", "?":
		if !set || p.op == ":?" && val == "" {
			msg := s.expandNoSplit(p.arg)
			switch {
			case msg != "":
			case s.bash && p.op == ":?":
				msg = "parameter null or not set"
			case p.op == ":?":
				msg = "parameter not set or null"
			default:
				msg = "parameter not set"
			}
			if s.bash {
				s.fatalExit(127, "%s: %s", name, msg)
			}
			s.fatal("%s: %s", name, msg)
		}
		return val
	case "#", "##", "%", "%%":
		pat := s.expandPattern(p.arg)
		return trimPattern(val, pat, p.op)
	}
	return val
}

func trimPattern(val, pat, op string) string {
	switch op {
	case "#", "##":
		best := -1
		for i := 0; i <= len(val); i++ {
			if shMatch(pat, val[:i]) {
				best = i
				if op == "#" {
					break
				}
			}
		}
		if best >= 0 {
			return val[best:]
		}
	case "%", "%%":
		best := -1
		for i := len(val); i >= 0; i-- {
			if shMatch(pat, val[i:]) {
				best = i
				if op == "%" {
					break
				}
			}
		}
		if best >= 0 {
			return val[:best]
		}
	}
	return val
}

func (s *shell) lookupParam(name string) (string, bool) {
	switch name {
	case "?":
		return itoa(s.status), true
	case "$":
		return itoa(s.shellPID()), true
	case "!":
		if s.lastBg == 0 {
			return "", false
		}
		return itoa(s.lastBg), true
	case "#":
		return itoa(len(s.args)), true
	case "@":
		return strings.Join(s.args, " "), true
	case "*":
		return strings.Join(s.args, s.ifsJoiner()), true
	case "-":
		if s.interactive {
			return "i", true
		}
		return "", true
	case "0":
		return s.name, true
	}
	if n, err := strconv.Atoi(name); err == nil {
		if n >= 1 && n <= len(s.args) {
			return s.args[n-1], true
		}
		return "", false
	}
	if s.bash {
		switch name {
		case "RANDOM":
			return s.random(), true
		case "LINENO":
			return itoa(s.line), true
		}
	}
	if a := s.arrays[name]; a != nil {
		return a.get("0")
	}
	v, ok := s.vars[name]
	return v, ok
}

// shellPID is $$: the PID of the shell itself, also in subshells.
func (s *shell) shellPID() int {
	return s.pid
}

// expandHeredoc expands parameters and command substitutions in a
// here-document body.
func (s *shell) expandHeredoc(body string) string {
	p := &parser{src: body, line: 1}
	var out strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '$' || c == '`' {
			part, err := p.dollar(true)
			if err != nil {
				out.WriteString(p.src[p.pos:])
				break
			}
			f := s.expandWord(word{part})
			out.Write(f.b)
			continue
		}
		if c == '\\' && p.pos+1 < len(p.src) && strings.IndexByte("$`\\", p.src[p.pos+1]) >= 0 {
			out.WriteByte(p.src[p.pos+1])
			p.pos += 2
			continue
		}
		out.WriteByte(c)
		p.pos++
	}
	return out.String()
}

// shMatch is fnmatch(3) without FNM_PATHNAME, as the shell matches case
// patterns and ${x#pattern}: * and ? match any character, / included.
func shMatch(pattern, s string) bool {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch c {
		case '*':
			b.WriteString("(?s:.*)")
		case '?':
			b.WriteString("(?s:.)")
		case '\\':
			if i+1 < len(pattern) {
				i++
				b.WriteString(regexp.QuoteMeta(string(pattern[i])))
			}
		case '[':
			end := strings.IndexByte(pattern[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := pattern[i+1 : i+1+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return pattern == s
	}
	return re.MatchString(s)
}

// homeOf is the home directory tilde expansion uses: $HOME for "", else
// the user's entry in /etc/passwd.
func (s *shell) homeOf(name string) (string, bool) {
	if name == "" {
		h, ok := s.vars["HOME"]
		return h, ok
	}
	data, err := s.k.readFile(s.t, "/etc/passwd")
	if err != nil {
		return "", false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 6 && f[0] == name {
			return f[5], true
		}
	}
	return "", false
}
