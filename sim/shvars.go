package sim

import (
	"sort"
	"strconv"
	"strings"
)

// This file is the shell's variables beyond plain strings: read-only and
// integer attributes, local scopes of functions, bash's indexed and
// associative arrays, and $RANDOM.

// shArray is a bash array: indexed (by number) or associative.
type shArray struct {
	assoc bool
	idx   map[int]string
	keys  []string // associative: in order of creation
	m     map[string]string
}

func newShArray(assoc bool) *shArray {
	return &shArray{assoc: assoc, idx: map[int]string{}, m: map[string]string{}}
}

func (a *shArray) clone() *shArray {
	c := newShArray(a.assoc)
	for k, v := range a.idx {
		c.idx[k] = v
	}
	c.keys = append([]string(nil), a.keys...)
	for k, v := range a.m {
		c.m[k] = v
	}
	return c
}

// indices are the set subscripts in order.
func (a *shArray) indices() []string {
	if a.assoc {
		return append([]string(nil), a.keys...)
	}
	ns := make([]int, 0, len(a.idx))
	for n := range a.idx {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = itoa(n)
	}
	return out
}

func (a *shArray) values() []string {
	var out []string
	for _, k := range a.indices() {
		v, _ := a.get(k)
		out = append(out, v)
	}
	return out
}

func (a *shArray) get(key string) (string, bool) {
	if a.assoc {
		v, ok := a.m[key]
		return v, ok
	}
	n, _ := strconv.Atoi(key)
	v, ok := a.idx[n]
	return v, ok
}

func (a *shArray) set(key, val string) {
	if a.assoc {
		if _, ok := a.m[key]; !ok {
			a.keys = append(a.keys, key)
		}
		a.m[key] = val
		return
	}
	n, _ := strconv.Atoi(key)
	a.idx[n] = val
}

func (a *shArray) unset(key string) {
	if a.assoc {
		delete(a.m, key)
		for i, k := range a.keys {
			if k == key {
				a.keys = append(a.keys[:i:i], a.keys[i+1:]...)
				break
			}
		}
		return
	}
	n, _ := strconv.Atoi(key)
	delete(a.idx, n)
}

// next is the subscript after the highest one (for a+=(…)).
func (a *shArray) next() int {
	n := 0
	for k := range a.idx {
		if k >= n {
			n = k + 1
		}
	}
	return n
}

// varExtras are the parts of a shell's variable state that a forked
// child copies along with vars.
type varExtras struct {
	readonly map[string]bool
	integer  map[string]bool
	arrays   map[string]*shArray
	aliases  map[string]string
	// locals holds, for each function call in progress, the variables
	// it made local and what they were before.
	locals []map[string]savedVar
	// funcDepth counts function calls in progress, dotDepth files being
	// sourced: return needs one of them.
	funcDepth, dotDepth int
	randState           uint32
	randSeeded          bool
	randLast            string
	pipefail            bool
	// hashed are the programs looked up by name, for hash: by name, the
	// path and how often it ran.
	hashed map[string]*hashEntry
	// optPos is getopts's place in the argument it is reading, optInd
	// the OPTIND it set last.
	optPos, optInd int
	noglob         bool
	// lineTop marks bash's own shell reading its script (not a subshell),
	// where an error abandons a line instead of the shell.
	lineTop bool
	// jobText is each job's command as written (for a non-interactive
	// jobs, before the job has exec'd its program).
	jobText map[*Task]string
}

type savedVar struct {
	val           string
	set, exported bool
	arr           *shArray
}

type hashEntry struct {
	path string
	hits int
}

// copyExtras gives a forked child its own copy of the extras.
func (x *varExtras) copyExtras() varExtras {
	c := *x
	c.readonly = copyBoolMap(x.readonly)
	c.integer = copyBoolMap(x.integer)
	c.arrays = map[string]*shArray{}
	for k, a := range x.arrays {
		c.arrays[k] = a.clone()
	}
	c.aliases = map[string]string{}
	for k, v := range x.aliases {
		c.aliases[k] = v
	}
	c.hashed = map[string]*hashEntry{}
	for k, v := range x.hashed {
		e := *v
		c.hashed[k] = &e
	}
	c.locals = nil
	c.lineTop = false
	c.jobText = nil
	for _, frame := range x.locals {
		f := map[string]savedVar{}
		for k, v := range frame {
			f[k] = v
		}
		c.locals = append(c.locals, f)
	}
	return c
}

func copyBoolMap(m map[string]bool) map[string]bool {
	c := make(map[string]bool, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// setVar assigns a variable as an assignment does: it refuses a read-only
// one (false), evaluates an integer one, and sets element 0 of an array.
func (s *shell) setVar(name, val string) bool {
	if s.readonly[name] {
		return false
	}
	if s.integer[name] {
		n, err := s.arith(val)
		if err != nil {
			s.arithFatal(val, err)
		}
		val = strconv.FormatInt(n, 10)
	}
	if a := s.arrays[name]; a != nil {
		a.set("0", val)
		return true
	}
	s.vars[name] = val
	s.noteVar(name)
	return true
}

// assignOrFail assigns a variable; a read-only one is an error that ends
// a non-interactive shell (dash: status 2, bash: 1).
func (s *shell) assignOrFail(name, val string) {
	if !s.setVar(name, val) {
		if s.bash {
			s.fatalStatus(1, "%s: readonly variable", name)
		}
		s.fatal("%s: is read only", name)
	}
}

// fatalStatus is an error that abandons what bash is running: the rest
// of the line it read (then it goes on with the next), a subshell, or an
// interactive command line.
func (s *shell) fatalStatus(status int, format string, a ...any) {
	s.errorf(format, a...)
	switch {
	case s.interactive:
		panic(shellAbort{})
	case s.bash && s.lineTop:
		panic(lineAbort{status: status})
	}
	panic(exitPanic{status: status})
}

// lineAbort unwinds bash's current line (see fatalStatus).
type lineAbort struct{ status int }

// fatalExit is an error that ends a non-interactive shell with status.
func (s *shell) fatalExit(status int, format string, a ...any) {
	s.errorf(format, a...)
	if !s.interactive {
		panic(exitPanic{status: status})
	}
	panic(shellAbort{})
}

// ifsJoiner joins "$*": the first character of IFS, a space when IFS is
// unset.
func (s *shell) ifsJoiner() string {
	v, ok := s.vars["IFS"]
	switch {
	case !ok:
		return " "
	case v == "":
		return ""
	}
	return v[:1]
}

// assign runs one assignment word of a simple command, with bash's
// NAME[i]=, NAME+= and NAME=(…).
func (s *shell) assign(a assignment) {
	if a.isArray {
		var vals []string
		for _, e := range a.elems {
			vals = append(vals, s.expandWords([]word{e})...)
		}
		s.setArray(a.name, vals, a.appendOp)
		return
	}
	val := s.expandNoSplit(a.value)
	if a.index != "" {
		s.setElement(a.name, a.index, val, a.appendOp)
		return
	}
	if a.appendOp {
		if s.integer[a.name] {
			old, _ := s.lookupParam(a.name)
			val = old + "+(" + val + ")"
		} else {
			old, _ := s.lookupParam(a.name)
			val = old + val
		}
	}
	s.assignOrFail(a.name, val)
}

// setArray makes name an indexed array of vals (or appends them); an
// associative array takes [key]=value elements.
func (s *shell) setArray(name string, vals []string, appendOp bool) {
	if s.readonly[name] {
		s.assignOrFail(name, "")
	}
	old := s.arrays[name]
	a := old
	if a == nil || !appendOp {
		a = newShArray(old != nil && old.assoc)
		if v, ok := s.vars[name]; ok && appendOp {
			a.set("0", v)
		}
	}
	n := a.next()
	for _, v := range vals {
		if key, val, ok := arrayKeyed(v); ok {
			if !a.assoc {
				k, err := s.arith(key)
				if err != nil {
					s.arithFatal(key, err)
				}
				n = int(k)
				key = itoa(n)
			}
			a.set(key, val)
			n++
			continue
		}
		a.set(itoa(n), v)
		n++
	}
	delete(s.vars, name)
	s.arrays[name] = a
	s.noteVar(name)
}

// arrayKeyed splits an element written [key]=value.
func arrayKeyed(v string) (string, string, bool) {
	if !strings.HasPrefix(v, "[") {
		return "", "", false
	}
	end := strings.Index(v, "]=")
	if end < 0 {
		return "", "", false
	}
	return v[1:end], v[end+2:], true
}

// subscript evaluates an array subscript: arithmetic for an indexed
// array (negative counts from the end), the expanded text for an
// associative one.
func (s *shell) subscript(a *shArray, index string) string {
	text := s.expandArithText(index)
	if a != nil && a.assoc {
		return text
	}
	n, err := s.arith(text)
	if err != nil {
		s.arithFatal(text, err)
	}
	if n < 0 && a != nil {
		n += int64(a.next())
	}
	return strconv.FormatInt(n, 10)
}

// setElement assigns NAME[index]=val.
func (s *shell) setElement(name, index, val string, appendOp bool) {
	if s.readonly[name] {
		s.assignOrFail(name, val)
	}
	a := s.arrays[name]
	if a == nil {
		a = newShArray(false)
		if v, ok := s.vars[name]; ok {
			a.set("0", v)
		}
		delete(s.vars, name)
		s.arrays[name] = a
		s.noteVar(name)
	}
	key := s.subscript(a, index)
	if appendOp {
		old, _ := a.get(key)
		val = old + val
	}
	a.set(key, val)
}

// elementValues returns the values a subscripted parameter stands for:
// all for [@] and [*], else one.
func (s *shell) elementValues(name, index string) ([]string, bool) {
	a := s.arrays[name]
	if index == "@" || index == "*" {
		if a == nil {
			if v, ok := s.lookupParam(name); ok {
				return []string{v}, true
			}
			return nil, false
		}
		return a.values(), len(a.values()) > 0
	}
	if a == nil {
		key := s.subscript(nil, index)
		if key == "0" {
			v, ok := s.lookupParam(name)
			return []string{v}, ok
		}
		return []string{""}, false
	}
	v, ok := a.get(s.subscript(a, index))
	return []string{v}, ok
}

// random is bash's $RANDOM: a 15-bit number from a generator that
// assigning RANDOM seeds.
func (s *shell) random() string {
	if v, ok := s.vars["RANDOM"]; ok && v != s.randLast {
		n, _ := strconv.Atoi(v)
		s.randState, s.randSeeded = uint32(n), true
	}
	if !s.randSeeded {
		s.randState, s.randSeeded = uint32(s.pid)*2654435761+uint32(s.k.now), true
	}
	// bash's brand(): Park and Miller's minimal standard generator.
	h := int64(s.randState)
	if h == 0 {
		h = 123459876
	}
	lo := h % 127773
	hi := h / 127773
	x := 16807*lo - 2836*hi
	if x < 0 {
		x += 0x7fffffff
	}
	s.randState = uint32(x)
	v := itoa(int((uint32(x)>>16 ^ uint32(x)&0xffff) & 0x7fff))
	s.vars["RANDOM"], s.randLast = v, v
	return v
}

// declareLocal makes name local to the function being run, keeping what
// it was so that the function's return restores it.
func (s *shell) declareLocal(name string) {
	frame := s.locals[len(s.locals)-1]
	if _, done := frame[name]; done {
		return
	}
	v, set := s.vars[name]
	frame[name] = savedVar{val: v, set: set, exported: s.exported[name], arr: s.arrays[name]}
}

// popLocals restores the variables a returning function made local.
func (s *shell) popLocals() {
	frame := s.locals[len(s.locals)-1]
	s.locals = s.locals[:len(s.locals)-1]
	for name, sv := range frame {
		delete(s.arrays, name)
		if sv.arr != nil {
			s.arrays[name] = sv.arr
		}
		if sv.set {
			s.vars[name] = sv.val
		} else {
			delete(s.vars, name)
		}
		if sv.exported {
			s.exported[name] = true
		} else {
			delete(s.exported, name)
		}
	}
}

// returnJump unwinds a function or a sourced file for return.
type returnJump struct{ status int }

// callFunction runs a shell function with its arguments: a scope for its
// local variables, and return ending it.
func (s *shell) callFunction(body node, argv []string, redirs []*redirect) {
	s.enter()
	defer s.leave()
	saved := s.args
	s.args = argv[1:]
	s.funcDepth++
	s.locals = append(s.locals, map[string]savedVar{})
	savedLoop := s.loopDepth
	s.loopDepth = 0
	defer func() {
		s.funcDepth--
		s.popLocals()
		s.args = saved
		s.loopDepth = savedLoop
		if r := recover(); r != nil {
			j, ok := r.(returnJump)
			if !ok {
				panic(r)
			}
			s.status = j.status
		}
	}()
	s.withRedirs(redirs, func() { s.evalCommand(body, false) })
}

// setPipeStatus is bash's PIPESTATUS: the statuses of the last
// pipeline's commands.
func (s *shell) setPipeStatus(sts []int) {
	if !s.bash {
		return
	}
	a := newShArray(false)
	for i, st := range sts {
		a.set(itoa(i), itoa(st))
	}
	s.arrays["PIPESTATUS"] = a
}
