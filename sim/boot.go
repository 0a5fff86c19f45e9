package sim

import (
	"strings"
	"time"

	"github.com/nslab/nslab/nsstate"
)

// The lab host's initial state mirrors a live lab's, as the live engine
// builds it: its user namespace's maps and owner (labIDBase), the eight
// namespaces and the order they are made in (boot), the mounts
// (labMounts), the capability bounding set (labCaps), the environment
// (nsstate.LabEnv), PID 1 "init". When the engine changes, the fidelity suite
// (testdata/scenarios, lab-files and caps-lab in particular) says what to
// update here.

// labIDBase is the first host ID of the lab host's ID range: the live
// engine gives its first lab slot the host IDs from nsstate.LabIDBase.
const labIDBase = nsstate.LabIDBase

// labIDCount is the size of each lab's ID range.
const labIDCount = nsstate.LabIDCount

// Options configure a new lab.
type Options struct {
	// Now is the wall clock at boot; zero means the real time.
	Now time.Time
	// Hostname of the lab host; empty means "lab".
	Hostname string
}

// boot builds the machine: the initial user namespace (the real
// machine's, outside the lab) and the lab host's eight namespaces, its
// mounts, and its init, PID 1.
func boot(opts Options) *Kernel {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	k := &Kernel{
		now:          now.UnixNano(),
		yield:        make(chan struct{}),
		namespaces:   map[uint64]Namespace{},
		mountIDs:     map[int]bool{},
		groupIDs:     map[int]bool{},
		firstMountID: 1,
		programs:     programs(),
	}
	// The machine has been up a while when a lab starts.
	k.boot = k.now - int64(3*time.Hour)
	k.start = k.now

	// The initial user namespace maps every ID to itself.
	mu := &UserNamespace{level: 0}
	mu.nsCommon = nsCommon{typ: NSUser, inode: initInode[NSUser], self: mu}
	mu.uidMap = idMap{extents: []idExtent{{0, 0, 4294967295}}, written: true}
	mu.gidMap = idMap{extents: []idExtent{{0, 0, 4294967295}}, written: true}
	k.machineUser = mu
	k.namespaces[mu.inode] = mu

	// The lab host's user namespace: root inside is a range of unprivileged
	// host IDs, written by the (privileged) engine.
	// The engine makes it owned by the lab's first host ID, so that what
	// nested namespaces cost is charged to the lab.
	lu := &UserNamespace{parent: mu, level: 1, owner: labIDBase, group: labIDBase}
	lu.nsCommon = k.newNSCommon(NSUser, lu)
	lu.uidMap = idMap{extents: []idExtent{{0, labIDBase, labIDCount}}, written: true}
	lu.gidMap = idMap{extents: []idExtent{{0, labIDBase, labIDCount}}, written: true}
	k.lab.user = lu

	// The live engine clones the lab's init with every CLONE_NEW* flag
	// (the kernel makes mount, UTS, IPC, PID, network and time namespaces
	// in that order) and later gives it a cgroup namespace of its own, so
	// their inode numbers come in this order.
	k.lab.mnt = k.labMounts(lu)
	k.lab.uts = &UTSNamespace{Hostname: opts.Hostname, Domainname: "(none)"}
	if k.lab.uts.Hostname == "" {
		k.lab.uts.Hostname = nsstate.LabHostname
	}
	k.lab.uts.nsCommon = k.newNSCommon(NSUTS, k.lab.uts)
	k.lab.uts.owner = lu
	k.lab.ipc = k.newIPCNamespace(lu)
	k.lab.pid, _ = k.newPIDNamespace(nil, lu)
	k.labProc.pidns = k.lab.pid
	k.lab.net = k.newNetNamespace(lu)
	k.lab.net.devices[0].up = true
	k.lab.time = &TimeNamespace{}
	k.lab.time.nsCommon = k.newNSCommon(NSTime, k.lab.time)
	k.lab.time.owner = lu
	k.lab.cgroup = &CgroupNamespace{root: labCgroup}
	k.lab.cgroup.nsCommon = k.newNSCommon(NSCgroup, k.lab.cgroup)
	k.lab.cgroup.owner = lu
	// The lab's root made them: they count among its namespaces.
	for _, n := range []Namespace{k.lab.mnt, k.lab.uts, k.lab.ipc, k.lab.pid, k.lab.net, k.lab.time, k.lab.cgroup} {
		n.common().creator = labIDBase
	}

	root := KUID(labIDBase)
	creds := &Credentials{
		RealUID: root, EUID: root, SavedUID: root, FSUID: root,
		RealGID: KGID(root), EGID: KGID(root), SavedGID: KGID(root), FSGID: KGID(root),
		UserNS: lu,
	}
	creds = creds.enterUserNS(lu)
	// The live engine drops from the lab host's bounding set what no
	// lesson needs (CAP_SYS_MODULE, CAP_MKNOD …).
	creds.Permitted, creds.Effective, creds.Bounding = labCaps, labCaps, labCaps
	pids, _ := k.allocPID(k.lab.pid)
	init := &Task{
		k: k, pids: pids, comm: "init", argv: []string{"init"},
		env: nsstate.LabEnv(), cwd: "/", umask: 0o022, creds: creds, cgroup: labCgroup,
		startTime: k.now, fds: map[int]*File{}, handled: map[int]bool{SIGCHLD: true, SIGTERM: true, SIGINT: true}, ignored: map[int]bool{},
		isInit: true,
	}
	init.ns = nsProxy{
		uts: k.lab.uts, ipc: k.lab.ipc, mnt: k.lab.mnt, net: k.lab.net,
		cgroup: k.lab.cgroup, pidForChildren: k.lab.pid,
		time: k.lab.time, timeForChildren: k.lab.time,
	}
	init.pgid = 1
	// The live init writes ns_last_pid so that the first process it
	// starts has nsstate.LabFirstPID; its threads' IDs below that name no
	// process, and the simulated init has none.
	k.lab.pid.last = nsstate.LabFirstPID - 1
	k.attach(init)
	k.labInit = init
	k.startTask(init, initProgram)
	return k
}

// labCaps is the lab host's capability bounding set in a live lab: the
// engine drops CAP_LINUX_IMMUTABLE (9), CAP_SYS_MODULE (16), CAP_SYS_RAWIO
// (17), CAP_SYS_PACCT (20), CAP_SYS_BOOT (22), CAP_SYS_RESOURCE (24),
// CAP_MKNOD (27), CAP_AUDIT_CONTROL (30) and everything from
// CAP_MAC_OVERRIDE (32) on. A new user namespace gets the full set again.
const labCaps CapSet = fullCapSet &^ (1<<9 | 1<<16 | 1<<17 | 1<<20 | 1<<22 | 1<<24 | 1<<27 | 1<<30 |
	1<<32 | 1<<33 | 1<<34 | 1<<35 | 1<<36 | 1<<37 | 1<<38 | 1<<39 | 1<<40)

// labCgroup is the lab host's cgroup, from the machine's cgroup root.
const labCgroup = "/nslab/lab"

// initProgram is the lab host's PID 1: it reaps orphans and otherwise
// sleeps, like the live engine's init.
func initProgram(t *Task) int {
	for {
		t.block(func() bool { return t.zombieChild(nil) != nil }, 0)
		for z := t.zombieChild(nil); z != nil; z = t.zombieChild(nil) {
			t.k.reap(t, z)
		}
	}
}

func (k *Kernel) newIPCNamespace(owner *UserNamespace) *IPCNamespace {
	n := &IPCNamespace{nextID: map[string]int{}}
	n.nsCommon = k.newNSCommon(NSIPC, n)
	n.owner = owner
	return n
}

// newNetNamespace makes a network namespace with its loopback device:
// "a new network namespace ... has only a loopback device, which is down"
// (network_namespaces(7)).
func (k *Kernel) newNetNamespace(owner *UserNamespace) *NetNamespace {
	n := &NetNamespace{nextIfindex: 2}
	n.nsCommon = k.newNSCommon(NSNet, n)
	n.owner = owner
	n.devices = []*netDevice{{name: "lo", index: 1, kind: "loopback", mac: "00:00:00:00:00:00", mtu: 65536,
		addrs: []string{"127.0.0.1/8", "::1/128"}, ns: n}}
	return n
}

// The superblocks of the lab host's file systems.
func (k *Kernel) newSuperblock(fstype, source, opts string) *superblock {
	sb := &superblock{fstype: fstype, source: source, opts: opts, major: 0, minor: k.nextMinor()}
	sb.root = sb.newInode(kindDir, 0o755)
	if fstype == "tmpfs" {
		// "size=N" (KiB once the kernel shows it); a tmpfs without one
		// gets half of the lab's memory, as the kernel gives half of RAM.
		sb.limit = 128 << 20
		for _, o := range strings.Split(opts, ",") {
			if v, ok := strings.CutPrefix(o, "size="); ok {
				if kb, ok := parseSizeKB(v); ok {
					sb.limit = int64(kb) << 10
				}
			}
		}
	}
	return sb
}

func (k *Kernel) nextMinor() int {
	k.nextDev++
	return 51 + k.nextDev
}

// labMounts builds the lab host's mount namespace as the live engine
// builds it: one size-limited tmpfs as the root, holding every place a lab
// may write (/tmp, /root, /home, /run, /var/tmp, /dev/shm); the machine's
// /usr and /etc bound read-only; the machine's device nodes bound into
// /dev; devpts; proc of the lab's PID namespace. Every mount is shared,
// each in a peer group of its own.
func (k *Kernel) labMounts(owner *UserNamespace) *MountNamespace {
	ns := &MountNamespace{}
	ns.nsCommon = k.newNSCommon(NSMnt, ns)
	ns.owner = owner
	k.firstMountID = 77
	ns.rootParentID = k.allocMountID()
	k.firstMountID = 99

	ids := ",uid=" + itoa(labIDBase) + ",gid=" + itoa(labIDBase)
	host := k.buildHostFS()
	rootSB := k.buildLabRoot(ids)
	k.rootfs = rootSB
	mk := func(parent *Mount, point string, sb *superblock, root, opts string) *Mount {
		m := k.newMount(ns, parent, point, sb, root, opts)
		m.shared = k.allocGroupID()
		return m
	}
	for g := 1; g <= 13; g++ {
		k.groupIDs[g] = true // peer groups the machine itself uses
	}
	root := mk(nil, "/", rootSB, "/", "rw,nosuid,nodev,relatime")
	ns.root = root
	// The lab's root came from the machine's mount namespace into the
	// lab's less privileged one, locked: pivot_root cannot take it as a
	// new root (EINVAL).
	root.locked = true
	// The engine mounts /etc (the lab's own, writable), then /usr (read
	// only), then what goes inside them.
	mk(root, "/etc", k.labEtcOverlay(host), "/", "rw,nosuid,nodev,relatime")
	usr := mk(root, "/usr", k.labUsrOverlay(host), "/", "ro,nosuid,nodev,relatime")
	local := k.newSuperblock("tmpfs", "tmpfs", "rw,size=64k,mode=755"+ids)
	local.root.uid, local.root.gid = labIDBase, labIDBase
	for _, d := range []string{"bin", "sbin"} {
		n := local.mkdirAll(d, 0o755)
		n.uid, n.gid = labIDBase, labIDBase
	}
	sudo := local.addFile("bin/sudo", 0o755, nsstate.SudoScript)
	sudo.uid, sudo.gid = labIDBase, labIDBase
	mk(usr, "/usr/local", local, "/", "ro,nosuid,nodev,relatime")
	devtmpfs := &superblock{fstype: "devtmpfs", source: "devtmpfs", opts: "rw,size=12334492k,nr_inodes=3083623,mode=755", major: 0, minor: 6}
	devtmpfs.root = devtmpfs.newInode(kindDir, 0o755)
	for _, d := range []struct {
		name         string
		major, minor int
	}{{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}} {
		n := devtmpfs.addFile(d.name, 0o666, "")
		n.kind, n.rdev, n.mtime = kindChar, [2]int{d.major, d.minor}, k.boot
		n.devNull = d.name == "null"
		mk(root, "/dev/"+d.name, devtmpfs, "/"+d.name, "rw,relatime")
	}
	// The engine makes the lab's devpts in the machine's user namespace,
	// capped at 64 PTYs, and gives its root and ptmx to the lab's root.
	pts := k.newSuperblock("devpts", "devpts", "rw,gid="+itoa(labIDBase+5)+",mode=620,ptmxmode=666,max=64")
	pts.owner = k.machineUser
	pts.root.uid, pts.root.gid = labIDBase, labIDBase
	ptmx := pts.addFile("ptmx", 0o666, "")
	ptmx.kind, ptmx.rdev, ptmx.mtime = kindChar, [2]int{5, 2}, k.boot
	ptmx.uid, ptmx.gid = labIDBase, labIDBase
	mk(root, "/dev/pts", pts, "/", "rw,nosuid,noexec,relatime")
	proc := k.newSuperblock("proc", "proc", "rw")
	k.labProc = proc
	k.procRoot(proc)
	mk(root, "/proc", proc, "/", "rw,nosuid,nodev,noexec,relatime")
	sys := k.labSysfs()
	sysMount := mk(root, "/sys", sys, "/", "rw,nosuid,nodev,noexec,relatime")
	mk(sysMount, "/sys", sys, "/", "rw,nosuid,nodev,noexec,relatime")
	return ns
}
