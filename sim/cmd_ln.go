package sim

import "path"

// lnProgram is ln of GNU coreutils 9.1: hard links, and with -s symbolic
// ones; -f removes an existing destination, -n does not follow a
// destination that is a link to a directory, -T never treats it as a
// directory, -v names each link made.
func lnProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'s': 0, 'f': 0, 'n': 0, 'v': 0, 'T': 0},
		long: map[string]longOpt{"symbolic": {'s', 0}, "force": {'f', 0}, "no-dereference": {'n', 0},
			"verbose": {'v', 0}, "no-target-directory": {'T', 0}},
	}
	opts, operands, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "ln", msg)
	}
	var symbolic, force, noDeref, verbose, noTarget bool
	for _, o := range opts {
		switch o.code {
		case 's':
			symbolic = true
		case 'f':
			force = true
		case 'n':
			noDeref = true
		case 'v':
			verbose = true
		case 'T':
			noTarget = true
		}
	}
	switch {
	case len(operands) == 0:
		return usageError(p, "ln", "missing file operand")
	case noTarget && len(operands) > 2:
		return usageError(p, "ln", "extra operand '"+operands[2]+"'")
	}
	// isDir tells whether a destination names a directory to link into.
	isDir := func(name string) bool {
		if noTarget {
			return false
		}
		r, err := p.K.lookup(p.T, name, !noDeref)
		return err == nil && r.node.isDir()
	}
	type job struct{ src, dst string }
	var jobs []job
	switch {
	case len(operands) == 1:
		jobs = append(jobs, job{operands[0], "./" + path.Base(operands[0])})
	case len(operands) == 2 && !isDir(operands[1]):
		jobs = append(jobs, job{operands[0], operands[1]})
	default:
		dir := operands[len(operands)-1]
		if !isDir(dir) {
			if _, err := p.K.lookup(p.T, dir, true); err != nil {
				p.Errorf("ln: target '%s': %s\n", dir, err.Error())
			} else {
				p.Errorf("ln: target '%s' is not a directory\n", dir)
			}
			return 1
		}
		for _, src := range operands[:len(operands)-1] {
			jobs = append(jobs, job{src, lnJoin(dir, path.Base(src))})
		}
	}
	status := 0
	for _, j := range jobs {
		if !lnOne(p, j.src, j.dst, symbolic, force, verbose) {
			status = 1
		}
	}
	return status
}

// lnJoin is coreutils' file_name_concat: DIR/BASE, with no doubled slash.
func lnJoin(dir, base string) string {
	if len(dir) > 0 && dir[len(dir)-1] == '/' {
		return dir + base
	}
	return dir + "/" + base
}

// lnOne makes one link and reports whether it did.
func lnOne(p *Proc, src, dst string, symbolic, force, verbose bool) bool {
	if !symbolic {
		r, err := p.K.lookup(p.T, src, false)
		if err != nil {
			p.Errorf("ln: failed to access '%s': %s\n", src, err.Error())
			return false
		}
		if r.node.isDir() {
			p.Errorf("ln: %s: hard link not allowed for directory\n", src)
			return false
		}
	}
	if force {
		if d, err := p.K.lookup(p.T, dst, false); err == nil {
			if d.node.isDir() {
				p.Errorf("ln: %s: cannot overwrite directory\n", dst)
				return false
			}
			if s, err := p.K.lookup(p.T, src, false); !symbolic && err == nil && s.path == d.path {
				p.Errorf("ln: '%s' and '%s' are the same file\n", src, dst)
				return false
			}
			if err := p.K.Unlink(p.T, dst); err != nil {
				p.Errorf("ln: cannot remove '%s': %s\n", dst, err.Error())
				return false
			}
		}
	}
	if symbolic {
		if err := p.K.Symlink(p.T, src, dst); err != nil {
			p.Errorf("ln: failed to create symbolic link '%s': %s\n", dst, err.Error())
			return false
		}
		if verbose {
			p.Printf("'%s' -> '%s'\n", dst, src)
		}
		return true
	}
	if err := p.K.Link(p.T, src, dst); err != nil {
		// coreutils names the source too, unless the error is about the
		// destination alone.
		if err == EEXIST || err == EROFS || err == ENOSPC {
			p.Errorf("ln: failed to create hard link '%s': %s\n", dst, err.Error())
		} else {
			p.Errorf("ln: failed to create hard link '%s' => '%s': %s\n", dst, src, err.Error())
		}
		return false
	}
	if verbose {
		p.Printf("'%s' => '%s'\n", dst, src)
	}
	return true
}
