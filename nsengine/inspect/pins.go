//go:build linux

package inspect

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/nslab/nslab/nsstate"
	"golang.org/x/sys/unix"
)

// A namespace lives on without a process in it while something pins it
// (namespaces(7)): a bind mount of its nsfs file (ip netns add NAME,
// unshare --net=FILE), an open descriptor, or a process's
// pid_for_children or time_for_children link (after unshare -p or -T and
// before the first child). The inspector finds them in the lab's mount
// tables (mounts of type nsfs), its processes' descriptors and their
// */ns/*_for_children links, and lists each pinned namespace with its
// pins (nsstate.Pin). Every read is charged to the snapshot's budget.

// pinRef is one pin as found, with the way to open the namespace it holds.
type pinRef struct {
	key nsKey
	pin nsstate.Pin
	// open returns a new nsfs descriptor of the namespace, which the
	// caller closes.
	open func() (int, error)
	// holder is the real PID of the process whose time_for_children the
	// pin is: its timens_offsets describe the namespace. 0 otherwise.
	holder int
}

// pinReadCost is what one readlink or directory entry is charged against
// the read budget: about the bytes the kernel hands over.
const pinReadCost = 64

// pinOpenCost is what nsfsAt is charged for opening an nsfs file it has
// not met (two opens, four stats, an ioctl): a handful of reads' worth.
const pinOpenCost = 8 * pinReadCost

// jsonPin is one pin's JSON without its strings.
const jsonPin = 60

// maxPinsPerNamespace is how many pins of one namespace a snapshot keeps.
// Only the first that opens is used to read the namespace, and the views
// show where it is pinned, not every descriptor: a lab holding 65,000
// descriptors of a few namespaces made every snapshot hold a record (and
// a closure) per descriptor, about 64 MB, until the read budget ran out.
const maxPinsPerNamespace = 8

// keepPin reports whether another pin of k is kept, and notes the cut in
// the snapshot's truncation list the first time one is not.
func (sc *scan) keepPin(k nsKey) bool {
	n := sc.pinsKept[k]
	if n >= maxPinsPerNamespace {
		if n == maxPinsPerNamespace {
			sc.sp.note(fmt.Sprintf("pins: at most %d per namespace", maxPinsPerNamespace))
			sc.pinsKept[k] = n + 1
		}
		return false
	}
	sc.pinsKept[k] = n + 1
	return true
}

// nsfsMagic is NSFS_MAGIC (include/uapi/linux/magic.h): statfs(2)'s f_type
// of a namespace file.
const nsfsMagic = 0x6e736673

// processPins finds the pins of lab process p: its nsfs descriptors and
// the for_children links that differ from its own namespaces.
func (sc *scan) processPins(p *proc) []pinRef {
	var out []pinRef
	labPID := p.labPID(sc.level)
	for _, c := range []struct {
		t    nsstate.NSType
		link string
	}{{nsstate.NSPID, "pid_for_children"}, {nsstate.NSTime, "time_for_children"}} {
		if !sc.sp.readLeft("pins") {
			return out
		}
		sc.sp.charged(pinReadCost)
		path := sc.path(p.real, "ns/"+c.link)
		ino, err := readNSLink(unix.AT_FDCWD, path, sc.link[:])
		if err != nil || ino == p.ns[typeIndex[c.t]] {
			// Unreadable (the process ended) or its own: no pin.
			continue
		}
		k := nsKey{c.t, ino}
		if !sc.keepPin(k) {
			continue
		}
		ref := pinRef{key: k, pin: nsstate.Pin{How: nsstate.PinForChildren, Where: "PID " + strconv.Itoa(labPID) + " " + c.link, PID: labPID}}
		ref.open = func() (int, error) { return openChecked(path, k) }
		if c.t == nsstate.NSTime {
			ref.holder = p.real
		}
		out = append(out, ref)
	}
	dir := sc.path(p.real, "fd")
	f, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return out // ended, or not ours to read
	}
	defer unix.Close(f)
	var fds []int
	if sc.dirent == nil {
		sc.dirent = make([]byte, 4096)
	}
	var names []string
	for sc.sp.readLeft("pins") {
		n, err := unix.ReadDirent(f, sc.dirent)
		if err != nil || n <= 0 {
			break
		}
		_, _, names = unix.ParseDirent(sc.dirent[:n], -1, names[:0])
		sc.sp.charged(len(names) * pinReadCost)
		for _, name := range names {
			if fd, err := strconv.Atoi(name); err == nil {
				fds = append(fds, fd)
			}
		}
	}
	sort.Ints(fds)
	for _, fd := range fds {
		if !sc.sp.readLeft("pins") {
			break
		}
		sc.sp.charged(pinReadCost)
		path := dir + "/" + strconv.Itoa(fd)
		n, err := unix.Readlink(path, sc.link[:])
		if err != nil {
			continue
		}
		// An nsfs file opened through /proc/PID/ns reads TYPE:[INODE]; one
		// opened through a bind mount of it reads as the mount's path,
		// and is told by its device.
		t, ino, err := nsstate.ParseNSID(string(sc.link[:n]))
		if err != nil {
			if n == 0 || sc.link[0] != '/' {
				continue // a pipe, a socket, an anonymous inode
			}
			if t, ino, err = sc.nsfsAt(path); err != nil {
				continue
			}
		}
		k := nsKey{t, ino}
		if !sc.keepPin(k) {
			continue
		}
		out = append(out, pinRef{
			key:  k,
			pin:  nsstate.Pin{How: nsstate.PinFD, Where: "PID " + strconv.Itoa(labPID) + " fd " + strconv.Itoa(fd), PID: labPID},
			open: func() (int, error) { return reopenChecked(unix.AT_FDCWD, path, 0, k) },
		})
	}
	return out
}

// mountPins finds the nsfs bind mounts in the mount tables read so far.
// A mount's root names the namespace ("net:[4026532179]"); it is opened
// through the root directory of a member of the mount namespace.
func (sc *scan) mountPins(byKey map[nsKey]*nsstate.Namespace) []pinRef {
	var out []pinRef
	for k, ns := range byKey {
		if k.t != nsstate.NSMnt {
			continue
		}
		for _, m := range ns.Mounts {
			if m.FSType != "nsfs" {
				continue
			}
			t, ino, err := nsstate.ParseNSID(m.Root)
			if err != nil {
				continue
			}
			target, point, mntKey := nsKey{t, ino}, m.Point, k
			out = append(out, pinRef{
				key: target,
				pin: nsstate.Pin{How: nsstate.PinMount, Where: point, MountNS: k.id()},
				open: func() (int, error) {
					return sc.openMountPin(mntKey, point, target)
				},
			})
		}
	}
	return out
}

// openMountPin opens the nsfs file mounted at point in mount namespace
// mnt, resolving point inside the root directory of one of its members:
// the lab's symlinks cannot lead it out of the lab.
func (sc *scan) openMountPin(mnt nsKey, point string, want nsKey) (int, error) {
	n := sc.tree.nodes[mnt]
	if n == nil {
		return -1, errNoMember
	}
	for _, pid := range n.members {
		root, err := unix.Open(sc.path(pid, "root"), unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		fd, err := reopenChecked(root, strings.TrimPrefix(point, "/"), unix.RESOLVE_IN_ROOT|unix.RESOLVE_NO_MAGICLINKS, want)
		unix.Close(root)
		if err == nil {
			return fd, nil
		}
	}
	return -1, errNoMember
}

// errNoMember says a pinned namespace could not be opened: the pin went
// away while the snapshot was read.
var errNoMember = errors.New("no way into the namespace is left")

// reopenChecked opens path (relative to dirfd, resolved with resolve) as
// a path only, which never blocks and never opens a device or a FIFO,
// checks that it is the nsfs file of namespace want, and only then opens
// it for reading, which ioctl_ns(2) and setns(2) need. A path in the lab
// is opened with RESOLVE_IN_ROOT, not following a symlink at its end; a
// /proc/PID/fd link (resolve 0) is followed, as it must be.
func reopenChecked(dirfd int, path string, resolve uint64, want nsKey) (int, error) {
	flags := uint64(unix.O_PATH | unix.O_CLOEXEC)
	if resolve != 0 {
		flags |= unix.O_NOFOLLOW
	}
	how := unix.OpenHow{Flags: flags, Resolve: resolve}
	pfd, err := unix.Openat2(dirfd, path, &how)
	if err != nil {
		return -1, fmt.Errorf("open %s: %w", path, err)
	}
	defer unix.Close(pfd)
	if err := isNSFile(pfd, want); err != nil {
		return -1, fmt.Errorf("%s: %w", path, err)
	}
	fd, err := unix.Open("/proc/self/fd/"+strconv.Itoa(pfd), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("reopen %s: %w", path, err)
	}
	if err := isNSFile(fd, want); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("%s: %w", path, err)
	}
	return fd, nil
}

// openChecked opens a /proc/PID/ns link (always an nsfs file) and checks
// it is still namespace want.
func openChecked(path string, want nsKey) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("open %s: %w", path, err)
	}
	if err := isNSFile(fd, want); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("%s: %w", path, err)
	}
	return fd, nil
}

// isNSFile checks that fd is the nsfs file of namespace want.
func isNSFile(fd int, want nsKey) error {
	var fs unix.Statfs_t
	if err := unix.Fstatfs(fd, &fs); err != nil {
		return fmt.Errorf("fstatfs: %w", err)
	}
	if fs.Type != nsfsMagic {
		return errors.New("not a namespace file")
	}
	ino, err := fdInode(fd)
	if err != nil {
		return err
	}
	if ino != want.ino {
		return fmt.Errorf("namespace %d, not %s", ino, want.id())
	}
	return nil
}

// openPinned opens namespace k through the first of its pins that still
// holds it.
func openPinned(refs []pinRef) (int, error) {
	for _, r := range refs {
		fd, err := r.open()
		if err == nil {
			return fd, nil
		}
	}
	return -1, errNoMember
}

// pinned finds the pins of the lab's namespaces (those listed, and
// those only pins hold), lists the latter by identity and reads what
// they hold, and records every namespace's pins. It runs once the
// listed namespaces' details (the mount tables) are read.
func (sc *scan) pinned(snap *nsstate.Snapshot, byKey map[nsKey]*nsstate.Namespace) error {
	// Mount pins first: they are what `ip netns add` makes, bounded by the
	// mount budget already, and they count towards keepPin's share, so a
	// namespace's descriptors never crowd out where it is mounted.
	sc.pinsKept = map[nsKey]int{}
	refs := sc.mountPins(byKey)
	for _, r := range refs {
		sc.pinsKept[r.key]++
	}
	for _, p := range sc.procs {
		if !sc.sp.readLeft("pins") {
			break
		}
		refs = append(refs, sc.processPins(p)...)
	}
	byNS := map[nsKey][]pinRef{}
	var newKeys []nsKey
	for _, r := range refs {
		if byKey[r.key] == nil && len(byNS[r.key]) == 0 {
			newKeys = append(newKeys, r.key)
		}
		byNS[r.key] = append(byNS[r.key], r)
	}
	sort.Slice(newKeys, func(i, j int) bool {
		if newKeys[i].t != newKeys[j].t {
			return typeIndex[newKeys[i].t] < typeIndex[newKeys[j].t]
		}
		return newKeys[i].ino < newKeys[j].ino
	})
	// Identity: parent and owner, from a descriptor the pin gives. A
	// namespace that is not the lab's (its owner or parent chain does not
	// lead to the lab host's) is left out, as the inspector leaves out
	// what is not the lab's everywhere.
	var added []nsKey
	for _, k := range newKeys {
		fd, err := openPinned(byNS[k])
		if err != nil {
			continue // the pin went away meanwhile
		}
		err = func() error {
			defer unix.Close(fd)
			if k.t == nsstate.NSUser || k.t == nsstate.NSPID {
				if err := sc.tree.walkParents(k, fd); err != nil {
					return err
				}
			}
			return sc.tree.askOwner(k, fd)
		}()
		if err != nil {
			return fmt.Errorf("pinned %s: %w", k.id(), err)
		}
		n := sc.tree.nodes[k]
		lab := (k.t == nsstate.NSUser || k.t == nsstate.NSPID) && sc.tree.inLab(k) ||
			k.t != nsstate.NSUser && n.owner != 0 && sc.tree.inLab(nsKey{nsstate.NSUser, n.owner})
		if !lab {
			continue
		}
		added = append(added, k)
	}
	for _, k := range added {
		snap.Namespaces = append(snap.Namespaces, sc.describe(k))
	}
	// The appends may have moved the array: point byKey at its new home.
	for i := range snap.Namespaces {
		ns := &snap.Namespaces[i]
		byKey[nsKey{ns.Type, ns.Inode}] = ns
	}
	// What they hold, read through the pins, within the same budget.
	var jobs []enterJob
	for _, k := range added {
		sc.sp.json += jsonNamespace
		if sc.sp.nsRead >= sc.sp.b.Namespaces {
			sc.sp.note(fmt.Sprintf("namespaces: the contents of at most %d read", sc.sp.b.Namespaces))
			continue
		}
		sc.sp.nsRead++
		ns, pins := byKey[k], byNS[k]
		open := func() (int, error) { return openPinned(pins) }
		switch k.t {
		case nsstate.NSTime:
			for _, r := range pins {
				if r.holder != 0 && sc.readTimeNS(k.ino, r.holder, ns) == nil {
					break
				}
			}
		case nsstate.NSNet:
			if sc.sp.readLeft("interfaces") {
				jobs = append(jobs, enterJob{key: k, open: open, do: func() error { return sc.readNetInside(ns) }})
			}
		case nsstate.NSUTS:
			jobs = append(jobs, enterJob{key: k, open: open, do: func() error { return readUTS(ns) }})
		case nsstate.NSIPC:
			jobs = append(jobs, enterJob{key: k, open: open, do: func() error { return sc.readIPC(ns) }})
		}
	}
	if err := runInside(sc.procfs, jobs); err != nil {
		return err
	}
	// Every namespace's pins, listed or added, as far as the JSON budget
	// goes.
	for k, rs := range byNS {
		ns := byKey[k]
		if ns == nil {
			continue
		}
		for _, r := range rs {
			if !sc.sp.fits(jsonPin+jsonLen(r.pin.Where)+jsonLen(r.pin.MountNS), "pins") {
				break
			}
			r.pin.Where = sc.sp.clip(r.pin.Where)
			ns.Pinned = append(ns.Pinned, r.pin)
		}
	}
	return nil
}

// readNetInside reads the interfaces of the network namespace the calling
// thread is in, which no member process lends its /proc/PID/net/dev.
func (sc *scan) readNetInside(ns *nsstate.Namespace) error {
	limit := sc.sp.readLimit(maxNetDev)
	b, cut, err := sc.r.readLines(unix.AT_FDCWD, sc.procfs+"/thread-self/net/dev", limit)
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
	return sc.addLinkStates(ns)
}

// nsGetNSType is NS_GET_NSTYPE (ioctl_ns(2)): the CLONE_NEW* flag of the
// namespace an nsfs descriptor stands for.
const nsGetNSType = 0xb703

var typeOfFlag = map[int]nsstate.NSType{
	unix.CLONE_NEWUSER: nsstate.NSUser, unix.CLONE_NEWPID: nsstate.NSPID,
	unix.CLONE_NEWNS: nsstate.NSMnt, unix.CLONE_NEWUTS: nsstate.NSUTS,
	unix.CLONE_NEWIPC: nsstate.NSIPC, unix.CLONE_NEWNET: nsstate.NSNet,
	unix.CLONE_NEWCGROUP: nsstate.NSCgroup, unix.CLONE_NEWTIME: nsstate.NSTime,
}

// nsfsAt tells whether the descriptor link path (/proc/PID/fd/N) is an
// nsfs file, and which namespace: stat(2) follows the link without
// opening the file (a FIFO would block an open), and only an nsfs file is
// then opened, as a path first, to ask its type.
func (sc *scan) nsfsAt(path string) (nsstate.NSType, uint64, error) {
	sc.sp.charged(pinReadCost)
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return "", 0, err
	}
	if sc.nsfsDev == 0 {
		var own unix.Stat_t
		if err := unix.Stat("/proc/self/ns/net", &own); err != nil {
			return "", 0, err
		}
		sc.nsfsDev = own.Dev
	}
	if st.Dev != sc.nsfsDev {
		return "", 0, errors.New("not a namespace file")
	}
	if t, ok := sc.nsfsTypes[st.Ino]; ok {
		return t, st.Ino, nil
	}
	// Opening and asking costs several system calls: charged as such.
	sc.sp.charged(pinOpenCost)
	fd, err := reopenChecked(unix.AT_FDCWD, path, 0, nsKey{t: "?", ino: st.Ino})
	if err != nil {
		return "", 0, err
	}
	defer unix.Close(fd)
	flag, err := unix.IoctlRetInt(fd, nsGetNSType)
	if err != nil {
		return "", 0, fmt.Errorf("NS_GET_NSTYPE: %w", err)
	}
	t, ok := typeOfFlag[flag]
	if !ok {
		return "", 0, fmt.Errorf("NS_GET_NSTYPE: unknown type %#x", flag)
	}
	if sc.nsfsTypes == nil {
		sc.nsfsTypes = map[uint64]nsstate.NSType{}
	}
	sc.nsfsTypes[st.Ino] = t
	return t, st.Ino, nil
}
