package sim

import (
	"strings"

	"github.com/nslab/nslab/nsstate"
)

// snapshot builds the lab's nsstate.Snapshot as the lab host sees it: the
// lab host's eight namespaces and every namespace made inside them, every
// process with its PIDs from the lab host's PID namespace down, IDs as the
// lab host's user namespace sees them. The machine's own user namespace
// lies outside the lab and is left out, as the live inspector leaves it
// out.
func (k *Kernel) snapshot() *nsstate.Snapshot {
	s := nsstate.New("sim")
	labUser := k.lab.user
	for _, n := range []Namespace{k.lab.user, k.lab.pid, k.lab.mnt, k.lab.uts, k.lab.ipc, k.lab.net, k.lab.cgroup, k.lab.time} {
		s.Host[n.Type()] = n.common().id()
	}
	// A reader in the lab host, for mount tables and IDs.
	viewer := k.labInit
	pins := k.pins()
	for _, n := range k.sortedNamespaces() {
		if n == Namespace(k.machineUser) {
			continue
		}
		if x, ok := n.(*PIDNamespace); ok && !x.active() {
			// Made by unshare -p but without its first process yet: the
			// kernel shows it nowhere (pid_for_children reads ENOENT).
			continue
		}
		c := n.common()
		ns := nsstate.Namespace{ID: c.id(), Type: c.typ, Inode: c.inode, Pinned: pins[n]}
		if o := n.Owner(); o != nil && o != k.machineUser && n.Type() != NSUser {
			ns.Owner = o.id()
		}
		switch x := n.(type) {
		case *UserNamespace:
			if x.parent != nil && x.parent != k.machineUser {
				ns.Parent = x.parent.id()
			}
			ns.UIDMap = stateMap(labUser, x, uidMapFile)
			ns.GIDMap = stateMap(labUser, x, gidMapFile)
			ns.Setgroups = "allow"
			if x.setgroupsDenied {
				ns.Setgroups = "deny"
			}
		case *PIDNamespace:
			if x.parent != nil {
				ns.Parent = x.parent.id()
			}
		case *UTSNamespace:
			ns.Hostname, ns.Domainname = x.Hostname, x.Domainname
		case *MountNamespace:
			for _, m := range x.mounts {
				ns.Mounts = append(ns.Mounts, stateMount(m, viewer))
			}
		case *NetNamespace:
			for _, d := range x.devices {
				i := nsstate.Interface{Name: d.name, Index: d.index, Up: d.up, RxBytes: d.rxBytes, TxBytes: d.txBytes}
				for _, a := range k.addrLines(d, 0) {
					i.Addrs = append(i.Addrs, a.cidr)
				}
				ns.Interfaces = append(ns.Interfaces, i)
			}
		case *IPCNamespace:
			for _, o := range x.objects {
				ns.IPC = append(ns.IPC, nsstate.IPCObject{Kind: o.kind, Key: int64(o.key), ID: o.id, Perms: o.perms, UID: uint32(labUser.MungedUID(o.uid))})
			}
		case *TimeNamespace:
			ns.Offsets = &nsstate.TimeOffsets{Monotonic: x.monotonic, Boottime: x.boottime}
		}
		s.Namespaces = append(s.Namespaces, ns)
	}
	for _, t := range k.tasks {
		if t.reaped {
			continue
		}
		p := nsstate.Process{
			PID:     t.PID(),
			PPID:    t.PPIDIn(k.lab.pid),
			UID:     uint32(labUser.MungedUID(t.creds.EUID)),
			GID:     uint32(labUser.MungedGID(t.creds.EGID)),
			NSUID:   uint32(t.creds.UserNS.MungedUID(t.creds.EUID)),
			NSGID:   uint32(t.creds.UserNS.MungedGID(t.creds.EGID)),
			Comm:    t.comm,
			Cmdline: append([]string{}, t.argv...),
			State:   t.stateLetter(),
			Cgroup:  cgroupRelative(t.cgroup, k.lab.cgroup.root),
			NS:      map[nsstate.NSType]string{},
		}
		if t.exited {
			p.Cmdline = []string{}
		}
		for _, l := range t.pids {
			p.NSpid = append(p.NSpid, l.nr)
		}
		for _, typ := range nsstate.Types {
			if n := t.nsOf(typ); n != nil {
				p.NS[typ] = n.common().id()
			}
		}
		s.Processes = append(s.Processes, p)
	}
	s.Sort()
	return s
}

// stateMap is a map as a reader in the lab host's user namespace reads it.
func stateMap(viewer, target *UserNamespace, kind mapKind) nsstate.IDMap {
	var m nsstate.IDMap
	for _, line := range strings.Split(strings.TrimSpace(renderIDMap(viewer, target, kind)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		m = append(m, nsstate.IDRange{Inside: uint32(atoiDefault(f[0], 0)), Outside: uint32(parseUintDefault(f[1])), Count: uint32(parseUintDefault(f[2]))})
	}
	return m
}

func parseUintDefault(s string) uint64 {
	var n uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + uint64(c-'0')
	}
	return n
}

func stateMount(m *Mount, viewer *Task) nsstate.Mount {
	parent := m.ns.rootParentID
	if m.parent != nil {
		parent = m.parent.id
	}
	return nsstate.Mount{
		ID: m.id, ParentID: parent, Major: m.sb.major, Minor: m.sb.minor,
		Root: m.root, Point: m.point, Options: m.opts, Propagation: m.propagationFields(viewer),
		FSType: m.sb.fstype, Source: m.sb.source, SuperOpts: m.sb.opts,
	}
}
