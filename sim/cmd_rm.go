package sim

import (
	"path"
	"sort"
	"strings"
)

// rmProgram is rm of GNU coreutils 9.1: -f ignores missing files and never
// prompts, -i asks before each removal (an answer not starting with y, or
// end of input, declines), -r/-R removes directories and their contents,
// -d removes empty directories, -v names what was removed, and '/' is
// refused with -r unless --no-preserve-root. -I, --interactive=WHEN,
// --one-file-system and --preserve-root=all are left out: getopt refuses
// them.
func rmProgram(p *Proc) int {
	const noPreserveRoot, preserveRoot = 200, 201
	spec := optSpec{
		short: map[byte]int{'f': 0, 'i': 0, 'r': 0, 'R': 0, 'd': 0, 'v': 0},
		long: map[string]longOpt{"force": {'f', 0}, "recursive": {'r', 0}, "dir": {'d', 0},
			"verbose": {'v', 0}, "no-preserve-root": {noPreserveRoot, 0}, "preserve-root": {preserveRoot, 0}},
	}
	opts, operands, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "rm", msg)
	}
	x := &rmRun{p: p, keepRoot: true}
	for _, o := range opts {
		switch o.code {
		case 'f':
			x.force, x.interactive = true, false
		case 'i':
			x.interactive = true
		case 'r', 'R':
			x.recursive = true
		case 'd':
			x.dirs = true
		case 'v':
			x.verbose = true
		case noPreserveRoot:
			x.keepRoot = false
		case preserveRoot:
			x.keepRoot = true
		}
	}
	if len(operands) == 0 {
		if x.force {
			return 0
		}
		return usageError(p, "rm", "missing operand")
	}
	status := 0
	for _, n := range operands {
		if !x.top(n) {
			status = 1
		}
	}
	return status
}

// rmRun holds one rm's options while it walks its operands.
type rmRun struct {
	p                                            *Proc
	force, interactive, recursive, dirs, verbose bool
	keepRoot                                     bool
}

// top removes one operand; it reports whether everything went.
func (x *rmRun) top(n string) bool {
	p := x.p
	if x.recursive && strings.TrimRight(n, "/") != "" {
		base := path.Base(strings.TrimRight(n, "/"))
		if base == "." || base == ".." {
			p.Errorf("rm: refusing to remove '.' or '..' directory: skipping '%s'\n", n)
			return false
		}
	}
	r, err := p.K.lookup(p.T, n, false)
	if err != nil {
		if x.force && err == ENOENT {
			return true
		}
		p.Errorf("rm: cannot remove '%s': %s\n", n, err.Error())
		return false
	}
	if x.recursive && x.keepRoot && r.path == "/" {
		p.Errorf("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n")
		return false
	}
	ok, _ := x.remove(n, r)
	return ok
}

// remove removes name (already looked up as r), descending into a
// directory with -r; ok is false after an error, kept reports that
// something was left in place (an error or a declined prompt).
func (x *rmRun) remove(name string, r resolved) (ok, kept bool) {
	p := x.p
	if !r.node.isDir() {
		if x.interactive && !x.ask("remove %s '%s'? ", rmKind(r.node), name) {
			return true, true
		}
		if !x.unlink(name, r) {
			return false, true
		}
		if x.verbose {
			p.Printf("removed '%s'\n", name)
		}
		return true, false
	}
	if !x.recursive && !x.dirs {
		p.Errorf("rm: cannot remove '%s': Is a directory\n", name)
		return false, true
	}
	ok = true
	if x.recursive && !rmEmpty(p, r.node) {
		if x.interactive && !x.ask("descend into directory '%s'? ", name) {
			return true, true
		}
		names := rmChildren(p, r.node)
		for _, c := range names {
			full := strings.TrimRight(name, "/") + "/" + c
			if name == "/" {
				full = "/" + c
			}
			cr, err := p.K.lookup(p.T, full, false)
			if err != nil {
				p.Errorf("rm: cannot remove '%s': %s\n", full, err.Error())
				ok, kept = false, true
				continue
			}
			cok, ckept := x.remove(full, cr)
			ok, kept = ok && cok, kept || ckept
		}
	}
	if x.interactive && !x.ask("remove directory '%s'? ", name) {
		return ok, true
	}
	// Look again: an overlay directory's view of its layers is made at
	// lookup, and removing its entries may have given it an upper layer.
	if nr, err := p.K.lookup(p.T, name, false); err == nil {
		r = nr
	}
	if !rmEmpty(p, r.node) {
		p.Errorf("rm: cannot remove '%s': Directory not empty\n", name)
		return false, true
	}
	if !x.unlink(name, r) {
		return false, true
	}
	if x.verbose {
		p.Printf("removed directory '%s'\n", name)
	}
	return ok, kept
}

// unlink takes one name out of its directory (unlink(2) or rmdir(2)).
func (x *rmRun) unlink(name string, r resolved) bool {
	p := x.p
	fail := func(err error) bool {
		p.Errorf("rm: cannot remove '%s': %s\n", name, err.Error())
		return false
	}
	switch {
	case r.parent == nil || r.mnt.point == r.path:
		return fail(EBUSY)
	case r.mnt.ro():
		return fail(EROFS)
	case r.parent.ovl != nil:
		if err := p.K.ovlRemove(r.parent.ovl, r.name); err != nil {
			return fail(err)
		}
		return true
	}
	// A file with another name keeps its data.
	if r.node.extraLinks > 0 {
		r.node.extraLinks--
	} else {
		r.mnt.sb.release(r.node)
	}
	delete(r.parent.children, r.name)
	return true
}

// ask prompts on standard error as rm -i does and reads one line of
// standard input: yes if it starts with y or Y.
func (x *rmRun) ask(format string, a ...any) bool {
	x.p.Errorf("rm: "+format, a...)
	var line []byte
	buf := make([]byte, 1)
	for {
		n, err := x.p.Stdin().Read(buf)
		if n == 0 || err != nil || buf[0] == '\n' {
			break
		}
		line = append(line, buf[0])
	}
	return len(line) > 0 && (line[0] == 'y' || line[0] == 'Y')
}

// rmChildren lists a directory's entries, overlay layers merged.
func rmChildren(p *Proc, n *inode) []string {
	if n.ovl != nil {
		var names []string
		for name := range p.K.ovlEntries(n.ovl) {
			names = append(names, name)
		}
		sort.Strings(names)
		return names
	}
	names, _ := n.entries(p.T)
	return names
}

func rmEmpty(p *Proc, n *inode) bool {
	return len(rmChildren(p, n)) == 0
}

// rmKind is the file type in rm -i's question, as coreutils names it.
func rmKind(n *inode) string {
	switch n.kind {
	case kindSymlink:
		return "symbolic link"
	case kindChar:
		return "character special file"
	case kindBlock:
		return "block special file"
	}
	if len(n.data) == 0 && n.gen == nil {
		return "regular empty file"
	}
	return "regular file"
}
