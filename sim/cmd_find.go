package sim

import (
	"sort"
	"strconv"
	"strings"
)

// This file is find of GNU findutils 4.9.0: the starting points, the
// options -H, -L, -P, -maxdepth, -mindepth, -depth; the tests -name,
// -iname, -path, -ipath, -wholename, -iwholename, -type, -empty, -inum,
// -links, -true, -false; the actions -print, -print0, -prune, -quit and
// -exec (both ; and {} +); the operators ( ), !, -not, -a, -and, -o,
// -or and ",". An expression without an action prints what it matches.
// Any other predicate is refused as find refuses one it does not know.
//
// A directory's entries come in the order the file system's readdir
// gives them: tmpfs hands out the newest first (dcache_readdir walks
// d_subdirs, where d_alloc adds at the head); other file systems in the
// simulator's order, by name.

// findExpr is a node of find's expression tree.
type findExpr struct {
	op   string // "and", "or", "not", ",", or "" for a primary
	l, r *findExpr
	eval func(f *findRun, e *findEntry) bool
}

// findEntry is a file find visits.
type findEntry struct {
	path  string
	node  *inode
	depth int
}

// findRun is one find invocation.
type findRun struct {
	p                  *Proc
	follow             byte // 'P', 'H', 'L'
	minDepth, maxDepth int
	depthFirst         bool
	expr               *findExpr
	prune, quit        bool
	status             int
	// batches are the -exec ... {} + commands and the files each
	// gathered.
	batches []*findBatch
}

// findBatch is one -exec ... {} + and its files.
type findBatch struct {
	argv  []string
	files []string
}

// findParseError is a message find stops with.
type findParseError string

// findProgram is find.
func findProgram(p *Proc) int {
	args := p.Args[1:]
	f := &findRun{p: p, follow: 'P', maxDepth: -1}
	for len(args) > 0 {
		switch args[0] {
		case "-H", "-L", "-P":
			f.follow = args[0][1]
			args = args[1:]
			continue
		case "--":
			args = args[1:]
		}
		break
	}
	var paths []string
	for len(args) > 0 && !findLooksLikeExpr(args[0]) {
		paths = append(paths, args[0])
		args = args[1:]
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	expr, hasAction, err := f.parse(args)
	if err != "" {
		p.Errorf("find: %s\n", err)
		return 1
	}
	if !hasAction {
		print := &findExpr{eval: func(f *findRun, e *findEntry) bool { f.p.Printf("%s\n", e.path); return true }}
		if expr == nil {
			expr = print
		} else {
			expr = &findExpr{op: "and", l: expr, r: print}
		}
	}
	f.expr = expr
	for _, start := range paths {
		if f.quit {
			break
		}
		f.visit(start, 0)
	}
	for _, b := range f.batches {
		if len(b.files) > 0 && f.run(append(append([]string(nil), b.argv...), b.files...)) != 0 {
			f.status = 1
		}
	}
	return f.status
}

// findLooksLikeExpr reports whether a starting point ends here.
func findLooksLikeExpr(a string) bool {
	switch a {
	case "!", "(", ",":
		return true
	}
	return len(a) > 1 && a[0] == '-'
}

// parse builds the expression tree and says whether it has an action.
func (f *findRun) parse(args []string) (e *findExpr, hasAction bool, msg string) {
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(findParseError)
			if !ok {
				panic(r)
			}
			e, msg = nil, string(pe)
		}
	}()
	ps := &findParser{f: f, args: args}
	if len(args) == 0 {
		return nil, false, ""
	}
	e = ps.comma()
	if ps.i < len(ps.args) {
		if ps.args[ps.i] == ")" {
			panic(findParseError("you have too many ')'"))
		}
		panic(findParseError("paths must precede expression: `" + ps.args[ps.i] + "'"))
	}
	return e, ps.action, ""
}

// findParser reads the expression, lowest precedence first: "," then
// -o then -a (or nothing) then ! and the primaries.
type findParser struct {
	f      *findRun
	args   []string
	i      int
	action bool
}

func (ps *findParser) peek() string {
	if ps.i < len(ps.args) {
		return ps.args[ps.i]
	}
	return ""
}

func (ps *findParser) binary(op string) {
	panic(findParseError("invalid expression; you have used a binary operator '" + op + "' with nothing before it."))
}

func (ps *findParser) comma() *findExpr {
	l := ps.or()
	for ps.peek() == "," {
		ps.i++
		if ps.i >= len(ps.args) {
			panic(findParseError("expected an expression after ','"))
		}
		l = &findExpr{op: ",", l: l, r: ps.or()}
	}
	return l
}

func (ps *findParser) or() *findExpr {
	l := ps.and()
	for ps.peek() == "-o" || ps.peek() == "-or" {
		op := ps.args[ps.i]
		ps.i++
		if ps.i >= len(ps.args) {
			panic(findParseError("expected an expression after '" + op + "'"))
		}
		l = &findExpr{op: "or", l: l, r: ps.and()}
	}
	return l
}

func (ps *findParser) and() *findExpr {
	l := ps.unary()
	for {
		switch ps.peek() {
		case "", ")", ",", "-o", "-or":
			return l
		case "-a", "-and":
			op := ps.args[ps.i]
			ps.i++
			if ps.i >= len(ps.args) {
				panic(findParseError("expected an expression after '" + op + "'"))
			}
		}
		l = &findExpr{op: "and", l: l, r: ps.unary()}
	}
}

func (ps *findParser) unary() *findExpr {
	switch a := ps.peek(); a {
	case "!", "-not":
		ps.i++
		if ps.i >= len(ps.args) {
			panic(findParseError("expected an expression after '" + a + "'"))
		}
		return &findExpr{op: "not", l: ps.unary()}
	case "(":
		ps.i++
		if ps.peek() == ")" {
			panic(findParseError("invalid expression; empty parentheses are not allowed."))
		}
		if ps.i >= len(ps.args) {
			panic(findParseError("invalid expression; I was expecting to find a ')' somewhere but did not see one."))
		}
		e := ps.comma()
		if ps.peek() != ")" {
			panic(findParseError("invalid expression; I was expecting to find a ')' somewhere but did not see one."))
		}
		ps.i++
		return e
	case "-o", "-or", "-a", "-and", ",":
		ps.binary(a)
	case ")":
		panic(findParseError("you have too many ')'"))
	}
	return ps.primary()
}

// arg takes the argument of predicate name.
func (ps *findParser) arg(name string) string {
	if ps.i >= len(ps.args) {
		panic(findParseError("missing argument to `" + name + "'"))
	}
	ps.i++
	return ps.args[ps.i-1]
}

// findTrue is a primary that is always true.
func findTrue(*findRun, *findEntry) bool { return true }

func (ps *findParser) primary() *findExpr {
	name := ps.args[ps.i]
	if !findLooksLikeExpr(name) {
		panic(findParseError("paths must precede expression: `" + name + "'"))
	}
	ps.i++
	f := ps.f
	prim := func(eval func(f *findRun, e *findEntry) bool) *findExpr { return &findExpr{eval: eval} }
	switch name {
	case "-maxdepth", "-mindepth":
		v := ps.arg(name)
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || strings.TrimLeft(v, "0123456789") != "" {
			panic(findParseError("Expected a positive decimal integer argument to " + name + ", but got ‘" + v + "’"))
		}
		if name == "-maxdepth" {
			f.maxDepth = n
		} else {
			f.minDepth = n
		}
		return prim(findTrue)
	case "-depth":
		f.depthFirst = true
		return prim(findTrue)
	case "-true":
		return prim(findTrue)
	case "-false":
		return prim(func(*findRun, *findEntry) bool { return false })
	case "-name", "-iname":
		pat := ps.arg(name)
		fold := name == "-iname"
		return prim(func(_ *findRun, e *findEntry) bool { return findMatch(pat, findBase(e.path), fold) })
	case "-path", "-ipath", "-wholename", "-iwholename":
		pat := ps.arg(name)
		fold := name[1] == 'i'
		return prim(func(_ *findRun, e *findEntry) bool { return findMatch(pat, e.path, fold) })
	case "-type":
		kinds := findTypes(ps.arg(name))
		return prim(func(_ *findRun, e *findEntry) bool { return kinds[findTypeLetter(e.node)] })
	case "-empty":
		return prim(func(f *findRun, e *findEntry) bool {
			switch e.node.kind {
			case kindDir:
				names, _ := e.node.entries(f.p.T)
				return len(names) == 0
			case kindFile:
				return len(e.node.data) == 0 && e.node.gen == nil
			}
			return false
		})
	case "-inum", "-links":
		v := ps.arg(name)
		cmp, n, ok := findNumber(v)
		if !ok {
			panic(findParseError("invalid argument `" + v + "' to `" + name + "'"))
		}
		return prim(func(f *findRun, e *findEntry) bool {
			got := e.node.ino
			if name == "-links" {
				got = uint64(findLinks(e.node))
			}
			switch cmp {
			case '+':
				return got > n
			case '-':
				return got < n
			}
			return got == n
		})
	case "-print", "-print0":
		ps.action = true
		end := "\n"
		if name == "-print0" {
			end = "\x00"
		}
		return prim(func(f *findRun, e *findEntry) bool { f.p.Printf("%s%s", e.path, end); return true })
	case "-prune":
		return prim(func(f *findRun, _ *findEntry) bool {
			if !f.depthFirst {
				f.prune = true
			}
			return true
		})
	case "-quit":
		return prim(func(f *findRun, _ *findEntry) bool { f.quit = true; return true })
	case "-exec":
		ps.action = true
		return ps.exec(name)
	}
	panic(findParseError("unknown predicate `" + name + "'"))
}

// exec reads -exec COMMAND ;, or -exec COMMAND {} +.
func (ps *findParser) exec(name string) *findExpr {
	start := ps.i
	for ; ps.i < len(ps.args); ps.i++ {
		a := ps.args[ps.i]
		if a == ";" || a == "+" && ps.i > start && ps.args[ps.i-1] == "{}" {
			break
		}
	}
	if ps.i >= len(ps.args) || ps.i == start {
		panic(findParseError("missing argument to `" + name + "'"))
	}
	argv := ps.args[start:ps.i]
	batched := ps.args[ps.i] == "+"
	ps.i++
	if batched {
		b := &findBatch{argv: argv[:len(argv)-1]}
		ps.f.batches = append(ps.f.batches, b)
		return &findExpr{eval: func(_ *findRun, e *findEntry) bool { b.files = append(b.files, e.path); return true }}
	}
	return &findExpr{eval: func(f *findRun, e *findEntry) bool {
		cmd := make([]string, len(argv))
		for i, a := range argv {
			cmd[i] = strings.ReplaceAll(a, "{}", e.path)
		}
		return f.run(cmd) == 0
	}}
}

// run runs a command as -exec does and returns its exit status.
func (f *findRun) run(argv []string) int {
	k, t := f.p.K, f.p.T
	c, err := k.fork(t)
	if err != nil {
		f.p.Errorf("find: cannot fork: %s\n", err.Error())
		f.status = 1
		return 1
	}
	k.startTask(c, func(ct *Task) int {
		file, node, err := k.findExecutable(ct, argv[0])
		if err == nil {
			err = k.execve(ct, file, node, argv)
		}
		cp := &Proc{T: ct, K: k, Args: argv}
		cp.Errorf("find: ‘%s’: %s\n", argv[0], err.Error())
		return 1
	})
	ws := t.wait(c, false)
	if ws&0x7f != 0 {
		return 128 + ws&0x7f
	}
	return ws >> 8 & 0xff
}

// findTypes reads -type's argument: letters separated by commas.
func findTypes(v string) map[byte]bool {
	if v == "" {
		panic(findParseError("Arguments to -type should contain at least one letter"))
	}
	kinds := map[byte]bool{}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !strings.ContainsRune("bcdpfls", rune(c)) {
			panic(findParseError("Unknown argument to -type: " + string(c)))
		}
		if kinds[c] {
			panic(findParseError("Duplicate file type '" + string(c) + "' in the argument list to -type."))
		}
		kinds[c] = true
		if i+1 < len(v) {
			if v[i+1] != ',' {
				panic(findParseError("Must separate multiple arguments to -type using: ','"))
			}
			if i+2 >= len(v) {
				panic(findParseError("Last file type in list argument to -type is missing, i.e., list is ending on: ','"))
			}
			i++
		}
	}
	return kinds
}

// findTypeLetter is -type's letter for a node.
func findTypeLetter(n *inode) byte {
	switch n.kind {
	case kindDir:
		return 'd'
	case kindSymlink:
		return 'l'
	case kindChar:
		return 'c'
	case kindBlock:
		return 'b'
	}
	return 'f'
}

// findNumber reads a numeric argument: N, +N (more) or -N (less).
func findNumber(v string) (byte, uint64, bool) {
	cmp := byte(0)
	if v != "" && (v[0] == '+' || v[0] == '-') {
		cmp, v = v[0], v[1:]
	}
	n, err := strconv.ParseUint(v, 10, 64)
	return cmp, n, err == nil && v != "" && v[0] != '+'
}

// findLinks is a node's link count as stat shows it.
func findLinks(n *inode) int {
	if n.isDir() {
		if n.nlink != 0 {
			return n.nlink
		}
		links := 2
		for _, c := range n.children {
			if c.isDir() {
				links++
			}
		}
		return links
	}
	return 1 + n.extraLinks
}

// findBase is the name -name matches: the last component, trailing
// slashes dropped ("/" stays "/").
func findBase(p string) string {
	t := strings.TrimRight(p, "/")
	if t == "" {
		return "/"
	}
	if i := strings.LastIndexByte(t, '/'); i >= 0 {
		return t[i+1:]
	}
	return t
}

// findMatch is fnmatch(3) without FNM_PATHNAME, with FNM_CASEFOLD for
// the i- tests.
func findMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	return shMatch(pattern, s)
}

// visit evaluates the expression on path and walks below it.
func (f *findRun) visit(path string, depth int) {
	follow := f.follow == 'L' || f.follow == 'H' && depth == 0
	r, err := f.p.K.lookup(f.p.T, path, follow)
	if err != nil && follow && depth == 0 {
		// A dangling link named on the command line is the link.
		r, err = f.p.K.lookup(f.p.T, path, false)
	}
	if err != nil {
		f.p.Errorf("find: ‘%s’: %s\n", path, err.Error())
		f.status = 1
		return
	}
	e := &findEntry{path: path, node: r.node, depth: depth}
	descend := r.node.isDir() && (f.maxDepth < 0 || depth < f.maxDepth)
	if !f.depthFirst {
		f.prune = false
		if depth >= f.minDepth {
			f.expr.run(f, e)
		}
		if f.quit || f.prune {
			return
		}
	}
	if descend {
		if !f.p.K.mayAccess(f.p.T, r.node, mayRead|mayExec) {
			f.p.Errorf("find: ‘%s’: %s\n", path, EACCES.Error())
			f.status = 1
		} else {
			for _, name := range findReaddir(f.p.T, r) {
				child := path + "/" + name
				if strings.HasSuffix(path, "/") {
					child = path + name
				}
				f.visit(child, depth+1)
				if f.quit {
					return
				}
			}
		}
	}
	if f.depthFirst && depth >= f.minDepth {
		f.expr.run(f, e)
	}
}

// findReaddir lists a directory in its file system's readdir order.
func findReaddir(t *Task, r resolved) []string {
	names, m := r.node.entries(t)
	if r.mnt != nil && r.mnt.sb.fstype == "tmpfs" && r.node.list == nil && r.node.ovl == nil {
		sort.SliceStable(names, func(i, j int) bool { return m[names[i]].ino > m[names[j]].ino })
	}
	return names
}

// run evaluates e on an entry, short-circuiting as find does.
func (e *findExpr) run(f *findRun, x *findEntry) bool {
	switch e.op {
	case "and":
		return e.l.run(f, x) && !f.quit && e.r.run(f, x)
	case "or":
		return e.l.run(f, x) || !f.quit && e.r.run(f, x)
	case "not":
		return !e.l.run(f, x)
	case ",":
		e.l.run(f, x)
		return e.r.run(f, x)
	}
	return e.eval(f, x)
}
