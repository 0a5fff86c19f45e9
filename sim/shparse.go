package sim

import (
	"strings"
)

// This file parses the POSIX shell language (the part a namespace lesson
// uses): lists, and-or lists, pipelines, simple commands with assignments
// and redirections, subshells, brace groups, if, while, until, for, case
// and function definitions.

// node is a parsed command.
type node interface{}

type (
	// listNode is a sequence of and-or lists; background marks those
	// ended by "&".
	listNode struct {
		items []andOr
	}
	andOr struct {
		first      *pipelineNode
		rest       []andOrPart
		background bool
		text       string // the source, for jobs
	}
	andOrPart struct {
		op   string // "&&" or "||"
		pipe *pipelineNode
	}
	pipelineNode struct {
		negate bool
		cmds   []node
	}
	simpleCmd struct {
		assigns []assignment
		words   []word
		redirs  []*redirect
		line    int
	}
	assignment struct {
		name  string
		value word
		// bash: NAME[index]=, NAME+=, NAME=(elements).
		index    string
		appendOp bool
		isArray  bool
		elems    []word
	}
	redirect struct {
		fd     int    // -1: the operator's default
		op     string // ">", ">>", "<", ">&", "<&", "&>", "<<"
		target word
		body   string // here-document
		// stripTabs is <<-: leading tabs are removed from the lines.
		stripTabs bool
	}
	subshellNode struct {
		body   *listNode
		redirs []*redirect
	}
	groupNode struct {
		body   *listNode
		redirs []*redirect
	}
	ifNode struct {
		conds, bodies []*listNode
		elseBody      *listNode
		redirs        []*redirect
	}
	loopNode struct {
		until      bool
		cond, body *listNode
		redirs     []*redirect
	}
	forNode struct {
		name   string
		items  []word
		hasIn  bool
		body   *listNode
		redirs []*redirect
	}
	caseNode struct {
		subject word
		arms    []caseArm
		redirs  []*redirect
	}
	caseArm struct {
		patterns []word
		body     *listNode
		// next is bash's ";&" (run the next body) or ";;&" (test the
		// next patterns); "" for ";;".
		next string
	}
	funcNode struct {
		name string
		body node
	}
)

// word is a shell word: parts that expand separately.
type word []wordPart

// wordPart is one piece of a word.
type wordPart struct {
	kind   partKind
	text   string    // literal text, or the parameter name
	quoted bool      // inside double quotes (or single: kind literal)
	sub    *listNode // command substitution
	// For ${name:-word} and friends.
	op  string
	arg word
	// bash: the subscript of ${name[index]}, and the second word of
	// ${name/pattern/string} and ${name:offset:length}.
	index string
	arg2  word
	elems []word // an array literal (declare a=(…)): partArray
}

type partKind int

const (
	partLit partKind = iota
	partParam
	partCmdSub
	partArith
	partArray
)

// syntaxError is a parse failure, worded like dash's.
type syntaxError struct {
	line int
	msg  string
	// token is the unexpected token, for bash's wording ("newline" for
	// the end of a line, "" for the end of the input); bashMsg replaces
	// bash's whole message where it says something else.
	token, bashMsg string
}

func (e *syntaxError) Error() string { return e.msg }

// parser is a recursive-descent parser over the source text.
type parser struct {
	src  string
	pos  int
	line int
	// heredocs waiting for their bodies after the next newline.
	pending []*redirect
	// hereOpen: a here-document's body ran to the end of the source
	// without its delimiter line.
	hereOpen bool
	// bash parses bash's grammar ([[ ]], (( )), arrays, <<<, ${v:1:2});
	// dash's otherwise.
	bash bool
	// alias returns the text of an alias to expand in command position
	// (nil: none).
	alias func(name string) (string, bool)
	// lineMode makes the outermost list stop after a newline, so that a
	// script runs one line at a time as dash and bash read it: an alias
	// defined on one line applies on the next, and a syntax error stops
	// the shell only when its line is reached.
	lineMode bool
	depth    int
	aliasing int // alias expansions in the current command
}

// parseScript parses a whole script.
func parseScript(src string) (*listNode, error) {
	return (&parser{src: src, line: 1}).script()
}

// subParser parses text inside this parser's source (a command
// substitution, an expansion's word) with the same grammar.
func (p *parser) subParser(src string) *parser {
	return &parser{src: src, line: 1, bash: p.bash, alias: p.alias}
}

// script parses the whole source.
func (p *parser) script() (*listNode, error) {
	l, err := p.list(nil)
	if err != nil {
		return nil, err
	}
	p.skipBlanks()
	if p.pos < len(p.src) {
		return nil, p.unexpected()
	}
	return l, nil
}

func (p *parser) errf(msg string) error {
	e := &syntaxError{line: p.line, msg: msg}
	if tok, ok := strings.CutPrefix(msg, "Syntax error: \""); ok {
		e.token, _, _ = strings.Cut(tok, "\" unexpected")
	}
	if strings.HasPrefix(msg, "Syntax error: newline unexpected") {
		e.token = "newline"
	}
	return e
}

func (p *parser) unexpected() error {
	tok := p.peekOp()
	if tok == "" {
		w := p.peekWord()
		if w == "" {
			return p.errf("Syntax error: end of file unexpected")
		}
		return p.errf("Syntax error: \"" + w + "\" unexpected")
	}
	if tok == "\n" {
		return p.errf("Syntax error: newline unexpected")
	}
	return p.errf("Syntax error: \"" + tok + "\" unexpected")
}

func (p *parser) skipBlanks() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t':
			p.pos++
		case c == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n':
			p.pos += 2
			p.line++
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

// ops are the operators, longest first.
var ops = []string{"&&", "||", ";;", ">>", "<<", ">&", "<&", "&>", ">|", "<>", "|", "&", ";", "(", ")", "<", ">", "\n"}

func (p *parser) peekOp() string {
	p.skipBlanks()
	for _, op := range ops {
		if strings.HasPrefix(p.src[p.pos:], op) {
			return op
		}
	}
	return ""
}

// peekWord returns the next word's raw text if it is a plain word.
func (p *parser) peekWord() string {
	p.skipBlanks()
	end := p.pos
	for end < len(p.src) && !strings.ContainsRune(" \t\n;&|()<>", rune(p.src[end])) {
		end++
	}
	return p.src[p.pos:end]
}

func (p *parser) eatOp(op string) bool {
	if p.peekOp() == op {
		p.pos += len(op)
		if op == "\n" {
			p.newline()
		}
		return true
	}
	return false
}

// newline reads pending here-document bodies after a newline.
func (p *parser) newline() {
	p.line++
	for _, r := range p.pending {
		delim := wordText(r.target)
		var body strings.Builder
		found := false
		for p.pos < len(p.src) {
			end := strings.IndexByte(p.src[p.pos:], '\n')
			var line string
			if end < 0 {
				line = p.src[p.pos:]
				p.pos = len(p.src)
			} else {
				line = p.src[p.pos : p.pos+end]
				p.pos += end + 1
			}
			p.line++
			if r.stripTabs {
				line = strings.TrimLeft(line, "\t")
			}
			if line == delim {
				found = true
				break
			}
			body.WriteString(line + "\n")
		}
		p.hereOpen = p.hereOpen || !found
		r.body = body.String()
	}
	p.pending = nil
}

func (p *parser) skipNewlines() {
	for p.eatOp("\n") {
	}
}

// reserved reports whether the next word is the reserved word w.
func (p *parser) reserved(w string) bool {
	return p.peekOp() == "" && p.peekWord() == w
}

func (p *parser) eatReserved(w string) bool {
	if p.reserved(w) {
		p.pos += len(w)
		return true
	}
	return false
}

// list parses and-or lists until one of the stop words.
func (p *parser) list(stops []string) (*listNode, error) {
	p.depth++
	defer func() { p.depth-- }()
	top := p.lineMode && p.depth == 1
	l := &listNode{}
	for {
		p.skipNewlines()
		p.skipBlanks()
		if p.pos >= len(p.src) {
			return l, nil
		}
		op := p.peekOp()
		if op == ")" || op == ";;" {
			return l, nil
		}
		if op == "" {
			w := p.peekWord()
			for _, s := range stops {
				if w == s {
					return l, nil
				}
			}
		}
		start := p.pos
		ao, err := p.andOr()
		if err != nil {
			return nil, err
		}
		ao.text = strings.TrimSpace(p.src[start:p.pos])
		if p.bash && strings.HasPrefix(p.src[p.pos:], ";&") {
			// bash's case fall-through ends the arm's list.
			l.items = append(l.items, *ao)
			return l, nil
		}
		nl := false
		switch {
		case p.eatOp("&"):
			ao.background = true
		case p.eatOp(";"):
		case p.eatOp("\n"):
			nl = true
		}
		l.items = append(l.items, *ao)
		if top && (nl || p.eatOp("\n") || p.pos >= len(p.src)) {
			return l, nil
		}
	}
}

func (p *parser) andOr() (*andOr, error) {
	first, err := p.pipeline()
	if err != nil {
		return nil, err
	}
	ao := &andOr{first: first}
	for {
		op := p.peekOp()
		if op != "&&" && op != "||" {
			return ao, nil
		}
		p.pos += 2
		p.skipNewlines()
		next, err := p.pipeline()
		if err != nil {
			return nil, err
		}
		ao.rest = append(ao.rest, andOrPart{op: op, pipe: next})
	}
}

func (p *parser) pipeline() (*pipelineNode, error) {
	pl := &pipelineNode{}
	if p.eatReserved("!") {
		pl.negate = true
	}
	for {
		c, err := p.command()
		if err != nil {
			return nil, err
		}
		pl.cmds = append(pl.cmds, c)
		if p.peekOp() == "|" {
			p.pos++
			p.skipNewlines()
			continue
		}
		return pl, nil
	}
}

func (p *parser) command() (node, error) {
	p.skipBlanks()
	if p.pos >= len(p.src) {
		return nil, p.errf("Syntax error: end of file unexpected")
	}
	p.expandAlias()
	switch op := p.peekOp(); op {
	case "(":
		if p.bash && strings.HasPrefix(p.src[p.pos:], "((") {
			if n, ok, err := p.arithCmd(); ok || err != nil {
				return n, err
			}
		}
		p.pos++
		body, err := p.list(nil)
		if err != nil {
			return nil, err
		}
		if !p.eatOp(")") {
			return nil, p.unexpectedOr("\")\" expected")
		}
		r, err := p.redirects()
		return &subshellNode{body: body, redirs: r}, err
	case "", "<", ">", ">>", "<<", ">&", "<&", "&>", ">|":
	default:
		return nil, p.unexpected()
	}
	switch p.peekWord() {
	case "{":
		p.pos++
		body, err := p.list([]string{"}"})
		if err != nil {
			return nil, err
		}
		if !p.eatReserved("}") {
			return nil, p.unexpectedOr("\"}\" expected")
		}
		r, err := p.redirects()
		return &groupNode{body: body, redirs: r}, err
	case "if":
		return p.ifCmd()
	case "[[":
		if p.bash {
			return p.condCmd()
		}
	case "while", "until":
		until := p.peekWord() == "until"
		p.pos += len(p.peekWord())
		cond, err := p.list([]string{"do"})
		if err != nil {
			return nil, err
		}
		if !p.eatReserved("do") {
			return nil, p.unexpected()
		}
		body, err := p.list([]string{"done"})
		if err != nil {
			return nil, err
		}
		if !p.eatReserved("done") {
			return nil, p.unexpected()
		}
		r, err := p.redirects()
		return &loopNode{until: until, cond: cond, body: body, redirs: r}, err
	case "for":
		return p.forCmd()
	case "case":
		return p.caseCmd()
	case "then", "else", "elif", "fi", "do", "done", "esac", "}":
		return nil, p.errf("Syntax error: \"" + p.peekWord() + "\" unexpected")
	}
	return p.simple()
}

func (p *parser) unexpectedOr(msg string) error {
	if p.pos >= len(p.src) {
		return p.errf("Syntax error: end of file unexpected (expecting " + strings.TrimSuffix(msg, " expected") + ")")
	}
	return p.unexpected()
}

func (p *parser) ifCmd() (node, error) {
	p.pos += 2
	n := &ifNode{}
	for {
		cond, err := p.list([]string{"then"})
		if err != nil {
			return nil, err
		}
		if len(cond.items) == 0 {
			return nil, p.unexpected()
		}
		if !p.eatReserved("then") {
			if p.pos >= len(p.src) {
				return nil, p.errf("Syntax error: end of file unexpected (expecting \"then\")")
			}
			return nil, p.unexpected()
		}
		body, err := p.list([]string{"elif", "else", "fi"})
		if err != nil {
			return nil, err
		}
		n.conds = append(n.conds, cond)
		n.bodies = append(n.bodies, body)
		if p.eatReserved("elif") {
			continue
		}
		if p.eatReserved("else") {
			n.elseBody, err = p.list([]string{"fi"})
			if err != nil {
				return nil, err
			}
		}
		if !p.eatReserved("fi") {
			if p.pos >= len(p.src) {
				return nil, p.errf("Syntax error: end of file unexpected (expecting \"fi\")")
			}
			return nil, p.unexpected()
		}
		var err2 error
		n.redirs, err2 = p.redirects()
		return n, err2
	}
}

func (p *parser) forCmd() (node, error) {
	p.pos += 3
	p.skipBlanks()
	if p.bash && strings.HasPrefix(p.src[p.pos:], "((") {
		return p.arithFor()
	}
	name := p.peekWord()
	if !validName(name) {
		return nil, p.errf("Syntax error: Bad for loop variable")
	}
	p.pos += len(name)
	n := &forNode{name: name}
	p.skipNewlines()
	if p.eatReserved("in") {
		n.hasIn = true
		for {
			op := p.peekOp()
			if op == ";" || op == "\n" {
				p.eatOp(op)
				break
			}
			if op != "" {
				return nil, p.unexpected()
			}
			if p.pos >= len(p.src) {
				return nil, p.errf("Syntax error: end of file unexpected (expecting \"do\")")
			}
			start := p.pos
			w, err := p.word()
			if err != nil {
				return nil, err
			}
			if p.pos == start {
				return nil, p.unexpected()
			}
			n.items = append(n.items, w)
		}
	} else {
		p.eatOp(";")
	}
	p.skipNewlines()
	if !p.eatReserved("do") {
		return nil, p.unexpected()
	}
	body, err := p.list([]string{"done"})
	if err != nil {
		return nil, err
	}
	if !p.eatReserved("done") {
		return nil, p.unexpectedOr("\"done\" expected")
	}
	n.body = body
	n.redirs, err = p.redirects()
	return n, err
}

func (p *parser) caseCmd() (node, error) {
	p.pos += 4
	p.skipBlanks()
	subj, err := p.word()
	if err != nil {
		return nil, err
	}
	p.skipNewlines()
	if !p.eatReserved("in") {
		return nil, p.unexpected()
	}
	n := &caseNode{subject: subj}
	for {
		p.skipNewlines()
		if p.eatReserved("esac") {
			break
		}
		p.eatOp("(")
		var arm caseArm
		for {
			w, err := p.word()
			if err != nil {
				return nil, err
			}
			arm.patterns = append(arm.patterns, w)
			if p.eatOp("|") {
				continue
			}
			if !p.eatOp(")") {
				return nil, p.unexpected()
			}
			break
		}
		arm.body, err = p.list([]string{"esac"})
		if err != nil {
			return nil, err
		}
		if p.bash && strings.HasPrefix(p.src[p.pos:], ";&") {
			p.pos += 2
			arm.next = ";&"
			n.arms = append(n.arms, arm)
			continue
		}
		if p.bash && strings.HasPrefix(p.src[p.pos:], ";;&") {
			p.pos += 3
			arm.next = ";;&"
			n.arms = append(n.arms, arm)
			continue
		}
		n.arms = append(n.arms, arm)
		if !p.eatOp(";;") {
			p.skipNewlines()
			if !p.eatReserved("esac") {
				return nil, p.unexpected()
			}
			break
		}
	}
	n.redirs, err = p.redirects()
	return n, err
}

// redirects parses redirections after a compound command.
func (p *parser) redirects() ([]*redirect, error) {
	var out []*redirect
	for {
		r, ok, err := p.redirect()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		out = append(out, r)
	}
}

// redirect parses one redirection if one comes next.
func (p *parser) redirect() (*redirect, bool, error) {
	p.skipBlanks()
	start := p.pos
	fd := -1
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	if p.pos > start {
		op := p.peekOpNoSkip()
		if op != ">" && op != ">>" && op != "<" && op != ">&" && op != "<&" && op != ">|" && op != "<<" {
			p.pos = start
			return nil, false, nil
		}
		fd = atoiDefault(p.src[start:p.pos], 0)
	}
	op := p.peekOpNoSkip()
	switch op {
	case ">", ">>", "<", ">&", "<&", "&>", ">|", "<<":
	default:
		p.pos = start
		return nil, false, nil
	}
	p.pos += len(op)
	if op == ">|" {
		op = ">"
	}
	if op == "<<" && p.bash && p.pos < len(p.src) && p.src[p.pos] == '<' {
		op = "<<<"
		p.pos++
	}
	strip := false
	if op == "<<" && p.pos < len(p.src) && p.src[p.pos] == '-' {
		p.pos++
		strip = true
	}
	p.skipBlanks()
	if op := p.peekOp(); op == "<" || op == ">" || op == ">>" || op == "<<" || op == ">&" || op == "<&" || op == ">|" {
		return nil, false, &syntaxError{line: p.line, msg: "Syntax error: redirection unexpected", token: op}
	}
	if p.peekOp() != "" || p.pos >= len(p.src) {
		return nil, false, p.unexpected()
	}
	w, err := p.word()
	if err != nil {
		return nil, false, err
	}
	r := &redirect{fd: fd, op: op, target: w, stripTabs: strip}
	if op == "<<<" {
		r.op = "<<<"
		return r, true, nil
	}
	if op == "<<" {
		p.pending = append(p.pending, r)
	}
	return r, true, nil
}

func (p *parser) peekOpNoSkip() string {
	for _, op := range ops {
		if strings.HasPrefix(p.src[p.pos:], op) {
			return op
		}
	}
	return ""
}

func atoiDefault(s string, d int) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return d
		}
		n = n*10 + int(c-'0')
		if n > 1<<20 {
			return d
		}
	}
	return n
}

func (p *parser) simple() (node, error) {
	c := &simpleCmd{line: p.line}
	for {
		p.skipBlanks()
		if p.pos >= len(p.src) {
			break
		}
		r, ok, err := p.redirect()
		if err != nil {
			return nil, err
		}
		if ok {
			c.redirs = append(c.redirs, r)
			continue
		}
		if op := p.peekOp(); op == "(" && (len(c.words) > 0 || len(c.assigns) > 0) {
			return nil, p.unexpected()
		} else if op != "" {
			break
		}
		// A function definition: NAME ( ) body.
		if len(c.words) == 0 && len(c.assigns) == 0 {
			save := p.pos
			name := p.peekWord()
			if validName(name) {
				p.pos += len(name)
				p.skipBlanks()
				if strings.HasPrefix(p.src[p.pos:], "()") || p.peekOp() == "(" && strings.HasPrefix(strings.TrimLeft(p.src[p.pos+1:], " \t"), ")") {
					p.pos = strings.IndexByte(p.src[p.pos:], ')') + p.pos + 1
					p.skipNewlines()
					body, err := p.command()
					if err != nil {
						return nil, err
					}
					return &funcNode{name: name, body: body}, nil
				}
			}
			p.pos = save
		}
		w, err := p.word()
		if err != nil {
			return nil, err
		}
		if len(c.words) == 0 {
			if a, ok := asAssignment(w, p.bash); ok {
				if p.bash && len(a.value) == 0 && p.pos < len(p.src) && p.src[p.pos] == '(' {
					if a.elems, err = p.arrayElems(); err != nil {
						return nil, err
					}
					a.isArray = true
				}
				c.assigns = append(c.assigns, a)
				continue
			}
		}
		if p.bash && len(c.words) > 0 && p.pos < len(p.src) && p.src[p.pos] == '(' && declBuiltins[wordText(c.words[0])] {
			// declare a=(x y): the builtin gets the elements.
			if _, ok := asAssignment(w, true); ok {
				elems, err := p.arrayElems()
				if err != nil {
					return nil, err
				}
				w = append(w, wordPart{kind: partArray, elems: elems})
			}
		}
		c.words = append(c.words, w)
	}
	if len(c.words) == 0 && len(c.assigns) == 0 && len(c.redirs) == 0 {
		return nil, p.unexpected()
	}
	return c, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// asAssignment recognises NAME=value, and with bash NAME[index]=value
// and NAME+=value.
func asAssignment(w word, bash bool) (assignment, bool) {
	if len(w) == 0 || w[0].kind != partLit || w[0].quoted {
		return assignment{}, false
	}
	eq := strings.IndexByte(w[0].text, '=')
	if eq <= 0 {
		return assignment{}, false
	}
	a := assignment{name: w[0].text[:eq]}
	if bash {
		if strings.HasSuffix(a.name, "+") {
			a.name, a.appendOp = a.name[:len(a.name)-1], true
		}
		if open := strings.IndexByte(a.name, '['); open > 0 && strings.HasSuffix(a.name, "]") {
			a.name, a.index = a.name[:open], a.name[open+1:len(a.name)-1]
		}
	}
	if !validName(a.name) {
		return assignment{}, false
	}
	val := word{}
	if rest := w[0].text[eq+1:]; rest != "" {
		val = append(val, wordPart{kind: partLit, text: rest})
	}
	a.value = append(val, w[1:]...)
	return a, true
}

// wordText returns the literal text of a word (for here-document
// delimiters and reserved words).
func wordText(w word) string {
	var b strings.Builder
	for _, p := range w {
		b.WriteString(p.text)
	}
	return b.String()
}

// word parses one word: quotes, escapes, $-expansions and backquotes.
func (p *parser) word() (word, error) {
	var w word
	var lit strings.Builder
	flush := func(quoted bool) {
		if lit.Len() > 0 {
			w = append(w, wordPart{kind: partLit, text: lit.String(), quoted: quoted})
			lit.Reset()
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if strings.IndexByte(" \t\n;&|()<>", c) >= 0 {
			break
		}
		switch c {
		case '\\':
			p.pos++
			if p.pos < len(p.src) {
				if p.src[p.pos] == '\n' {
					p.line++
					p.pos++
					continue
				}
				flush(false)
				w = append(w, wordPart{kind: partLit, text: string(p.src[p.pos]), quoted: true})
				p.pos++
			}
		case '\'':
			flush(false)
			end := strings.IndexByte(p.src[p.pos+1:], '\'')
			if end < 0 {
				return nil, p.errf("Syntax error: Unterminated quoted string")
			}
			text := p.src[p.pos+1 : p.pos+1+end]
			p.line += strings.Count(text, "\n")
			w = append(w, wordPart{kind: partLit, text: text, quoted: true})
			if text == "" {
				w = append(w, wordPart{kind: partLit, text: "", quoted: true})
			}
			p.pos += end + 2
		case '"':
			flush(false)
			p.pos++
			parts, err := p.dquoted()
			if err != nil {
				return nil, err
			}
			if len(parts) == 0 {
				parts = word{{kind: partLit, text: "", quoted: true}}
			}
			w = append(w, parts...)
		case '$', '`':
			flush(false)
			part, err := p.dollar(false)
			if err != nil {
				return nil, err
			}
			w = append(w, part)
		default:
			lit.WriteByte(c)
			p.pos++
		}
	}
	flush(false)
	return w, nil
}

// dquoted parses the inside of double quotes, after the opening quote.
func (p *parser) dquoted() (word, error) {
	var w word
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			w = append(w, wordPart{kind: partLit, text: lit.String(), quoted: true})
			lit.Reset()
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '"':
			p.pos++
			flush()
			return w, nil
		case '\\':
			if p.pos+1 < len(p.src) && strings.IndexByte("$`\"\\\n", p.src[p.pos+1]) >= 0 {
				if p.src[p.pos+1] != '\n' {
					lit.WriteByte(p.src[p.pos+1])
				}
				p.pos += 2
			} else {
				lit.WriteByte(c)
				p.pos++
			}
		case '$', '`':
			flush()
			part, err := p.dollar(true)
			if err != nil {
				return nil, err
			}
			w = append(w, part)
		default:
			if c == '\n' {
				p.line++
			}
			lit.WriteByte(c)
			p.pos++
		}
	}
	return nil, p.errf("Syntax error: Unterminated quoted string")
}

// dollar parses $name, ${...}, $(...), $((...)) or `...`.
func (p *parser) dollar(quoted bool) (wordPart, error) {
	if p.src[p.pos] == '`' {
		end := -1
		for i := p.pos + 1; i < len(p.src); i++ {
			if p.src[i] == '\\' {
				i++
				continue
			}
			if p.src[i] == '`' {
				end = i - p.pos - 1
				break
			}
		}
		if end < 0 {
			return wordPart{}, p.errf("Syntax error: EOF in backquote substitution")
		}
		body := strings.ReplaceAll(p.src[p.pos+1:p.pos+1+end], "\\`", "`")
		p.pos += end + 2
		sp := p.subParser(body)
		if p.bash {
			// dash parses a backquoted command from a string of its own
			// (line 1); bash counts the lines of the script.
			sp.line = p.line
		}
		sub, err := sp.script()
		if err != nil {
			return wordPart{}, err
		}
		return wordPart{kind: partCmdSub, sub: sub, quoted: quoted}, nil
	}
	p.pos++ // $
	if p.pos >= len(p.src) {
		return wordPart{kind: partLit, text: "$", quoted: quoted}, nil
	}
	c := p.src[p.pos]
	switch {
	case strings.HasPrefix(p.src[p.pos:], "(("):
		end := matchParen(p.src, p.pos+1)
		if end < 0 || end+1 >= len(p.src) || p.src[end+1] != ')' {
			return wordPart{}, p.errf("Syntax error: Missing '))'")
		}
		expr := p.src[p.pos+2 : end]
		p.pos = end + 2
		return wordPart{kind: partArith, text: expr, quoted: quoted}, nil
	case c == '(':
		end := matchParen(p.src, p.pos)
		if end < 0 {
			return wordPart{}, p.errf("Syntax error: end of file unexpected (expecting \")\")")
		}
		body := p.src[p.pos+1 : end]
		sp := p.subParser(body)
		sp.line = p.line
		p.line += strings.Count(body, "\n")
		p.pos = end + 1
		sub, err := sp.script()
		if err != nil {
			return wordPart{}, err
		}
		return wordPart{kind: partCmdSub, sub: sub, quoted: quoted}, nil
	case c == '{':
		end := strings.IndexByte(p.src[p.pos:], '}')
		if end < 0 {
			return wordPart{}, p.errf("Syntax error: Missing '}'")
		}
		inner := p.src[p.pos+1 : p.pos+end]
		p.pos += end + 1
		part, err := p.braceParam(inner, quoted)
		if se, ok := err.(*syntaxError); ok {
			se.line = p.line
		}
		return part, err
	case c == '?' || c == '$' || c == '!' || c == '#' || c == '@' || c == '*' || c == '-' || c >= '0' && c <= '9':
		p.pos++
		return wordPart{kind: partParam, text: string(c), quoted: quoted}, nil
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		start := p.pos
		for p.pos < len(p.src) {
			d := p.src[p.pos]
			if d == '_' || d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z' || d >= '0' && d <= '9' {
				p.pos++
				continue
			}
			break
		}
		return wordPart{kind: partParam, text: p.src[start:p.pos], quoted: quoted}, nil
	}
	return wordPart{kind: partLit, text: "$", quoted: quoted}, nil
}

// wordAll parses the whole source as one word, spaces included.
func (p *parser) wordAll() (word, error) {
	var w word
	for p.pos < len(p.src) {
		start := p.pos
		part, err := p.word()
		if err != nil {
			return nil, err
		}
		w = append(w, part...)
		if p.pos == start {
			w = append(w, wordPart{kind: partLit, text: string(p.src[p.pos])})
			p.pos++
		}
	}
	return w, nil
}

// matchParen returns the index of the parenthesis closing the one at
// open, skipping quotes.
func matchParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return -1
			}
			i += end + 1
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
