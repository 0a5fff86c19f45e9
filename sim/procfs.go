package sim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file renders procfs from the simulated state. Every file is made
// when it is looked up, for the reader looking, as the kernel does: PIDs
// as the proc mount's PID namespace sees them, IDs as the reader's user
// namespace sees them.

// procRoot gives a proc superblock its synthetic root directory.
func (k *Kernel) procRoot(sb *superblock) {
	root := sb.root
	root.perm = 0o555
	root.list = func(v *Task) map[string]*inode { return k.procRootEntries(sb, v) }
	root.lookupFn = func(v *Task, name string) *inode {
		if n, err := strconv.Atoi(name); err == nil {
			if t := sb.pidns.tasks[n]; t != nil {
				return k.procPIDDir(sb, t)
			}
			return nil
		}
		return k.procRootEntries(sb, v)[name]
	}
}

func synthFile(perm uint32, gen func(v *Task) string) *inode {
	return &inode{kind: kindFile, perm: perm, gen: gen}
}

func synthLink(gen func(v *Task) string) *inode {
	return &inode{kind: kindSymlink, perm: 0o777, gen: gen}
}

func synthDir(entries func(v *Task) map[string]*inode) *inode {
	return &inode{kind: kindDir, perm: 0o555, list: entries}
}

func (k *Kernel) procRootEntries(sb *superblock, v *Task) map[string]*inode {
	m := map[string]*inode{}
	for nr, t := range sb.pidns.tasks {
		m[itoa(nr)] = k.procPIDDir(sb, t)
	}
	m["self"] = synthLink(func(v *Task) string {
		if v == nil {
			return ""
		}
		if nr := sb.pidns.PIDOf(v); nr != 0 {
			return itoa(nr)
		}
		return ""
	})
	// thread-self names the reader's thread; a task is one thread here.
	// Like self, it reads as nothing (ENOENT) for a reader with no PID in
	// the mount's namespace (proc_thread_self_get_link).
	m["thread-self"] = synthLink(func(v *Task) string {
		if v == nil {
			return ""
		}
		if nr := sb.pidns.PIDOf(v); nr != 0 {
			return itoa(nr) + "/task/" + itoa(nr)
		}
		return ""
	})
	m["mounts"] = synthLink(func(*Task) string { return "self/mounts" })
	m["net"] = synthLink(func(*Task) string { return "self/net" })
	m["uptime"] = synthFile(0o444, func(v *Task) string { return k.uptimeText(v) })
	m["version"] = synthFile(0o444, func(*Task) string {
		return "Linux version " + kernelRelease + " (nslab@sim) (gcc (Debian 12.2.0-14) 12.2.0) " + kernelVersion + "\n"
	})
	m["loadavg"] = synthFile(0o444, func(*Task) string { return "0.00 0.00 0.00 1/" + itoa(len(k.tasks)) + " " + itoa(sb.pidns.last) + "\n" })
	m["sysvipc"] = synthDir(func(*Task) map[string]*inode {
		return map[string]*inode{
			"msg": synthFile(0o444, func(v *Task) string { return k.sysvipcText(v, "msg") }),
			"sem": synthFile(0o444, func(v *Task) string { return k.sysvipcText(v, "sem") }),
			"shm": synthFile(0o444, func(v *Task) string { return k.sysvipcText(v, "shm") }),
		}
	})
	m["sys"] = k.procSysDir()
	return m
}

// procPIDDir is /proc/PID for task t.
func (k *Kernel) procPIDDir(sb *superblock, t *Task) *inode {
	d := synthDir(func(v *Task) map[string]*inode { return k.procPIDEntries(sb, t) })
	d.uid, d.gid = t.creds.EUID, t.creds.EGID
	return d
}

func (k *Kernel) procPIDEntries(sb *superblock, t *Task) map[string]*inode {
	m := map[string]*inode{
		"status":  synthFile(0o444, func(v *Task) string { return k.statusText(sb, t, v) }),
		"comm":    synthFile(0o644, func(*Task) string { return t.comm + "\n" }),
		"cmdline": synthFile(0o444, func(*Task) string { return cmdlineText(t) }),
		"environ": synthFile(0o400, func(*Task) string { return strings.Join(t.env, "\x00") + "\x00" }),
		"stat":    synthFile(0o444, func(v *Task) string { return k.statText(sb, t) }),
		"cgroup":  synthFile(0o444, func(v *Task) string { return k.cgroupText(t, v) }),
		"uid_map": synthFile(0o644, func(v *Task) string { return renderIDMap(v.creds.UserNS, t.creds.UserNS, uidMapFile) }),
		"gid_map": synthFile(0o644, func(v *Task) string { return renderIDMap(v.creds.UserNS, t.creds.UserNS, gidMapFile) }),
		"setgroups": synthFile(0o644, func(*Task) string {
			if t.creds.UserNS.setgroupsDenied {
				return "deny\n"
			}
			return "allow\n"
		}),
		"mountinfo":      synthFile(0o444, func(v *Task) string { return k.mountinfoText(t, v) }),
		"mounts":         synthFile(0o444, func(v *Task) string { return k.mountsText(t) }),
		"mountstats":     synthFile(0o400, func(v *Task) string { return k.mountstatsText(t) }),
		"timens_offsets": synthFile(0o644, func(*Task) string { return timensText(t) }),
		"cwd":            synthLink(func(*Task) string { return t.cwd }),
		"root":           synthLink(func(*Task) string { return "/" }),
		"exe":            synthLink(func(*Task) string { return k.exePath(t) }),
		"ns":             synthDir(func(*Task) map[string]*inode { return k.procNSEntries(t) }),
		// task holds a directory per thread; a simulated process has one.
		"task": synthDir(func(*Task) map[string]*inode {
			return map[string]*inode{itoa(sb.pidns.PIDOf(t)): k.procPIDDir(sb, t)}
		}),
		"net": synthDir(func(*Task) map[string]*inode {
			return map[string]*inode{"dev": synthFile(0o444, func(*Task) string { return netDevText(t.ns.net) })}
		}),
	}
	m["uid_map"].write = func(w *Task, data []byte) error {
		return k.writeIDMap(w.creds, t.creds.UserNS, uidMapFile, string(data))
	}
	m["gid_map"].write = func(w *Task, data []byte) error {
		return k.writeIDMap(w.creds, t.creds.UserNS, gidMapFile, string(data))
	}
	// proc_setgroups_open: opening for writing needs CAP_SYS_ADMIN in the
	// target's user namespace, EACCES otherwise.
	m["setgroups"].openCheck = func(w *Task) error {
		if !w.creds.HasCapabilityIn(CapSysAdmin, t.creds.UserNS) {
			return EACCES
		}
		return nil
	}
	m["setgroups"].write = func(w *Task, data []byte) error {
		return k.writeSetgroups(w.creds, t.creds.UserNS, string(data))
	}
	m["timens_offsets"].write = func(w *Task, data []byte) error {
		return k.writeTimensOffsets(w, t, string(data))
	}
	m["comm"].write = func(w *Task, data []byte) error {
		name := strings.TrimSuffix(string(data), "\n")
		if len(name) > 15 {
			name = name[:15]
		}
		t.comm = name
		return nil
	}
	guard := func(v *Task) error {
		if v != nil && !mayReadProcess(v, t) {
			return EACCES
		}
		return nil
	}
	for name, n := range m {
		n.uid, n.gid = t.creds.EUID, t.creds.EGID
		switch name {
		case "environ", "cwd", "root", "exe":
			n.guard = guard
		}
	}
	return m
}

// procNSEntries is /proc/PID/ns: a link per namespace, reading TYPE:[INODE].
func (k *Kernel) procNSEntries(t *Task) (m map[string]*inode) {
	link := func(n Namespace) *inode {
		return synthLink(func(*Task) string { return n.common().id() })
	}
	defer func() {
		for _, n := range m {
			n.uid, n.gid = t.creds.EUID, t.creds.EGID
			// Reading another process's namespace links is guarded by the
			// ptrace access check (proc_ns_get_link).
			n.guard = func(v *Task) error {
				if v != nil && !mayReadProcess(v, t) {
					return EACCES
				}
				return nil
			}
		}
	}()
	m = map[string]*inode{
		"user": link(t.creds.UserNS), "pid": link(t.PIDNS()),
		// pidns_for_children_get: until the namespace has its init, the
		// link cannot be read (ENOENT).
		"pid_for_children": synthLink(func(*Task) string {
			if !t.ns.pidForChildren.active() && t.ns.pidForChildren != t.PIDNS() {
				return ""
			}
			return t.ns.pidForChildren.id()
		}),
		"mnt": link(t.ns.mnt), "uts": link(t.ns.uts), "ipc": link(t.ns.ipc), "net": link(t.ns.net),
		"cgroup": link(t.ns.cgroup), "time": link(t.ns.time), "time_for_children": link(t.ns.timeForChildren),
	}
	return m
}

func cmdlineText(t *Task) string {
	if t.exited {
		return ""
	}
	return strings.Join(t.argv, "\x00") + "\x00"
}

// exePath is where the task's program lives.
func (k *Kernel) exePath(t *Task) string {
	if t.exe == "" {
		return "/init"
	}
	return t.exe
}

// stateLetter is the one-letter state of /proc/PID/stat.
func (t *Task) stateLetter() string {
	switch {
	case t.exited:
		return "Z"
	case t.stopped:
		return "T"
	case t.k.current == t:
		return "R"
	default:
		return "S"
	}
}

func stateName(s string) string {
	return map[string]string{"R": "R (running)", "S": "S (sleeping)", "Z": "Z (zombie)", "T": "T (stopped)"}[s]
}

// statusText renders /proc/PID/status.
func (k *Kernel) statusText(sb *superblock, t, v *Task) string {
	ns := sb.pidns
	un := v.creds.UserNS
	c := t.creds
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("Name:\t%s\n", t.comm)
	w("Umask:\t0022\n")
	w("State:\t%s\n", stateName(t.stateLetter()))
	w("Tgid:\t%d\n", ns.PIDOf(t))
	w("Ngid:\t0\n")
	w("Pid:\t%d\n", ns.PIDOf(t))
	w("PPid:\t%d\n", t.PPIDIn(ns))
	w("TracerPid:\t0\n")
	w("Uid:\t%d\t%d\t%d\t%d\n", un.MungedUID(c.RealUID), un.MungedUID(c.EUID), un.MungedUID(c.SavedUID), un.MungedUID(c.FSUID))
	w("Gid:\t%d\t%d\t%d\t%d\n", un.MungedGID(c.RealGID), un.MungedGID(c.EGID), un.MungedGID(c.SavedGID), un.MungedGID(c.FSGID))
	w("FDSize:\t64\n")
	b.WriteString("Groups:\t")
	for _, g := range c.Groups {
		w("%d ", un.MungedGID(g))
	}
	b.WriteString("\n")
	chain := func(f func(l pidLink) int) string {
		var parts []string
		for _, l := range t.pids {
			if ns.IsAncestorOf(l.ns) {
				parts = append(parts, itoa(f(l)))
			}
		}
		return strings.Join(parts, "\t")
	}
	w("NStgid:\t%s\n", chain(func(l pidLink) int { return l.nr }))
	w("NSpid:\t%s\n", chain(func(l pidLink) int { return l.nr }))
	leader := k.taskByLabPID(t.pgid)
	w("NSpgid:\t%s\n", chain(func(l pidLink) int { return l.ns.PIDOf(leader) }))
	sess := k.taskByLabPID(t.sid)
	w("NSsid:\t%s\n", chain(func(l pidLink) int { return l.ns.PIDOf(sess) }))
	w("Kthread:\t0\n")
	if !t.exited {
		w("VmPeak:\t    3060 kB\nVmSize:\t    3060 kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\nVmHWM:\t    1756 kB\nVmRSS:\t    1756 kB\nRssAnon:\t     112 kB\nRssFile:\t    1644 kB\nRssShmem:\t       0 kB\nVmData:\t     360 kB\nVmStk:\t     132 kB\nVmExe:\t      20 kB\nVmLib:\t    1528 kB\nVmPTE:\t      52 kB\nVmSwap:\t       0 kB\nHugetlbPages:\t       0 kB\n")
	}
	w("CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\nThreads:\t1\nSigQ:\t0/96365\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\n")
	w("SigIgn:\t%016x\n", sigMask(t.ignored))
	w("SigCgt:\t%016x\n", sigMask(t.handled))
	w("CapInh:\t%016x\nCapPrm:\t%016x\nCapEff:\t%016x\nCapBnd:\t%016x\nCapAmb:\t%016x\n",
		uint64(c.Inheritable), uint64(c.Permitted), uint64(c.Effective), uint64(c.Bounding), uint64(c.Ambient))
	w("NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\nSpeculation_Store_Bypass:\tvulnerable\nSpeculationIndirectBranch:\talways enabled\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n")
	w("Mems_allowed:\t%s00000001\nMems_allowed_list:\t0\nvoluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n", strings.Repeat("00000000,", 31))
	return b.String()
}

func sigMask(m map[int]bool) uint64 {
	var x uint64
	for s, on := range m {
		if on && s > 0 && s <= 64 {
			x |= 1 << uint(s-1)
		}
	}
	return x
}

// taskByLabPID finds a task by its PID in the lab host's namespace.
func (k *Kernel) taskByLabPID(pid int) *Task { return k.lab.pid.tasks[pid] }

// statText renders /proc/PID/stat (the fields ps uses are right; the
// rest are plausible constants).
func (k *Kernel) statText(sb *superblock, t *Task) string {
	ns := sb.pidns
	leader := k.taskByLabPID(t.pgid)
	start := (t.startTime - k.boot) / 1e7 // clock ticks at 100 Hz
	return fmt.Sprintf("%d (%s) %s %d %d %d 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 %d 2654208 420 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		ns.PIDOf(t), t.comm, t.stateLetter(), t.PPIDIn(ns), ns.PIDOf(leader), ns.PIDOf(leader), start)
}

// cgroupText renders /proc/PID/cgroup: paths relative to the reader's
// cgroup namespace root ("the pathname ... is relative to the cgroup root
// of the reading process's cgroup namespace", cgroup_namespaces(7)).
func (k *Kernel) cgroupText(t, v *Task) string {
	// The machine is a cgroup v1/v2 hybrid: the v1 hierarchies first, then
	// the unified one. The lab's cgroup namespace is rooted at its cgroup in
	// each hierarchy.
	rel := cgroupRelative(t.cgroup, v.ns.cgroup.root)
	var b strings.Builder
	for i, h := range []string{"name=systemd", "pids", "blkio", "freezer", "devices", "memory", "cpuset", "cpuacct", "cpu"} {
		b.WriteString(itoa(9-i) + ":" + h + ":" + rel + "\n")
	}
	b.WriteString("0::" + rel + "\n")
	return b.String()
}

// cgroupRelative expresses path p relative to root, with "/.." steps for
// a p outside root, as the kernel does.
func cgroupRelative(p, root string) string {
	if p == root {
		return "/"
	}
	if strings.HasPrefix(p, root+"/") {
		return p[len(root):]
	}
	if root == "/" {
		return p
	}
	// Walk up from root until p is below.
	up := ""
	r := root
	for r != "/" && !strings.HasPrefix(p, r+"/") {
		i := strings.LastIndexByte(r, '/')
		if i <= 0 {
			r = "/"
		} else {
			r = r[:i]
		}
		up += "/.."
	}
	rest := p
	if r != "/" {
		rest = p[len(r):]
	}
	return up + rest
}

// mountinfoText renders /proc/PID/mountinfo of t for reader v: the mounts
// of t's namespace.
func (k *Kernel) mountinfoText(t, v *Task) string {
	var b strings.Builder
	for _, m := range t.ns.mnt.mounts {
		// Only the mounts below the reader's root show, their mount
		// points from that root (show_mountinfo skips the others).
		if !v.seesMount(m) {
			continue
		}
		b.WriteString(m.mountinfoLine(v))
		b.WriteByte('\n')
	}
	return b.String()
}

// mountsText renders /proc/PID/mounts.
func (k *Kernel) mountsText(t *Task) string {
	var b strings.Builder
	for _, m := range t.ns.mnt.mounts {
		opts := m.opts
		if extra := superExtra(m.sb.opts); extra != "" {
			opts += "," + extra
		}
		fmt.Fprintf(&b, "%s %s %s %s 0 0\n", m.sb.source, escapeMountPath(m.point), m.sb.fstype, opts)
	}
	return b.String()
}

// superExtra is the part of super options that /proc/mounts appends to
// the mount options (the super options without the leading rw/ro).
func superExtra(opts string) string {
	parts := strings.Split(opts, ",")
	if len(parts) > 0 && (parts[0] == "rw" || parts[0] == "ro") {
		parts = parts[1:]
	}
	return strings.Join(parts, ",")
}

// timensText renders /proc/PID/timens_offsets.
func timensText(t *Task) string {
	// The file shows the offsets of the namespace the task's children
	// get (proc_timens_show_offsets reads time_ns_for_children).
	tn := t.ns.timeForChildren
	if tn == nil {
		return ""
	}
	return fmt.Sprintf("%-10s %10d %9d\n%-10s %10d %9d\n", "monotonic", tn.monotonic.Sec, tn.monotonic.Nsec, "boottime", tn.boottime.Sec, tn.boottime.Nsec)
}

// writeTimensOffsets implements a write to /proc/PID/timens_offsets in
// the kernel's order (timens_offsets_write, proc_timens_set_offset): each
// line is parsed first (EINVAL for a malformed line, an offset-nanosecs
// above 999,999,999 or an unknown clock), then the writer needs
// CAP_SYS_TIME in the namespace's owner (EPERM), then each offset must
// keep its clock between 0 and KTIME_SEC_MAX/2 (ERANGE), and only then
// are offsets of a namespace that has had a member refused: "after the
// first process has been created in or has entered the namespace,
// write(2)s on this file fail with the error EACCES" (time_namespaces(7)).
func (k *Kernel) writeTimensOffsets(w, t *Task, data string) error {
	type offset struct {
		boottime  bool
		sec, nsec int64
	}
	var offs []offset
	for _, line := range strings.Split(strings.TrimSpace(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			return EINVAL
		}
		sec, err1 := strconv.ParseInt(f[1], 10, 64)
		nsec, err2 := strconv.ParseUint(f[2], 10, 64)
		if err1 != nil || err2 != nil || nsec > 999999999 {
			return EINVAL
		}
		o := offset{sec: sec, nsec: int64(nsec)}
		switch f[0] {
		case "monotonic", "1":
		case "boottime", "7":
			o.boottime = true
		default:
			return EINVAL
		}
		offs = append(offs, o)
	}
	tn := t.ns.timeForChildren
	if !w.creds.HasCapabilityIn(CapSysTime, tn.owner) {
		return EPERM
	}
	// ktimeSecMax is the kernel's KTIME_SEC_MAX.
	const ktimeSecMax = int64(^uint64(0)>>1) / 1e9
	now := (k.now - k.boot) / 1e9
	for _, o := range offs {
		if o.sec > ktimeSecMax || o.sec < -ktimeSecMax {
			return ERANGE
		}
		if v := now + o.sec; v < 0 || v > ktimeSecMax/2 {
			return ERANGE
		}
	}
	if tn.frozen || tn == k.lab.time {
		return EACCES
	}
	for _, o := range offs {
		if o.boottime {
			tn.boottime.Sec, tn.boottime.Nsec = o.sec, o.nsec
		} else {
			tn.monotonic.Sec, tn.monotonic.Nsec = o.sec, o.nsec
		}
	}
	return nil
}

// uptimeText renders /proc/uptime: boot time plus the reader's
// CLOCK_BOOTTIME offset.
func (k *Kernel) uptimeText(v *Task) string {
	up := k.now - k.boot
	if v != nil && v.ns.time != nil {
		up += v.ns.time.boottime.Sec*1e9 + v.ns.time.boottime.Nsec
	}
	cs := up / 1e7
	idle := cs * 2
	return fmt.Sprintf("%d.%02d %d.%02d\n", cs/100, cs%100, idle/100, idle%100)
}

// netDevText renders /proc/PID/net/dev.
func netDevText(n *NetNamespace) string {
	var b strings.Builder
	b.WriteString("Inter-|   Receive                                                |  Transmit\n")
	b.WriteString(" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n")
	devs := append([]*netDevice(nil), n.devices...)
	sort.Slice(devs, func(i, j int) bool { return devs[i].index < devs[j].index })
	for _, d := range devs {
		fmt.Fprintf(&b, "%6s: %7d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d\n",
			d.name, d.rxBytes, d.rxPackets, 0, 0, 0, 0, 0, 0, d.txBytes, d.txPackets, 0, 0, 0, 0, 0, 0)
	}
	return b.String()
}

// sysvipcText renders /proc/sysvipc/{msg,sem,shm} for the reader's IPC
// namespace.
func (k *Kernel) sysvipcText(v *Task, kind string) string {
	var b strings.Builder
	un := v.creds.UserNS
	switch kind {
	case "msg":
		b.WriteString("       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n")
	case "sem":
		b.WriteString("       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n")
	case "shm":
		b.WriteString("       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n")
	}
	for _, o := range v.ns.ipc.objects {
		if o.kind != kind {
			continue
		}
		uid, gid, cuid, cgid := un.MungedUID(o.uid), un.MungedGID(o.gid), un.MungedUID(o.cuid), un.MungedGID(o.cgid)
		switch kind {
		case "msg":
			fmt.Fprintf(&b, "%10d %10d  %4o  %10d %10d %5d %5d %5d %5d %5d %5d %10d %10d %10d\n", o.key, o.id, o.perms, 0, 0, 0, 0, uid, gid, cuid, cgid, 0, 0, o.ctime)
		case "sem":
			fmt.Fprintf(&b, "%10d %10d  %4o %10d %5d %5d %5d %5d %10d %10d\n", o.key, o.id, o.perms, o.size, uid, gid, cuid, cgid, 0, o.ctime)
		case "shm":
			fmt.Fprintf(&b, "%10d %10d  %4o %21d %5d %5d %5d %5d %5d %5d %5d %10d %10d %10d %21d %21d\n", o.key, o.id, o.perms, o.size, 0, 0, 0, uid, gid, cuid, cgid, 0, 0, o.ctime, 0, 0)
		}
	}
	return b.String()
}

// kernelRelease and kernelVersion are what uname reports.
const (
	kernelRelease = "6.1.0-nslab"
	kernelVersion = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.0"
)
