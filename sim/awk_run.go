package sim

import (
	"bufio"
	"math"
	"math/rand"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// This file walks the tree awk_parse.go builds: records and fields, the
// special variables, arrays, user functions, output redirections and
// getline through the simulated kernel, and commands run by the simulated
// shell (sh -c) for system(), print | cmd and cmd | getline.

// awkSpecialVars are the builtin variables, in their slot order.
var awkSpecialVars = []string{"NR", "FNR", "NF", "FS", "OFS", "ORS", "RS", "FILENAME", "SUBSEP",
	"RSTART", "RLENGTH", "CONVFMT", "OFMT", "ENVIRON", "ARGC", "ARGV"}

const (
	awkNR = iota
	awkFNR
	awkNF
	awkFS
	awkOFS
	awkORS
	awkRS
	awkFILENAME
	awkSUBSEP
	awkRSTART
	awkRLENGTH
	awkCONVFMT
	awkOFMT
	awkENVIRON
	awkARGC
	awkARGV
)

// awkCell is a variable: a scalar or an array (shared by reference when
// passed to a function).
type awkCell struct {
	v   awkVal
	arr map[string]awkVal
}

// awkStream is an open redirection or input.
type awkStream struct {
	fd    int
	child *Task
	in    *bufio.Reader
	out   *bufio.Writer
}

// awkRun is a running program.
type awkRun struct {
	p       *Proc
	prog    *awkProg
	globals []*awkCell
	frame   []*awkCell
	fields  []string // fields[0] is $0
	stdout  *bufio.Writer
	tty     bool
	streams map[string]*awkStream
	reCache map[string]*regexp.Regexp
	fmtFunc string
	rnd     *rand.Rand
	seed    float64

	argIndex int
	sawFile  bool
	input    *bufio.Reader
	inputFD  int
	exitCode int
	inEnd    bool
}

// Control flow travels as panics of these types.
type (
	awkNextPanic     struct{ file bool }
	awkExitPanic     struct{}
	awkBreakPanic    struct{}
	awkContinuePanic struct{}
	awkReturnPanic   struct{ v awkVal }
	awkFatal         struct {
		msg   string
		plain bool // reported without "run time error" and the record position
		limit bool // reported without "run time error", with the position
	}
)

func (r *awkRun) fatal(format string, a ...any) {
	panic(awkFatal{msg: r.sprintfGo(format, a...)})
}

func (r *awkRun) sprintfGo(format string, a ...any) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) && format[i+1] == 's' && len(a) > 0 {
			b.WriteString(a[0].(string))
			a = a[1:]
			i++
			continue
		}
		b.WriteByte(format[i])
	}
	return b.String()
}

func (r *awkRun) cell(e *awkExpr) *awkCell {
	if e.local {
		return r.frame[e.slot]
	}
	return r.globals[e.slot]
}

func (r *awkRun) array(e *awkExpr) map[string]awkVal {
	c := r.cell(e)
	if c.arr == nil {
		if c.v.kind != avUninit {
			r.fatal("can't use scalar %s as array", e.s)
		}
		c.arr = map[string]awkVal{}
	}
	return c.arr
}

func (r *awkRun) subscript(args []*awkExpr) string {
	if len(args) == 1 {
		return r.subStr(r.eval(args[0]))
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = r.subStr(r.eval(a))
	}
	return strings.Join(parts, r.str(r.globals[awkSUBSEP].v))
}

// subStr converts a subscript: integers as integers, others by CONVFMT.
func (r *awkRun) subStr(v awkVal) string { return r.str(v) }

// setRecord sets $0 and splits it into fields.
func (r *awkRun) setRecord(s string) {
	r.fields = append(r.fields[:0], s)
	r.fields = append(r.fields, r.split(s, r.str(r.globals[awkFS].v))...)
	r.globals[awkNF].v = awkNum(float64(len(r.fields) - 1))
}

// split splits s by a field separator as awk does: " " on runs of blanks
// with leading and trailing ones ignored, one other character literally,
// anything longer as a regular expression.
func (r *awkRun) split(s, fs string) []string {
	switch {
	case fs == " ":
		return strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == '\t' || c == '\n' })
	case s == "":
		return nil
	case fs == "":
		// An empty separator makes each character a field.
		out := make([]string, len(s))
		for i := range s {
			out[i] = s[i : i+1]
		}
		return out
	case len(fs) == 1:
		// One character other than a blank separates literally, even
		// a regular expression's metacharacter (split(s, a, ".")).
		return strings.Split(s, fs)
	}
	re := r.regexFor(fs)
	var out []string
	for {
		loc := re.FindStringIndex(s)
		if loc == nil || loc[1] == 0 && loc[0] == 0 && len(s) == 0 {
			break
		}
		if loc[1] == loc[0] {
			// An empty match does not split.
			break
		}
		out = append(out, s[:loc[0]])
		s = s[loc[1]:]
	}
	return append(out, s)
}

func (r *awkRun) regexFor(s string) *regexp.Regexp {
	if re, ok := r.reCache[s]; ok {
		return re
	}
	re, err := awkCompile(s)
	if err != nil {
		r.fatal("regular expression compile failed (%s)\n%s", err.Error(), s)
	}
	r.reCache[s] = re
	return re
}

func (r *awkRun) regexOf(e *awkExpr) *regexp.Regexp {
	if e.kind == aeRegex {
		return e.re
	}
	return r.regexFor(r.str(r.eval(e)))
}

func (r *awkRun) getField(i int) awkVal {
	if i < 0 {
		r.fatal("negative field index $%s", strconv.Itoa(i))
	}
	if i >= len(r.fields) {
		return awkVal{}
	}
	return awkInput(r.fields[i])
}

// awkMaxFields bounds the fields a program may create. mawk grows them
// until memory runs out, and in a lab the memory limit then kills it
// (NF = 1e8 is "Killed"); the simulator, whose memory is the browser's,
// dies the same way sooner.
const awkMaxFields = 1 << 20

func (r *awkRun) setField(i int, s string) {
	if i < 0 {
		r.fatal("negative field index $%s", strconv.Itoa(i))
	}
	if i > awkMaxFields {
		panic(killedPanic{sig: SIGKILL})
	}
	if i == 0 {
		r.setRecord(s)
		return
	}
	for len(r.fields) <= i {
		r.fields = append(r.fields, "")
	}
	r.fields[i] = s
	r.globals[awkNF].v = awkNum(float64(len(r.fields) - 1))
	r.rebuild()
}

func (r *awkRun) rebuild() {
	r.fields[0] = strings.Join(r.fields[1:], r.str(r.globals[awkOFS].v))
}

func (r *awkRun) setNF(n int) {
	if n < 0 {
		n = 0
	}
	if n > awkMaxFields {
		panic(killedPanic{sig: SIGKILL})
	}
	for len(r.fields) <= n {
		r.fields = append(r.fields, "")
	}
	r.fields = r.fields[:n+1]
	r.rebuild()
}

// assign stores v into an lvalue and returns it.
func (r *awkRun) assign(e *awkExpr, v awkVal) awkVal {
	switch e.kind {
	case aeVar:
		c := r.cell(e)
		c.v = v
		if !e.local && e.slot == awkNF {
			r.setNF(int(r.num(v)))
			c.v = awkNum(float64(int(r.num(v))))
		}
	case aeIndex:
		r.array(e.a)[r.subscript(e.args)] = v
	case aeField:
		r.setField(int(r.num(r.eval(e.a))), r.str(v))
	}
	return v
}

func (r *awkRun) eval(e *awkExpr) awkVal {
	switch e.kind {
	case aeNum:
		return awkNum(e.n)
	case aeStr:
		return awkStr(e.s)
	case aeRegex:
		return awkBool(e.re.MatchString(r.fields[0]))
	case aeGroup:
		if e.args != nil {
			r.fatal("syntax error")
		}
		return r.eval(e.a)
	case aeVar:
		// The parser has checked globals' types; a parameter given an
		// untyped name holds an (empty) array the function may use as a
		// scalar instead.
		return r.cell(e).v
	case aeIndex:
		arr := r.array(e.a)
		k := r.subscript(e.args)
		v, ok := arr[k]
		if !ok {
			arr[k] = awkVal{}
		}
		return v
	case aeField:
		return r.getField(int(r.num(r.eval(e.a))))
	case aeAssign:
		if e.op == "=" {
			return r.assign(e.a, r.copyVal(r.eval(e.b)))
		}
		b := r.num(r.eval(e.b))
		a := r.num(r.eval(e.a))
		return r.assign(e.a, awkNum(r.arith(e.op[:1], a, b)))
	case aeCond:
		if r.truth(r.eval(e.c)) {
			return r.eval(e.a)
		}
		return r.eval(e.b)
	case aeAnd:
		return awkBool(r.truth(r.eval(e.a)) && r.truth(r.eval(e.b)))
	case aeOr:
		return awkBool(r.truth(r.eval(e.a)) || r.truth(r.eval(e.b)))
	case aeNot:
		return awkBool(!r.truth(r.eval(e.a)))
	case aeNeg:
		return awkNum(-r.num(r.eval(e.a)))
	case aePlus:
		return awkNum(r.num(r.eval(e.a)))
	case aeBinary:
		a := r.num(r.eval(e.a))
		return awkNum(r.arith(e.op, a, r.num(r.eval(e.b))))
	case aeConcat:
		a := r.str(r.eval(e.a))
		return awkStr(a + r.str(r.eval(e.b)))
	case aeCmp:
		c := r.compare(r.eval(e.a), r.eval(e.b))
		switch e.op {
		case "<":
			return awkBool(c < 0)
		case "<=":
			return awkBool(c <= 0)
		case "==":
			return awkBool(c == 0)
		case "!=":
			return awkBool(c != 0)
		case ">=":
			return awkBool(c >= 0)
		}
		return awkBool(c > 0)
	case aeMatch:
		s := r.str(r.eval(e.a))
		m := r.regexOf(e.b).MatchString(s)
		return awkBool(m == (e.op == "~"))
	case aeIn:
		_, ok := r.array(e.a)[r.subscript(e.args)]
		return awkBool(ok)
	case aeIncDec:
		old := r.num(r.eval(e.a))
		n := old + 1
		if e.op == "--" {
			n = old - 1
		}
		r.assign(e.a, awkNum(n))
		if e.post {
			return awkNum(old)
		}
		return awkNum(n)
	case aeCall:
		return r.call(e)
	case aeBuiltin:
		return r.builtin(e)
	case aeGetline:
		return r.getline(e)
	}
	panic("awk: unknown expression")
}

// copyVal is the value an assignment stores: strnum-ness is kept.
func (r *awkRun) copyVal(v awkVal) awkVal { return v }

func (r *awkRun) arith(op string, a, b float64) float64 {
	switch op {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		return a / b
	case "%":
		return math.Mod(a, b)
	}
	return math.Pow(a, b)
}

func (r *awkRun) call(e *awkExpr) awkVal {
	f := r.prog.funcs[e.slot]
	if len(e.args) > len(f.params) {
		r.fatal("too many arguments in call to %s", f.name)
	}
	frame := make([]*awkCell, len(f.params))
	for i := range frame {
		frame[i] = &awkCell{}
		if i >= len(e.args) {
			continue
		}
		a := e.args[i]
		if a.kind == aeVar {
			c := r.cell(a)
			if c.arr != nil || c.v.kind == avUninit {
				// An array, or an untyped name the function may use as one.
				if c.arr == nil {
					c.arr = map[string]awkVal{}
					frame[i].arr = c.arr
					frame[i].v = awkVal{}
					// The caller's name stays usable as a scalar until used.
					defer func(c *awkCell) {
						if len(c.arr) == 0 {
							c.arr = nil
						}
					}(c)
					continue
				}
				frame[i].arr = c.arr
				continue
			}
		}
		frame[i].v = r.eval(a)
	}
	saved := r.frame
	r.frame = frame
	defer func() { r.frame = saved }()
	return r.runFunc(f)
}

func (r *awkRun) runFunc(f *awkFunc) (ret awkVal) {
	defer func() {
		if x := recover(); x != nil {
			if rp, ok := x.(awkReturnPanic); ok {
				ret = rp.v
				return
			}
			panic(x)
		}
	}()
	r.execList(f.body)
	return awkVal{}
}

func (r *awkRun) execList(list []*awkStmt) {
	for _, s := range list {
		r.exec(s)
	}
}

// loopBody runs a loop body; it reports whether the loop should stop.
func (r *awkRun) loopBody(body []*awkStmt) (stop bool) {
	defer func() {
		if x := recover(); x != nil {
			switch x.(type) {
			case awkBreakPanic:
				stop = true
			case awkContinuePanic:
			default:
				panic(x)
			}
		}
	}()
	r.execList(body)
	return false
}

func (r *awkRun) exec(s *awkStmt) {
	switch s.kind {
	case asExpr:
		r.eval(s.e)
	case asBlock:
		r.execList(s.body)
	case asPrint, asPrintf:
		r.print(s)
	case asIf:
		if r.truth(r.eval(s.e)) {
			r.execList(s.body)
		} else {
			r.execList(s.els)
		}
	case asWhile:
		for r.truth(r.eval(s.e)) {
			if r.loopBody(s.body) {
				break
			}
		}
	case asDo:
		for {
			if r.loopBody(s.body) || !r.truth(r.eval(s.e)) {
				break
			}
		}
	case asFor:
		if s.init != nil {
			r.exec(s.init)
		}
		for s.e == nil || r.truth(r.eval(s.e)) {
			if r.loopBody(s.body) {
				break
			}
			if s.post != nil {
				r.exec(s.post)
			}
		}
	case asForIn:
		arr := r.array(s.e)
		keys := make([]string, 0, len(arr))
		for k := range arr {
			keys = append(keys, k)
		}
		awkSortKeys(keys)
		for _, k := range keys {
			if _, ok := arr[k]; !ok {
				continue
			}
			r.assign(s.v, awkInput(k))
			if r.loopBody(s.body) {
				break
			}
		}
	case asBreak:
		panic(awkBreakPanic{})
	case asContinue:
		panic(awkContinuePanic{})
	case asNext, asNextFile:
		if r.inEnd || r.input == nil && r.fields == nil {
			r.fatal("improper use of next")
		}
		panic(awkNextPanic{file: s.kind == asNextFile})
	case asExit:
		if s.e != nil {
			r.exitCode = int(r.num(r.eval(s.e)))
		}
		panic(awkExitPanic{})
	case asReturn:
		var v awkVal
		if s.e != nil {
			v = r.eval(s.e)
		}
		panic(awkReturnPanic{v})
	case asDelete:
		arr := r.array(s.v)
		if s.args == nil {
			for k := range arr {
				delete(arr, k)
			}
		} else {
			delete(arr, r.subscript(s.args))
		}
	}
}

// awkSortKeys orders for-in keys: numbers by value first, then strings.
// (mawk's order is its hash table's; sorted order is stable to compare.)
func awkSortKeys(keys []string) {
	sort.Slice(keys, func(i, j int) bool {
		a, aerr := strconv.ParseFloat(keys[i], 64)
		b, berr := strconv.ParseFloat(keys[j], 64)
		switch {
		case aerr == nil && berr == nil:
			return a < b
		case aerr == nil:
			return true
		case berr == nil:
			return false
		}
		return keys[i] < keys[j]
	})
}

func (r *awkRun) print(s *awkStmt) {
	var text string
	if s.kind == asPrint {
		if len(s.args) == 0 {
			text = r.fields[0]
		} else {
			parts := make([]string, len(s.args))
			for i, a := range s.args {
				parts[i] = r.outStr(r.eval(a))
			}
			text = strings.Join(parts, r.str(r.globals[awkOFS].v))
		}
		text += r.str(r.globals[awkORS].v)
	} else {
		vals := make([]awkVal, len(s.args))
		for i, a := range s.args {
			vals[i] = r.eval(a)
		}
		r.fmtFunc = "printf"
		var err error
		if text, err = r.sprintf(r.str(vals[0]), vals[1:]); err != nil {
			// mawk has written what came before the bad conversion.
			if s.redir == "" {
				r.stdout.WriteString(text)
			}
			r.fatal("%s", err.Error())
		}
	}
	if s.redir == "" {
		r.stdout.WriteString(text)
		if r.tty {
			r.stdout.Flush()
		}
		return
	}
	w := r.output(s.redir, r.str(r.eval(s.dest)))
	w.WriteString(text)
}

// output returns the stream of a redirection, opening it the first time.
func (r *awkRun) output(redir, name string) *bufio.Writer {
	if st, ok := r.streams[name]; ok && st.out != nil {
		return st.out
	}
	switch name {
	case "/dev/stdout", "-":
		return r.stdout
	case "/dev/stderr":
		st := &awkStream{fd: 2, out: bufio.NewWriterSize(r.p.Stderr(), 1)}
		r.streams[name] = st
		return st.out
	}
	st := &awkStream{}
	t := r.p.T
	if redir == "|" {
		r.flushAll()
		rd, wr := newPipe()
		c := r.spawn(name, func(c *Task) { c.setFD(0, rd.dup()) })
		st.child = c
		st.fd = t.freeFD(3)
		t.fds[st.fd] = wr
		awkDrop(t, rd)
	} else {
		flags := openWrite | openCreate | openTrunc
		if redir == ">>" {
			flags = openWrite | openCreate | openAppend
		}
		f, err := r.p.K.open(t, name, flags)
		if err != nil {
			panic(awkFatal{msg: r.sprintfGo("cannot open \"%s\" for output (%s)", name, err.Error()), plain: true})
		}
		st.fd = t.freeFD(3)
		t.fds[st.fd] = f
	}
	st.out = bufio.NewWriter(awkFDWriter{t, st.fd})
	r.streams[name] = st
	return st.out
}

// awkFDWriter writes to a descriptor of the task.
type awkFDWriter struct {
	t  *Task
	fd int
}

func (w awkFDWriter) Write(p []byte) (int, error) { return w.t.Write(w.fd, p) }

// awkDrop releases the program's own reference to a file it handed on.
func awkDrop(t *Task, f *File) {
	fd := t.freeFD(3)
	t.fds[fd] = f
	t.closeFD(fd)
}

// spawn runs cmd with the simulated shell (sh -c) as a child; setup
// arranges its descriptors before it runs.
func (r *awkRun) spawn(cmd string, setup func(c *Task)) *Task {
	k, t := r.p.K, r.p.T
	c, err := k.fork(t)
	if err != nil {
		r.fatal("fork failed (%s)", err.Error())
	}
	setup(c)
	argv := []string{"sh", "-c", cmd}
	k.startTask(c, func(ct *Task) int {
		// execve does not return on success; sh is always installed.
		if file, node, err := k.findExecutable(ct, "sh"); err == nil {
			k.execve(ct, file, node, argv)
		}
		return 127
	})
	return c
}

// waitStatus turns a wait status into awk's: the exit code, or 256 plus
// the signal.
func awkWaitStatus(ws int) int {
	if ws&0x7f != 0 {
		return 256 + ws&0x7f
	}
	return ws >> 8 & 0xff
}

func (r *awkRun) flushAll() {
	r.stdout.Flush()
	for _, st := range r.streams {
		if st.out != nil {
			st.out.Flush()
		}
	}
}

// closeStream closes a redirection or input by name; it returns close()'s
// value: -1 if none was open, else 0 or a command's exit status.
func (r *awkRun) closeStream(name string) int {
	st, ok := r.streams[name]
	if !ok {
		return -1
	}
	delete(r.streams, name)
	if st.out != nil {
		st.out.Flush()
	}
	if st.fd > 2 {
		r.p.T.closeFD(st.fd)
	}
	if st.child != nil {
		return awkWaitStatus(r.p.T.wait(st.child, false))
	}
	return 0
}

func (r *awkRun) closeAll() {
	names := make([]string, 0, len(r.streams))
	for n := range r.streams {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r.closeStream(n)
	}
}

// system runs a command with the simulated shell and waits for it.
func (r *awkRun) system(cmd string) int {
	r.flushAll()
	c := r.spawn(cmd, func(*Task) {})
	return awkWaitStatus(r.p.T.wait(c, false))
}

// readRecord reads one record from rd by RS: a newline, one character,
// or "" for paragraphs.
func (r *awkRun) readRecord(rd *bufio.Reader) (string, bool) {
	rs := r.str(r.globals[awkRS].v)
	switch {
	case rs == "":
		// Paragraph mode: skip leading newlines, end at a blank line.
		for {
			c, err := rd.ReadByte()
			if err != nil {
				return "", false
			}
			if c != '\n' {
				rd.UnreadByte()
				break
			}
		}
		var b strings.Builder
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				b.WriteString(line)
				return strings.TrimRight(b.String(), "\n"), b.Len() > 0
			}
			if line == "\n" {
				for {
					c, err := rd.ReadByte()
					if err != nil {
						break
					}
					if c != '\n' {
						rd.UnreadByte()
						break
					}
				}
				return strings.TrimSuffix(b.String(), "\n"), true
			}
			b.WriteString(line)
		}
	case len(rs) == 1:
		line, err := rd.ReadString(rs[0])
		if err != nil {
			return line, line != ""
		}
		return line[:len(line)-1], true
	}
	// A regular expression: read everything that is left (simple, as
	// input in a lab is small) and cut at the first match.
	re := r.regexFor(rs)
	var b strings.Builder
	for {
		buf, err := rd.Peek(rd.Buffered())
		if len(buf) > 0 {
			if loc := re.FindIndex(buf); loc != nil && loc[1] < len(buf) {
				rec := string(buf[:loc[0]])
				rd.Discard(loc[1])
				return b.String() + rec, true
			}
			b.Write(buf)
			rd.Discard(len(buf))
		}
		c, err2 := rd.ReadByte()
		if err2 != nil {
			s := b.String()
			if loc := re.FindStringIndex(s); loc != nil {
				return s[:loc[0]], true
			}
			return s, s != ""
		}
		rd.UnreadByte()
		_ = c
		_ = err
	}
}

// nextMainRecord reads the next record of the main input (the files among
// ARGV, or standard input), applying var=value operands as it goes.
func (r *awkRun) nextMainRecord() (string, bool) {
	for {
		if r.input == nil {
			if !r.openNextInput() {
				return "", false
			}
		}
		rec, ok := r.readRecord(r.input)
		if ok {
			r.incr(awkNR)
			r.incr(awkFNR)
			return rec, true
		}
		r.closeInput()
	}
}

func (r *awkRun) incr(slot int) {
	r.globals[slot].v = awkNum(r.num(r.globals[slot].v) + 1)
}

func (r *awkRun) closeInput() {
	if r.inputFD > 2 {
		r.p.T.closeFD(r.inputFD)
	}
	r.input = nil
	r.inputFD = -1
}

// openNextInput opens the next input file; it reports false at the end.
func (r *awkRun) openNextInput() bool {
	argv := r.array(&awkExpr{kind: aeVar, slot: awkARGV})
	for {
		argc := int(r.num(r.globals[awkARGC].v))
		if r.argIndex >= argc {
			if r.argIndex == argc && !r.sawFile {
				r.argIndex++
				r.sawFile = true
				r.input = bufio.NewReader(r.p.Stdin())
				r.inputFD = 0
				r.globals[awkFNR].v = awkNum(0)
				r.globals[awkFILENAME].v = awkStr("-")
				return true
			}
			return false
		}
		v, ok := argv[strconv.Itoa(r.argIndex)]
		r.argIndex++
		if !ok {
			continue
		}
		name := r.str(v)
		if name == "" {
			continue
		}
		if i := strings.IndexByte(name, '='); i > 0 && awkIsName(name[:i]) {
			r.setVar(name[:i], name[i+1:])
			continue
		}
		r.sawFile = true
		r.globals[awkFILENAME].v = awkStr(name)
		r.globals[awkFNR].v = awkNum(0)
		if name == "-" || name == "/dev/stdin" {
			r.input = bufio.NewReader(r.p.Stdin())
			r.inputFD = 0
			return true
		}
		f, err := r.p.K.open(r.p.T, name, openRead)
		if err == nil && f.node != nil && f.node.isDir() {
			awkDrop(r.p.T, f)
			err = EISDIR
		}
		if err != nil {
			r.p.Errorf("%s: cannot open %s (%s)\n", r.name(), name, err.Error())
			r.exitCode = 2
			panic(awkExitPanic{})
		}
		r.inputFD = r.p.T.freeFD(3)
		r.p.T.fds[r.inputFD] = f
		r.input = bufio.NewReader(fdReader{r.p.T, r.inputFD})
		return true
	}
}

func awkIsName(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// setVar assigns a command-line var=value: escapes are processed and the
// value is a strnum if it looks numeric.
func (r *awkRun) setVar(name, value string) {
	var b strings.Builder
	for i := 0; i < len(value); i++ {
		if value[i] == '\\' && i+1 < len(value) {
			n, s := awkEscape(value[i+1:])
			b.WriteString(s)
			i += n
			continue
		}
		b.WriteByte(value[i])
	}
	slot, ok := r.prog.globals[name]
	if !ok {
		slot = len(r.globals)
		r.prog.globals[name] = slot
		r.prog.names = append(r.prog.names, name)
		r.globals = append(r.globals, &awkCell{})
	}
	r.assign(&awkExpr{kind: aeVar, slot: slot, s: name}, awkInput(b.String()))
}

func (r *awkRun) name() string { return awkProgName(r.p) }

// getline implements the getline forms; it returns 1, 0 at end of input,
// or -1 when the input cannot be opened.
func (r *awkRun) getline(e *awkExpr) awkVal {
	var rec string
	switch e.op {
	case "":
		s, ok := r.nextMainRecord()
		if !ok {
			return awkNum(0)
		}
		rec = s
		if e.a == nil {
			r.setRecord(rec)
			return awkNum(1)
		}
	default:
		name := r.str(r.eval(e.b))
		st, ok := r.streams[name]
		if !ok || st.in == nil {
			st = &awkStream{}
			t := r.p.T
			if e.op == "|" {
				r.flushAll()
				rd, wr := newPipe()
				st.child = r.spawn(name, func(c *Task) { c.setFD(1, wr.dup()) })
				awkDrop(t, wr)
				st.fd = t.freeFD(3)
				t.fds[st.fd] = rd
			} else if name == "-" || name == "/dev/stdin" {
				st.fd = 0
			} else {
				f, err := r.p.K.open(t, name, openRead)
				if err != nil {
					return awkNum(-1)
				}
				st.fd = t.freeFD(3)
				t.fds[st.fd] = f
			}
			st.in = bufio.NewReader(fdReader{t, st.fd})
			r.streams[name] = st
		}
		s, ok := r.readRecord(st.in)
		if !ok {
			return awkNum(0)
		}
		rec = s
		r.incr(awkNR)
		if e.a == nil {
			r.setRecord(rec)
			return awkNum(1)
		}
	}
	r.assign(e.a, awkInput(rec))
	return awkNum(1)
}

func (r *awkRun) builtin(e *awkExpr) awkVal {
	arg := func(i int) awkVal { return r.eval(e.args[i]) }
	switch e.op {
	case "length":
		if len(e.args) == 0 {
			return awkNum(float64(len(r.fields[0])))
		}
		if a := e.args[0]; a.kind == aeVar {
			if c := r.cell(a); c.arr != nil {
				return awkNum(float64(len(c.arr)))
			}
		}
		return awkNum(float64(len(r.str(arg(0)))))
	case "substr":
		s := r.str(arg(0))
		start := r.num(arg(1))
		length := math.Inf(1)
		if len(e.args) == 3 {
			length = r.num(arg(2))
		}
		// mawk 1.3.4 20200120 truncates both, and a start before 1
		// lengthens the result by as much (substr(s, -1, 3) has 4 bytes).
		from := math.Trunc(start)
		if from < 1 {
			length -= from
			from = 1
		}
		to := float64(len(s) + 1)
		if !math.IsInf(length, 1) {
			to = math.Min(to, from+math.Trunc(length))
		}
		if to <= from || from > float64(len(s)) {
			return awkStr("")
		}
		return awkStr(s[int(from)-1 : int(to)-1])
	case "index":
		return awkNum(float64(strings.Index(r.str(arg(0)), r.str(arg(1))) + 1))
	case "split":
		s := r.str(arg(0))
		var parts []string
		if len(e.args) == 3 {
			if e.args[2].kind == aeRegex {
				parts = r.splitRE(s, e.args[2].re)
			} else {
				parts = r.split(s, r.str(arg(2)))
			}
		} else {
			parts = r.split(s, r.str(r.globals[awkFS].v))
		}
		arr := r.array(e.args[1])
		for k := range arr {
			delete(arr, k)
		}
		for i, p := range parts {
			arr[strconv.Itoa(i+1)] = awkInput(p)
		}
		return awkNum(float64(len(parts)))
	case "sub", "gsub":
		re := r.regexOf(e.args[0])
		repl := r.str(arg(1))
		target := &awkExpr{kind: aeField, a: &awkExpr{kind: aeNum}}
		if len(e.args) == 3 {
			target = e.args[2]
		}
		s := r.str(r.eval(target))
		out, n := awkSubst(re, repl, s, e.op == "gsub")
		if n > 0 {
			r.assign(target, awkStr(out))
		}
		return awkNum(float64(n))
	case "match":
		s := r.str(arg(0))
		loc := r.regexOf(e.args[1]).FindStringIndex(s)
		if loc == nil {
			r.globals[awkRSTART].v = awkNum(0)
			r.globals[awkRLENGTH].v = awkNum(-1)
			return awkNum(0)
		}
		r.globals[awkRSTART].v = awkNum(float64(loc[0] + 1))
		r.globals[awkRLENGTH].v = awkNum(float64(loc[1] - loc[0]))
		return awkNum(float64(loc[0] + 1))
	case "sprintf":
		vals := make([]awkVal, len(e.args))
		for i := range e.args {
			vals[i] = arg(i)
		}
		r.fmtFunc = "sprintf"
		s, err := r.sprintf(r.str(vals[0]), vals[1:])
		if err != nil {
			r.fatal("%s", err.Error())
		}
		if len(s) > 8192 {
			panic(awkFatal{msg: "program limit exceeded: sprintf buffer size=8192", limit: true})
		}
		return awkStr(s)
	case "tolower":
		return awkStr(strings.ToLower(r.str(arg(0))))
	case "toupper":
		return awkStr(strings.ToUpper(r.str(arg(0))))
	case "int":
		return awkNum(math.Trunc(r.num(arg(0))))
	case "sqrt":
		return awkNum(math.Sqrt(r.num(arg(0))))
	case "exp":
		return awkNum(math.Exp(r.num(arg(0))))
	case "log":
		return awkNum(math.Log(r.num(arg(0))))
	case "sin":
		return awkNum(math.Sin(r.num(arg(0))))
	case "cos":
		return awkNum(math.Cos(r.num(arg(0))))
	case "atan2":
		return awkNum(math.Atan2(r.num(arg(0)), r.num(arg(1))))
	case "rand":
		return awkNum(r.rnd.Float64())
	case "srand":
		prev := r.seed
		if len(e.args) == 1 {
			r.seed = r.num(arg(0))
		} else {
			r.seed = float64(r.p.K.now / 1e9)
		}
		r.rnd = rand.New(rand.NewSource(int64(r.seed)))
		return awkNum(prev)
	case "close":
		return awkNum(float64(r.closeStream(r.str(arg(0)))))
	case "fflush":
		if len(e.args) == 0 {
			r.stdout.Flush()
			return awkNum(0)
		}
		name := r.str(arg(0))
		if st, ok := r.streams[name]; ok && st.out != nil {
			st.out.Flush()
			return awkNum(0)
		}
		if name == "/dev/stdout" {
			r.stdout.Flush()
			return awkNum(0)
		}
		return awkNum(-1)
	case "system":
		return awkNum(float64(r.system(r.str(arg(0)))))
	}
	panic("awk: unknown builtin " + e.op)
}

func (r *awkRun) splitRE(s string, re *regexp.Regexp) []string {
	if s == "" {
		return nil
	}
	var out []string
	for {
		loc := re.FindStringIndex(s)
		if loc == nil || loc[0] == loc[1] {
			break
		}
		out = append(out, s[:loc[0]])
		s = s[loc[1]:]
	}
	return append(out, s)
}

// awkSubst replaces the first (or every) match of re in s by repl, in
// which & is the match and \& a literal &.
func awkSubst(re *regexp.Regexp, repl, s string, global bool) (string, int) {
	var b strings.Builder
	n := 0
	pos := 0
	for pos <= len(s) {
		loc := re.FindStringIndex(s[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		b.WriteString(s[pos:start])
		for i := 0; i < len(repl); i++ {
			switch {
			case repl[i] == '\\' && i+1 < len(repl) && (repl[i+1] == '&' || repl[i+1] == '\\'):
				b.WriteByte(repl[i+1])
				i++
			case repl[i] == '&':
				b.WriteString(s[start:end])
			default:
				b.WriteByte(repl[i])
			}
		}
		n++
		if end == start {
			if start < len(s) {
				b.WriteByte(s[start])
			}
			pos = start + 1
		} else {
			pos = end
		}
		if !global {
			break
		}
	}
	if n == 0 {
		return s, 0
	}
	if pos < len(s) {
		b.WriteString(s[pos:])
	}
	return b.String(), n
}
