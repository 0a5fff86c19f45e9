package sim

import (
	"strconv"
	"strings"
)

// This file is the simulated user namespace: ID maps, their write rules and
// the capability rules of user_namespaces(7). Each check quotes the
// sentence of the man page it implements.

// maxUserNSLevel is the kernel's nesting limit: "user namespaces can be
// nested; ... up to 32 levels" (user_namespaces(7)).
const maxUserNSLevel = 32

// maxMapLines is the kernel's limit of lines in a uid_map or gid_map
// (UID_GID_MAP_MAX_EXTENTS).
const maxMapLines = 340

// idExtent is one line of a map: count IDs from first inside the namespace
// map to kernel IDs from lowerFirst on.
type idExtent struct {
	first, lowerFirst, count uint32
}

// idMap is a uid_map or gid_map as the kernel keeps it: inside IDs to
// kernel IDs. written is set once the map has been written (even with no
// lines left after the kernel's checks, it can be written only once).
type idMap struct {
	extents []idExtent
	written bool
}

// toKernel maps an ID of the namespace to a kernel ID (make_kuid).
func (m *idMap) toKernel(id uint32) (uint32, bool) {
	for _, e := range m.extents {
		if id >= e.first && uint64(id) < uint64(e.first)+uint64(e.count) {
			return e.lowerFirst + (id - e.first), true
		}
	}
	return NoID, false
}

// fromKernel maps a kernel ID to the namespace's ID (from_kuid).
func (m *idMap) fromKernel(k uint32) (uint32, bool) {
	for _, e := range m.extents {
		if k >= e.lowerFirst && uint64(k) < uint64(e.lowerFirst)+uint64(e.count) {
			return e.first + (k - e.lowerFirst), true
		}
	}
	return NoID, false
}

// UserNamespace is a simulated user namespace.
type UserNamespace struct {
	nsCommon
	parent *UserNamespace
	level  int
	// owner and group are the creator's effective IDs: "the effective user
	// ID of the process that created the namespace" owns it.
	owner          KUID
	group          KGID
	uidMap, gidMap idMap
	// setgroupsDenied is /proc/PID/setgroups reading "deny".
	setgroupsDenied bool
	// ucountMax are its /proc/sys/user limits (ucount.go).
	ucountMax map[string]*int64
}

// Parent returns the parent user namespace, nil for the initial one.
func (u *UserNamespace) Parent() *UserNamespace { return u.parent }

// MapUID returns the kernel ID of uid as u sees it.
func (u *UserNamespace) MapUID(uid UID) (KUID, bool) {
	k, ok := u.uidMap.toKernel(uint32(uid))
	return KUID(k), ok
}

// MapGID returns the kernel ID of gid as u sees it.
func (u *UserNamespace) MapGID(gid GID) (KGID, bool) {
	k, ok := u.gidMap.toKernel(uint32(gid))
	return KGID(k), ok
}

// UIDOf returns how u sees a kernel uid; ok is false where it has no
// mapping in u.
func (u *UserNamespace) UIDOf(k KUID) (UID, bool) {
	id, ok := u.uidMap.fromKernel(uint32(k))
	return UID(id), ok
}

// GIDOf returns how u sees a kernel gid.
func (u *UserNamespace) GIDOf(k KGID) (GID, bool) {
	id, ok := u.gidMap.fromKernel(uint32(k))
	return GID(id), ok
}

// MungedUID is from_kuid_munged: an unmapped ID reads as the overflow ID.
func (u *UserNamespace) MungedUID(k KUID) UID {
	if id, ok := u.UIDOf(k); ok {
		return id
	}
	return OverflowUID
}

// MungedGID is from_kgid_munged.
func (u *UserNamespace) MungedGID(k KGID) GID {
	if id, ok := u.GIDOf(k); ok {
		return id
	}
	return OverflowUID
}

// IsAncestorOf reports whether u is other or one of its ancestors.
func (u *UserNamespace) IsAncestorOf(other *UserNamespace) bool {
	for n := other; n != nil; n = n.parent {
		if n == u {
			return true
		}
	}
	return false
}

// newUserNamespace implements the checks of create_user_ns for a process
// with credentials c.
func (k *Kernel) newUserNamespace(c *Credentials) (*UserNamespace, error) {
	parent := c.UserNS
	// "Since Linux 3.11, ... user namespaces can be nested to a depth of
	// 32; ... unshare() ... fails with the error EUSERS" (user_namespaces(7)
	// and unshare(2): "EUSERS CLONE_NEWUSER was specified in flags, and the
	// call would cause the limit on the number of nested user namespaces to
	// be exceeded").
	if parent.level+1 > maxUserNSLevel {
		return nil, EUSERS
	}
	// inc_user_namespaces comes before the mapping checks.
	if err := k.chargeNamespace(NSUser, parent, c); err != nil {
		return nil, err
	}
	// unshare(2): "EPERM CLONE_NEWUSER was specified in flags, and the
	// caller's effective user ID or effective group ID does not have a
	// mapping in the parent namespace".
	if _, ok := parent.UIDOf(c.EUID); !ok {
		return nil, EPERM
	}
	if _, ok := parent.GIDOf(c.EGID); !ok {
		return nil, EPERM
	}
	u := &UserNamespace{parent: parent, level: parent.level + 1, owner: c.EUID, group: c.EGID}
	u.nsCommon = k.newNSCommon(NSUser, u)
	// "the /proc/[pid]/setgroups file ... In a new user namespace ... the
	// value is inherited from the parent: if the parent's file reads deny,
	// so does the child's" (user_namespaces(7): "The default value of this
	// file in the initial user namespace is "allow". ... a child ... inherits
	// the setting of its parent").
	u.setgroupsDenied = parent.setgroupsDenied
	return u, nil
}

// mapKind says which of the two map files a write goes to.
type mapKind int

const (
	uidMapFile mapKind = iota
	gidMapFile
)

// writeIDMap implements a write of data to /proc/PID/uid_map or gid_map of
// a process in target by a process with credentials w (map_write).
func (k *Kernel) writeIDMap(w *Credentials, target *UserNamespace, kind mapKind, data string) error {
	m := &target.uidMap
	capID := CapSetUID
	if kind == gidMapFile {
		m = &target.gidMap
		capID = CapSetGID
	}
	// "Defining a mapping is a one-time operation per namespace: we can
	// perform only a single write (that may contain multiple newline-
	// delimited records) to a uid_map file ... EPERM" (user_namespaces(7)).
	if m.written {
		return EPERM
	}
	// "The writing process must have the CAP_SETUID (CAP_SETGID) capability
	// in the user namespace of the process pid."
	if !w.HasCapabilityIn(capID, target) {
		return EPERM
	}
	// "The writing process must be in either the user namespace of the
	// process pid or inside the parent user namespace of the process pid."
	if w.UserNS != target && w.UserNS != target.parent {
		return EPERM
	}
	lines, err := parseIDMap(data)
	if err != nil {
		return err
	}
	parent := target.parent
	// Check the lines and translate each range's outside IDs, which are
	// "interpreted as ... IDs in the parent user namespace", to kernel IDs.
	var extents []idExtent
	for _, l := range lines {
		var e idExtent
		e.first, e.count = l[0], l[2]
		// "The mapped user IDs (group IDs) must in turn have a mapping in
		// the parent user namespace."
		var lower uint32
		var ok bool
		if kind == uidMapFile {
			lower, ok = parent.uidMap.toKernel(l[1])
		} else {
			lower, ok = parent.gidMap.toKernel(l[1])
		}
		if !ok || !rangeMapped(parent, kind, l[1], l[2]) {
			return EPERM
		}
		e.lowerFirst = lower
		extents = append(extents, e)
	}
	// "Or otherwise all of the following restrictions apply" when the
	// writer lacks CAP_SETUID (CAP_SETGID) in the parent namespace.
	if !w.HasCapabilityIn(capID, parent) {
		// "The data written to uid_map (gid_map) must consist of a single
		// line that maps the writing process's effective user ID (group ID)
		// in the parent user namespace to a user ID (group ID) in the user
		// namespace."
		if len(extents) != 1 || extents[0].count != 1 {
			return EPERM
		}
		if kind == uidMapFile && KUID(extents[0].lowerFirst) != w.EUID {
			return EPERM
		}
		if kind == gidMapFile && KGID(extents[0].lowerFirst) != w.EGID {
			return EPERM
		}
		// "The writing process must have the same effective user ID as the
		// process that created the user namespace."
		if w.EUID != target.owner {
			return EPERM
		}
		// "In the case of gid_map, use of the setgroups(2) system call must
		// first be denied by writing "deny" to the /proc/[pid]/setgroups
		// file."
		if kind == gidMapFile && !target.setgroupsDenied {
			return EPERM
		}
	}
	m.extents = extents
	m.written = true
	return nil
}

// rangeMapped reports whether all of count IDs from first in parent are
// mapped in parent's own map, so that a range cannot reach IDs the parent
// does not have.
func rangeMapped(parent *UserNamespace, kind mapKind, first, count uint32) bool {
	m := &parent.uidMap
	if kind == gidMapFile {
		m = &parent.gidMap
	}
	for _, e := range m.extents {
		if first >= e.first && uint64(first)+uint64(count) <= uint64(e.first)+uint64(e.count) {
			return true
		}
	}
	return false
}

// parseIDMap parses the text of a map write into [inside, outside, count]
// lines, with the kernel's EINVAL rules: three numbers per line, a count
// above zero, no overflow, no overlapping ranges, at most 340 lines.
func parseIDMap(data string) ([][3]uint32, error) {
	var out [][3]uint32
	data = strings.TrimSuffix(data, "\n")
	if data == "" {
		return nil, EINVAL
	}
	for _, line := range strings.Split(data, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, EINVAL
		}
		var v [3]uint32
		for i, s := range f {
			n, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				return nil, EINVAL
			}
			v[i] = uint32(n)
		}
		if v[2] == 0 || uint64(v[0])+uint64(v[2]) > 1<<32-1 || uint64(v[1])+uint64(v[2]) > 1<<32-1 {
			return nil, EINVAL
		}
		for _, o := range out {
			if overlaps(o[0], o[2], v[0], v[2]) || overlaps(o[1], o[2], v[1], v[2]) {
				return nil, EINVAL
			}
		}
		out = append(out, v)
		if len(out) > maxMapLines {
			return nil, EINVAL
		}
	}
	return out, nil
}

func overlaps(a, an, b, bn uint32) bool {
	return uint64(a) < uint64(b)+uint64(bn) && uint64(b) < uint64(a)+uint64(an)
}

// writeSetgroups implements a write to /proc/PID/setgroups
// (proc_setgroups_write).
func (k *Kernel) writeSetgroups(w *Credentials, target *UserNamespace, data string) error {
	// The file can be opened for writing only with CAP_SYS_ADMIN in the
	// target's user namespace (proc_setgroups_open); the kernel says EPERM.
	if !w.HasCapabilityIn(CapSysAdmin, target) {
		return EPERM
	}
	switch strings.TrimRight(data, "\n") {
	case "allow":
		// "once "deny" has been written ... it is not possible to change
		// it back to "allow"" (user_namespaces(7)).
		if target.setgroupsDenied {
			return EPERM
		}
	case "deny":
		// "writing "deny" ... is not permitted after ... /proc/[pid]/gid_map
		// has been written" — the kernel says EPERM.
		if target.gidMap.written && !target.setgroupsDenied {
			return EPERM
		}
		target.setgroupsDenied = true
	default:
		return EINVAL
	}
	return nil
}

// renderIDMap renders a map file of target as a reader in viewer sees it:
// "If the process opening the file is in the same user namespace as the
// process PID, then ID-outside-ns is defined with respect to the parent
// user namespace. Otherwise ID-outside-ns is defined with respect to the
// user namespace of the process opening the file" (user_namespaces(7)).
func renderIDMap(viewer, target *UserNamespace, kind mapKind) string {
	lower := viewer
	if lower == target && target.parent != nil {
		lower = target.parent
	}
	m, lm := &target.uidMap, &lower.uidMap
	if kind == gidMapFile {
		m, lm = &target.gidMap, &lower.gidMap
	}
	var b strings.Builder
	for _, e := range m.extents {
		out, ok := lm.fromKernel(e.lowerFirst)
		if !ok {
			out = NoID
		}
		b.WriteString(pad10(e.first))
		b.WriteByte(' ')
		b.WriteString(pad10(out))
		b.WriteByte(' ')
		b.WriteString(pad10(e.count))
		b.WriteByte('\n')
	}
	return b.String()
}

// pad10 right-aligns n in ten columns, as the kernel's "%10u".
func pad10(n uint32) string {
	s := strconv.FormatUint(uint64(n), 10)
	if len(s) < 10 {
		s = strings.Repeat(" ", 10-len(s)) + s
	}
	return s
}
