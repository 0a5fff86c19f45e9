package sim

import (
	"strconv"
	"strings"
	"time"
)

// statProgram is stat of GNU coreutils 9.1: its default report, or with
// -c/--format (a newline after each file) or --printf (backslash escapes
// too, no newline) the % sequences stat(1) lists, with printf's flags,
// width and precision; -L follows links. The simulated inode keeps one
// timestamp, which %x, %y, %z and %w (and their epoch forms) all show.
// -f, -t and --cached are left out: getopt refuses them.
func statProgram(p *Proc) int {
	const printfOpt = 200
	spec := optSpec{
		short: map[byte]int{'c': 1, 'L': 0},
		long: map[string]longOpt{"format": {'c', 1}, "printf": {printfOpt, 1},
			"dereference": {'L', 0}},
	}
	opts, names, msg := getoptLong(spec, p.Args[1:], false)
	if msg != "" {
		return usageError(p, "stat", msg)
	}
	var format string
	var hasFormat, follow, newline bool
	for _, o := range opts {
		switch o.code {
		case 'c':
			format, hasFormat = o.value, true
			newline = true
		case printfOpt:
			format, hasFormat = statEscapes(o.value), true
			newline = false
		case 'L':
			follow = true
		}
	}
	if len(names) == 0 {
		return usageError(p, "stat", "missing operand")
	}
	status := 0
	for _, n := range names {
		r, err := p.K.lookup(p.T, n, follow)
		if err != nil {
			p.Errorf("stat: cannot statx '%s': %s\n", n, err.Error())
			status = 1
			continue
		}
		if hasFormat {
			out := statFormat(p, n, r, format)
			if newline {
				out += "\n"
			}
			p.Printf("%s", out)
			continue
		}
		statDefault(p, n, r)
	}
	return status
}

// statDefault is stat's report without a format.
func statDefault(p *Proc, n string, r resolved) {
	node := r.node
	un := p.T.creds.UserNS
	uid, gid := un.MungedUID(node.uid), un.MungedGID(node.gid)
	size := fileSize(p, lsEntry{node: node, mnt: r.mnt})
	name := n
	if node.kind == kindSymlink {
		name += " -> " + node.target
	}
	ts := statTime(p, node)
	p.Printf("  File: %s\n  Size: %-10d\tBlocks: 0          IO Block: 4096   %s\nDevice: %d,%d\tInode: %-11d Links: %d\nAccess: (%04o/%s)  Uid: (%5d/%8s)   Gid: (%5d/%8s)\nAccess: %s\nModify: %s\nChange: %s\n Birth: %s\n",
		name, size, statKind(node), r.mnt.sb.major, r.mnt.sb.minor, node.ino, linkCount(node), node.perm&0o7777, modeString(node), uid, userName(p.K, p.T, uid), gid, groupName(p.K, p.T, gid), ts, ts, ts, ts)
}

func statMtime(p *Proc, node *inode) time.Time {
	mt := node.mtime
	if mt == 0 {
		mt = p.K.start
	}
	return time.Unix(0, mt).UTC()
}

func statTime(p *Proc, node *inode) string {
	return statMtime(p, node).Format("2006-01-02 15:04:05.000000000 -0700")
}

// statKind is %F: the file type in stat's words.
func statKind(node *inode) string {
	switch {
	case node.isDir():
		return "directory"
	case node.kind == kindSymlink:
		return "symbolic link"
	case node.kind == kindChar:
		return "character special file"
	case node.kind == kindBlock:
		return "block special file"
	case len(node.data) == 0 && node.gen == nil:
		return "regular empty file"
	}
	return "regular file"
}

// statFormat expands format's % sequences for one file, as coreutils'
// print_it does: "%[flags][width][.precision]X", an unknown X as "?", a
// lone "%" at the end as itself.
func statFormat(p *Proc, name string, r resolved, format string) string {
	node := r.node
	un := p.T.creds.UserNS
	uid, gid := un.MungedUID(node.uid), un.MungedGID(node.gid)
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("-#+ '0I", format[j]) >= 0 {
			j++
		}
		for j < len(format) && format[j] >= '0' && format[j] <= '9' {
			j++
		}
		prec := -1
		if j < len(format) && format[j] == '.' {
			j++
			k := j
			for j < len(format) && format[j] >= '0' && format[j] <= '9' {
				j++
			}
			prec, _ = strconv.Atoi(format[k:j])
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		// Go's fmt takes C's flags but for "'" (grouping) and "I".
		spec := strings.NewReplacer("'", "", "I", "").Replace(format[i+1 : j])
		conv := format[j]
		if conv == 'H' || conv == 'L' {
			if j+1 < len(format) && (format[j+1] == 'd' || format[j+1] == 'r') {
				j++
				conv2 := format[j]
				dev := [2]int{r.mnt.sb.major, r.mnt.sb.minor}
				if conv2 == 'r' {
					dev = node.rdev
				}
				v := dev[0]
				if conv == 'L' {
					v = dev[1]
				}
				b.WriteString(sprintf("%"+spec+"d", v))
				i = j
				continue
			}
		}
		i = j
		str := func(s string) { b.WriteString(sprintf("%"+spec+"s", s)) }
		// The other numbers are unsigned: "+" and " " do nothing to them.
		num := func(verb string, v uint64) {
			b.WriteString(sprintf("%"+strings.NewReplacer("+", "", " ", "").Replace(spec)+verb, v))
		}
		epoch := func() {
			t := statMtime(p, node)
			s := strconv.FormatInt(t.Unix(), 10)
			if prec > 0 {
				frac := sprintf("%09d", t.Nanosecond())
				for len(frac) < prec {
					frac += "0"
				}
				s += "." + frac[:prec]
				spec = spec[:strings.IndexByte(spec, '.')]
			}
			str(s)
		}
		switch conv {
		case '%':
			b.WriteString("%")
		case 'a':
			num("o", uint64(node.perm&0o7777))
		case 'A':
			str(modeString(node))
		case 'b':
			blocks := 0
			if node.kind == kindFile && node.gen == nil {
				blocks = pageBytes(len(node.data)) / 512
			} else if node.isDir() && r.mnt != nil && r.mnt.sb.fstype == "ext4" {
				blocks = 8
			}
			num("d", uint64(blocks))
		case 'B':
			num("d", 512)
		case 'd':
			num("d", statDev(r.mnt.sb.major, r.mnt.sb.minor))
		case 'D':
			num("x", statDev(r.mnt.sb.major, r.mnt.sb.minor))
		case 'f':
			num("x", uint64(statModeBits(node)))
		case 'F':
			str(statKind(node))
		case 'g':
			num("d", uint64(gid))
		case 'G':
			str(groupName(p.K, p.T, gid))
		case 'h':
			num("d", uint64(linkCount(node)))
		case 'i':
			num("d", node.ino)
		case 'm':
			str(r.mnt.point)
		case 'n':
			str(name)
		case 'N':
			s := shellQuote(name)
			if node.kind == kindSymlink {
				s += " -> " + shellQuote(node.target)
			}
			str(s)
		case 'o':
			num("d", 4096)
		case 's':
			// st_size is signed (off_t): it alone takes "+".
			b.WriteString(sprintf("%"+spec+"d", fileSize(p, lsEntry{node: node, mnt: r.mnt})))
		case 't':
			num("x", uint64(node.rdev[0]))
		case 'T':
			num("x", uint64(node.rdev[1]))
		case 'u':
			num("d", uint64(uid))
		case 'U':
			str(userName(p.K, p.T, uid))
		case 'w', 'x', 'y', 'z':
			str(statTime(p, node))
		case 'W', 'X', 'Y', 'Z':
			epoch()
		default:
			b.WriteString("?")
		}
	}
	return b.String()
}

// statDev is st_dev as glibc's makedev encodes it.
func statDev(major, minor int) uint64 {
	ma, mi := uint64(major), uint64(minor)
	return mi&0xff | (ma&0xfff)<<8 | (mi&^0xff)<<12 | (ma&^0xfff)<<32
}

// statModeBits is st_mode: the file type bits and the permissions.
func statModeBits(node *inode) uint32 {
	t := uint32(0o100000)
	switch node.kind {
	case kindDir:
		t = 0o040000
	case kindSymlink:
		t = 0o120000
	case kindChar:
		t = 0o020000
	case kindBlock:
		t = 0o060000
	}
	return t | node.perm&0o7777
}

// statEscapes is --printf's backslash escapes, as coreutils' stat
// expands them: \a \b \e \f \n \r \t \v \" \\, \NNN octal and \xHH hex.
func statEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; {
		case c >= '0' && c <= '7':
			v, n := 0, 0
			for n < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7' {
				v = v*8 + int(s[i]-'0')
				i++
				n++
			}
			i--
			b.WriteByte(byte(v))
		case c == 'x' && i+1 < len(s) && isHex(s[i+1]):
			v, n := 0, 0
			i++
			for n < 2 && i < len(s) && isHex(s[i]) {
				d, _ := strconv.ParseUint(s[i:i+1], 16, 8)
				v = v*16 + int(d)
				i++
				n++
			}
			i--
			b.WriteByte(byte(v))
		default:
			if e := strings.IndexByte(`abefnrtv"\`, c); e >= 0 {
				b.WriteByte("\a\b\x1b\f\n\r\t\v\"\\"[e])
			} else {
				b.WriteByte('\\')
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
