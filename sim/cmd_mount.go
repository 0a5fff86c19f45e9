package sim

import (
	"sort"
	"strings"
)

// This file holds util-linux's mount, umount and findmnt.

// mountProgram is mount(8) of util-linux 2.38.
func mountProgram(p *Proc) int {
	var fstype, opts string
	var flags MountFlags
	// props are the propagation changes asked for, in order: libmount
	// makes each its own mount(2) call on the target, after the main
	// operation when there is one.
	var props []MountFlags
	var operands []string
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch a {
		case "-t", "--types":
			if i+1 < len(args) {
				fstype = args[i+1]
				i++
			}
		case "-o", "--options":
			if i+1 < len(args) {
				opts = args[i+1]
				i++
			}
		case "--bind", "-B":
			flags |= MSBind
		case "--rbind", "-R":
			flags |= MSBind | MSRec
		case "--move", "-M":
			flags |= MSMove
		case "--make-shared":
			props = append(props, MSShared)
		case "--make-rshared":
			props = append(props, MSShared|MSRec)
		case "--make-private":
			props = append(props, MSPrivate)
		case "--make-rprivate":
			props = append(props, MSPrivate|MSRec)
		case "--make-slave":
			props = append(props, MSSlave)
		case "--make-rslave":
			props = append(props, MSSlave|MSRec)
		case "--make-unbindable":
			props = append(props, MSUnbindable)
		case "--make-runbindable":
			props = append(props, MSUnbindable|MSRec)
		case "-n", "-v", "--no-mtab":
		default:
			if strings.HasPrefix(a, "-t") && len(a) > 2 {
				fstype = a[2:]
				continue
			}
			if strings.HasPrefix(a, "-o") && len(a) > 2 {
				opts = a[2:]
				continue
			}
			if strings.HasPrefix(a, "-") {
				return usageError(p, "mount", "unrecognized option '"+a+"'")
			}
			operands = append(operands, a)
		}
	}
	if len(operands) == 0 && len(props) == 0 && flags == 0 {
		var b strings.Builder
		for _, m := range p.T.ns.mnt.mounts {
			b.WriteString(sprintf("%s on %s type %s (%s)\n", m.sb.source, m.point, m.sb.fstype, mergedOptions(m)))
		}
		p.Stdout().Write([]byte(b.String()))
		return 0
	}
	// Options: flags and what goes to the file system.
	var data []string
	rwGiven := false
	for _, o := range strings.Split(opts, ",") {
		switch o {
		case "":
		case "ro":
			flags |= MSRdonly
		case "rw":
			rwGiven = true
		case "nosuid":
			flags |= MSNosuid
		case "nodev":
			flags |= MSNodev
		case "noexec":
			flags |= MSNoexec
		case "noatime":
			flags |= MSNoatime
		case "relatime":
		case "remount":
			flags |= MSRemount
		case "bind":
			flags |= MSBind
		case "rbind":
			flags |= MSBind | MSRec
		case "private", "shared", "slave", "unbindable", "rprivate", "rshared", "rslave", "runbindable":
			f := map[string]MountFlags{"private": MSPrivate, "shared": MSShared, "slave": MSSlave, "unbindable": MSUnbindable}[strings.TrimPrefix(o, "r")]
			if strings.HasPrefix(o, "r") {
				f |= MSRec
			}
			props = append(props, f)
		default:
			data = append(data, o)
		}
	}
	setProps := func(target string) int {
		for _, prop := range props {
			if err := p.K.Mount(p.T, "none", target, "", prop, ""); err != nil {
				return mountError(p, "none", target, err, "")
			}
		}
		return 0
	}
	if len(props) > 0 && flags&^MSRdonly == 0 && fstype == "" && len(data) == 0 {
		// Propagation alone: one operand, the mount point.
		if len(operands) != 1 {
			return usageError(p, "mount", "bad usage")
		}
		return setProps(operands[0])
	}
	var source, target string
	switch len(operands) {
	case 1:
		if flags&MSRemount == 0 {
			p.Errorf("mount: %s: can't find in /etc/fstab.\n", operands[0])
			return 1
		}
		target = operands[0]
	case 2:
		source, target = operands[0], operands[1]
	default:
		return usageError(p, "mount", "bad usage")
	}
	if fstype == "" && flags&(MSBind|MSMove|MSRemount) == 0 {
		if source == "proc" || source == "tmpfs" || source == "sysfs" {
			fstype = source
		} else {
			p.Errorf("mount: %s: special device %s does not exist.\n", target, source)
			return 32
		}
	}
	if flags&MSRemount != 0 {
		// libmount passes the file system's current options back with a
		// remount, as mountinfo shows them.
		if r, err := p.K.lookup(p.T, target, true); err == nil && r.mnt.point == r.path {
			data = append(strings.Split(superExtra(r.mnt.sb.opts), ","), data...)
			if flags&MSBind != 0 {
				// A bind remount keeps the mount's own flags that the
				// options do not change.
				base := optsFlags(r.mnt.opts)
				if rwGiven {
					base &^= MSRdonly
				}
				flags |= base
			}
		}
	}
	if err := p.K.Mount(p.T, source, target, fstype, flags, strings.Join(data, ",")); err != nil {
		if flags&MSRemount != 0 && err == EINVAL {
			p.Errorf("mount: %s: mount point not mounted or bad option.\n       dmesg(1) may have more information after failed mount system call.\n", target)
			return 32
		}
		return mountError(p, source, target, err, fstype)
	}
	if attrs := flags & (MSRdonly | MSNosuid | MSNodev | MSNoexec | MSNoatime); flags&(MSBind|MSRemount) == MSBind && attrs != 0 {
		// mount(2) ignores a bind mount's flags: libmount applies them
		// with a second call, a bind remount of the new mount.
		if err := p.K.Mount(p.T, "none", target, "", MSRemount|MSBind|attrs, ""); err != nil {
			return mountError(p, source, target, err, fstype)
		}
	}
	return setProps(target)
}

// mountError prints libmount's message for a failed mount(2).
func mountError(p *Proc, source, target string, err error, fstype string) int {
	msg := err.Error()
	switch err {
	case ENOENT:
		// libmount looks for what is missing: the mount point, else the
		// source (an overlay's lower directory is reported as its
		// "special device").
		msg = "mount point does not exist."
		if _, err := p.K.lookup(p.T, target, true); err == nil {
			msg = "mount(2) system call failed: No such file or directory."
			if _, err := p.K.lookup(p.T, source, true); err != nil {
				msg = "special device " + source + " does not exist."
			}
		}
	case EPERM, EACCES:
		msg = "permission denied."
	case ENODEV:
		msg = "unknown filesystem type '" + fstype + "'."
	case ENOTDIR:
		msg = "mount point is not a directory."
	case EBUSY:
		msg = "target is busy."
	case EINVAL:
		msg = "wrong fs type, bad option, bad superblock on " + source + ", missing codepage or helper program, or other error."
	case EROFS:
		msg = "cannot mount " + target + " read-only."
	}
	p.Errorf("mount: %s: %s\n       dmesg(1) may have more information after failed mount system call.\n", target, msg)
	return 32
}

// mergedOptions are the per-mount options followed by the super block's
// own (without its rw/ro), as libmount shows them.
func mergedOptions(m *Mount) string {
	o := m.opts
	if extra := superExtra(m.sb.opts); extra != "" {
		o += "," + extra
	}
	return o
}

// umountProgram is umount(8).
func umountProgram(p *Proc) int {
	lazy := false
	var targets []string
	for _, a := range p.Args[1:] {
		switch a {
		case "-l", "--lazy":
			lazy = true
		case "-f", "-n", "-v":
		default:
			if strings.HasPrefix(a, "-") {
				return usageError(p, "umount", "unrecognized option '"+a+"'")
			}
			targets = append(targets, a)
		}
	}
	if len(targets) == 0 {
		return usageError(p, "umount", "bad usage")
	}
	status := 0
	for _, t := range targets {
		if _, err := p.K.lookup(p.T, t, true); err != nil {
			p.Errorf("umount: %s: no mount point specified.\n", t)
			status = 32
			continue
		}
		if err := p.K.Umount(p.T, t, lazy); err != nil {
			switch err {
			case EINVAL:
				p.Errorf("umount: %s: not mounted.\n", t)
			case EBUSY:
				p.Errorf("umount: %s: target is busy.\n", t)
			case EPERM:
				p.Errorf("umount: %s: must be superuser to unmount.\n", t)
			default:
				p.Errorf("umount: %s: %s\n", t, err.Error())
			}
			status = 32
		}
	}
	return status
}

// findmntProgram is findmnt(8): the mount table as a tree or a list.
func findmntProgram(p *Proc) int {
	a, status, ok := parseFindmntArgs(p)
	if !ok {
		return status
	}
	if a.fstab {
		return findmntFstab(p, a)
	}
	cols, noHead, list, raw := a.cols, a.noHead, a.list, a.raw
	ns := p.T.ns.mnt
	// findmnt reads /proc/self/mountinfo: the mounts below its root.
	var mounts []*Mount
	for _, m := range ns.mounts {
		if p.T.seesMount(m) {
			mounts = append(mounts, m)
		}
	}
	var sel []*Mount
	if !a.poll {
		var found bool
		if sel, list, found = findmntSelect(p, a, mounts, list); !found {
			return 1
		}
	}
	value := func(m *Mount, c string) string {
		switch c {
		case "TARGET":
			return p.T.visiblePath(m.point)
		case "SOURCE":
			if m.root != "/" {
				return m.sb.source + "[" + m.root + "]"
			}
			return m.sb.source
		case "FSTYPE":
			return m.sb.fstype
		case "OPTIONS":
			return mergedOptions(m)
		case "VFS-OPTIONS":
			return m.opts
		case "FS-OPTIONS":
			return m.sb.opts
		case "FSROOT":
			return m.root
		case "MAJ:MIN":
			return itoa(m.sb.major) + ":" + itoa(m.sb.minor)
		case "ID":
			return itoa(m.id)
		case "PARENT":
			if m.parent != nil {
				return itoa(m.parent.id)
			}
			return itoa(ns.rootParentID)
		case "PROPAGATION":
			// libmount: "shared" or "private", then the other flags.
			parts := []string{"private"}
			if m.shared != 0 {
				parts[0] = "shared"
			}
			if m.master != 0 {
				parts = append(parts, "slave")
			}
			if m.unbindable {
				parts = append(parts, "unbindable")
			}
			return strings.Join(parts, ",")
		}
		return ""
	}
	if a.poll {
		return findmntPoll(p, a, value)
	}
	t := newTable(cols, raw)
	t.rightAlign("ID", "PARENT")
	var order []*Mount
	prefix := map[*Mount]string{}
	if list {
		order = sel
	} else {
		// Tree order: depth first from the root, children in table order.
		children := map[*Mount][]*Mount{}
		for _, m := range sel {
			if m.parent != nil {
				children[m.parent] = append(children[m.parent], m)
			}
		}
		// libmount visits a mount's children in order of mount ID.
		for _, kids := range children {
			sort.Slice(kids, func(i, j int) bool { return kids[i].id < kids[j].id })
		}
		var walk func(m *Mount, indent string, last bool, top bool)
		walk = func(m *Mount, indent string, last bool, top bool) {
			if top {
				prefix[m] = ""
			} else if last {
				prefix[m] = indent + "└─"
			} else {
				prefix[m] = indent + "├─"
			}
			order = append(order, m)
			kids := children[m]
			next := indent
			if !top {
				if last {
					next += "  "
				} else {
					next += "│ "
				}
			}
			for i, c := range kids {
				walk(c, next, i == len(kids)-1, false)
			}
		}
		// A mount whose parent is filtered out starts a tree of its own.
		inSel := map[*Mount]bool{}
		for _, m := range sel {
			inSel[m] = true
		}
		for _, m := range sel {
			if m.parent == nil || !inSel[m.parent] {
				walk(m, "", true, true)
			}
		}
	}
	for _, m := range order {
		var row []string
		for _, c := range cols {
			v := value(m, c)
			if c == "TARGET" {
				v = prefix[m] + v
			}
			if raw && v == "" {
				v = `""`
			}
			row = append(row, v)
		}
		t.add(row)
	}
	p.Stdout().Write([]byte(t.render(!noHead)))
	return 0
}
