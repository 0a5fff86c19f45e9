//go:build linux

package inspect

import (
	"sort"

	"github.com/nslab/nslab/nsstate"
	"golang.org/x/sys/unix"
)

// The readers in this file run on the locked thread of runInside, inside
// the namespace they describe.

// readUTS reads the hostname and domain name of the thread's UTS
// namespace.
func readUTS(ns *nsstate.Namespace) error {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return err
	}
	ns.Hostname = cString(u.Nodename[:])
	ns.Domainname = cString(u.Domainname[:])
	return nil
}

// readIPC lists the System V objects of the thread's IPC namespace. Their
// owners are read as real-machine IDs (the file's opener is in the real
// machine's user namespace) and shown in the lab host's view.
func (sc *scan) readIPC(ns *nsstate.Namespace) error {
	hostUID := sc.realUID[sc.tree.host[nsstate.NSUser]]
	for _, kind := range []string{"shm", "sem", "msg"} {
		if !sc.sp.readLeft("IPC objects") {
			return nil
		}
		limit := sc.sp.readLimit(maxSysvipc)
		b, cut, err := sc.r.readLines(unix.AT_FDCWD, sc.procfs+"/sysvipc/"+kind, limit)
		if err != nil {
			return err
		}
		if cut {
			sc.sp.note(sc.readCut("IPC objects", maxSysvipc, limit))
		}
		objs, err := parseSysvipc(kind, b)
		if err != nil {
			return err
		}
		for i := range objs {
			objs[i].UID = downOrOverflow(hostUID, objs[i].UID)
		}
		ns.IPC = append(ns.IPC, objs...)
	}
	ns.IPC = sc.sp.keepIPC(ns.IPC)
	return nil
}

// addLinkStates adds index, up/down and addresses from netlink to the
// interfaces read from /proc/PID/net/dev, and sorts them by index.
func (sc *scan) addLinkStates(ns *nsstate.Namespace) error {
	links, err := sc.readLinks()
	if err != nil {
		return err
	}
	for i := range ns.Interfaces {
		if l := links[ns.Interfaces[i].Name]; l != nil {
			ns.Interfaces[i].Index = l.index
			ns.Interfaces[i].Up = l.up
			ns.Interfaces[i].Addrs = sc.sp.keepAddrs(l.addrs)
		}
	}
	sort.SliceStable(ns.Interfaces, func(i, j int) bool { return ns.Interfaces[i].Index < ns.Interfaces[j].Index })
	return nil
}
