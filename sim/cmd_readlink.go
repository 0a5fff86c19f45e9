package sim

import "strings"

// readlinkProgram is readlink of GNU coreutils 9.1: the target of each
// symbolic link, or with -f/-e/-m the canonical name (every component,
// all but the last, or none needing to exist); -n drops the newline (for
// one name), -z ends with NUL, -v reports failures (-q/-s keep quiet,
// the default).
func readlinkProgram(p *Proc) int {
	const (
		canAll = iota + 1
		canAllButLast
		canMissing
	)
	spec := optSpec{
		short: map[byte]int{'f': 0, 'e': 0, 'm': 0, 'n': 0, 'q': 0, 's': 0, 'v': 0, 'z': 0},
		long: map[string]longOpt{"canonicalize": {'f', 0}, "canonicalize-existing": {'e', 0},
			"canonicalize-missing": {'m', 0}, "no-newline": {'n', 0}, "quiet": {'q', 0},
			"silent": {'s', 0}, "verbose": {'v', 0}, "zero": {'z', 0}},
	}
	opts, names, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "readlink", msg)
	}
	mode := 0
	var noNewline, verbose, zero bool
	for _, o := range opts {
		switch o.code {
		case 'f':
			mode = canAllButLast
		case 'e':
			mode = canAll
		case 'm':
			mode = canMissing
		case 'n':
			noNewline = true
		case 'q', 's':
			verbose = false
		case 'v':
			verbose = true
		case 'z':
			zero = true
		}
	}
	if len(names) == 0 {
		return usageError(p, "readlink", "missing operand")
	}
	if noNewline && len(names) > 1 {
		p.Errorf("readlink: ignoring --no-newline with multiple arguments\n")
		noNewline = false
	}
	end := "\n"
	switch {
	case zero:
		end = "\x00"
	case noNewline:
		end = ""
	}
	status := 0
	for _, n := range names {
		var out string
		var err error
		if mode == 0 {
			out, err = readlinkTarget(p, n)
		} else {
			out, err = canonicalize(p, n, mode == canAll, mode == canMissing)
		}
		if err != nil {
			if verbose {
				p.Errorf("readlink: %s: %s\n", quotef(n), err.Error())
			}
			status = 1
			continue
		}
		p.Printf("%s%s", out, end)
	}
	return status
}

// readlinkTarget is readlink(2): EINVAL for what is not a link.
func readlinkTarget(p *Proc, name string) (string, error) {
	if name == "" {
		return "", ENOENT
	}
	r, err := p.K.lookup(p.T, name, false)
	if err != nil {
		return "", err
	}
	if r.node.kind != kindSymlink {
		return "", EINVAL
	}
	if r.node.guard != nil {
		if err := r.node.guard(p.T); err != nil {
			return "", err
		}
	}
	target := r.node.target
	if r.node.gen != nil {
		target = r.node.gen(p.T)
	}
	if target == "" {
		// A namespace link that cannot be read.
		return "", ENOENT
	}
	return target, nil
}

// canonicalize is gnulib's canonicalize_filename_mode: the name walked a
// component at a time, "." and ".." taken by name, links replaced by
// their targets. existing: every component must exist; missing: none
// need; otherwise all but the last.
func canonicalize(p *Proc, name string, existing, missing bool) (string, error) {
	if name == "" {
		return "", ENOENT
	}
	rname := "/"
	if name[0] != '/' {
		cwd, err := p.K.lookup(p.T, ".", true)
		if err != nil {
			return "", err
		}
		rname = cwd.path
	}
	seen := map[string]bool{}
	rest := name
	for {
		rest = strings.TrimLeft(rest, "/")
		if rest == "" {
			break
		}
		comp, after, _ := strings.Cut(rest, "/")
		tail := rest[len(comp):] // "" or "/..."
		rest = after
		switch comp {
		case ".":
			continue
		case "..":
			if i := strings.LastIndexByte(rname, '/'); i > 0 {
				rname = rname[:i]
			} else {
				rname = "/"
			}
			continue
		}
		if rname == "/" {
			rname += comp
		} else {
			rname += "/" + comp
		}
		more := strings.Trim(tail, "/") != ""
		r, err := p.K.lookup(p.T, rname, false)
		if err != nil {
			if existing {
				return "", err
			}
			if !missing && (more || err != ENOENT) {
				return "", err
			}
			continue
		}
		if r.node.kind == kindSymlink {
			// A link met again with the same rest to walk is a loop
			// (gnulib's seen_triple).
			key := rname + "\x00" + tail
			if seen[key] {
				if missing {
					continue
				}
				return "", ELOOP
			}
			seen[key] = true
			target, err := readlinkTarget(p, rname)
			if err != nil {
				if missing {
					continue
				}
				return "", err
			}
			if strings.HasPrefix(target, "/") {
				rname = "/"
			} else if i := strings.LastIndexByte(rname, '/'); i > 0 {
				rname = rname[:i]
			} else {
				rname = "/"
			}
			rest = target + tail
			continue
		}
		if !missing && !r.node.isDir() && tail != "" {
			return "", ENOTDIR
		}
	}
	return rname, nil
}

// quotef is coreutils' quotef: a name as a shell would need it, quoted
// only when it has to be.
func quotef(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n!\"$&'()*;<>?[\\]^`{|}:") || s[0] == '#' || s[0] == '~' {
		return shellQuote(s)
	}
	return s
}
