package sim

import (
	"regexp"
	"strconv"
	"strings"
)

// This file is the front end of the simulated awk (mawk 1.3.4, Debian's
// default awk): its lexer and a recursive-descent parser of the POSIX awk
// grammar into a tree that awk_run.go walks. Syntax errors are reported
// with mawk's wording ("syntax error at or near X", "missing ) near X").

// awkTok is one token; kind is the token's text for operators and
// keywords, or one of "num", "str", "ere", "name", "funcname", "builtin",
// "nl" and "eof".
type awkTok struct {
	kind string
	s    string
	n    float64
	line int
}

// awkSyntaxError is a compile error, already worded as mawk prints it
// after "awk: ".
type awkSyntaxError struct{ msg string }

var awkKeywords = map[string]bool{"BEGIN": true, "END": true, "function": true, "func": true,
	"if": true, "else": true, "while": true, "for": true, "do": true, "break": true,
	"continue": true, "next": true, "nextfile": true, "exit": true, "return": true,
	"delete": true, "in": true, "getline": true, "print": true, "printf": true}

var awkBuiltins = map[string]bool{"length": true, "substr": true, "index": true, "split": true,
	"sub": true, "gsub": true, "match": true, "sprintf": true, "tolower": true, "toupper": true,
	"int": true, "sqrt": true, "exp": true, "log": true, "sin": true, "cos": true, "atan2": true,
	"rand": true, "srand": true, "close": true, "fflush": true, "system": true}

// awkLexer turns program text into tokens on demand.
type awkLexer struct {
	src  string
	pos  int
	line int
	last string // kind of the previous token, to tell / from a regex
}

func (lx *awkLexer) fail(msg string) {
	panic(&awkSyntaxError{"line " + itoa(lx.line) + ": " + msg})
}

func (lx *awkLexer) next() awkTok {
	t := lx.scan()
	lx.last = t.kind
	return t
}

// divisionAfter reports whether a / after a token of this kind divides.
func awkDivisionAfter(kind string) bool {
	switch kind {
	case "num", "str", "ere", "name", "builtin", ")", "]", "$", "++", "--":
		return true
	}
	return false
}

func (lx *awkLexer) scan() awkTok {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c == ' ' || c == '\t' || c == '\r' {
			lx.pos++
		} else if c == '\\' && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '\n' {
			lx.pos += 2
			lx.line++
		} else if c == '#' {
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
				lx.pos++
			}
		} else {
			break
		}
	}
	tok := awkTok{line: lx.line}
	if lx.pos >= len(lx.src) {
		// mawk counts the end of the text as one more line.
		tok.kind, tok.line = "eof", lx.line+1
		return tok
	}
	s := lx.src[lx.pos:]
	c := s[0]
	switch {
	case c == '\n':
		lx.pos++
		lx.line++
		tok.kind = "nl"
		return tok
	case c >= '0' && c <= '9' || c == '.' && len(s) > 1 && s[1] >= '0' && s[1] <= '9':
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
			j := i + 1
			if j < len(s) && (s[j] == '+' || s[j] == '-') {
				j++
			}
			if j < len(s) && s[j] >= '0' && s[j] <= '9' {
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				i = j
			}
		}
		tok.kind, tok.s = "num", s[:i]
		tok.n, _ = strconv.ParseFloat(strings.TrimRight(s[:i], "."), 64)
		if strings.Count(s[:i], ".") > 1 {
			j := strings.Index(s[:i], ".")
			j += 1 + strings.Index(s[j+1:i], ".")
			tok.s = s[:j]
			tok.n, _ = strconv.ParseFloat(s[:j], 64)
			i = j
		}
		lx.pos += i
		return tok
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		i := 0
		for i < len(s) && (s[i] == '_' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		lx.pos += i
		tok.s = s[:i]
		switch {
		case awkKeywords[tok.s]:
			tok.kind = tok.s
			if tok.s == "func" {
				tok.kind = "function"
			}
		case awkBuiltins[tok.s]:
			tok.kind = "builtin"
		case i < len(s) && s[i] == '(':
			tok.kind = "funcname"
		default:
			tok.kind = "name"
		}
		return tok
	case c == '"':
		var b strings.Builder
		i := 1
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\n' {
				lx.fail("runaway string constant \"" + awkClip(s[1:i]) + " ...")
			}
			if s[i] == '\\' && i+1 < len(s) {
				i++
				if s[i] == '\n' {
					lx.line++
					continue
				}
				n, r := awkEscape(s[i:])
				b.WriteString(r)
				i += n - 1
				continue
			}
			b.WriteByte(s[i])
		}
		if i >= len(s) {
			lx.fail("runaway string constant \"" + awkClip(s[1:i]) + " ...")
		}
		lx.pos += i + 1
		tok.kind, tok.s = "str", b.String()
		return tok
	case c == '/' && !awkDivisionAfter(lx.last):
		var b strings.Builder
		i := 1
		inBracket := false
		for ; i < len(s) && (s[i] != '/' || inBracket); i++ {
			if s[i] == '\n' {
				break
			}
			if s[i] == '[' && !inBracket {
				inBracket = true
				b.WriteByte('[')
				if i+1 < len(s) && s[i+1] == '^' {
					b.WriteByte('^')
					i++
				}
				if i+1 < len(s) && s[i+1] == ']' {
					b.WriteByte(']')
					i++
				}
				continue
			}
			if s[i] == '[' && inBracket && i+1 < len(s) && s[i+1] == ':' {
				if j := strings.Index(s[i:], ":]"); j > 0 {
					b.WriteString(s[i : i+j+2])
					i += j + 1
					continue
				}
			}
			if s[i] == ']' && inBracket {
				inBracket = false
			}
			if s[i] == '\\' && i+1 < len(s) && s[i+1] == '/' {
				b.WriteByte('/')
				i++
				continue
			}
			if s[i] == '\\' && i+1 < len(s) {
				b.WriteString(s[i : i+2])
				i++
				continue
			}
			b.WriteByte(s[i])
		}
		if i >= len(s) || s[i] != '/' {
			lx.fail("runaway regular expression /" + awkClip(s[1:i]) + " ...")
		}
		lx.pos += i + 1
		tok.kind, tok.s = "ere", b.String()
		return tok
	}
	for _, op := range []string{"&&", "||", "==", "<=", ">=", "!=", "++", "--", "+=", "-=", "*=", "/=", "%=", "^=", ">>", "!~"} {
		if strings.HasPrefix(s, op) {
			lx.pos += 2
			tok.kind = op
			return tok
		}
	}
	if strings.ContainsRune("{}()[];,+-*/%^!<>|?:~$=", rune(c)) {
		lx.pos++
		tok.kind = string(c)
		return tok
	}
	lx.pos++
	tok.kind = string(c)
	return tok
}

// awkClip shortens a runaway constant as mawk quotes it.
func awkClip(s string) string {
	if len(s) > 10 {
		return s[:10]
	}
	return s
}

// awkEscape decodes the escape after a backslash in a string constant: it
// returns the bytes consumed and the text they stand for.
func awkEscape(s string) (int, string) {
	switch s[0] {
	case 'n':
		return 1, "\n"
	case 't':
		return 1, "\t"
	case 'r':
		return 1, "\r"
	case '\\':
		return 1, "\\"
	case '"':
		return 1, "\""
	case '/':
		return 1, "/"
	case 'a':
		return 1, "\a"
	case 'b':
		return 1, "\b"
	case 'f':
		return 1, "\f"
	case 'v':
		return 1, "\v"
	}
	if s[0] >= '0' && s[0] <= '7' {
		n, v := 0, 0
		for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			v = v*8 + int(s[n]-'0')
			n++
		}
		return n, string([]byte{byte(v)})
	}
	return 1, "\\" + s[:1]
}

// Expression kinds.
const (
	aeNum = iota
	aeStr
	aeRegex // a bare /re/: $0 ~ /re/
	aeVar
	aeIndex
	aeField
	aeAssign
	aeCond
	aeAnd
	aeOr
	aeNot
	aeNeg
	aePlus
	aeBinary
	aeConcat
	aeCmp
	aeMatch
	aeIn
	aeIncDec
	aeCall
	aeBuiltin
	aeGetline
	aeGroup
)

// awkExpr is one node of an expression tree.
type awkExpr struct {
	kind  int
	op    string // operator, builtin name, getline form
	s     string
	n     float64
	re    *regexp.Regexp
	a, b  *awkExpr
	c     *awkExpr
	args  []*awkExpr
	slot  int  // variable slot, or function index for aeCall
	local bool // slot is a function parameter
	post  bool // x++ rather than ++x
}

// Statement kinds.
const (
	asExpr = iota
	asPrint
	asPrintf
	asIf
	asWhile
	asDo
	asFor
	asForIn
	asBreak
	asContinue
	asNext
	asNextFile
	asExit
	asReturn
	asDelete
	asBlock
)

// awkStmt is one statement.
type awkStmt struct {
	kind       int
	e          *awkExpr
	args       []*awkExpr
	redir      string // ">", ">>", "|" or ""
	dest       *awkExpr
	body, els  []*awkStmt
	init, post *awkStmt
	v          *awkExpr // for-in variable; delete's array
}

// awkItem is a pattern-action pair; begin/end mark BEGIN and END.
type awkItem struct {
	begin, end bool
	pat, pat2  *awkExpr // pat2 ends a range
	body       []*awkStmt
	noAction   bool // a pattern alone prints $0
	inRange    bool
}

type awkFunc struct {
	name    string
	params  []string
	body    []*awkStmt
	defined bool
}

// awkProg is a parsed program.
type awkProg struct {
	items   []*awkItem
	funcs   []*awkFunc
	funcIdx map[string]int
	globals map[string]int
	names   []string
}

// awkParser holds the parse state.
type awkParser struct {
	lx      *awkLexer
	tok     awkTok
	peeked  *awkTok
	prog    *awkProg
	params  map[string]int // the current function's parameters
	inFunc  bool
	loops   int
	noIn    bool // parsing a for(;;) init: "in" belongs to for-in
	printGT bool // inside print's list: > is a redirection
	parens  int  // open parentheses, for "missing )"
	// argStart is set at the start of a call's argument, where a bare
	// name may be an array.
	argStart bool
	inBegin  bool // in BEGIN or END, where next is misused
	// uses records whether each global is a scalar ('s') or an array
	// ('a'): mawk rejects a program that uses a name as both.
	uses map[string]byte
}

func (ps *awkParser) advance() {
	if ps.peeked != nil {
		ps.tok = *ps.peeked
		ps.peeked = nil
		return
	}
	ps.tok = ps.lx.next()
}

func (ps *awkParser) peek() awkTok {
	if ps.peeked == nil {
		t := ps.lx.next()
		ps.peeked = &t
	}
	return *ps.peeked
}

// near names a token as mawk's error messages do.
func (t awkTok) near() string {
	switch t.kind {
	case "eof":
		return "end of file"
	case "nl":
		return "end of line"
	case "str":
		return "\"" + t.s + "\""
	case "ere":
		return "/" + t.s + "/"
	case "num", "name", "funcname", "builtin":
		return t.s
	}
	if awkKeywords[t.kind] {
		return t.s
	}
	return t.kind
}

func (ps *awkParser) syntaxError() {
	if ps.parens > 0 && (ps.tok.kind == "}" || ps.tok.kind == "eof" || ps.tok.kind == "nl") {
		panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": missing ) near " + ps.tok.near()})
	}
	panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": syntax error at or near " + ps.tok.near()})
}

func (ps *awkParser) expect(kind string) {
	switch kind {
	case "(":
		ps.parens++
	case ")":
		ps.parens--
	}
	if ps.tok.kind != kind {
		if kind == ")" || kind == "}" || kind == "]" {
			panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": missing " + kind + " near " + ps.tok.near()})
		}
		ps.syntaxError()
	}
	ps.advance()
}

func (ps *awkParser) optNL() {
	for ps.tok.kind == "nl" {
		ps.advance()
	}
}

// parseAwk parses a whole program.
func parseAwk(src string) (prog *awkProg, err *awkSyntaxError) {
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*awkSyntaxError)
			if !ok {
				panic(r)
			}
			err = se
		}
	}()
	ps := &awkParser{lx: &awkLexer{src: src, line: 1},
		prog: &awkProg{funcIdx: map[string]int{}, globals: map[string]int{}}}
	ps.uses = map[string]byte{"ENVIRON": 'a', "ARGV": 'a'}
	for _, n := range awkSpecialVars {
		ps.global(n)
		if ps.uses[n] == 0 {
			ps.uses[n] = 's'
		}
	}
	ps.advance()
	for {
		for ps.tok.kind == "nl" || ps.tok.kind == ";" {
			ps.advance()
		}
		if ps.tok.kind == "eof" {
			break
		}
		ps.item()
	}
	for _, f := range ps.prog.funcs {
		if !f.defined {
			return nil, &awkSyntaxError{"line " + itoa(ps.tok.line) + ": function " + f.name + " never defined"}
		}
	}
	return ps.prog, nil
}

// use records a use of a global name as a scalar or an array.
func (ps *awkParser) use(e *awkExpr, kind byte) {
	if e.local {
		return
	}
	switch ps.uses[e.s] {
	case 0:
		ps.uses[e.s] = kind
	case 'a':
		if kind == 's' {
			panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": illegal reference to array " + e.s})
		}
	case 's':
		if kind == 'a' {
			panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": illegal reference to variable " + e.s})
		}
	}
}

func (ps *awkParser) global(name string) int {
	if i, ok := ps.prog.globals[name]; ok {
		return i
	}
	ps.prog.globals[name] = len(ps.prog.names)
	ps.prog.names = append(ps.prog.names, name)
	return len(ps.prog.names) - 1
}

func (ps *awkParser) funcRef(name string) int {
	if i, ok := ps.prog.funcIdx[name]; ok {
		return i
	}
	ps.prog.funcIdx[name] = len(ps.prog.funcs)
	ps.prog.funcs = append(ps.prog.funcs, &awkFunc{name: name})
	return len(ps.prog.funcs) - 1
}

func (ps *awkParser) item() {
	it := &awkItem{}
	switch ps.tok.kind {
	case "function":
		ps.function()
		return
	case "BEGIN", "END":
		it.begin, it.end = ps.tok.kind == "BEGIN", ps.tok.kind == "END"
		ps.advance()
		if ps.tok.kind != "{" {
			ps.syntaxError()
		}
		ps.inBegin = true
		defer func() { ps.inBegin = false }()
	case "{":
	default:
		it.pat = ps.expr()
		if ps.tok.kind == "," {
			ps.advance()
			ps.optNL()
			it.pat2 = ps.expr()
		}
	}
	if ps.tok.kind == "{" {
		it.body = ps.block()
	} else {
		it.noAction = true
		if ps.tok.kind != "nl" && ps.tok.kind != ";" && ps.tok.kind != "eof" {
			ps.syntaxError()
		}
	}
	ps.prog.items = append(ps.prog.items, it)
}

func (ps *awkParser) function() {
	ps.advance()
	if ps.tok.kind != "name" && ps.tok.kind != "funcname" {
		ps.syntaxError()
	}
	f := ps.prog.funcs[ps.funcRef(ps.tok.s)]
	if f.defined {
		panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": redefinition of " + f.name})
	}
	f.defined = true
	ps.advance()
	ps.expect("(")
	ps.params = map[string]int{}
	for ps.tok.kind == "name" {
		ps.params[ps.tok.s] = len(f.params)
		f.params = append(f.params, ps.tok.s)
		ps.advance()
		if ps.tok.kind == "," {
			ps.advance()
			ps.optNL()
		} else if ps.tok.kind != ")" {
			ps.syntaxError()
		}
	}
	ps.expect(")")
	ps.optNL()
	ps.inFunc = true
	if ps.tok.kind != "{" {
		ps.syntaxError()
	}
	f.body = ps.block()
	ps.inFunc = false
	ps.params = nil
}

func (ps *awkParser) block() []*awkStmt {
	ps.expect("{")
	var body []*awkStmt
	for {
		for ps.tok.kind == "nl" || ps.tok.kind == ";" {
			ps.advance()
		}
		if ps.tok.kind == "}" {
			ps.advance()
			return body
		}
		if ps.tok.kind == "eof" {
			ps.expect("}")
		}
		body = append(body, ps.stmt())
	}
}

// endSimple ends a simple statement: ; newline, or before } / eof.
func (ps *awkParser) endSimple() {
	switch ps.tok.kind {
	case ";", "nl":
		ps.advance()
	case "}", "eof":
	default:
		ps.syntaxError()
	}
}

// body parses the statement a control statement governs.
func (ps *awkParser) body() []*awkStmt {
	ps.optNL()
	if ps.tok.kind == "}" {
		return nil
	}
	if ps.tok.kind == ";" {
		ps.advance()
		return nil
	}
	return []*awkStmt{ps.stmt()}
}

func (ps *awkParser) stmt() *awkStmt {
	st := &awkStmt{}
	switch ps.tok.kind {
	case "{":
		st.kind, st.body = asBlock, ps.block()
	case "if":
		ps.advance()
		ps.expect("(")
		st.kind, st.e = asIf, ps.expr()
		ps.expect(")")
		st.body = ps.body()
		// else may follow after newlines or a semicolon.
		save := *ps.lx
		saveTok, savePeek := ps.tok, ps.peeked
		for ps.tok.kind == "nl" || ps.tok.kind == ";" {
			ps.advance()
		}
		if ps.tok.kind == "else" {
			ps.advance()
			st.els = ps.body()
		} else {
			*ps.lx, ps.tok, ps.peeked = save, saveTok, savePeek
		}
	case "while":
		ps.advance()
		ps.expect("(")
		st.kind, st.e = asWhile, ps.expr()
		ps.expect(")")
		if ps.tok.kind == ";" {
			ps.advance()
			return st
		}
		ps.loops++
		st.body = ps.body()
		ps.loops--
	case "do":
		ps.advance()
		ps.loops++
		st.kind, st.body = asDo, ps.body()
		ps.loops--
		for ps.tok.kind == "nl" || ps.tok.kind == ";" {
			ps.advance()
		}
		ps.expect("while")
		ps.expect("(")
		st.e = ps.expr()
		ps.expect(")")
		ps.endSimple()
	case "for":
		ps.advance()
		ps.expect("(")
		if ps.tok.kind == "name" && ps.peek().kind == "in" {
			v := ps.variable(ps.tok.s)
			ps.advance()
			ps.advance()
			if ps.tok.kind != "name" {
				ps.syntaxError()
			}
			st.kind, st.v, st.e = asForIn, v, ps.variable(ps.tok.s)
			ps.use(v, 's')
			ps.use(st.e, 'a')
			ps.advance()
			ps.expect(")")
		} else {
			st.kind = asFor
			if ps.tok.kind != ";" {
				ps.noIn = true
				st.init = &awkStmt{kind: asExpr, e: ps.expr()}
				ps.noIn = false
			}
			ps.expect(";")
			ps.optNL()
			if ps.tok.kind != ";" {
				st.e = ps.expr()
			}
			ps.expect(";")
			ps.optNL()
			if ps.tok.kind != ")" {
				st.post = &awkStmt{kind: asExpr, e: ps.expr()}
			}
			ps.expect(")")
		}
		if ps.tok.kind == ";" {
			ps.advance()
			return st
		}
		ps.loops++
		st.body = ps.body()
		ps.loops--
	case "break", "continue":
		st.kind = asBreak
		if ps.tok.kind == "continue" {
			st.kind = asContinue
		}
		if ps.loops == 0 {
			panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": " + ps.tok.kind + " statement outside of loop"})
		}
		ps.advance()
		ps.endSimple()
	case "next", "nextfile":
		if ps.inBegin {
			panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": improper use of " + ps.tok.kind})
		}
		st.kind = asNext
		if ps.tok.kind == "nextfile" {
			st.kind = asNextFile
		}
		ps.advance()
		ps.endSimple()
	case "exit", "return":
		st.kind = asExit
		if ps.tok.kind == "return" {
			if !ps.inFunc {
				panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": return outside function body"})
			}
			st.kind = asReturn
		}
		ps.advance()
		if ps.tok.kind != ";" && ps.tok.kind != "nl" && ps.tok.kind != "}" && ps.tok.kind != "eof" {
			st.e = ps.expr()
		}
		ps.endSimple()
	case "delete":
		ps.advance()
		if ps.tok.kind != "name" {
			ps.syntaxError()
		}
		st.kind, st.v = asDelete, ps.variable(ps.tok.s)
		ps.use(st.v, 'a')
		ps.advance()
		if ps.tok.kind == "[" {
			ps.advance()
			st.args = ps.exprList("]")
			ps.expect("]")
		}
		ps.endSimple()
	case "print", "printf":
		st.kind = asPrint
		if ps.tok.kind == "printf" {
			st.kind = asPrintf
		}
		ps.advance()
		ps.printGT = true
		if ps.tok.kind != ";" && ps.tok.kind != "nl" && ps.tok.kind != "}" && ps.tok.kind != ">" &&
			ps.tok.kind != ">>" && ps.tok.kind != "|" && ps.tok.kind != "eof" {
			st.args = ps.exprList("")
		}
		// print (a, b) is a grouped list.
		if len(st.args) == 1 && st.args[0].kind == aeGroup && st.args[0].args != nil {
			st.args = st.args[0].args
		}
		ps.printGT = false
		if st.kind == asPrintf && len(st.args) == 0 {
			ps.syntaxError()
		}
		switch ps.tok.kind {
		case ">", ">>", "|":
			st.redir = ps.tok.kind
			ps.advance()
			st.dest = ps.concat()
		}
		ps.endSimple()
	case ";":
		ps.advance()
		st.kind = asBlock
	default:
		st.kind, st.e = asExpr, ps.expr()
		ps.endSimple()
	}
	return st
}

// exprList parses comma-separated expressions.
func (ps *awkParser) exprList(end string) []*awkExpr {
	var list []*awkExpr
	for {
		ps.argStart = end == ")"
		list = append(list, ps.expr())
		if ps.tok.kind != "," {
			return list
		}
		ps.advance()
		ps.optNL()
	}
}

func (ps *awkParser) variable(name string) *awkExpr {
	if ps.params != nil {
		if i, ok := ps.params[name]; ok {
			return &awkExpr{kind: aeVar, slot: i, local: true, s: name}
		}
	}
	if _, isFunc := ps.prog.funcIdx[name]; isFunc {
		ps.syntaxError()
	}
	return &awkExpr{kind: aeVar, slot: ps.global(name), s: name}
}

func awkIsLvalue(e *awkExpr) bool {
	return e.kind == aeVar || e.kind == aeIndex || e.kind == aeField
}

// expr is the lowest precedence: assignment and ?: (right associative).
func (ps *awkParser) expr() *awkExpr {
	e := ps.ternary()
	switch op := ps.tok.kind; op {
	case "=", "+=", "-=", "*=", "/=", "%=", "^=":
		if !awkIsLvalue(e) {
			ps.syntaxError()
		}
		ps.advance()
		ps.optNL()
		return &awkExpr{kind: aeAssign, op: op, a: e, b: ps.expr()}
	}
	return e
}

func (ps *awkParser) ternary() *awkExpr {
	e := ps.or()
	if ps.tok.kind == "?" {
		ps.advance()
		ps.optNL()
		a := ps.expr()
		ps.optNL()
		ps.expect(":")
		ps.optNL()
		return &awkExpr{kind: aeCond, c: e, a: a, b: ps.expr()}
	}
	return e
}

func (ps *awkParser) or() *awkExpr {
	e := ps.and()
	for ps.tok.kind == "||" {
		ps.advance()
		ps.optNL()
		e = &awkExpr{kind: aeOr, a: e, b: ps.and()}
	}
	return e
}

func (ps *awkParser) and() *awkExpr {
	e := ps.in()
	for ps.tok.kind == "&&" {
		ps.advance()
		ps.optNL()
		e = &awkExpr{kind: aeAnd, a: e, b: ps.in()}
	}
	return e
}

func (ps *awkParser) in() *awkExpr {
	e := ps.match()
	for ps.tok.kind == "in" && !ps.noIn {
		ps.advance()
		if ps.tok.kind != "name" {
			ps.syntaxError()
		}
		subs := []*awkExpr{e}
		if e.kind == aeGroup && e.args != nil {
			subs = e.args
		}
		e = &awkExpr{kind: aeIn, args: subs, a: ps.variable(ps.tok.s)}
		ps.use(e.a, 'a')
		ps.advance()
	}
	return e
}

func (ps *awkParser) match() *awkExpr {
	e := ps.compare()
	for ps.tok.kind == "~" || ps.tok.kind == "!~" {
		op := ps.tok.kind
		ps.advance()
		e = &awkExpr{kind: aeMatch, op: op, a: e, b: ps.compare()}
	}
	return e
}

func (ps *awkParser) compare() *awkExpr {
	e := ps.concat()
	for {
		switch op := ps.tok.kind; op {
		case "<", "<=", "!=", "==", ">=", ">":
			if op == ">" && ps.printGT {
				return e
			}
			ps.advance()
			e = &awkExpr{kind: aeCmp, op: op, a: e, b: ps.concat()}
			continue
		case "|":
			if ps.peek().kind == "getline" {
				ps.advance()
				ps.advance()
				g := &awkExpr{kind: aeGetline, op: "|", b: e}
				g.a = ps.optLvalue()
				e = g
				continue
			}
		}
		return e
	}
}

// startsOperand reports whether a token can begin a concatenated operand.
func awkStartsOperand(kind string) bool {
	switch kind {
	case "num", "str", "ere", "name", "funcname", "builtin", "$", "!", "(", "-", "+", "++", "--":
		return true
	}
	return false
}

func (ps *awkParser) concat() *awkExpr {
	e := ps.additive()
	for awkStartsOperand(ps.tok.kind) && ps.tok.kind != "in" {
		if ps.tok.kind == "getline" {
			break
		}
		e = &awkExpr{kind: aeConcat, a: e, b: ps.additive()}
	}
	return e
}

func (ps *awkParser) additive() *awkExpr {
	e := ps.mul()
	for ps.tok.kind == "+" || ps.tok.kind == "-" {
		op := ps.tok.kind
		ps.advance()
		e = &awkExpr{kind: aeBinary, op: op, a: e, b: ps.mul()}
	}
	return e
}

func (ps *awkParser) mul() *awkExpr {
	e := ps.unary()
	for ps.tok.kind == "*" || ps.tok.kind == "/" || ps.tok.kind == "%" {
		op := ps.tok.kind
		ps.advance()
		e = &awkExpr{kind: aeBinary, op: op, a: e, b: ps.unary()}
	}
	return e
}

func (ps *awkParser) unary() *awkExpr {
	switch ps.tok.kind {
	case "!":
		ps.advance()
		return &awkExpr{kind: aeNot, a: ps.unary()}
	case "-":
		ps.advance()
		return &awkExpr{kind: aeNeg, a: ps.unary()}
	case "+":
		ps.advance()
		return &awkExpr{kind: aePlus, a: ps.unary()}
	}
	return ps.power()
}

func (ps *awkParser) power() *awkExpr {
	e := ps.incdec()
	if ps.tok.kind == "^" {
		ps.advance()
		// The exponent may carry a sign: 2^-1.
		var b *awkExpr
		if ps.tok.kind == "-" || ps.tok.kind == "+" || ps.tok.kind == "!" {
			b = ps.unary()
		} else {
			b = ps.power()
		}
		return &awkExpr{kind: aeBinary, op: "^", a: e, b: b}
	}
	return e
}

func (ps *awkParser) incdec() *awkExpr {
	if ps.tok.kind == "++" || ps.tok.kind == "--" {
		op := ps.tok.kind
		ps.advance()
		e := ps.incdec()
		if !awkIsLvalue(e) {
			ps.syntaxError()
		}
		return &awkExpr{kind: aeIncDec, op: op, a: e}
	}
	e := ps.primary()
	if (ps.tok.kind == "++" || ps.tok.kind == "--") && awkIsLvalue(e) {
		op := ps.tok.kind
		ps.advance()
		return &awkExpr{kind: aeIncDec, op: op, a: e, post: true}
	}
	return e
}

// optLvalue parses getline's optional target variable.
func (ps *awkParser) optLvalue() *awkExpr {
	switch ps.tok.kind {
	case "name", "$":
		return ps.primary()
	}
	return nil
}

func (ps *awkParser) primary() *awkExpr {
	t := ps.tok
	bare := ps.argStart
	ps.argStart = false
	switch t.kind {
	case "num":
		ps.advance()
		return &awkExpr{kind: aeNum, n: t.n}
	case "str":
		ps.advance()
		return &awkExpr{kind: aeStr, s: t.s}
	case "ere":
		ps.advance()
		return &awkExpr{kind: aeRegex, s: t.s, re: ps.regex(t.s)}
	case "$":
		ps.advance()
		return &awkExpr{kind: aeField, a: ps.incdec()}
	case "(":
		ps.advance()
		ps.parens++
		save := ps.printGT
		ps.printGT = false
		e := ps.expr()
		if ps.tok.kind == "," {
			ps.advance()
			ps.optNL()
			list := append([]*awkExpr{e}, ps.exprList(")")...)
			ps.expect(")")
			ps.printGT = save
			if ps.tok.kind != "in" && !save {
				ps.syntaxError()
			}
			return &awkExpr{kind: aeGroup, args: list}
		}
		ps.expect(")")
		ps.printGT = save
		return &awkExpr{kind: aeGroup, a: e}
	case "getline":
		ps.advance()
		g := &awkExpr{kind: aeGetline, op: ""}
		g.a = ps.optLvalue()
		if ps.tok.kind == "<" {
			ps.advance()
			g.op = "<"
			g.b = ps.incdec()
		}
		return g
	case "name":
		ps.advance()
		v := ps.variable(t.s)
		if ps.tok.kind == "[" {
			ps.use(v, 'a')
			ps.advance()
			args := ps.exprList("]")
			ps.expect("]")
			return &awkExpr{kind: aeIndex, a: v, args: args}
		}
		if !bare || ps.tok.kind != "," && ps.tok.kind != ")" {
			ps.use(v, 's')
		}
		return v
	case "funcname":
		ps.advance()
		if ps.params != nil {
			if _, ok := ps.params[t.s]; ok {
				ps.syntaxError()
			}
		}
		if _, ok := ps.prog.globals[t.s]; ok {
			ps.syntaxError()
		}
		e := &awkExpr{kind: aeCall, s: t.s, slot: ps.funcRef(t.s)}
		ps.expect("(")
		if ps.tok.kind != ")" {
			e.args = ps.exprList(")")
		}
		ps.expect(")")
		return e
	case "builtin":
		ps.advance()
		e := &awkExpr{kind: aeBuiltin, op: t.s}
		if ps.tok.kind != "(" {
			if t.s == "length" {
				return e
			}
			ps.syntaxError()
		}
		ps.advance()
		ps.parens++
		save := ps.printGT
		ps.printGT = false
		if ps.tok.kind != ")" {
			e.args = ps.exprList(")")
		}
		ps.expect(")")
		ps.printGT = save
		ps.checkBuiltin(e, t)
		return e
	}
	ps.syntaxError()
	return nil
}

// awkArity is each builtin's least and most arguments.
var awkArity = map[string][2]int{"length": {0, 1}, "substr": {2, 3}, "index": {2, 2}, "split": {2, 3},
	"sub": {2, 3}, "gsub": {2, 3}, "match": {2, 2}, "sprintf": {1, 255}, "tolower": {1, 1}, "toupper": {1, 1},
	"int": {1, 1}, "sqrt": {1, 1}, "exp": {1, 1}, "log": {1, 1}, "sin": {1, 1}, "cos": {1, 1}, "atan2": {2, 2},
	"rand": {0, 0}, "srand": {0, 1}, "close": {1, 1}, "fflush": {0, 1}, "system": {1, 1}}

func (ps *awkParser) checkBuiltin(e *awkExpr, t awkTok) {
	ar := awkArity[e.op]
	if len(e.args) < ar[0] || len(e.args) > ar[1] {
		panic(&awkSyntaxError{"line " + itoa(t.line) + ": wrong number of arguments in call to " + e.op})
	}
	switch e.op {
	case "split":
		if e.args[1].kind != aeVar {
			ps.syntaxError()
		}
		ps.use(e.args[1], 'a')
	case "sub", "gsub":
		if len(e.args) == 3 && !awkIsLvalue(e.args[2]) {
			ps.syntaxError()
		}
	}
}

// regex compiles a regular expression constant, failing as mawk does.
func (ps *awkParser) regex(s string) *regexp.Regexp {
	re, err := awkCompile(s)
	if err != nil {
		panic(&awkSyntaxError{"line " + itoa(ps.tok.line) + ": regular expression compile failed (" + err.Error() + ")\n" + s})
	}
	return re
}

// awkCompile compiles a POSIX extended regular expression with Go's
// engine, leftmost-longest: braces are literal (mawk 1.3.4 20200120 has no
// interval expressions) and . matches a newline too.
func awkCompile(s string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("(?s)")
	inBracket := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inBracket:
			if c == '[' && i+1 < len(s) && (s[i+1] == ':' || s[i+1] == '.' || s[i+1] == '=') {
				if j := strings.Index(s[i+2:], string(s[i+1])+"]"); j >= 0 {
					b.WriteString(s[i : i+2+j+2])
					i += 2 + j + 1
					continue
				}
			}
			if c == ']' {
				inBracket = false
			}
			if c == '\\' && i+1 < len(s) {
				n, r := awkEscape(s[i+1:])
				if len(r) != 1 {
					r = s[i+1 : i+2]
				}
				b.WriteString(regexp.QuoteMeta(r))
				i += n
				continue
			}
			if c == '[' {
				b.WriteString(`\[`)
				continue
			}
			b.WriteByte(c)
		case c == '[':
			inBracket = true
			b.WriteByte('[')
			if i+1 < len(s) && s[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(s) && s[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == '{' || c == '}':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\\' && i+1 < len(s):
			n, r := awkEscape(s[i+1:])
			if len(r) == 1 {
				b.WriteString(regexp.QuoteMeta(r))
			} else {
				b.WriteString(regexp.QuoteMeta(s[i+1 : i+2]))
			}
			i += n
		default:
			b.WriteByte(c)
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, err
	}
	re.Longest()
	return re, nil
}
