package sim

import "strings"

// This file is overlayfs (the kernel's Documentation/filesystems/
// overlayfs.rst), which a user namespace's root may mount since Linux
// 5.11: a merged view of an upper directory over lower ones. Names in
// higher layers hide the same names below; directories of the same name
// merge. Opening a lower file for writing first copies it up into the
// upper layer; removing a lower name leaves a whiteout there, a character
// device 0/0. The upper file system here is tmpfs, which cannot hold the
// user.overlay.* attributes an unprivileged overlay needs to make a lower
// directory opaque, so removing a directory that has a lower part fails
// with EIO after its contents are whited out, as on the real machine.

// ovlDir is one directory of an overlay mount: the directory of that path
// in the upper layer (nil until copied up) and in each lower layer that
// has one, topmost first.
type ovlDir struct {
	sb     *superblock
	upper  *inode
	lowers []*inode
	parent *ovlDir
	name   string
	// creds are the mounter's: copy-up creates files with them
	// (ovl_override_creds).
	creds *Credentials
}

// isWhiteout reports whether n is an overlay whiteout.
func isWhiteout(n *inode) bool { return n.kind == kindChar && n.rdev == [2]int{0, 0} }

// newOverlay makes an overlay superblock over lower (topmost first) and,
// when upper is not nil, upper with its work directory work.
func (k *Kernel) newOverlay(t *Task, source, opts string, upper, work *inode, lower []*inode) *superblock {
	sb := k.newSuperblock("overlay", source, opts)
	if upper == nil {
		sb.readOnly = true
	} else if work.children["work"] == nil {
		// ovl_workdir_create: the work directory gets a "work" folder
		// that nobody may enter.
		w := sb.newInode(kindDir, 0)
		w.uid, w.gid, w.mtime = t.creds.FSUID, t.creds.FSGID, k.now
		work.children["work"] = w
	}
	sb.root = k.ovlDirInode(&ovlDir{sb: sb, upper: upper, lowers: lower, creds: t.creds})
	return sb
}

// top is the topmost layer's directory, whose owner and mode the merged
// one shows.
func (d *ovlDir) top() *inode {
	if d.upper != nil {
		return d.upper
	}
	return d.lowers[0]
}

// ovlDirInode is the merged directory d.
func (k *Kernel) ovlDirInode(d *ovlDir) *inode {
	top := d.top()
	n := synthDir(func(*Task) map[string]*inode { return k.ovlEntries(d) })
	n.perm, n.uid, n.gid, n.mtime = top.perm, top.uid, top.gid, top.mtime
	n.ovl = d
	return n
}

// ovlEntries merges d's layers.
func (k *Kernel) ovlEntries(d *ovlDir) map[string]*inode {
	m := map[string]*inode{}
	hidden := map[string]bool{}
	layers := d.lowers
	if d.upper != nil {
		layers = append([]*inode{d.upper}, layers...)
	}
	for i, layer := range layers {
		for name, n := range layer.children {
			if hidden[name] {
				continue
			}
			hidden[name] = true
			if isWhiteout(n) {
				continue
			}
			if !n.isDir() {
				m[name] = n
				continue
			}
			// A directory merges with the directories of the same name
			// below it, down to the first layer where the name is
			// something else.
			sub := &ovlDir{sb: d.sb, parent: d, name: name, creds: d.creds}
			if i == 0 && d.upper != nil {
				sub.upper = n
			} else {
				sub.lowers = append(sub.lowers, n)
			}
			for _, below := range layers[i+1:] {
				c := below.children[name]
				if c == nil {
					continue
				}
				if !c.isDir() {
					break
				}
				sub.lowers = append(sub.lowers, c)
			}
			if sub.upper == nil && len(sub.lowers) == 0 {
				continue
			}
			m[name] = k.ovlDirInode(sub)
		}
	}
	return m
}

// ovlUpperDir copies d up (and its parents): the upper layer's directory
// for d, made with the lower one's mode and owner.
func (k *Kernel) ovlUpperDir(d *ovlDir) *inode {
	if d.upper != nil {
		return d.upper
	}
	parent := k.ovlUpperDir(d.parent)
	low := d.lowers[0]
	up := d.sb.newInode(kindDir, low.perm)
	up.uid, up.gid, up.mtime = low.uid, low.gid, low.mtime
	parent.children[d.name] = up
	d.upper = up
	return up
}

// ovlCreateDir is the directory a new name in d goes to: the upper one,
// where a whiteout of that name is replaced.
func (k *Kernel) ovlCreateDir(d *ovlDir, name string) *inode {
	up := k.ovlUpperDir(d)
	if c := up.children[name]; c != nil && isWhiteout(c) {
		delete(up.children, name)
	}
	return up
}

// ovlCopyUp returns the inode a write to name in d goes to: n itself when
// it is in the upper layer, else a copy of it made there.
func (k *Kernel) ovlCopyUp(d *ovlDir, name string, n *inode) *inode {
	if d.upper != nil && d.upper.children[name] == n {
		return n
	}
	up := k.ovlUpperDir(d)
	c := d.sb.newInode(n.kind, n.perm)
	c.uid, c.gid, c.mtime, c.target = n.uid, n.gid, n.mtime, n.target
	c.data = append([]byte(nil), n.data...)
	up.children[name] = c
	return c
}

// ovlRemove removes name from d: from the upper layer, and where a lower
// layer has it, by a whiteout in its place.
func (k *Kernel) ovlRemove(d *ovlDir, name string) error {
	inLower := false
	for _, l := range d.lowers {
		if c := l.children[name]; c != nil {
			inLower = true
			break
		}
	}
	if n := k.ovlEntries(d)[name]; n != nil && n.ovl != nil && len(n.ovl.lowers) > 0 {
		// A directory with a lower part: its entries go, then it cannot
		// be made opaque on tmpfs.
		sub := n.ovl
		for child := range k.ovlEntries(sub) {
			if err := k.ovlRemove(sub, child); err != nil {
				return err
			}
		}
		return EIO
	}
	if d.upper != nil {
		delete(d.upper.children, name)
	}
	if inLower {
		up := k.ovlUpperDir(d)
		w := d.sb.newInode(kindChar, 0)
		w.uid, w.gid = d.creds.FSUID, d.creds.FSGID
		// Whiteouts are links to one shared whiteout of the work
		// directory.
		w.nlink = 2
		up.children[name] = w
	}
	return nil
}

// newOverlayFilesystem is mount(2) of "overlay" for t: lowerdir=
// (colon-separated, topmost first), upperdir= and workdir=, resolved as t
// sees them.
func (k *Kernel) newOverlayFilesystem(t *Task, source, data string, flags MountFlags) (*superblock, error) {
	var lowerPaths []string
	var upperPath, workPath string
	for _, o := range strings.Split(data, ",") {
		name, val, _ := strings.Cut(o, "=")
		switch name {
		case "lowerdir":
			lowerPaths = strings.Split(val, ":")
		case "upperdir":
			upperPath = val
		case "workdir":
			workPath = val
		case "":
		default:
			return nil, EINVAL
		}
	}
	// "upperdir" and "workdir" come together, and something must be
	// below: without an upper layer, at least two lower ones ("At least
	// 2 lowerdir are needed while upperdir nonexistent").
	if len(lowerPaths) == 0 || (upperPath == "") != (workPath == "") || upperPath == "" && len(lowerPaths) < 2 {
		return nil, EINVAL
	}
	dir := func(p string) (*inode, error) {
		r, err := k.lookup(t, p, true)
		if err != nil {
			return nil, err
		}
		if !r.node.isDir() {
			return nil, ENOTDIR
		}
		return r.node, nil
	}
	var lower []*inode
	for _, p := range lowerPaths {
		n, err := dir(p)
		if err != nil {
			return nil, err
		}
		lower = append(lower, n)
	}
	opts := "rw,lowerdir=" + strings.Join(lowerPaths, ":")
	var upper, work *inode
	if upperPath != "" {
		var err error
		if upper, err = dir(upperPath); err != nil {
			return nil, err
		}
		if work, err = dir(workPath); err != nil {
			return nil, err
		}
		// An unprivileged overlay follows no redirects it did not make.
		opts += ",upperdir=" + upperPath + ",workdir=" + workPath + ",redirect_dir=nofollow,uuid=null"
	} else {
		opts = "ro" + strings.TrimPrefix(opts, "rw") + ",redirect_dir=on"
	}
	return k.newOverlay(t, source, opts, upper, work, lower), nil
}
