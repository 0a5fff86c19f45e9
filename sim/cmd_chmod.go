package sim

import (
	"path"
	"sort"
)

// This file is chmod of GNU coreutils 9.1, its modes compiled and applied
// as gnulib's modechange.c does.

// modeChange is one operation of a compiled mode ("u+x", "=r", "755").
type modeChange struct {
	op        byte // '=', '+' or '-'
	flag      byte // 0 ordinary, 'c' copy existing (u, g, o), 'X'
	affected  uint32
	value     uint32
	mentioned uint32
}

const (
	chmodModeBits = 0o7777
	modeSetID     = 0o6000 // S_ISUID | S_ISGID
)

// compileMode parses an octal or symbolic mode; nil for an invalid one.
func compileMode(s string) []modeChange {
	if s == "" {
		return nil
	}
	if s[0] >= '0' && s[0] < '8' {
		var m uint32
		i := 0
		for ; i < len(s) && s[i] >= '0' && s[i] < '8'; i++ {
			m = m*8 + uint32(s[i]-'0')
			if m > chmodModeBits {
				return nil
			}
		}
		if i < len(s) {
			return nil
		}
		// Fewer than five digits leave a directory's set-ID bits alone
		// unless they are given.
		mentioned := uint32(chmodModeBits)
		if i < 5 {
			mentioned = m&modeSetID | 0o1777
		}
		return []modeChange{{op: '=', affected: chmodModeBits, value: m, mentioned: mentioned}}
	}
	var out []modeChange
	i := 0
	for {
		var affected uint32
	who:
		for ; i < len(s); i++ {
			switch s[i] {
			case 'u':
				affected |= 0o4700
			case 'g':
				affected |= 0o2070
			case 'o':
				affected |= 0o1007
			case 'a':
				affected |= chmodModeBits
			default:
				break who
			}
		}
		if i >= len(s) || s[i] != '=' && s[i] != '+' && s[i] != '-' {
			return nil
		}
		for i < len(s) && (s[i] == '=' || s[i] == '+' || s[i] == '-') {
			c := modeChange{op: s[i], affected: affected}
			i++
			if i < len(s) && (s[i] == 'u' || s[i] == 'g' || s[i] == 'o') {
				c.flag = 'c'
				c.value = map[byte]uint32{'u': 0o700, 'g': 0o070, 'o': 0o007}[s[i]]
				i++
			} else {
			perms:
				for ; i < len(s); i++ {
					switch s[i] {
					case 'r':
						c.value |= 0o444
					case 'w':
						c.value |= 0o222
					case 'x':
						c.value |= 0o111
					case 'X':
						c.flag = 'X'
					case 's':
						c.value |= modeSetID
					case 't':
						c.value |= 0o1000
					default:
						break perms
					}
				}
			}
			c.mentioned = c.value
			if affected != 0 {
				c.mentioned = affected & c.value
			}
			out = append(out, c)
		}
		if i == len(s) {
			return out
		}
		if s[i] != ',' {
			return nil
		}
		i++
	}
}

// adjustMode is gnulib's mode_adjust: old with the changes applied, and
// the mode bits the changes set or cleared (its pmode_bits), which mkdir
// uses to settle a directory's final mode.
func adjustMode(old uint32, dir bool, umask uint32, changes []modeChange) (mode, bits uint32) {
	mode = old & chmodModeBits
	for _, c := range changes {
		var omit uint32
		if dir {
			omit = modeSetID &^ c.mentioned
		}
		value := c.value
		switch c.flag {
		case 'c':
			value &= mode
			var spread uint32
			if value&0o444 != 0 {
				spread |= 0o444
			}
			if value&0o222 != 0 {
				spread |= 0o222
			}
			if value&0o111 != 0 {
				spread |= 0o111
			}
			value |= spread
		case 'X':
			if mode&0o111 != 0 || dir {
				value |= 0o111
			}
		}
		// A change with no "who" is limited by the umask.
		if c.affected != 0 {
			value &= c.affected &^ omit
		} else {
			value &= ^umask &^ omit
		}
		switch c.op {
		case '=':
			preserved := omit
			if c.affected != 0 {
				preserved |= ^c.affected
			}
			bits |= ^preserved
			mode = mode&preserved | value
		case '+':
			bits |= value
			mode |= value
		case '-':
			bits |= value
			mode &^= value
		}
	}
	return mode, bits & chmodModeBits
}

// permString is strmode's nine permission characters of mode.
func permString(mode uint32) string {
	n := &inode{perm: mode}
	return modeString(n)[1:]
}

// chmodUmask is the umask chmod applies to a mode with no "who": the
// lab's shells run with 022.
const chmodUmask = 0o022

// chmodProgram is chmod.
func chmodProgram(p *Proc) int {
	var recursive, verbose, changes, quiet bool
	// surprises: the mode was given as an option ("-w"), where coreutils
	// reports a umask that cut it short.
	var surprises bool
	var modeArg string
	var files []string
	// chmod takes a mode that starts with '-' ("-w") as the mode, as
	// coreutils' own scan does before getopt.
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			files = append(files, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' && a[1] != '-' {
			if modeArg == "" && compileMode(a) != nil {
				modeArg, surprises = a, true
				continue
			}
			for j := 1; j < len(a); j++ {
				switch a[j] {
				case 'R':
					recursive = true
				case 'v':
					verbose = true
				case 'c':
					changes = true
				case 'f':
					quiet = true
				default:
					return usageError(p, "chmod", "invalid option -- '"+string(a[j])+"'")
				}
			}
			continue
		}
		if len(a) > 2 && a[:2] == "--" {
			switch a {
			case "--recursive":
				recursive = true
			case "--verbose":
				verbose = true
			case "--changes":
				changes = true
			case "--silent", "--quiet":
				quiet = true
			default:
				return usageError(p, "chmod", "unrecognized option '"+a+"'")
			}
			continue
		}
		if modeArg == "" {
			modeArg = a
			continue
		}
		files = append(files, a)
	}
	if modeArg == "" {
		return usageError(p, "chmod", "missing operand")
	}
	if len(files) == 0 {
		return usageError(p, "chmod", "missing operand after ‘"+modeArg+"’")
	}
	change := compileMode(modeArg)
	if change == nil {
		return usageError(p, "chmod", "invalid mode: ‘"+modeArg+"’")
	}
	status := 0
	var walk func(name string, top bool)
	walk = func(name string, top bool) {
		r, err := p.K.lookup(p.T, name, top)
		if err != nil {
			if !quiet {
				p.Errorf("chmod: cannot access '%s': %s\n", name, err.Error())
			}
			status = 1
			return
		}
		// Links met while recursing are neither followed nor changed.
		if r.node.kind == kindSymlink {
			return
		}
		n := r.node
		old := n.perm & chmodModeBits
		mode, _ := adjustMode(old, n.isDir(), chmodUmask, change)
		err = p.K.Chmod(p.T, name, mode)
		if err != nil {
			if !quiet {
				p.Errorf("chmod: changing permissions of '%s': %s\n", name, err.Error())
			}
			status = 1
		}
		switch {
		case err == nil && (verbose || changes) && old != mode:
			p.Printf("mode of '%s' changed from %04o (%s) to %04o (%s)\n", name, old, permString(old), mode, permString(mode))
		case err == nil && verbose:
			p.Printf("mode of '%s' retained as %04o (%s)\n", name, old, permString(old))
		case err != nil && verbose:
			p.Printf("failed to change mode of '%s' from %04o (%s) to %04o (%s)\n", name, old, permString(old), mode, permString(mode))
		}
		if err == nil {
			if naive, _ := adjustMode(old, n.isDir(), 0, change); surprises && mode&^naive != 0 {
				if !quiet {
					p.Errorf("chmod: %s: new permissions are %s, not %s\n", name, permString(mode), permString(naive))
				}
				status = 1
			}
		}
		if recursive && n.isDir() {
			entries, _ := n.entries(p.T)
			sort.Strings(entries)
			for _, e := range entries {
				walk(path.Join(name, e), false)
			}
		}
	}
	for _, f := range files {
		walk(f, true)
	}
	return status
}
