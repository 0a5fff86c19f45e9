package sim

import (
	"path"
	"strconv"
	"strings"
)

// MountFlags are mount(2)'s flags.
type MountFlags uint64

// The mount flags the userland uses, with the kernel's values.
const (
	MSRdonly      MountFlags = 1
	MSNosuid      MountFlags = 2
	MSNodev       MountFlags = 4
	MSNoexec      MountFlags = 8
	MSRemount     MountFlags = 32
	MSNoatime     MountFlags = 1024
	MSBind        MountFlags = 4096
	MSMove        MountFlags = 8192
	MSRec         MountFlags = 16384
	MSUnbindable  MountFlags = 1 << 17
	MSPrivate     MountFlags = 1 << 18
	MSSlave       MountFlags = 1 << 19
	MSShared      MountFlags = 1 << 20
	MSRelatime    MountFlags = 1 << 21
	MSStrictatime MountFlags = 1 << 24
)

// Mount is mount(2) for t.
func (k *Kernel) Mount(t *Task, source, target, fstype string, flags MountFlags, data string) error {
	// mount(2): "EPERM The caller does not have the required privileges"
	// — CAP_SYS_ADMIN in the user namespace owning its mount namespace.
	if !t.creds.HasCapabilityIn(CapSysAdmin, t.ns.mnt.owner) {
		return EPERM
	}
	r, err := k.lookup(t, target, true)
	if err != nil {
		return err
	}
	// A new mount goes on top of what is mounted on target (lock_mount),
	// while a remount or a propagation change acts on the mount the
	// lookup found: on "/", the caller's root, below any mount over it.
	at, _ := k.lookupMountpoint(t, target)
	if prop := flags & (MSShared | MSPrivate | MSSlave | MSUnbindable); prop != 0 {
		// Changing propagation needs target to be a mount point: "EINVAL
		// ... target is not a mount point".
		if r.mnt.point != r.path {
			return EINVAL
		}
		typ := map[MountFlags]string{MSShared: "shared", MSPrivate: "private", MSSlave: "slave", MSUnbindable: "unbindable"}[prop]
		if typ == "" {
			return EINVAL
		}
		k.setPropagation(r.mnt, typ, flags&MSRec != 0)
		return nil
	}
	if !r.node.isDir() && flags&MSBind == 0 {
		return ENOTDIR
	}
	if flags&MSRemount != 0 && flags&MSBind != 0 {
		return k.remountBind(r, flags)
	}
	if flags&MSRemount != 0 {
		if r.mnt.point != r.path {
			return EINVAL
		}
		if !r.mnt.canChangeLockedFlags(flags) {
			return EPERM
		}
		// tmpfs parses uid= and gid= in the caller's user namespace; the
		// values mountinfo shows are the initial namespace's, which a lab
		// cannot name (EINVAL).
		if r.mnt.sb.fstype == "tmpfs" {
			for _, o := range strings.Split(data, ",") {
				name, val, _ := strings.Cut(o, "=")
				n := atoiDefault(val, -1)
				if name == "uid" {
					if _, ok := t.creds.UserNS.MapUID(UID(n)); !ok || n < 0 {
						return EINVAL
					}
				}
				if name == "gid" {
					if _, ok := t.creds.UserNS.MapGID(GID(n)); !ok || n < 0 {
						return EINVAL
					}
				}
			}
		}
		if r.mnt.sb.fstype == "devpts" && flags&MSBind == 0 {
			opts, err := k.devptsRemount(t, r.mnt.sb, data)
			if err != nil {
				return err
			}
			r.mnt.sb.opts = opts
		}
		r.mnt.opts = mountOpts(flags, r.mnt.opts)
		return nil
	}
	if flags&MSMove != 0 {
		src, err := k.lookup(t, source, true)
		if err != nil {
			return err
		}
		if src.mnt.point != src.path || src.mnt.parent == nil {
			return EINVAL
		}
		if src.mnt.locked {
			return EINVAL
		}
		m := src.mnt
		for _, x := range m.subtree() {
			x.point = path.Join(r.path, strings.TrimPrefix(x.point, m.point))
		}
		p := m.parent
		for i, c := range p.children {
			if c == m {
				p.children = append(p.children[:i], p.children[i+1:]...)
				break
			}
		}
		m.parent = at.mnt
		at.mnt.children = append(at.mnt.children, m)
		return nil
	}
	if flags&MSBind != 0 {
		if ns, ok := k.nsLink(t, source); ok {
			// A /proc/PID/ns link binds the namespace's nsfs file.
			sb, name := k.nsfsFile(ns)
			k.attachMount(at.mnt, at.path, sb, name, "rw")
			return nil
		}
		src, err := k.lookup(t, source, true)
		if err != nil {
			return err
		}
		// "EINVAL ... a bind operation (MS_BIND) was requested where source
		// referred to ... an unbindable mount".
		if src.mnt.unbindable {
			return EINVAL
		}
		// do_loopback: a bind without MS_REC may not reveal what a locked
		// mount below the source covers (EINVAL).
		if flags&MSRec == 0 && src.mnt.hasLockedChildren(src.path) {
			return EINVAL
		}
		k.attachTree(at.mnt, at.path, bindTree(src.mnt, src.path, flags&MSRec != 0))
		return nil
	}
	sb, err := k.newFilesystem(t, source, fstype, data, flags)
	if err != nil {
		return err
	}
	sb.noDevNodes = t.creds.UserNS != k.machineUser
	if sb.readOnly {
		// A file system that can only be read is mounted read-only.
		flags |= MSRdonly
	}
	k.attachMount(at.mnt, at.path, sb, "/", mountOpts(flags, ""))
	return nil
}

// mountOpts renders the per-mount options of flags as mountinfo does.
func mountOpts(flags MountFlags, _ string) string {
	o := "rw"
	if flags&MSRdonly != 0 {
		o = "ro"
	}
	if flags&MSNosuid != 0 {
		o += ",nosuid"
	}
	if flags&MSNodev != 0 {
		o += ",nodev"
	}
	if flags&MSNoexec != 0 {
		o += ",noexec"
	}
	switch {
	case flags&MSNoatime != 0:
		o += ",noatime"
	case flags&MSStrictatime != 0:
	default:
		o += ",relatime"
	}
	return o
}

// newFilesystem makes a new superblock for mount(2).
func (k *Kernel) newFilesystem(t *Task, source, fstype, data string, flags MountFlags) (*superblock, error) {
	switch fstype {
	case "tmpfs":
		opts := "rw"
		if flags&MSRdonly != 0 {
			opts = "ro"
		}
		for _, o := range strings.Split(data, ",") {
			if o == "" {
				continue
			}
			if strings.HasPrefix(o, "size=") {
				kb, ok := parseSizeKB(o[5:])
				if !ok {
					return nil, EINVAL
				}
				o = "size=" + itoa(kb) + "k"
			}
			opts += "," + o
		}
		// shmem_show_options shows the owner's IDs, from the initial user
		// namespace, when they are not root's.
		if t.creds.FSUID != 0 {
			opts += ",uid=" + itoa(int(t.creds.FSUID))
		}
		if t.creds.FSGID != 0 {
			opts += ",gid=" + itoa(int(t.creds.FSGID))
		}
		sb := k.newSuperblock("tmpfs", source, opts)
		sb.root.perm = 0o1777
		sb.root.uid, sb.root.gid = t.creds.FSUID, t.creds.FSGID
		return sb, nil
	case "proc":
		// proc(5): a proc file system shows the PID namespace of the
		// mounting process ("the PID namespace of the process that
		// performed the mount"); mounting it needs CAP_SYS_ADMIN in the
		// user namespace that owns that PID namespace.
		pidns := t.PIDNS()
		if !t.creds.HasCapabilityIn(CapSysAdmin, pidns.owner) {
			return nil, EPERM
		}
		sb := k.newSuperblock("proc", source, "rw")
		sb.pidns = pidns
		k.procRoot(sb)
		return sb, nil
	case "sysfs":
		// Mounting sysfs needs the caller to own its network namespace.
		if !t.creds.HasCapabilityIn(CapSysAdmin, t.ns.net.owner) {
			return nil, EPERM
		}
		sb := k.newSuperblock("sysfs", source, "rw")
		sb.root.perm = 0o555
		for _, d := range []string{"block", "bus", "class", "dev", "devices", "firmware", "fs", "kernel", "module", "power"} {
			sb.mkdirAll(d, 0o755)
		}
		net := t.ns.net
		k.sysfsNet(sb, func() *NetNamespace { return net })
		return sb, nil
	case "mqueue":
		return k.newSuperblock("mqueue", source, "rw"), nil
	case "overlay":
		return k.newOverlayFilesystem(t, source, data, flags)
	case "cgroup", "cgroup2":
		return k.newCgroupFilesystem(t, source, fstype, data)
	case "devpts":
		return k.newDevpts(t, source, data)
	case "":
		return nil, EINVAL
	}
	// mount(2): "ENODEV filesystemtype not configured in the kernel".
	if t.creds.UserNS != k.machineUser && (fstype == "ext4" || fstype == "xfs" || fstype == "btrfs" || fstype == "vfat") {
		return nil, EPERM
	}
	return nil, ENODEV
}

// Umount is umount2(2) for t.
func (k *Kernel) Umount(t *Task, target string, lazy bool) error {
	if !t.creds.HasCapabilityIn(CapSysAdmin, t.ns.mnt.owner) {
		return EPERM
	}
	r, err := k.lookupMountpoint(t, target)
	if err != nil {
		return err
	}
	m := r.mnt
	// umount(2): "EINVAL target is not a mount point".
	if m.point != r.path || m.parent == nil {
		return EINVAL
	}
	// "EINVAL ... umount2() was called ... on a locked mount".
	if m.locked {
		return EINVAL
	}
	// "EBUSY target could not be unmounted because it is busy": mounts
	// below it, or a process's working directory inside it.
	if !lazy {
		if len(m.children) > 0 {
			return EBUSY
		}
		for _, x := range k.tasks {
			if cwd := x.fullPath(x.cwd); !x.exited && x.ns.mnt == m.ns && (cwd == m.point || strings.HasPrefix(cwd, m.point+"/")) {
				return EBUSY
			}
		}
	}
	k.detachMount(m)
	return nil
}

// parseSizeKB parses a tmpfs size (bytes, or with k, m, g) into KiB,
// rounded up to whole pages as tmpfs does.
func parseSizeKB(s string) (int, bool) {
	mult := 1
	switch {
	case strings.HasSuffix(s, "k"), strings.HasSuffix(s, "K"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "m"), strings.HasSuffix(s, "M"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "g"), strings.HasSuffix(s, "G"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	n := 0
	if s == "" {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > 1<<40 {
			return 0, false
		}
	}
	bytes := n * mult
	pages := (bytes + 4095) / 4096
	return pages * 4, true
}

// nsLink resolves name to a namespace when it is a /proc/PID/ns link (or
// a file where one is bound), which mount and setns(2) open as nsfs files.
func (k *Kernel) nsLink(t *Task, name string) (Namespace, bool) {
	r, err := k.lookup(t, name, false)
	if err != nil {
		return nil, false
	}
	if r.mnt.sb.ns != nil && r.mnt.point == r.path {
		return r.mnt.sb.ns, true
	}
	if r.node.kind != kindSymlink || r.node.gen == nil {
		return nil, false
	}
	_, ino, err := parseNSLink(r.node.gen(t))
	if err != nil || k.namespaces[ino] == nil {
		return nil, false
	}
	return k.namespaces[ino], true
}

// nsfsFile is the nsfs file system's file for ns: a superblock whose root
// holds one file named TYPE:[INODE], the root mountinfo shows for it.
func (k *Kernel) nsfsFile(ns Namespace) (*superblock, string) {
	name := string(ns.Type()) + ":[" + strconv.FormatUint(ns.Inode(), 10) + "]"
	sb := k.newSuperblock("nsfs", "nsfs", "rw")
	sb.ns = ns
	sb.addFile(name, 0o444, "")
	return sb, name
}
