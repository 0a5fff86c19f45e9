package sim

import (
	"path"
	"sort"
	"strings"
	"time"
)

// This file holds coreutils' file tools: cat, ls, readlink, mkdir, rmdir,
// rm, touch, stat.

// lsProgram is ls, as it prints to a pipe: one name per line, or -l's
// long format.
func lsProgram(p *Proc) int {
	long, all, almost, dirOnly, one, inodeNum := false, false, false, false, false, false
	var names []string
	args, style, fullTime, code := lsLongOptions(p, p.Args[1:])
	if code >= 0 {
		return code
	}
	long = fullTime
	for _, a := range args {
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			for _, ch := range a[1:] {
				switch ch {
				case 'l':
					long = true
				case 'a':
					all = true
				case 'A':
					almost = true
				case 'd':
					dirOnly = true
				case '1':
					one = true
				case 'i':
					inodeNum = true
				case 'h', 'n', 'F', 'L':
				default:
					p.Errorf("ls: invalid option -- '%c'\nTry 'ls --help' for more information.\n", ch)
					return 2
				}
			}
			continue
		}
		names = append(names, a)
	}
	_ = one
	if len(names) == 0 {
		names = []string{"."}
	}
	status := 0
	var files, dirs []string
	for _, n := range names {
		r, err := p.K.lookup(p.T, n, !long || strings.HasSuffix(n, "/"))
		if err != nil {
			p.Errorf("ls: cannot access '%s': %s\n", n, err.Error())
			status = 2
			continue
		}
		if r.node.isDir() && !dirOnly {
			dirs = append(dirs, n)
		} else {
			files = append(files, n)
		}
	}
	sort.Strings(files)
	sort.Strings(dirs)
	var out strings.Builder
	if len(files) > 0 {
		var entries []lsEntry
		for _, f := range files {
			r, _ := p.K.lookup(p.T, f, !long)
			entries = append(entries, lsEntry{name: f, path: f, node: r.node, mnt: r.mnt})
		}
		text, unreadable := lsFormat(p, entries, long, inodeNum, false, style)
		out.WriteString(text)
		if unreadable {
			// A link named on the command line that cannot be read is a
			// serious failure for ls (exit status 2).
			status = 2
		}
	}
	for i, d := range dirs {
		if len(files) > 0 || i > 0 {
			out.WriteString("\n")
		}
		if len(names) > 1 {
			out.WriteString(d + ":\n")
		}
		r, _ := p.K.lookup(p.T, d, true)
		if !p.K.mayAccess(p.T, r.node, mayRead) {
			p.Errorf("ls: cannot open directory '%s': Permission denied\n", d)
			status = 2
			continue
		}
		var entries []lsEntry
		if all {
			parent, err := p.K.lookup(p.T, path.Join(r.path, ".."), true)
			pn := r.node
			if err == nil {
				pn = parent.node
			}
			entries = append(entries, lsEntry{name: ".", node: r.node, mnt: r.mnt}, lsEntry{name: "..", node: pn, mnt: parent.mnt})
		}
		ents, m := r.node.entries(p.T)
		for _, name := range ents {
			if strings.HasPrefix(name, ".") && !all && !almost {
				continue
			}
			n := m[name]
			mnt := r.mnt
			// A mount point shows the mounted root.
			full := path.Join(r.path, name)
			if x, err := p.K.lookup(p.T, full, false); err == nil {
				n, mnt = x.node, x.mnt
			}
			entries = append(entries, lsEntry{name: name, path: full, node: n, mnt: mnt})
		}
		text, unreadable := lsFormat(p, entries, long, inodeNum, true, style)
		out.WriteString(text)
		if unreadable && status == 0 {
			// Within a listed directory it is a minor one (1).
			status = 1
		}
	}
	p.Stdout().Write([]byte(out.String()))
	return status
}

type lsEntry struct {
	name string
	path string // for messages
	node *inode
	mnt  *Mount
}

// lsFormat renders entries, with -l's columns aligned (times in the
// --time-style given); unreadable reports a symbolic link whose target
// could not be read.
func lsFormat(p *Proc, entries []lsEntry, long, inodeNum, total bool, style string) (text string, unreadable bool) {
	var b strings.Builder
	if !long {
		for _, e := range entries {
			if inodeNum {
				b.WriteString(sprintf("%d ", e.node.ino))
			}
			b.WriteString(e.name + "\n")
		}
		return b.String(), false
	}
	type row struct{ mode, links, user, group, size, date, name string }
	var rows []row
	var w [5]int
	blocks := 0
	for _, e := range entries {
		n := e.node
		un := p.T.creds.UserNS
		r := row{
			mode:  modeString(n),
			links: itoa(linkCount(n)),
			user:  userName(p.K, p.T, un.MungedUID(n.uid)),
			group: groupName(p.K, p.T, un.MungedGID(n.gid)),
			size:  lsSize(p, e),
			date:  lsDateStyled(p.K, n.mtime, style),
			name:  e.name,
		}
		if n.kind == kindSymlink {
			if n.guard != nil && n.guard(p.T) != nil {
				p.Errorf("ls: cannot read symbolic link '%s': Permission denied\n", e.path)
				unreadable = true
			} else {
				target := n.target
				if n.gen != nil {
					target = n.gen(p.T)
				}
				if target == "" {
					// readlink failed (ENOENT): ls says so and lists
					// the link without a target.
					p.Errorf("ls: cannot read symbolic link '%s': No such file or directory\n", e.path)
					unreadable = true
				} else {
					r.name += " -> " + target
				}
			}
		}
		if e.mnt != nil && e.mnt.sb.fstype == "ext4" && (n.isDir()) {
			blocks += 4
		}
		// A file's data takes whole 4 KiB pages (tmpfs) or blocks (ext4).
		if n.kind == kindFile && n.gen == nil {
			blocks += pageBytes(len(n.data)) / 1024
		}
		rows = append(rows, r)
		for i, v := range []string{r.links, r.user, r.group, r.size, r.date} {
			if len(v) > w[i] {
				w[i] = len(v)
			}
		}
	}
	if total {
		b.WriteString(sprintf("total %d\n", blocks))
	}
	for _, r := range rows {
		b.WriteString(sprintf("%s %*s %-*s %-*s %*s %s %s\n", r.mode, w[0], r.links, w[1], r.user, w[2], r.group, w[3], r.size, r.date, r.name))
	}
	return b.String(), unreadable
}

func modeString(n *inode) string {
	b := []byte("----------")
	switch n.kind {
	case kindDir:
		b[0] = 'd'
	case kindSymlink:
		b[0] = 'l'
	case kindChar:
		b[0] = 'c'
	case kindBlock:
		b[0] = 'b'
	}
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if n.perm&(1<<uint(8-i)) != 0 {
			b[1+i] = rwx[i]
		}
	}
	// Set-user-ID and set-group-ID show in the execute places.
	for bit, at := range map[uint32]int{0o4000: 3, 0o2000: 6} {
		if n.perm&bit != 0 {
			if b[at] == 'x' {
				b[at] = 's'
			} else {
				b[at] = 'S'
			}
		}
	}
	if n.perm&0o1000 != 0 {
		if b[9] == 'x' {
			b[9] = 't'
		} else {
			b[9] = 'T'
		}
	}
	return string(b)
}

func linkCount(n *inode) int {
	if n.nlink > 0 {
		return n.nlink
	}
	if !n.isDir() {
		return 1 + n.extraLinks
	}
	c := 2
	for _, ch := range n.children {
		if ch.isDir() {
			c++
		}
	}
	return c
}

// fileSize is st_size: tmpfs directories count 20 bytes an entry plus 40,
// ext4 directories a block, links their target's length.
func fileSize(p *Proc, e lsEntry) int {
	n := e.node
	switch n.kind {
	case kindSymlink:
		// procfs links have no size.
		if n.gen != nil {
			return 0
		}
		return len(n.target)
	case kindDir:
		if e.mnt != nil && e.mnt.sb.fstype == "tmpfs" {
			return 40 + 20*len(n.children)
		}
		if e.mnt != nil && (e.mnt.sb.fstype == "proc" || e.mnt.sb.fstype == "sysfs" || e.mnt.sb.fstype == "devpts") {
			return 0
		}
		return 4096
	}
	if n.gen != nil {
		return 0
	}
	return len(n.data)
}

func lsDate(k *Kernel, mtime int64) string {
	if mtime == 0 {
		mtime = k.start
	}
	t := time.Unix(0, mtime).UTC()
	now := time.Unix(0, k.now).UTC()
	if now.Sub(t) > 182*24*time.Hour || t.After(now.Add(time.Hour)) {
		return t.Format("Jan _2  2006")
	}
	return t.Format("Jan _2 15:04")
}

// Mkdir is mkdir(2).
func (k *Kernel) Mkdir(t *Task, name string) error {
	r, err := k.lookup(t, name, false)
	if err == nil {
		return EEXIST
	}
	if err != ENOENT || r.parent == nil {
		return err
	}
	if r.mnt.ro() {
		return EROFS
	}
	parent := r.parent
	if parent.ovl != nil {
		if !k.mayWrite(t, parent) {
			return EACCES
		}
		parent = k.ovlCreateDir(parent.ovl, r.name)
	}
	if parent.list != nil || parent.lookupFn != nil {
		return ENOENT
	}
	if !k.mayWrite(t, parent) {
		return EACCES
	}
	d := r.mnt.sb.newInode(kindDir, 0o777&^t.umask)
	d.uid, d.gid, d.mtime = t.creds.FSUID, t.creds.FSGID, k.now
	parent.children[r.name] = d
	return nil
}

// mayWrite is the permission check for creating in dir: write and
// search permission on it.
func (k *Kernel) mayWrite(t *Task, dir *inode) bool {
	return k.mayAccess(t, dir, mayWrite|mayExec)
}

// release gives back the pages of a removed file or tree.
func (sb *superblock) release(n *inode) {
	sb.used -= int64(pageBytes(len(n.data)))
	for _, c := range n.children {
		sb.release(c)
	}
}

// lsSize is ls -l's size column: "MAJOR, MINOR" for a device.
func lsSize(p *Proc, e lsEntry) string {
	if e.node.kind == kindChar {
		return itoa(e.node.rdev[0]) + ", " + itoa(e.node.rdev[1])
	}
	return itoa(fileSize(p, e))
}
