package sim

import (
	"strconv"
	"strings"
)

// This file is the shell's arithmetic: $((…)), and bash's (( )), let and
// declare -i. dash has the operators of POSIX (C's, with the assignment
// operators, no ++ or --); bash adds ++, --, ** , the comma and base#n
// numbers, and reads a variable whose value is an expression as that
// expression.

// arithError is a failed evaluation: dash's wording, and bash's with the
// rest of the expression from where it failed ("error token").
type arithError struct {
	msg, bashMsg, token string
	illegal             bool // dash's "Illegal number: X" has no expression after it
}

// arithEval is one evaluation in progress.
type arithEval struct {
	s     *shell
	src   string
	pos   int
	skip  int // inside the branch of ?: && || that is not taken
	depth int
	err   *arithError
	// opPos is where the last binary operator began, operandPos where
	// its right operand did: bash names them as the "error token".
	opPos, operandPos int
}

// maxArithDepth bounds bash's evaluation of variables holding expressions.
const maxArithDepth = 64

// arith evaluates an arithmetic expression.
func (s *shell) arith(expr string) (int64, *arithError) {
	a := &arithEval{s: s, src: expr}
	return a.run()
}

func (a *arithEval) run() (int64, *arithError) {
	a.skipSpace()
	if a.pos >= len(a.src) {
		return 0, nil
	}
	v := a.comma()
	if a.err == nil {
		a.skipSpace()
		if a.pos < len(a.src) {
			a.fail("expecting EOF", "syntax error in expression")
		}
	}
	return v, a.err
}

// arithOrFail evaluates an expression of $((…)); an error ends a
// non-interactive shell as in dash and bash.
func (s *shell) arithOrFail(expr string) int64 {
	n, err := s.arith(expr)
	if err != nil {
		s.arithFatal(expr, err)
	}
	return n
}

func (s *shell) arithFatal(expr string, err *arithError) {
	switch {
	case s.bash:
		s.fatalStatus(1, "%s: %s (error token is \"%s\")", strings.TrimSpace(expr), err.bashMsg, err.token)
	case err.illegal:
		s.fatal("%s", err.msg)
	default:
		s.fatal("arithmetic expression: %s: \"%s\"", err.msg, expr)
	}
}

func (a *arithEval) fail(msg, bashMsg string) {
	if a.err == nil {
		a.err = &arithError{msg: msg, bashMsg: bashMsg, token: strings.TrimSpace(a.src[min(a.pos, len(a.src)):])}
	}
}

func (a *arithEval) skipSpace() {
	for a.pos < len(a.src) && strings.IndexByte(" \t\n", a.src[a.pos]) >= 0 {
		a.pos++
	}
}

// peek reports whether op comes next (and not a longer operator that
// starts with it).
func (a *arithEval) peek(op string) bool {
	a.skipSpace()
	if !strings.HasPrefix(a.src[a.pos:], op) {
		return false
	}
	next := a.src[a.pos+len(op):]
	switch op {
	case "|", "&", "<", ">", "*", "+", "-":
		if strings.HasPrefix(next, op) || strings.HasPrefix(next, "=") && op != "<" && op != ">" {
			return false
		}
		if (op == "<" || op == ">") && strings.HasPrefix(next, "=") {
			return false
		}
	case "=", "!":
		if strings.HasPrefix(next, "=") {
			return false
		}
	case "<<", ">>":
		if strings.HasPrefix(next, "=") {
			return false
		}
	case "/", "%", "^":
		if strings.HasPrefix(next, "=") {
			return false
		}
	}
	return true
}

func (a *arithEval) eat(op string) bool {
	if a.err == nil && a.peek(op) {
		a.pos += len(op)
		return true
	}
	return false
}

func (a *arithEval) comma() int64 {
	v := a.assign()
	for a.s.bash && a.eat(",") {
		v = a.assign()
	}
	return v
}

// assignOps are the assignment operators, longest first.
var assignOps = []string{"<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "="}

func (a *arithEval) assign() int64 {
	a.skipSpace()
	start := a.pos
	name := a.name()
	if name != "" {
		a.skipSpace()
		for _, op := range assignOps {
			if strings.HasPrefix(a.src[a.pos:], op) && !(op == "=" && strings.HasPrefix(a.src[a.pos:], "==")) {
				a.pos += len(op)
				rhs := a.assign()
				if a.err != nil {
					return 0
				}
				v := rhs
				if op != "=" {
					v = a.binop(op[:len(op)-1], a.variable(name), rhs)
				}
				a.set(name, v)
				return v
			}
		}
	}
	a.pos = start
	return a.ternary()
}

func (a *arithEval) ternary() int64 {
	c := a.binary(0)
	if !a.eat("?") {
		return c
	}
	if c == 0 {
		a.skip++
	}
	x := a.assign()
	if c == 0 {
		a.skip--
	}
	if !a.eat(":") {
		a.fail("expecting ':'", "expected `:' for conditional expression")
		return 0
	}
	if c != 0 {
		a.skip++
	}
	y := a.assign()
	if c != 0 {
		a.skip--
	}
	if c != 0 {
		return x
	}
	return y
}

var arithLevels = [][]string{{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}}

func (a *arithEval) binary(level int) int64 {
	if level == len(arithLevels) {
		return a.power()
	}
	x := a.binary(level + 1)
	for a.err == nil {
		op := ""
		for _, o := range arithLevels[level] {
			if a.peek(o) {
				op = o
				break
			}
		}
		if op == "" {
			return x
		}
		a.opPos = a.pos
		a.pos += len(op)
		a.skipSpace()
		a.operandPos = a.pos
		short := op == "&&" && x == 0 || op == "||" && x != 0
		if short {
			a.skip++
		}
		y := a.binary(level + 1)
		if short {
			a.skip--
		}
		x = a.binop(op, x, y)
	}
	return x
}

// power is bash's **, right-associative and above the unary operators.
func (a *arithEval) power() int64 {
	x := a.unary()
	if a.s.bash && a.eat("**") {
		y := a.power()
		if y < 0 {
			a.fail("exponent less than 0", "exponent less than 0")
			return 0
		}
		r := int64(1)
		for ; y > 0; y-- {
			r *= x
		}
		return r
	}
	return x
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (a *arithEval) binop(op string, x, y int64) int64 {
	switch op {
	case "||":
		return b2i(x != 0 || y != 0)
	case "&&":
		return b2i(x != 0 && y != 0)
	case "|":
		return x | y
	case "^":
		return x ^ y
	case "&":
		return x & y
	case "==":
		return b2i(x == y)
	case "!=":
		return b2i(x != y)
	case "<=":
		return b2i(x <= y)
	case ">=":
		return b2i(x >= y)
	case "<":
		return b2i(x < y)
	case ">":
		return b2i(x > y)
	case "<<":
		return x << uint(y&63)
	case ">>":
		return x >> uint(y&63)
	case "+":
		return x + y
	case "-":
		return x - y
	case "*":
		return x * y
	case "/", "%":
		if y == 0 {
			if a.skip == 0 {
				a.pos = a.operandPos
				a.fail("division by zero", "division by 0")
			}
			return 0
		}
		if op == "/" {
			return x / y
		}
		return x % y
	}
	return 0
}

func (a *arithEval) unary() int64 {
	if a.err != nil {
		return 0
	}
	a.skipSpace()
	if a.s.bash {
		for _, op := range []string{"++", "--"} {
			if strings.HasPrefix(a.src[a.pos:], op) {
				a.pos += 2
				a.skipSpace()
				name := a.name()
				if name == "" {
					a.fail("", "syntax error: operand expected")
					return 0
				}
				v := a.variable(name) + 1
				if op == "--" {
					v -= 2
				}
				a.set(name, v)
				return v
			}
		}
	}
	switch {
	case a.eat("-"):
		return -a.unary()
	case a.eat("+"):
		return a.unary()
	case a.eat("!"):
		return b2i(a.unary() == 0)
	case a.eat("~"):
		return ^a.unary()
	case a.eat("("):
		v := a.comma()
		if !a.eat(")") {
			a.fail("expecting ')'", "missing `)'")
		}
		return v
	}
	return a.primary()
}

// name reads a variable name, or nothing.
func (a *arithEval) name() string {
	start := a.pos
	for a.pos < len(a.src) {
		c := a.src[a.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || a.pos > start && c >= '0' && c <= '9' {
			a.pos++
			continue
		}
		break
	}
	return a.src[start:a.pos]
}

func (a *arithEval) primary() int64 {
	a.skipSpace()
	if name := a.name(); name != "" {
		v := a.variable(name)
		if a.s.bash {
			a.skipSpace()
			for _, op := range []string{"++", "--"} {
				if strings.HasPrefix(a.src[a.pos:], op) {
					a.pos += 2
					d := int64(1)
					if op == "--" {
						d = -1
					}
					a.set(name, v+d)
					return v
				}
			}
		}
		return v
	}
	start := a.pos
	for a.pos < len(a.src) && (a.src[a.pos] >= '0' && a.src[a.pos] <= '9' || a.src[a.pos] >= 'a' && a.src[a.pos] <= 'z' || a.src[a.pos] >= 'A' && a.src[a.pos] <= 'Z' || a.src[a.pos] == '#' && a.s.bash || a.src[a.pos] == '_') {
		a.pos++
	}
	tok := a.src[start:a.pos]
	if tok == "" {
		if a.pos >= len(a.src) && a.opPos < a.pos {
			// At the end, bash names the operator left without operand.
			a.pos = a.opPos
		}
		a.fail("expecting primary", "syntax error: operand expected")
		return 0
	}
	n, ok := parseArithNumber(tok, a.s.bash)
	if !ok {
		a.pos = start
		a.fail("expecting primary", "value too great for base")
		return 0
	}
	return n
}

// parseArithNumber reads a constant: decimal, 0x hex, 0 octal, and in
// bash base#digits.
func parseArithNumber(tok string, bash bool) (int64, bool) {
	if base, digits, ok := strings.Cut(tok, "#"); ok && bash {
		b, err := strconv.Atoi(base)
		if err != nil || b < 2 || b > 64 {
			return 0, false
		}
		n, err := strconv.ParseInt(digits, b, 64)
		return n, err == nil
	}
	n, err := strconv.ParseInt(tok, 0, 64)
	if err != nil && strings.HasPrefix(tok, "0") && len(tok) > 1 && tok[1] != 'x' && tok[1] != 'X' {
		n, err = strconv.ParseInt(tok[1:], 8, 64)
	}
	return n, err == nil
}

// variable reads a variable's value as a number: empty or unset is 0;
// bash evaluates a value that is an expression, dash rejects it.
func (a *arithEval) variable(name string) int64 {
	val, _ := a.s.lookupParam(name)
	val = strings.TrimSpace(val)
	if val == "" {
		return 0
	}
	if n, ok := parseArithNumber(val, a.s.bash); ok {
		return n
	}
	if !a.s.bash {
		if a.err == nil {
			a.err = &arithError{msg: "Illegal number: " + val, illegal: true}
		}
		return 0
	}
	if a.depth >= maxArithDepth {
		a.fail("", "expression recursion level exceeded")
		return 0
	}
	sub := &arithEval{s: a.s, src: val, depth: a.depth + 1, skip: a.skip}
	v, err := sub.run()
	if err != nil && a.err == nil {
		a.err = err
	}
	return v
}

func (a *arithEval) set(name string, v int64) {
	if a.skip > 0 || a.err != nil {
		return
	}
	if !a.s.setVar(name, strconv.FormatInt(v, 10)) {
		a.err = &arithError{msg: name + ": is read only", bashMsg: "readonly variable", illegal: true}
	}
}
