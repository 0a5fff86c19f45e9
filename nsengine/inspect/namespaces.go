//go:build linux

package inspect

import (
	"bytes"
	"errors"
	"fmt"
	"sort"

	"github.com/nslab/nslab/nsstate"
	"golang.org/x/sys/unix"
)

// namespaces finds every namespace the snapshot lists: those some lab
// process is in, the pid and user namespaces between them and the lab
// host's, and the user namespaces that own them. It asks the kernel for
// each one's parent and owner once.
func (sc *scan) namespaces() ([]nsKey, error) {
	for _, p := range sc.procs {
		for i, t := range nsstate.Types {
			n := sc.tree.node(nsKey{t, p.ns[i]})
			n.members = append(n.members, p.real)
		}
	}
	var withMembers []*nsNode
	for _, n := range sc.tree.nodes {
		if len(n.members) > 0 {
			withMembers = append(withMembers, n)
		}
	}
	for _, n := range withMembers {
		k := n.key
		if k.t != nsstate.NSUser && n.owned || k.t == nsstate.NSUser && n.parented {
			continue
		}
		err := sc.withFD(k, n.members, func(fd int) error {
			if k.t == nsstate.NSUser || k.t == nsstate.NSPID {
				if err := sc.tree.walkParents(k, fd); err != nil {
					return err
				}
			}
			return sc.tree.askOwner(k, fd)
		})
		if err != nil {
			return nil, err
		}
	}
	listed := map[nsKey]bool{}
	// addChain lists a pid or user namespace of the lab and its ancestors
	// up to the lab host's; it stops early where the rest is listed.
	addChain := func(k nsKey) {
		for depth := 0; depth <= 64 && !listed[k]; depth++ {
			listed[k] = true
			n := sc.tree.nodes[k]
			if n == nil || n.parent == 0 || k.ino == sc.tree.host[k.t] {
				return
			}
			k = nsKey{k.t, n.parent}
		}
	}
	for _, n := range withMembers {
		if (n.key.t == nsstate.NSUser || n.key.t == nsstate.NSPID) && sc.tree.inLab(n.key) {
			addChain(n.key)
		} else {
			listed[n.key] = true
		}
		if o := (nsKey{nsstate.NSUser, n.owner}); n.owner != 0 && sc.tree.inLab(o) {
			addChain(o)
		}
	}
	keys := make([]nsKey, 0, len(listed))
	for k := range listed {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].t != keys[j].t {
			return typeIndex[keys[i].t] < typeIndex[keys[j].t]
		}
		return keys[i].ino < keys[j].ino
	})
	return keys, nil
}

// withFD calls f with an open fd of the namespace, taken from the first
// member still alive. It does nothing when all members are gone.
func (sc *scan) withFD(k nsKey, members []int, f func(fd int) error) error {
	for _, pid := range members {
		fd, err := openNS(sc.procfs, pid, k.t)
		if gone(err) {
			continue
		}
		if err != nil {
			return err
		}
		ino, err := fdInode(fd)
		if err == nil && ino != k.ino {
			unix.Close(fd) // the PID now names another process
			continue
		}
		if err == nil {
			err = f(fd)
		}
		unix.Close(fd)
		return err
	}
	return nil
}

// describe returns a namespace with its identity, Parent and Owner.
// Parent and Owner are left empty where they lie outside the lab.
func (sc *scan) describe(k nsKey) nsstate.Namespace {
	ns := nsstate.Namespace{ID: k.id(), Type: k.t, Inode: k.ino}
	n := sc.tree.nodes[k]
	if n == nil {
		return ns
	}
	if p := (nsKey{k.t, n.parent}); n.parent != 0 && k.ino != sc.tree.host[k.t] && sc.tree.inLab(p) {
		ns.Parent = p.id()
	}
	if o := (nsKey{nsstate.NSUser, n.owner}); n.owner != 0 && sc.tree.inLab(o) {
		ns.Owner = o.id()
	}
	return ns
}

// firstMember calls f with the first member of a namespace for which f
// does not report the member gone. It reports whether one was found.
func (sc *scan) firstMember(k nsKey, f func(pid int) error) (bool, error) {
	n := sc.tree.nodes[k]
	if n == nil {
		return false, nil
	}
	for _, pid := range n.members {
		err := f(pid)
		if err != nil && (gone(err) || err == errNotThisOne || sc.exited(pid, k.t)) {
			continue
		}
		return err == nil, err
	}
	return false, nil
}

// exited reports whether a process has ended or is ending: the kernel
// then answers some reads (mountinfo of a process without namespaces:
// EINVAL) with errors other than ENOENT.
func (sc *scan) exited(pid int, t nsstate.NSType) bool {
	_, err := readNSLink(unix.AT_FDCWD, sc.path(pid, "ns/"+string(t)), sc.link[:])
	return err != nil
}

// errNotThisOne tells firstMember to try the next member.
var errNotThisOne = errors.New("try another member")

// details fills in what each type of namespace holds, reading it from one
// member per namespace. It reads the lab host's own namespaces first,
// those it must enter included, then the others in keys' order: a lab
// over budget keeps the contents of its own namespaces, and of the same
// ones from snapshot to snapshot.
func (sc *scan) details(keys []nsKey, byKey map[nsKey]*nsstate.Namespace) error {
	sc.realUID = map[uint64]nsstate.IDMap{}
	sc.realGID = map[uint64]nsstate.IDMap{}
	var users []nsKey
	var host, others []nsKey
	for _, k := range keys {
		if k.ino == sc.tree.host[k.t] {
			host = append(host, k)
		} else {
			others = append(others, k)
		}
	}
	for _, group := range [][]nsKey{host, others} {
		var jobs []enterJob
		for _, k := range group {
			// Listed by identity whatever the budget: processes name them.
			sc.sp.json += jsonNamespace
			if sc.sp.nsRead >= sc.sp.b.Namespaces {
				sc.sp.note(fmt.Sprintf("namespaces: the contents of at most %d read", sc.sp.b.Namespaces))
				continue
			}
			sc.sp.nsRead++
			job, err := sc.detailsOf(k, byKey[k])
			if err != nil {
				return fmt.Errorf("%s: %w", k.id(), err)
			}
			if job != nil {
				jobs = append(jobs, *job)
			}
			if k.t == nsstate.NSUser {
				users = append(users, k)
			}
		}
		// Sorted so that the thread enters namespaces in a stable order.
		sort.Slice(jobs, func(i, j int) bool {
			if jobs[i].key.t != jobs[j].key.t {
				return typeIndex[jobs[i].key.t] < typeIndex[jobs[j].key.t]
			}
			return jobs[i].key.ino < jobs[j].key.ino
		})
		if err := runInside(sc.procfs, jobs); err != nil {
			return err
		}
	}
	sc.userMaps(users, byKey)
	return nil
}

// detailsOf reads what namespace k holds into ns, or returns the job that
// reads it from inside.
func (sc *scan) detailsOf(k nsKey, ns *nsstate.Namespace) (*enterJob, error) {
	var job *enterJob
	var err error
	switch k.t {
	case nsstate.NSUser:
		_, err = sc.firstMember(k, func(pid int) error { return sc.readUserNS(k.ino, pid, ns) })
	case nsstate.NSMnt:
		if !sc.mountsLeft() {
			return nil, nil
		}
		_, err = sc.firstMember(k, func(pid int) error { return sc.readMounts(pid, ns) })
	case nsstate.NSTime:
		_, err = sc.firstMember(k, func(pid int) error { return sc.readTimeNS(k.ino, pid, ns) })
	case nsstate.NSNet:
		if !sc.sp.readLeft("interfaces") {
			return nil, nil
		}
		_, err = sc.firstMember(k, func(pid int) error { return sc.readNetDev(pid, ns) })
		if len(ns.Interfaces) > 0 {
			job = &enterJob{key: k, members: sc.tree.nodes[k].members, do: func() error { return sc.addLinkStates(ns) }}
		}
	case nsstate.NSUTS:
		if n := sc.tree.nodes[k]; n != nil && len(n.members) > 0 {
			job = &enterJob{key: k, members: n.members, do: func() error { return readUTS(ns) }}
		}
	case nsstate.NSIPC:
		if n := sc.tree.nodes[k]; n != nil && len(n.members) > 0 {
			job = &enterJob{key: k, members: n.members, do: func() error { return sc.readIPC(ns) }}
		}
	}
	if err != nil {
		return nil, err
	}
	return job, nil
}

// userMaps sets the user namespaces' maps. Each nested user namespace's
// map is stored with outside IDs in its parent, which needs the parent's
// map as read: so after all reads.
func (sc *scan) userMaps(users []nsKey, byKey map[nsKey]*nsstate.Namespace) {
	for _, k := range users {
		ns := byKey[k]
		if k.ino == sc.tree.host[nsstate.NSUser] {
			ns.UIDMap, ns.GIDMap = sc.realUID[k.ino], sc.realGID[k.ino]
			continue
		}
		if _, read := sc.realUID[k.ino]; !read {
			continue // no member to read the map from
		}
		n := sc.tree.nodes[k]
		pu, uok := sc.realUID[n.parent]
		pg, gok := sc.realGID[n.parent]
		if !uok || !gok {
			continue // the parent has no member to read its map from
		}
		if m, ok := reparent(sc.realUID[k.ino], pu); ok {
			ns.UIDMap = m
		}
		if m, ok := reparent(sc.realGID[k.ino], pg); ok {
			ns.GIDMap = m
		}
	}
}

// mountsLeft reports whether another mount table may be read, noting
// why not when it may not.
func (sc *scan) mountsLeft() bool {
	if sc.sp.mounts >= sc.sp.b.Mounts {
		sc.sp.note(fmt.Sprintf("mounts: at most %d in all", sc.sp.b.Mounts))
		return false
	}
	return sc.sp.readLeft("mount tables")
}

// readMounts reads a mount namespace's table from member pid, as much of
// it as the budget allows.
func (sc *scan) readMounts(pid int, ns *nsstate.Namespace) error {
	limit := sc.sp.readLimit(maxMountinfo)
	b, cut, err := sc.r.readLines(unix.AT_FDCWD, sc.path(pid, "mountinfo"), limit)
	if err != nil {
		return err
	}
	if cut {
		sc.sp.note(sc.readCut("mount tables", maxMountinfo, limit))
	}
	ms, err := parseMountinfo(b)
	if err != nil {
		return err
	}
	ns.Mounts = sc.sp.keepMounts(ms)
	return nil
}

// readNetDev reads a network namespace's interfaces from member pid.
func (sc *scan) readNetDev(pid int, ns *nsstate.Namespace) error {
	limit := sc.sp.readLimit(maxNetDev)
	b, cut, err := sc.r.readLines(unix.AT_FDCWD, sc.path(pid, "net/dev"), limit)
	if err != nil {
		return err
	}
	if cut {
		sc.sp.note(sc.readCut("interfaces", maxNetDev, limit))
	}
	ifs, err := parseNetDev(b)
	if err != nil {
		return err
	}
	ns.Interfaces = sc.sp.keepInterfaces(ifs)
	return nil
}

// readCut is the truncation note for a file of what that was cut at
// limit bytes: its own bound max, or what was left of the snapshot's.
func (sc *scan) readCut(what string, max, limit int) string {
	if limit < max {
		return fmt.Sprintf("%s: cut, the snapshot read its %d bytes from procfs", what, sc.sp.b.ReadBytes)
	}
	return fmt.Sprintf("%s: at most %d bytes read per namespace", what, max)
}

// readUserNS reads a user namespace's maps (as the real machine sees
// them) and its setgroups from member pid.
func (sc *scan) readUserNS(ino uint64, pid int, ns *nsstate.Namespace) error {
	b, err := sc.r.read(sc.path(pid, "uid_map"))
	if err != nil {
		return err
	}
	uid, err := parseIDMap(b)
	if err != nil {
		return err
	}
	if b, err = sc.r.read(sc.path(pid, "gid_map")); err != nil {
		return err
	}
	gid, err := parseIDMap(b)
	if err != nil {
		return err
	}
	if b, err = sc.r.read(sc.path(pid, "setgroups")); err != nil {
		return err
	}
	ns.Setgroups = string(bytes.TrimSpace(b))
	sc.realUID[ino], sc.realGID[ino] = uid, gid
	return nil
}

// readTimeNS reads a time namespace's offsets. /proc/PID/timens_offsets
// shows the namespace PID's children will get (time_for_children), which
// is PID's own except between unshare(CLONE_NEWTIME) and the next exec.
func (sc *scan) readTimeNS(ino uint64, pid int, ns *nsstate.Namespace) error {
	child, err := readNSLink(unix.AT_FDCWD, sc.path(pid, "ns/time_for_children"), sc.link[:])
	if err != nil {
		return err
	}
	if child != ino {
		return errNotThisOne
	}
	b, err := sc.r.read(sc.path(pid, "timens_offsets"))
	if err != nil {
		return err
	}
	ns.Offsets, err = parseTimensOffsets(b)
	return err
}
