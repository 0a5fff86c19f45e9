package sim

import "strings"

// This file parses what bash adds to the POSIX grammar of shparse.go:
// [[ ]], (( )), for ((;;)), array assignments, the parameter expansions
// ${v:1:2}, ${v/a/b}, ${v^^}, ${!v}, ${a[i]}, and alias expansion (dash's
// and bash's). The parser uses them only when it parses for bash
// (parser.bash), so that dash rejects them with its own messages.

type (
	// condNode is [[ expression ]]: its words and operators in order.
	condNode struct {
		toks   []condTok
		redirs []*redirect
		line   int
	}
	condTok struct {
		op    string // "&&", "||", "(", ")", "!", or "" for a word
		w     word
		regex bool // the right side of =~
	}
	// arithCmdNode is (( expression )).
	arithCmdNode struct {
		expr   string
		redirs []*redirect
		line   int
	}
	// arithForNode is for (( init; cond; step )) body.
	arithForNode struct {
		init, cond, step string
		body             *listNode
		redirs           []*redirect
		line             int
	}
)

// declBuiltins take NAME=(…) arguments in bash.
var declBuiltins = map[string]bool{"declare": true, "typeset": true, "local": true, "readonly": true, "export": true}

// maxAliasExpansions bounds the aliases expanded for one command, so that
// an alias that names itself through another ends.
const maxAliasExpansions = 16

// expandAlias replaces an alias name in command position by its text, as
// dash does (and bash where it expands aliases): the parser then reads the
// text as if it had been typed.
func (p *parser) expandAlias() {
	if p.alias == nil {
		return
	}
	p.skipBlanks()
	w := p.peekWord()
	if w == "" || strings.ContainsAny(w, "'\"\\$`=") || p.aliasing >= maxAliasExpansions {
		return
	}
	text, ok := p.alias(w)
	if !ok {
		return
	}
	p.aliasing++
	p.src = p.src[:p.pos] + text + p.src[p.pos+len(w):]
}

// braceParam parses the inside of ${...}.
func (p *parser) braceParam(inner string, quoted bool) (wordPart, error) {
	bad := func() (wordPart, error) {
		return wordPart{}, &syntaxError{line: p.line, msg: "Bad substitution", bashMsg: "${" + inner + "}: bad substitution"}
	}
	if p.bash && strings.HasPrefix(inner, "!") && len(inner) > 1 {
		name := inner[1:]
		if strings.HasSuffix(name, "[@]") || strings.HasSuffix(name, "[*]") {
			return wordPart{kind: partParam, text: name[:len(name)-3], op: "!keys", index: name[len(name)-2 : len(name)-1], quoted: quoted}, nil
		}
		if !validName(name) {
			return bad()
		}
		return wordPart{kind: partParam, text: name, op: "!", quoted: quoted}, nil
	}
	if strings.HasPrefix(inner, "#") && len(inner) > 1 {
		part := wordPart{kind: partParam, text: inner[1:], op: "#len", quoted: quoted}
		if p.bash {
			if open := strings.IndexByte(part.text, '['); open > 0 && strings.HasSuffix(part.text, "]") {
				part.text, part.index = part.text[:open], part.text[open+1:len(part.text)-1]
			}
		}
		return part, nil
	}
	i := 0
	for i < len(inner) && (inner[i] == '_' || inner[i] >= 'a' && inner[i] <= 'z' || inner[i] >= 'A' && inner[i] <= 'Z' || inner[i] >= '0' && inner[i] <= '9') {
		i++
	}
	if i == 0 && len(inner) > 0 && strings.IndexByte("?$!#@*-", inner[0]) >= 0 {
		i = 1
	}
	name := inner[:i]
	rest := inner[i:]
	part := wordPart{kind: partParam, text: name, quoted: quoted}
	if p.bash && strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return bad()
		}
		part.index, rest = rest[1:end], rest[end+1:]
	}
	if name == "" {
		return bad()
	}
	if rest == "" {
		return part, nil
	}
	sub := func(text string) (word, error) { return p.subParser(text).wordAll() }
	for _, op := range []string{":-", ":=", ":+", ":?", "-", "=", "+", "?", "##", "#", "%%", "%"} {
		if strings.HasPrefix(rest, op) {
			arg, err := sub(rest[len(op):])
			if err != nil {
				return wordPart{}, err
			}
			part.op, part.arg = op, arg
			return part, nil
		}
	}
	if !p.bash {
		return bad()
	}
	switch {
	case rest[0] == ':':
		// ${v:offset} and ${v:offset:length}: arithmetic text.
		off, length, hasLen := strings.Cut(rest[1:], ":")
		part.op = ":"
		part.arg = word{{kind: partLit, text: off}}
		if hasLen {
			part.op = "::"
			part.arg2 = word{{kind: partLit, text: length}}
		}
		return part, nil
	case rest[0] == '/':
		op, body := "/", rest[1:]
		if len(body) > 0 && strings.IndexByte("/#%", body[0]) >= 0 {
			op, body = "/"+body[:1], body[1:]
		}
		pat, rep := body, ""
		for i := 0; i < len(body); i++ {
			if body[i] == '\\' {
				i++
				continue
			}
			if body[i] == '/' {
				pat, rep = body[:i], body[i+1:]
				break
			}
		}
		a, err := sub(pat)
		if err != nil {
			return wordPart{}, err
		}
		b, err := sub(rep)
		if err != nil {
			return wordPart{}, err
		}
		part.op, part.arg, part.arg2 = op, a, b
		return part, nil
	}
	for _, op := range []string{"^^", ",,", "~~", "^", ",", "~"} {
		if rest == op {
			part.op = op
			return part, nil
		}
	}
	return bad()
}

// condCmd parses [[ … ]].
func (p *parser) condCmd() (node, error) {
	n := &condNode{line: p.line}
	p.pos += 2
	afterRegexOp := false
	for {
		p.skipBlanks()
		for p.pos < len(p.src) && p.src[p.pos] == '\n' {
			p.pos++
			p.newline()
			p.skipBlanks()
		}
		if p.pos >= len(p.src) {
			return nil, &syntaxError{line: p.line, msg: "Syntax error: end of file unexpected", bashMsg: "unexpected EOF while looking for `]]'"}
		}
		rest := p.src[p.pos:]
		if strings.HasPrefix(rest, "]]") && (len(rest) == 2 || strings.IndexByte(" \t\n;&|)", rest[2]) >= 0) {
			p.pos += 2
			break
		}
		if afterRegexOp {
			afterRegexOp = false
			raw := regexWordText(rest)
			p.pos += len(raw)
			w, err := p.subParser(raw).wordAll()
			if err != nil {
				return nil, err
			}
			n.toks = append(n.toks, condTok{w: w, regex: true})
			continue
		}
		if op := p.peekOpNoSkip(); op == "&&" || op == "||" || op == "(" || op == ")" || op == "<" || op == ">" {
			p.pos += len(op)
			if op == "<" || op == ">" {
				n.toks = append(n.toks, condTok{w: word{{kind: partLit, text: op, quoted: true}}})
				continue
			}
			n.toks = append(n.toks, condTok{op: op})
			continue
		}
		w, err := p.word()
		if err != nil {
			return nil, err
		}
		if len(w) == 0 {
			return nil, p.unexpected()
		}
		if t := wordText(w); len(w) == 1 && !w[0].quoted && t == "!" {
			n.toks = append(n.toks, condTok{op: "!"})
			continue
		} else if len(w) == 1 && !w[0].quoted && t == "=~" {
			afterRegexOp = true
		}
		n.toks = append(n.toks, condTok{w: w})
	}
	r, err := p.redirects()
	n.redirs = r
	return n, err
}

// regexWordText is the raw text of the word after =~: parentheses and |
// belong to the regular expression there.
func regexWordText(s string) string {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			i++
		case '\'':
			if end := strings.IndexByte(s[i+1:], '\''); end >= 0 {
				i += end + 1
			}
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return s[:i]
			}
			depth--
		case ' ', '\t', '\n':
			if depth == 0 {
				return s[:i]
			}
		}
	}
	return s
}

// arithCmd parses (( expression )); ok is false when the parentheses are
// two subshells after all.
func (p *parser) arithCmd() (node, bool, error) {
	end := matchParen(p.src, p.pos+1)
	if end < 0 || end+1 >= len(p.src) || p.src[end+1] != ')' {
		return nil, false, nil
	}
	n := &arithCmdNode{expr: p.src[p.pos+2 : end], line: p.line}
	p.pos = end + 2
	r, err := p.redirects()
	n.redirs = r
	return n, true, err
}

// arithFor parses the rest of for (( init; cond; step )).
func (p *parser) arithFor() (node, error) {
	end := matchParen(p.src, p.pos+1)
	if end < 0 || end+1 >= len(p.src) || p.src[end+1] != ')' {
		return nil, &syntaxError{line: p.line, msg: "Syntax error", bashMsg: "syntax error: unexpected end of file"}
	}
	parts := strings.Split(p.src[p.pos+2:end], ";")
	if len(parts) != 3 {
		return nil, &syntaxError{line: p.line, msg: "Syntax error", token: "(("}
	}
	n := &arithForNode{init: parts[0], cond: parts[1], step: parts[2], line: p.line}
	p.pos = end + 2
	p.eatOp(";")
	p.skipNewlines()
	var err error
	switch {
	case p.eatReserved("do"):
		n.body, err = p.list([]string{"done"})
		if err == nil && !p.eatReserved("done") {
			err = p.unexpectedOr("\"done\" expected")
		}
	case p.eatReserved("{"):
		n.body, err = p.list([]string{"}"})
		if err == nil && !p.eatReserved("}") {
			err = p.unexpectedOr("\"}\" expected")
		}
	default:
		err = p.unexpected()
	}
	if err != nil {
		return nil, err
	}
	n.redirs, err = p.redirects()
	return n, err
}

// arrayElems parses ( word … ) after NAME=.
func (p *parser) arrayElems() ([]word, error) {
	p.pos++
	var out []word
	for {
		p.skipBlanks()
		for p.pos < len(p.src) && p.src[p.pos] == '\n' {
			p.pos++
			p.newline()
			p.skipBlanks()
		}
		if p.pos >= len(p.src) {
			return nil, &syntaxError{line: p.line, msg: "Syntax error: end of file unexpected", bashMsg: "syntax error: unexpected end of file"}
		}
		if p.src[p.pos] == ')' {
			p.pos++
			return out, nil
		}
		w, err := p.word()
		if err != nil {
			return nil, err
		}
		if len(w) == 0 {
			return nil, p.unexpected()
		}
		out = append(out, w)
	}
}
