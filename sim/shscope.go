package sim

import (
	"sort"
	"strconv"
	"strings"
)

// This file holds the builtins about variables and functions: return,
// local, readonly, export, unset, and bash's declare (typeset) and let.

// returnBuiltin ends a function or a sourced file with a status (by
// default $?). At the top of a -c string dash ends the shell; bash
// refuses.
func (s *shell) returnBuiltin(argv []string) int {
	st := s.status
	if len(argv) > 1 {
		n, err := strconv.Atoi(argv[1])
		if err != nil {
			if s.bash {
				s.errorf("return: %s: numeric argument required", argv[1])
				st = 2
			} else {
				s.fatal("return: Illegal number: %s", argv[1])
			}
		} else {
			st = n & 0xff
		}
	}
	if s.funcDepth == 0 && s.dotDepth == 0 {
		if s.bash {
			s.errorf("return: can only `return' from a function or sourced script")
			return 2
		}
		panic(exitPanic{status: st})
	}
	panic(returnJump{status: st})
}

// local makes variables local to the function being run: dash keeps a
// variable's value when local names it without one, bash unsets it.
func (s *shell) local(argv []string) int {
	if s.funcDepth == 0 || len(s.locals) == 0 {
		if s.bash {
			s.errorf("local: can only be used in a function")
			return 1
		}
		s.fatal("local: not in a function")
	}
	if s.bash {
		return s.declare(argv)
	}
	for _, a := range argv[1:] {
		name, val, has := strings.Cut(a, "=")
		if s.readonly[name] {
			s.fatal("local: %s: is read only", name)
		}
		s.declareLocal(name)
		if has {
			s.vars[name] = val
			s.noteVar(name)
		}
	}
	return 0
}

// declareOpts are the attributes declare sets (-a -A -i -r -x) or lists
// (-p), and -g (global).
type declareOpts struct {
	array, assoc, integer, readonly, export, print, global, funcs bool
	unexport                                                      bool
}

// declare is bash's declare and typeset, and local's body in bash.
func (s *shell) declare(argv []string) int {
	var o declareOpts
	args := argv[1:]
	for len(args) > 0 && len(args[0]) > 1 && (args[0][0] == '-' || args[0][0] == '+') {
		on := args[0][0] == '-'
		for _, c := range args[0][1:] {
			switch c {
			case 'a':
				o.array = true
			case 'A':
				o.assoc = true
			case 'i':
				o.integer = on
			case 'r':
				o.readonly = true
			case 'x':
				o.export, o.unexport = on, !on
			case 'p':
				o.print = true
			case 'g':
				o.global = true
			case 'f', 'F':
				o.funcs = true
			default:
				s.errorf("%s: -%c: invalid option", argv[0], c)
				s.t.Write(2, []byte(argv[0]+": usage: "+argv[0]+" [-aAfFgiIlnrtux] [name[=value] ...] or "+argv[0]+" -p [-aAfFilnrtux] [name ...]\n"))
				return 2
			}
		}
		args = args[1:]
	}
	inFunc := s.funcDepth > 0 && len(s.locals) > 0 && (argv[0] == "local" || !o.global)
	if o.print || len(args) == 0 && !o.funcs {
		return s.declarePrint(args, o)
	}
	status := 0
	for _, a := range args {
		name, val, has := strings.Cut(a, "=")
		appendOp := strings.HasSuffix(name, "+")
		name = strings.TrimSuffix(name, "+")
		index := ""
		if open := strings.IndexByte(name, '['); open > 0 && strings.HasSuffix(name, "]") {
			name, index = name[:open], name[open+1:len(name)-1]
		}
		if !validName(name) {
			s.errorf("%s: `%s': not a valid identifier", argv[0], a)
			status = 1
			continue
		}
		if s.readonly[name] && (has || o.readonly) {
			s.errorf("%s: readonly variable", name)
			status = 1
			continue
		}
		if inFunc {
			s.declareLocal(name)
			if !has && argv[0] == "local" {
				delete(s.vars, name)
				delete(s.arrays, name)
			}
		}
		if (o.array || o.assoc) && s.arrays[name] == nil {
			s.arrays[name] = newShArray(o.assoc)
			if v, ok := s.vars[name]; ok && !o.assoc {
				s.arrays[name].set("0", v)
			}
			delete(s.vars, name)
			s.noteVar(name)
		}
		if o.integer {
			s.integer[name] = true
		}
		if has {
			switch {
			case strings.HasPrefix(val, "(") && strings.HasSuffix(val, ")") && index == "":
				elems, err := s.newParser(val[1 : len(val)-1]).arrayWords()
				if err != nil {
					s.errorf("%s: %s", argv[0], err.Error())
					return 1
				}
				if o.assoc && s.arrays[name] == nil {
					s.arrays[name] = newShArray(true)
				}
				s.setArray(name, elems, appendOp)
			case index != "":
				s.setElement(name, index, val, appendOp)
			default:
				if appendOp {
					old, _ := s.lookupParam(name)
					if s.integer[name] {
						val = old + "+(" + val + ")"
					} else {
						val = old + val
					}
				}
				s.setVar(name, val)
			}
		} else if _, ok := s.vars[name]; !ok && s.arrays[name] == nil && argv[0] != "local" {
			// declare NAME without a value declares it without setting it.
			s.noteVar(name)
		}
		if o.export {
			s.exported[name] = true
		}
		if o.unexport {
			delete(s.exported, name)
		}
		if o.readonly {
			s.readonly[name] = true
		}
	}
	return status
}

// arrayWords splits the text of an array value (declare a=(…)) into its
// elements, quotes removed.
func (p *parser) arrayWords() ([]string, error) {
	var out []string
	for {
		p.skipBlanks()
		for p.pos < len(p.src) && p.src[p.pos] == '\n' {
			p.pos++
		}
		if p.pos >= len(p.src) {
			return out, nil
		}
		w, err := p.word()
		if err != nil {
			return nil, err
		}
		if len(w) == 0 {
			p.pos++
			continue
		}
		out = append(out, wordText(w))
	}
}

// declarePrint is declare -p: each variable as a declare command.
func (s *shell) declarePrint(names []string, o declareOpts) int {
	all := len(names) == 0
	if all {
		for k := range s.vars {
			names = append(names, k)
		}
		for k := range s.arrays {
			names = append(names, k)
		}
		sort.Strings(names)
	}
	status := 0
	for _, name := range names {
		flags := ""
		a := s.arrays[name]
		switch {
		case a != nil && a.assoc:
			flags += "A"
		case a != nil:
			flags += "a"
		}
		if s.integer[name] {
			flags += "i"
		}
		if s.readonly[name] {
			flags += "r"
		}
		if s.exported[name] {
			flags += "x"
		}
		if flags == "" {
			flags = "-"
		}
		v, set := s.vars[name]
		switch {
		case a != nil:
			var parts []string
			for _, k := range a.indices() {
				val, _ := a.get(k)
				parts = append(parts, "["+k+"]="+dquote(val))
			}
			body := strings.Join(parts, " ")
			if a.assoc {
				body += " "
			}
			s.out("declare -" + flags + " " + name + "=(" + body + ")\n")
		case set:
			s.out("declare -" + flags + " " + name + "=" + dquote(v) + "\n")
		case all:
		default:
			s.errorf("declare: %s: not found", name)
			status = 1
		}
	}
	return status
}

// dquote quotes a value in double quotes as declare -p does.
func dquote(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return `"` + r.Replace(v) + `"`
}

// let evaluates each argument as arithmetic: status 0 when the last is
// not zero.
func (s *shell) let(argv []string) int {
	if len(argv) < 2 {
		s.errorf("let: expression expected")
		return 1
	}
	st := 0
	for _, a := range argv[1:] {
		st = s.arithStatus("let", a)
	}
	return st
}

// readonlyBuiltin marks variables read-only, or lists them (-p or no
// arguments) in the shell's own format.
func (s *shell) readonlyBuiltin(argv []string) int {
	args := argv[1:]
	if len(args) > 0 && args[0] == "-p" {
		args = args[1:]
	}
	if len(args) == 0 {
		s.listAttr(s.readonly, "readonly", "r")
		return 0
	}
	if s.bash {
		return s.declare(append([]string{"readonly", "-r"}, args...))
	}
	for _, a := range args {
		name, val, has := strings.Cut(a, "=")
		if has {
			s.assignOrFail(name, val)
		}
		s.readonly[name] = true
	}
	return 0
}

// listAttr lists the variables with an attribute: dash "readonly X='v'",
// bash "declare -r X="v"".
func (s *shell) listAttr(set map[string]bool, dashWord, bashFlag string) {
	var names []string
	for k, on := range set {
		if on {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		v, ok := s.vars[k]
		if s.bash {
			flags := bashFlag
			if bashFlag == "x" && s.readonly[k] {
				flags = "rx"
			}
			if ok {
				s.out("declare -" + flags + " " + k + "=" + dquote(v) + "\n")
			} else {
				s.out("declare -" + flags + " " + k + "\n")
			}
			continue
		}
		if ok {
			s.out(dashWord + " " + k + "=" + shellQuote(v) + "\n")
		} else {
			s.out(dashWord + " " + k + "\n")
		}
	}
}

// exportBuiltin exports variables, or lists the exported ones.
func (s *shell) exportBuiltin(argv []string) int {
	args := argv[1:]
	if len(args) > 0 && args[0] == "-p" {
		args = args[1:]
	}
	if len(args) == 0 {
		s.listAttr(s.exported, "export", "x")
		return 0
	}
	for _, a := range args {
		name, val, has := strings.Cut(a, "=")
		if has {
			s.assignOrFail(name, val)
		}
		s.noteVar(name)
		s.exported[name] = true
	}
	return 0
}

// unsetBuiltin unsets variables (and bash array elements, NAME[i]) or,
// with -f, functions; a read-only variable cannot be unset.
func (s *shell) unsetBuiltin(argv []string) int {
	args := argv[1:]
	funcs, vars := false, false
	for len(args) > 0 && (args[0] == "-f" || args[0] == "-v") {
		funcs, vars = funcs || args[0] == "-f", vars || args[0] == "-v"
		args = args[1:]
	}
	status := 0
	for _, a := range args {
		if funcs {
			delete(s.funcs, a)
			continue
		}
		if open := strings.IndexByte(a, '['); s.bash && open > 0 && strings.HasSuffix(a, "]") {
			if arr := s.arrays[a[:open]]; arr != nil {
				arr.unset(s.subscript(arr, a[open+1:len(a)-1]))
			}
			continue
		}
		if s.readonly[a] {
			if s.bash {
				s.errorf("unset: %s: cannot unset: readonly variable", a)
				status = 1
				continue
			}
			s.fatal("unset: %s: is read only", a)
		}
		_, isVar := s.vars[a]
		if !isVar && s.arrays[a] == nil && !vars {
			if _, isFunc := s.funcs[a]; isFunc {
				delete(s.funcs, a)
				continue
			}
		}
		delete(s.vars, a)
		delete(s.arrays, a)
		delete(s.exported, a)
		delete(s.integer, a)
	}
	return status
}
