package sim

import "strings"

// mkdirProgram is mkdir of GNU coreutils 9.1: -p makes missing parents
// (u+wx whatever the umask) and accepts an existing directory, -m sets the
// mode as chmod would (the bits it names, whatever the umask), -v names
// each directory made. -Z and --context are left out: getopt refuses them.
func mkdirProgram(p *Proc) int {
	spec := optSpec{
		short: map[byte]int{'p': 0, 'm': 1, 'v': 0},
		long:  map[string]longOpt{"parents": {'p', 0}, "mode": {'m', 1}, "verbose": {'v', 0}},
	}
	opts, operands, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "mkdir", msg)
	}
	var parents, verbose bool
	var mode string
	var hasMode bool
	for _, o := range opts {
		switch o.code {
		case 'p':
			parents = true
		case 'v':
			verbose = true
		case 'm':
			mode, hasMode = o.value, true
		}
	}
	if len(operands) == 0 {
		return usageError(p, "mkdir", "missing operand")
	}
	umask := p.T.umask
	perm, bits := uint32(0o777), uint32(0)
	if hasMode {
		changes := compileMode(mode)
		if changes == nil {
			p.Errorf("mkdir: invalid mode ‘%s’\n", mode)
			return 1
		}
		perm, bits = adjustMode(0o777, true, umask, changes)
	}
	// final is the mode coreutils leaves on a directory it makes:
	// mkdir(2) with the umask cut to the bits -m did not set, first
	// without group and other write when special bits are asked for (so
	// no one nips in), then chmod for the bits -m named if they differ
	// (gnulib's make_dir_parents and dirchownmod).
	umaskSelf := umask
	if hasMode {
		umaskSelf &^= perm
	}
	keepSpecial := bits&modeSetID == 0 && perm&0o1000 == 0
	mkdirMode := perm
	if !keepSpecial {
		mkdirMode &^= 0o022
	}
	final := mkdirMode & 0o1777 &^ umaskSelf
	if !keepSpecial && (final^perm)&bits != 0 {
		final = perm | final&chmodModeBits&^bits
	}
	made := func(name string, last bool) {
		r, err := p.K.lookup(p.T, name, true)
		if err != nil {
			return
		}
		if last {
			r.node.perm = final
		} else {
			// Parents get u+wx whatever the umask, so the rest can be
			// made in them.
			r.node.perm = 0o777&^umask | 0o300
		}
		if verbose {
			p.Printf("mkdir: created directory '%s'\n", name)
		}
	}
	status := 0
	for _, n := range operands {
		if parents {
			failed := false
			for _, anc := range mkdirAncestors(n) {
				err := p.K.Mkdir(p.T, anc)
				switch {
				case err == nil:
					made(anc, false)
					continue
				case err == EEXIST:
					if r, lerr := p.K.lookup(p.T, anc, true); lerr == nil && r.node.isDir() {
						continue
					}
					err = ENOTDIR
				}
				p.Errorf("mkdir: cannot create directory ‘%s’: %s\n", anc, err.Error())
				failed = true
				break
			}
			if failed {
				status = 1
				continue
			}
		}
		err := p.K.Mkdir(p.T, n)
		if err == EEXIST && parents {
			if r, lerr := p.K.lookup(p.T, n, true); lerr == nil && r.node.isDir() {
				continue
			}
		}
		if err != nil {
			p.Errorf("mkdir: cannot create directory ‘%s’: %s\n", n, err.Error())
			status = 1
			continue
		}
		made(n, true)
	}
	return status
}

// mkdirAncestors lists the leading parts of name that -p makes before
// it, spelled as given ("b", "b/c" for "b/c/d/").
func mkdirAncestors(name string) []string {
	var out []string
	trimmed := strings.TrimRight(name, "/")
	for i := 1; i < len(trimmed); i++ {
		if trimmed[i] == '/' && trimmed[i-1] != '/' {
			out = append(out, trimmed[:i])
		}
	}
	return out
}

// rmdirProgram is rmdir of GNU coreutils 9.1: -p removes each parent named
// in the operand after it, --ignore-fail-on-non-empty keeps quiet about a
// directory that is not empty, -v names each directory as it goes.
func rmdirProgram(p *Proc) int {
	const ignoreNonEmpty = 200
	spec := optSpec{
		short: map[byte]int{'p': 0, 'v': 0},
		long: map[string]longOpt{"parents": {'p', 0}, "verbose": {'v', 0},
			"ignore-fail-on-non-empty": {ignoreNonEmpty, 0}},
	}
	opts, operands, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "rmdir", msg)
	}
	var parents, verbose, ignore bool
	for _, o := range opts {
		switch o.code {
		case 'p':
			parents = true
		case 'v':
			verbose = true
		case ignoreNonEmpty:
			ignore = true
		}
	}
	if len(operands) == 0 {
		return usageError(p, "rmdir", "missing operand")
	}
	status := 0
	for _, n := range operands {
		if verbose {
			p.Printf("rmdir: removing directory, '%s'\n", n)
		}
		if err := rmdirOne(p, n); err != nil {
			if ignore && err == ENOTEMPTY {
				continue
			}
			p.Errorf("rmdir: failed to remove '%s': %s\n", n, err.Error())
			status = 1
			continue
		}
		if !parents {
			continue
		}
		// As coreutils' remove_parents: drop the last name and the
		// slashes before it, until no slash is left.
		dir := strings.TrimRight(n, "/")
		if dir == "" {
			dir = n[:1]
		}
		for {
			i := strings.LastIndexByte(dir, '/')
			if i < 0 {
				break
			}
			for i > 0 && dir[i] == '/' {
				i--
			}
			dir = dir[:i+1]
			if verbose {
				p.Printf("rmdir: removing directory, '%s'\n", dir)
			}
			if err := rmdirOne(p, dir); err != nil {
				if !(ignore && err == ENOTEMPTY) {
					p.Errorf("rmdir: failed to remove directory '%s': %s\n", dir, err.Error())
					status = 1
				}
				break
			}
		}
	}
	return status
}

// rmdirOne is rmdir(2).
func rmdirOne(p *Proc, n string) error {
	r, err := p.K.lookup(p.T, n, false)
	switch {
	case err != nil:
		return err
	case !r.node.isDir():
		return ENOTDIR
	case r.parent == nil || r.mnt.point == r.path:
		return EBUSY
	case len(r.node.children) > 0 || r.node.ovl != nil && len(p.K.ovlEntries(r.node.ovl)) > 0:
		return ENOTEMPTY
	case r.parent.ovl != nil:
		return p.K.ovlRemove(r.parent.ovl, r.name)
	}
	delete(r.parent.children, r.name)
	return nil
}
