package web

import "github.com/nslab/nslab/nsstate"

// Namespace ids of the test lab. The container sits two user namespaces
// below the lab host (the middle one has no process of its own), one pid
// namespace below it, and has its own mount namespace with a tmpfs on
// /mnt.
const (
	hostUser = "user:[4026531837]"
	hostPID  = "pid:[4026531836]"
	hostMnt  = "mnt:[4026531841]"
	hostUTS  = "uts:[4026531838]"
	hostIPC  = "ipc:[4026531839]"
	hostNet  = "net:[4026531840]"
	hostCg   = "cgroup:[4026531835]"
	hostTime = "time:[4026531834]"

	midUser = "user:[4026532010]"
	ctrUser = "user:[4026532011]"
	ctrPID  = "pid:[4026532012]"
	ctrMnt  = "mnt:[4026532013]"
	ctrUTS  = "uts:[4026532014]"
)

func hostNS() map[nsstate.NSType]string {
	return map[nsstate.NSType]string{
		nsstate.NSUser: hostUser, nsstate.NSPID: hostPID, nsstate.NSMnt: hostMnt,
		nsstate.NSUTS: hostUTS, nsstate.NSIPC: hostIPC, nsstate.NSNet: hostNet,
		nsstate.NSCgroup: hostCg, nsstate.NSTime: hostTime,
	}
}

func ctrNS() map[nsstate.NSType]string {
	m := hostNS()
	m[nsstate.NSUser] = ctrUser
	m[nsstate.NSPID] = ctrPID
	m[nsstate.NSMnt] = ctrMnt
	m[nsstate.NSUTS] = ctrUTS
	return m
}

func ns(id string) nsstate.Namespace {
	t, ino, err := nsstate.ParseNSID(id)
	if err != nil {
		panic(err)
	}
	return nsstate.Namespace{ID: id, Type: t, Inode: ino}
}

var baseMounts = []nsstate.Mount{
	{ID: 20, ParentID: 1, Root: "/", Point: "/", Options: "rw,relatime", Propagation: []string{"shared:1"}, FSType: "tmpfs", Source: "lab-root"},
	{ID: 21, ParentID: 20, Root: "/usr", Point: "/usr", Options: "ro,nosuid,nodev", Propagation: []string{"shared:2"}, FSType: "ext4", Source: "/dev/sda1"},
	{ID: 22, ParentID: 20, Root: "/", Point: "/proc", Options: "rw,nosuid", FSType: "proc", Source: "proc"},
}

// testSnapshot builds the nested lab by hand, as the inspector would see
// it after `unshare -U` (no map) and then
// `unshare --user --map-root-user --pid --mount --uts --fork sh`,
// `mount -t tmpfs tmpfs /mnt` and `sleep 1000 &` inside.
func testSnapshot() *nsstate.Snapshot {
	s := nsstate.New("live")
	s.Host = hostNS()
	for _, id := range []string{hostUser, hostPID, hostMnt, hostUTS, hostIPC, hostNet, hostCg, hostTime} {
		s.Namespaces = append(s.Namespaces, ns(id))
	}
	hu := s.Namespace(hostUser)
	hu.UIDMap = nsstate.IDMap{{Inside: 0, Outside: 200000000, Count: 65536}}
	hu.GIDMap = nsstate.IDMap{{Inside: 0, Outside: 200000000, Count: 65536}}
	hu.Setgroups = "allow"
	s.Namespace(hostMnt).Mounts = baseMounts
	s.Namespace(hostUTS).Hostname = "lab"
	s.Namespace(hostNet).Interfaces = []nsstate.Interface{{Name: "lo", Up: true}}

	mid := ns(midUser)
	mid.Parent = hostUser
	mid.UIDMap = nsstate.IDMap{{Inside: 0, Outside: 0, Count: 1000}}
	mid.GIDMap = nsstate.IDMap{{Inside: 0, Outside: 0, Count: 1000}}
	cu := ns(ctrUser)
	cu.Parent = midUser
	cu.UIDMap = nsstate.IDMap{{Inside: 0, Outside: 0, Count: 1}}
	cu.GIDMap = nsstate.IDMap{{Inside: 0, Outside: 0, Count: 1}}
	cu.Setgroups = "deny"
	cp := ns(ctrPID)
	cp.Parent = hostPID
	cp.Owner = ctrUser
	cm := ns(ctrMnt)
	cm.Owner = ctrUser
	cm.Mounts = append(append([]nsstate.Mount{}, baseMounts...), nsstate.Mount{
		ID: 40, ParentID: 20, Root: "/", Point: "/mnt", Options: "rw,relatime", FSType: "tmpfs", Source: "tmpfs",
	})
	for i := range cm.Mounts[:3] {
		cm.Mounts[i].ID += 100
		cm.Mounts[i].Propagation = nil // unshare -m makes them private
	}
	cut := ns(ctrUTS)
	cut.Owner = ctrUser
	cut.Hostname = "box"
	s.Namespaces = append(s.Namespaces, mid, cu, cp, cm, cut)

	host, ctr := hostNS(), ctrNS()
	s.Processes = []nsstate.Process{
		{PID: 1, NSpid: []int{1}, Comm: "init", Cmdline: []string{"/init"}, NS: host, Cgroup: "/"},
		{PID: 10, PPID: 1, NSpid: []int{10}, Comm: "bash", Cmdline: []string{"-bash"}, NS: host, Cgroup: "/"},
		{PID: 20, PPID: 10, NSpid: []int{20}, Comm: "unshare", Cmdline: []string{"unshare", "-Urpmu", "--fork", "sh"}, NS: host, Cgroup: "/"},
		{PID: 21, PPID: 20, NSpid: []int{21, 1}, Comm: "sh", Cmdline: []string{"sh"}, NS: ctr, Cgroup: "/"},
		{PID: 22, PPID: 21, NSpid: []int{22, 2}, Comm: "sleep", Cmdline: []string{"sleep", "1000"}, NS: ctr, Cgroup: "/"},
		{PID: 30, PPID: 1, NSpid: []int{30}, UID: 1000, GID: 1000, NSUID: 1000, NSGID: 1000, Comm: "ps", Cmdline: []string{"ps"}, NS: host, Cgroup: "/"},
	}
	s.Sort()
	return s
}
