package sim

import (
	"path"
	"sort"
	"strings"
)

// cpOpts are cp's options.
type cpOpts struct {
	recursive, preserve, verbose, force bool
	// deref: 'L' follows every link, 'P' none, 'H' (the default without
	// -r) those named on the command line.
	deref byte
}

// cpProgram is cp of GNU coreutils 9.1: files, and with -r (-R) trees;
// -p keeps mode, owner and times, -a is -dR --preserve=all, -d and -P
// copy links as links, -L follows them, -f removes a destination it
// cannot open, -T takes the destination as a file, -v names each copy.
func cpProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'r': 0, 'R': 0, 'a': 0, 'p': 0, 'v': 0, 'f': 0, 'd': 0, 'P': 0, 'L': 0, 'T': 0},
		long: map[string]longOpt{"recursive": {'r', 0}, "archive": {'a', 0}, "verbose": {'v', 0}, "force": {'f', 0},
			"no-dereference": {'P', 0}, "dereference": {'L', 0}, "no-target-directory": {'T', 0}},
	}
	opts, operands, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "cp", msg)
	}
	o := cpOpts{}
	noTarget := false
	for _, opt := range opts {
		switch opt.code {
		case 'r', 'R':
			o.recursive = true
		case 'a':
			o.recursive, o.preserve, o.deref = true, true, 'P'
		case 'p':
			o.preserve = true
		case 'v':
			o.verbose = true
		case 'f':
			o.force = true
		case 'd', 'P':
			o.deref = 'P'
		case 'L':
			o.deref = 'L'
		case 'T':
			noTarget = true
		}
	}
	if o.deref == 0 {
		o.deref = 'H'
		if o.recursive {
			o.deref = 'P'
		}
	}
	switch {
	case len(operands) == 0:
		return usageError(p, "cp", "missing file operand")
	case len(operands) == 1:
		return usageError(p, "cp", "missing destination file operand after '"+operands[0]+"'")
	case noTarget && len(operands) > 2:
		return usageError(p, "cp", "extra operand '"+operands[2]+"'")
	}
	dest := operands[len(operands)-1]
	r, err := p.K.lookup(p.T, dest, true)
	destIsDir := err == nil && r.node.isDir() && !noTarget
	if len(operands) > 2 && !destIsDir {
		if err != nil {
			p.Errorf("cp: target '%s': %s\n", dest, err.Error())
		} else {
			p.Errorf("cp: target '%s' is not a directory\n", dest)
		}
		return 1
	}
	status := 0
	for _, src := range operands[:len(operands)-1] {
		dst := dest
		if destIsDir {
			dst = lnJoin(dest, path.Base(strings.TrimRight(src, "/")))
		}
		if !cpOne(p, o, src, dst, true) {
			status = 1
		}
	}
	return status
}

// cpOne copies src to dst and reports whether all went well.
func cpOne(p *Proc, o cpOpts, src, dst string, top bool) bool {
	follow := o.deref == 'L' || o.deref == 'H' && top
	s, err := p.K.lookup(p.T, src, follow)
	if err != nil {
		p.Errorf("cp: cannot stat '%s': %s\n", src, err.Error())
		return false
	}
	d, derr := p.K.lookup(p.T, dst, true)
	if derr != nil && derr != ENOENT {
		p.Errorf("cp: cannot stat '%s': %s\n", dst, derr.Error())
		return false
	}
	exists := derr == nil
	switch {
	case s.node.isDir():
		return cpDir(p, o, s, src, dst, d, exists)
	case s.node.kind == kindSymlink:
		if exists {
			if err := p.K.Unlink(p.T, dst); err != nil {
				p.Errorf("cp: cannot remove '%s': %s\n", dst, err.Error())
				return false
			}
		}
		if err := p.K.Symlink(p.T, s.node.target, dst); err != nil {
			p.Errorf("cp: cannot create symbolic link '%s': %s\n", dst, err.Error())
			return false
		}
		return cpDone(p, o, s.node, src, dst)
	}
	if exists && d.node.isDir() {
		p.Errorf("cp: cannot overwrite directory '%s' with non-directory\n", dst)
		return false
	}
	if exists && d.node == s.node {
		p.Errorf("cp: '%s' and '%s' are the same file\n", src, dst)
		return false
	}
	data, err := p.ReadFile(src)
	if err != nil {
		p.Errorf("cp: cannot open '%s' for reading: %s\n", src, err.Error())
		return false
	}
	err = p.WriteFile(dst, data)
	if err != nil && exists && o.force {
		// -f: "if an existing destination file cannot be opened, remove
		// it and try again".
		if p.K.Unlink(p.T, dst) == nil {
			exists = false
			err = p.WriteFile(dst, data)
		}
	}
	if err != nil {
		if exists {
			p.Errorf("cp: cannot open '%s' for writing: %s\n", dst, err.Error())
		} else {
			p.Errorf("cp: cannot create regular file '%s': %s\n", dst, err.Error())
		}
		return false
	}
	if n, err := p.K.lookup(p.T, dst, true); err == nil {
		// A copy of a simulated executable runs the same program.
		n.node.program = s.node.program
		n.node.elf = s.node.elf
		if !exists {
			// A new file gets the source's permissions less the umask.
			n.node.perm = s.node.perm & 0o777 &^ chmodUmask
		}
	}
	return cpDone(p, o, s.node, src, dst)
}

// cpDir copies a directory tree.
func cpDir(p *Proc, o cpOpts, s resolved, src, dst string, d resolved, exists bool) bool {
	if !o.recursive {
		p.Errorf("cp: -r not specified; omitting directory '%s'\n", src)
		return false
	}
	if exists && !d.node.isDir() {
		p.Errorf("cp: cannot overwrite non-directory '%s' with directory '%s'\n", dst, src)
		return false
	}
	if parent, err := p.K.lookup(p.T, path.Dir(dst), true); err == nil && (parent.path+"/" == s.path+"/" || strings.HasPrefix(parent.path+"/", s.path+"/")) {
		p.Errorf("cp: cannot copy a directory, '%s', into itself, '%s'\n", src, dst)
		return false
	}
	if !exists {
		if err := p.K.Mkdir(p.T, dst); err != nil {
			p.Errorf("cp: cannot create directory '%s': %s\n", dst, err.Error())
			return false
		}
		if n, err := p.K.lookup(p.T, dst, true); err == nil {
			n.node.perm = s.node.perm & 0o777 &^ chmodUmask
		}
	}
	ok := cpDone(p, o, s.node, src, dst)
	names, _ := s.node.entries(p.T)
	sort.Strings(names)
	for _, name := range names {
		if !cpOne(p, o, lnJoin(src, name), lnJoin(dst, name), false) {
			ok = false
		}
	}
	if o.preserve {
		// A directory's time is set once its entries are in.
		if n, err := p.K.lookup(p.T, dst, true); err == nil {
			n.node.mtime = s.node.mtime
		}
	}
	return ok
}

// cpDone prints -v's line and applies -p to a copy.
func cpDone(p *Proc, o cpOpts, from *inode, src, dst string) bool {
	if o.verbose {
		p.Printf("'%s' -> '%s'\n", src, dst)
	}
	if !o.preserve {
		return true
	}
	n, err := p.K.lookup(p.T, dst, false)
	if err != nil {
		return true
	}
	n.node.mtime = from.mtime
	if n.node.kind == kindSymlink {
		return true
	}
	// The owner follows when the caller may chown (CAP_CHOWN over mapped
	// IDs); cp -p says nothing when it may not, as coreutils does for a
	// caller that is not root.
	c := p.T.creds
	_, uok := c.UserNS.UIDOf(from.uid)
	_, gok := c.UserNS.GIDOf(from.gid)
	if uok && gok && c.HasCapabilityIn(CapChown, c.UserNS) {
		n.node.uid, n.node.gid = from.uid, from.gid
	}
	if err := p.K.Chmod(p.T, dst, from.perm&0o7777); err != nil {
		p.Errorf("cp: preserving permissions for '%s': %s\n", dst, err.Error())
		return false
	}
	return true
}
