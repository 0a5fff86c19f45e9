package sim

import "github.com/nslab/nslab/nsstate"

// NSType is one of the eight namespace types.
type NSType = nsstate.NSType

const (
	NSMnt    = nsstate.NSMnt
	NSPID    = nsstate.NSPID
	NSUser   = nsstate.NSUser
	NSUTS    = nsstate.NSUTS
	NSIPC    = nsstate.NSIPC
	NSNet    = nsstate.NSNet
	NSCgroup = nsstate.NSCgroup
	NSTime   = nsstate.NSTime
)

// The inode numbers the kernel gives its initial namespaces
// (include/linux/proc_ns.h: PROC_*_INIT_INO), and the first number it hands
// out to namespaces made later (PROC_DYNAMIC_FIRST). Namespaces made after
// boot get numbers from 4026532xxx on a running machine.
var initInode = map[NSType]uint64{
	NSIPC:    0xEFFFFFFF,
	NSUTS:    0xEFFFFFFE,
	NSUser:   0xEFFFFFFD,
	NSPID:    0xEFFFFFFC,
	NSCgroup: 0xEFFFFFFB,
	NSTime:   0xEFFFFFFA,
	NSNet:    0xEFFFFFF9,
	NSMnt:    0xEFFFFFF8,
}

// firstLabInode is where the simulated machine's namespace numbers begin
// once it has booted: a real machine has used a few hundred by then.
const firstLabInode = 0xF0000000 + 400

// Namespace is what every simulated namespace has in common.
type Namespace interface {
	Type() NSType
	Inode() uint64
	// Owner is the user namespace that owns it (for a user namespace, its
	// parent).
	Owner() *UserNamespace
	common() *nsCommon
}

// nsCommon holds a namespace's identity.
type nsCommon struct {
	typ   NSType
	inode uint64
	owner *UserNamespace
	// refs counts tasks (and nsenter-style holders) using it; a namespace
	// with no users is gone from the snapshot.
	refs int
	self Namespace
	// creator is the effective UID that made it, whose count of
	// namespaces it adds to (ucount.go).
	creator KUID
}

func (n *nsCommon) Type() NSType          { return n.typ }
func (n *nsCommon) Inode() uint64         { return n.inode }
func (n *nsCommon) Owner() *UserNamespace { return n.owner }
func (n *nsCommon) common() *nsCommon     { return n }
func (n *nsCommon) id() string            { return nsstate.NSID(n.typ, n.inode) }

// newNSCommon gives a new namespace the next inode number: the kernel's
// proc_alloc_inum hands out the lowest free number.
func (k *Kernel) newNSCommon(t NSType, self Namespace) nsCommon {
	ino := k.freeInode()
	k.namespaces[ino] = self
	return nsCommon{typ: t, inode: ino, self: self}
}

// freeInode returns the lowest unused namespace inode number.
func (k *Kernel) freeInode() uint64 {
	for ino := uint64(firstLabInode); ; ino++ {
		if _, used := k.namespaces[ino]; !used {
			return ino
		}
	}
}

// UTSNamespace holds a host name and a domain name.
type UTSNamespace struct {
	nsCommon
	Hostname, Domainname string
}

// IPCNamespace holds System V IPC objects.
type IPCNamespace struct {
	nsCommon
	objects []*ipcObject
	nextID  map[string]int
	// limits are its sysctls (procsys.go), nil until first used.
	limits *ipcLimits
}

// ipcObject is a System V message queue, shared memory segment or
// semaphore set.
type ipcObject struct {
	kind  string // "msg", "shm", "sem"
	key   int32
	id    int
	perms uint32
	uid   KUID
	gid   KGID
	cuid  KUID
	cgid  KGID
	size  int // shm bytes, sem nsems, msg used bytes
	ctime int64
}

// NetNamespace holds network devices.
type NetNamespace struct {
	nsCommon
	devices     []*netDevice
	nextIfindex int
	// peerIDs are the ids this namespace gives others (netnsid).
	peerIDs map[*NetNamespace]int
	// routes are the routes of the main table added with ip route add;
	// the prefix routes of addresses are derived (see routes).
	routes []*ipRoute
	// sysctl holds its /proc/sys/net values (procsys_net.go).
	sysctl *netSysctlState
}

// netDevice is one network interface.
type netDevice struct {
	name                                   string
	index                                  int
	up                                     bool
	kind                                   string // "loopback", "veth", "dummy", "bridge"
	mac                                    string
	mtu                                    int
	addrs                                  []string // CIDR
	peer                                   *netDevice
	ns                                     *NetNamespace // where it is
	rxBytes, txBytes, rxPackets, txPackets uint64
	// master is the bridge a port is enslaved to (ip link set DEV master BR).
	master *netDevice
	// portsSeen marks a bridge that has had a forwarding port: from then
	// on it has a carrier only while one forwards (br_port_state_selection).
	portsSeen bool
	// brd holds the broadcast address given to an IPv4 address (ip addr
	// add A/N brd B), by address.
	brd map[string]string
	// linkLocalAt is when the device last came up with a carrier, which is
	// when IPv6 gives it a link-local address; 0 while it has none.
	linkLocalAt int64
	// qdiscAttached: the device has been up in its namespace, so it has
	// its noqueue qdisc (dev_activate), which stays when it goes down.
	qdiscAttached bool
}

// CgroupNamespace holds a cgroup root: the cgroup its creator was in.
type CgroupNamespace struct {
	nsCommon
	root string
}

// TimeNamespace holds offsets for CLOCK_MONOTONIC and CLOCK_BOOTTIME.
type TimeNamespace struct {
	nsCommon
	monotonic, boottime nsstate.Offset
	// frozen is set once a process has entered: "the offsets can be set
	// ... only before the first process is created in the namespace"
	// (time_namespaces(7)).
	frozen bool
}
