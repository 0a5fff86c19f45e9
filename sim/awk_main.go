package sim

import (
	"bufio"
	"math/rand"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// This file is awk's command line (mawk 1.3.4 20200120's options -f -F -v
// -W and --), its program run (BEGIN, the records, END, exit) and its
// run-time error report.

const awkUsage = `Usage: mawk [Options] [Program] [file ...]

Program:
    The -f option value is the name of a file containing program text.
    If no -f option is given, a "--" ends option processing; the following
    parameters are the program text.

Options:
    -f program-file  Program  text is read from file instead of from the
                     command-line.  Multiple -f options are accepted.
    -F value         sets the field separator, FS, to value.
    -v var=value     assigns value to program variable var.
    --               unambiguous end of options.

    Implementation-specific options are prefixed with "-W".  They can be
    abbreviated:

    -W version       show version information and exit.
    -W dump          show assembler-like listing of program and exit.
    -W help          show this message and exit.
    -W interactive   set unbuffered output, line-buffered input.
    -W exec file     use file as program as well as last option.
    -W random=number set initial random seed.
    -W sprintf=number adjust size of sprintf buffer.
    -W posix_space   do not consider "\n" a space.
    -W usage         show this message and exit.
`

const awkVersion = `mawk 1.3.4 20200120
Copyright 2008-2019,2020, Thomas E. Dickey
Copyright 1991-1996,2014, Michael D. Brennan

`

const awkVersionLimits = `random-funcs:       srandom/random
regex-funcs:        internal
compiled limits:
sprintf buffer      8192
maximum-integer     2147483647
`

func awkProgName(p *Proc) string { return path.Base(p.Args[0]) }

func awkProgram(p *Proc) int {
	name := awkProgName(p)
	args := p.Args[1:]
	var progFiles []string
	var assigns []string
	fs := ""
	hasFS := false
	interactive := false // -W interactive: unbuffered output
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		opt := a[1]
		val := a[2:]
		switch opt {
		case 'f', 'F', 'v', 'W':
			if val == "" {
				if i+1 >= len(args) {
					p.Errorf("%s: option -%c lacks argument\n", name, opt)
					return 2
				}
				i++
				val = args[i]
			}
		default:
			p.Errorf("%s: not an option: %s\n", name, a)
			return 2
		}
		switch opt {
		case 'f':
			progFiles = append(progFiles, val)
		case 'F':
			fs, hasFS = val, true
		case 'v':
			if j := strings.IndexByte(val, '='); j <= 0 || !awkIsName(val[:j]) {
				p.Errorf("%s: improper assignment: -v %s\n", name, val)
				return 2
			}
			assigns = append(assigns, val)
		case 'W':
			w := strings.SplitN(val, "=", 2)[0]
			switch {
			case w != "" && strings.HasPrefix("version", w):
				p.Printf("%s", awkVersion)
				p.Errorf("%s", awkVersionLimits)
				return 0
			case w != "" && (strings.HasPrefix("usage", w) || strings.HasPrefix("help", w)):
				p.Printf("%s", awkUsage)
				return 0
			case w != "" && strings.HasPrefix("interactive", w):
				interactive = true
			case w != "" && (strings.HasPrefix("dump", w) || strings.HasPrefix("exec", w) ||
				strings.HasPrefix("random", w) || strings.HasPrefix("sprintf", w) || strings.HasPrefix("posix_space", w)):
				// Real mawk options the simulator does not have: refused
				// rather than ignored.
				p.Errorf("%s: not an option: -W %s\n", name, val)
				return 2
			default:
				p.Errorf("%s: vacuous option: -W %s\n", name, val)
			}
		}
	}
	var src string
	if len(progFiles) == 0 {
		if i >= len(args) {
			// mawk without a program prints its usage to standard
			// error, yet exits 0.
			p.Errorf("%s", awkUsage)
			return 0
		}
		src = args[i]
		i++
	} else {
		var b strings.Builder
		for n, f := range progFiles {
			if n > 0 {
				b.WriteByte('\n')
			}
			var data []byte
			var err error
			if f == "-" || f == "/dev/stdin" {
				data, err = readAllFD(p.T, 0)
			} else {
				data, err = p.ReadFile(f)
			}
			if err != nil {
				p.Errorf("%s: cannot open %s (%s)\n", name, f, err.Error())
				return 2
			}
			b.Write(data)
		}
		src = b.String()
	}
	prog, serr := parseAwk(src)
	if serr != nil {
		if len(progFiles) > 0 {
			name += ": " + progFiles[0]
		}
		p.Errorf("%s: %s\n", name, serr.msg)
		return 2
	}
	r := &awkRun{p: p, prog: prog, streams: map[string]*awkStream{}, reCache: map[string]*regexp.Regexp{},
		fields: []string{""}, inputFD: -1}
	r.stdout = bufio.NewWriter(p.Stdout())
	if f := p.T.fds[1]; f != nil && f.tty != nil || interactive {
		r.tty = true
	}
	r.rnd = rand.New(rand.NewSource(0))
	for range prog.names {
		r.globals = append(r.globals, &awkCell{})
	}
	set := func(slot int, s string) { r.globals[slot].v = awkStr(s) }
	set(awkFS, " ")
	set(awkOFS, " ")
	set(awkORS, "\n")
	set(awkRS, "\n")
	set(awkSUBSEP, "\x1c")
	set(awkCONVFMT, "%.6g")
	set(awkOFMT, "%.6g")
	r.globals[awkNR].v = awkNum(0)
	r.globals[awkFNR].v = awkNum(0)
	r.globals[awkNF].v = awkNum(0)
	r.globals[awkRLENGTH].v = awkNum(-1)
	r.globals[awkRSTART].v = awkNum(0)
	env := map[string]awkVal{}
	for _, kv := range p.T.env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = awkInput(v)
		}
	}
	r.globals[awkENVIRON].arr = env
	argv := map[string]awkVal{"0": awkStr(name)}
	for j, a := range args[i:] {
		argv[strconv.Itoa(j+1)] = awkInput(a)
	}
	r.globals[awkARGV].arr = argv
	r.globals[awkARGC].v = awkNum(float64(len(args[i:]) + 1))
	r.argIndex = 1
	if hasFS {
		r.setVar("FS", fs)
	}
	for _, a := range assigns {
		j := strings.IndexByte(a, '=')
		r.setVar(a[:j], a[j+1:])
	}
	return r.run()
}

// run runs the program and returns awk's exit status.
func (r *awkRun) run() (status int) {
	defer func() {
		if x := recover(); x != nil {
			f, ok := x.(awkFatal)
			if !ok {
				panic(x)
			}
			if f.plain {
				r.p.Errorf("%s: %s\n", r.name(), f.msg)
			} else {
				what := "run time error: "
				if f.limit {
					what = ""
				}
				r.p.Errorf("%s: %s%s\n\tFILENAME=\"%s\" FNR=%s NR=%s\n", r.name(), what, f.msg,
					r.str(r.globals[awkFILENAME].v), r.str(r.globals[awkFNR].v), r.str(r.globals[awkNR].v))
			}
			r.closeAll()
			r.stdout.Flush()
			status = 2
		}
	}()
	exited := r.phase(func() {
		for _, it := range r.prog.items {
			if it.begin {
				r.execList(it.body)
			}
		}
	})
	hasMain := false
	hasEnd := false
	for _, it := range r.prog.items {
		if it.end {
			hasEnd = true
		} else if !it.begin {
			hasMain = true
		}
	}
	if !exited && (hasMain || hasEnd) {
		exited = r.mainLoop()
	}
	if !exited || hasEnd {
		r.inEnd = true
		r.phase(func() {
			for _, it := range r.prog.items {
				if it.end {
					r.execList(it.body)
				}
			}
		})
	}
	r.closeAll()
	r.stdout.Flush()
	return r.exitCode
}

// phase runs f; it reports whether exit was called.
func (r *awkRun) phase(f func()) (exited bool) {
	defer func() {
		if x := recover(); x != nil {
			if _, ok := x.(awkExitPanic); ok {
				exited = true
				return
			}
			if _, ok := x.(awkNextPanic); ok {
				r.fatal("improper use of next")
			}
			panic(x)
		}
	}()
	f()
	return false
}

// mainLoop runs the pattern-action items on each record; it reports
// whether exit was called.
func (r *awkRun) mainLoop() (exited bool) {
	defer func() {
		if x := recover(); x != nil {
			if _, ok := x.(awkExitPanic); ok {
				exited = true
				return
			}
			panic(x)
		}
	}()
	for {
		rec, ok := r.nextMainRecord()
		if !ok {
			return false
		}
		r.setRecord(rec)
		if r.record() {
			r.closeInput()
		}
	}
}

// record runs the items on the current record; it reports nextfile.
func (r *awkRun) record() (nextFile bool) {
	defer func() {
		if x := recover(); x != nil {
			if np, ok := x.(awkNextPanic); ok {
				nextFile = np.file
				return
			}
			panic(x)
		}
	}()
	for _, it := range r.prog.items {
		if it.begin || it.end {
			continue
		}
		if !r.matches(it) {
			continue
		}
		if it.noAction {
			r.stdout.WriteString(r.fields[0] + r.str(r.globals[awkORS].v))
			if r.tty {
				r.stdout.Flush()
			}
			continue
		}
		r.execList(it.body)
	}
	return false
}

func (r *awkRun) matches(it *awkItem) bool {
	if it.pat == nil {
		return true
	}
	if it.pat2 == nil {
		return r.truth(r.eval(it.pat))
	}
	if !it.inRange {
		if !r.truth(r.eval(it.pat)) {
			return false
		}
		it.inRange = true
	}
	if r.truth(r.eval(it.pat2)) {
		it.inRange = false
	}
	return true
}

// readAllFD reads a descriptor to its end.
func readAllFD(t *Task, fd int) ([]byte, error) {
	var out []byte
	buf := make([]byte, 4096)
	for {
		n, err := t.Read(fd, buf)
		out = append(out, buf[:n]...)
		if err != nil || n == 0 {
			return out, nil
		}
	}
}
