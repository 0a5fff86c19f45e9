package nsstate

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Version is the version of the snapshot JSON form. It changes only when a
// field changes meaning or goes away; new fields do not change it.
const Version = 1

// NSType is one of the eight Linux namespace types, named as in /proc/PID/ns.
type NSType string

const (
	NSMnt    NSType = "mnt"
	NSPID    NSType = "pid"
	NSUser   NSType = "user"
	NSUTS    NSType = "uts"
	NSIPC    NSType = "ipc"
	NSNet    NSType = "net"
	NSCgroup NSType = "cgroup"
	NSTime   NSType = "time"
)

// Types lists the eight namespace types in the order the views show them.
var Types = []NSType{NSUser, NSPID, NSMnt, NSUTS, NSIPC, NSNet, NSCgroup, NSTime}

// Valid reports whether t is one of the eight types.
func (t NSType) Valid() bool {
	for _, x := range Types {
		if t == x {
			return true
		}
	}
	return false
}

// NSID formats a namespace identity the way readlink(/proc/PID/ns/TYPE) does:
// "pid:[4026532001]".
func NSID(t NSType, inode uint64) string {
	return string(t) + ":[" + strconv.FormatUint(inode, 10) + "]"
}

// ParseNSID splits "pid:[4026532001]" into its type and inode.
func ParseNSID(id string) (NSType, uint64, error) {
	colon := strings.IndexByte(id, ':')
	if colon < 0 || !strings.HasSuffix(id, "]") || len(id) < colon+3 || id[colon+1] != '[' {
		return "", 0, fmt.Errorf("namespace id %q: want TYPE:[INODE]", id)
	}
	t := NSType(id[:colon])
	if !t.Valid() {
		return "", 0, fmt.Errorf("namespace id %q: unknown type %q", id, t)
	}
	ino, err := strconv.ParseUint(id[colon+2:len(id)-1], 10, 64)
	if err != nil {
		return "", 0, fmt.Errorf("namespace id %q: %w", id, err)
	}
	return t, ino, nil
}

// Snapshot is the state of one lab host at one moment, as seen from the lab
// host: every PID, UID and GID in it is the lab host's view unless a field
// says otherwise.
type Snapshot struct {
	Version int `json:"version"`
	// Source says what produced the snapshot: "live" or "sim".
	Source string `json:"source,omitempty"`
	// Host maps each type to the lab host's own namespace (that of its
	// init's children). Everything else in Namespaces was made inside it.
	Host       map[NSType]string `json:"host"`
	Namespaces []Namespace       `json:"namespaces"`
	Processes  []Process         `json:"processes"`
	// Truncated is set when the snapshot leaves part of the lab's state
	// out because the lab holds more than a snapshot may carry (see
	// docs/state.md); nil when it is whole.
	Truncated *Truncation `json:"truncated,omitempty"`
}

// Truncation says what a snapshot left out: a lab with more processes,
// namespaces, mounts, interfaces or IPC objects, or longer strings, than
// the inspector's budget gets a snapshot cut to the budget, and the views
// and API clients can tell it is not the whole state.
type Truncation struct {
	// Cut says, one line per budget that was reached, what was left out
	// and why: "mounts: at most 2000 per mount namespace (1 namespace cut)".
	Cut []string `json:"cut"`
}

// Namespace is one namespace. Fields that belong to one type are empty for
// the others.
type Namespace struct {
	ID    string `json:"id"`
	Type  NSType `json:"type"`
	Inode uint64 `json:"inode"`
	// Parent is the parent namespace's id for pid and user namespaces
	// (NS_GET_PARENT), empty for the lab host's own and where the kernel
	// does not tell.
	Parent string `json:"parent,omitempty"`
	// Owner is the id of the user namespace that owns this one
	// (NS_GET_USERNS); empty for user namespaces (see Parent) and where it
	// lies outside the lab.
	Owner string `json:"owner,omitempty"`

	// User namespaces. Outside IDs are in the parent user namespace, as
	// /proc/PID/uid_map shows them to a process there; for the lab host's
	// own user namespace that is the real machine.
	UIDMap    IDMap  `json:"uid_map,omitempty"`
	GIDMap    IDMap  `json:"gid_map,omitempty"`
	Setgroups string `json:"setgroups,omitempty"` // "allow" or "deny"

	// UTS namespaces.
	Hostname   string `json:"hostname,omitempty"`
	Domainname string `json:"domainname,omitempty"`

	// Mount namespaces: the mount table as /proc/PID/mountinfo of a member
	// shows it.
	Mounts []Mount `json:"mounts,omitempty"`

	// Network namespaces.
	Interfaces []Interface `json:"interfaces,omitempty"`

	// IPC namespaces: System V objects.
	IPC []IPCObject `json:"ipc,omitempty"`

	// Time namespaces: offsets from the real machine's clocks.
	Offsets *TimeOffsets `json:"offsets,omitempty"`

	// Pinned lists what keeps the namespace alive besides its member
	// processes: a bind mount of its nsfs file (ip netns add, unshare
	// --net=FILE), an open descriptor, or a process's pid_for_children or
	// time_for_children. A namespace no process is in is listed only
	// because of these.
	Pinned []Pin `json:"pinned,omitempty"`
}

// The ways a namespace is held without a process in it (Pin.How).
const (
	PinMount       = "mount"        // a bind mount of its nsfs file
	PinFD          = "fd"           // an open descriptor of a process
	PinForChildren = "for_children" // a process's pid_for_children or time_for_children
)

// Pin is one thing that holds a namespace.
type Pin struct {
	// How is PinMount, PinFD or PinForChildren.
	How string `json:"how"`
	// Where says which one, as the lab host sees it: the mount point
	// ("/run/netns/blue", as the mount namespace named by MountNS shows
	// it), "PID 123 fd 4", or "PID 123 pid_for_children".
	Where string `json:"where"`
	// PID is the process (lab host's view) holding the fd or the
	// for_children link; absent for a mount.
	PID int `json:"pid,omitempty"`
	// MountNS is the id of the mount namespace the bind mount is in;
	// absent for the other kinds.
	MountNS string `json:"mount_ns,omitempty"`
}

// IDMap is a uid_map or gid_map: a list of ranges.
type IDMap []IDRange

// IDRange is one line of a uid_map or gid_map. Its JSON form is the triple
// [inside, outside, count].
type IDRange struct {
	Inside, Outside, Count uint32
}

// MarshalJSON writes the range as [inside, outside, count].
func (r IDRange) MarshalJSON() ([]byte, error) {
	return json.Marshal([3]uint32{r.Inside, r.Outside, r.Count})
}

// UnmarshalJSON reads the range from [inside, outside, count].
func (r *IDRange) UnmarshalJSON(b []byte) error {
	var t []uint32
	if err := json.Unmarshal(b, &t); err != nil {
		return fmt.Errorf("id map range: want [inside, outside, count]: %w", err)
	}
	if len(t) != 3 {
		return fmt.Errorf("id map range: want [inside, outside, count], got %d numbers", len(t))
	}
	r.Inside, r.Outside, r.Count = t[0], t[1], t[2]
	return nil
}

// OverflowID is what an unmapped ID reads as (/proc/sys/kernel/overflowuid).
const OverflowID = 65534

// Up maps an ID inside the namespace to the parent namespace. ok is false
// where the ID is not mapped.
func (m IDMap) Up(id uint32) (uint32, bool) {
	for _, r := range m {
		if id >= r.Inside && uint64(id) < uint64(r.Inside)+uint64(r.Count) {
			return r.Outside + (id - r.Inside), true
		}
	}
	return 0, false
}

// Down maps an ID of the parent namespace to the ID inside. ok is false
// where the ID is not mapped.
func (m IDMap) Down(id uint32) (uint32, bool) {
	for _, r := range m {
		if id >= r.Outside && uint64(id) < uint64(r.Outside)+uint64(r.Count) {
			return r.Inside + (id - r.Outside), true
		}
	}
	return 0, false
}

// Mount is one line of /proc/PID/mountinfo.
type Mount struct {
	ID       int    `json:"id"`
	ParentID int    `json:"parent_id"`
	Major    int    `json:"major"`
	Minor    int    `json:"minor"`
	Root     string `json:"root"`
	Point    string `json:"mountpoint"`
	Options  string `json:"options"`
	// Propagation lists the optional fields: "shared:N", "master:N",
	// "propagate_from:N", "unbindable"; empty means private.
	Propagation []string `json:"propagation,omitempty"`
	FSType      string   `json:"fstype"`
	Source      string   `json:"source"`
	SuperOpts   string   `json:"super_options"`
}

// Interface is one network device of a network namespace.
type Interface struct {
	Name  string   `json:"name"`
	Index int      `json:"index,omitempty"`
	Up    bool     `json:"up"`
	Addrs []string `json:"addrs,omitempty"`
	// Traffic counters from /proc/PID/net/dev.
	RxBytes uint64 `json:"rx_bytes"`
	TxBytes uint64 `json:"tx_bytes"`
}

// IPCObject is one System V IPC object.
type IPCObject struct {
	Kind  string `json:"kind"` // "shm", "sem" or "msg"
	Key   int64  `json:"key"`
	ID    int    `json:"id"`
	Perms uint32 `json:"perms"`
	UID   uint32 `json:"uid"` // owner, lab host's view
}

// TimeOffsets are a time namespace's offsets, as /proc/PID/timens_offsets
// shows them.
type TimeOffsets struct {
	Monotonic Offset `json:"monotonic"`
	Boottime  Offset `json:"boottime"`
}

// Offset is a clock offset in seconds and nanoseconds.
type Offset struct {
	Sec  int64 `json:"sec"`
	Nsec int64 `json:"nsec"`
}

// Process is one process of the lab.
type Process struct {
	PID  int `json:"pid"`  // lab host's view
	PPID int `json:"ppid"` // lab host's view; 0 for the lab's init
	// NSpid is the PID chain from the lab host's PID namespace down to the
	// process's own: NSpid[0] == PID, NSpid[len-1] is the PID it sees.
	NSpid []int `json:"nspid"`
	// UID and GID are the effective IDs in the lab host's view
	// (OverflowID where unmapped there).
	UID uint32 `json:"uid"`
	GID uint32 `json:"gid"`
	// NSUID and NSGID are the same IDs as the process's own user namespace
	// sees them.
	NSUID   uint32   `json:"nsuid"`
	NSGID   uint32   `json:"nsgid"`
	Comm    string   `json:"comm"`
	Cmdline []string `json:"cmdline"`
	State   string   `json:"state,omitempty"` // R, S, Z… as in /proc/PID/stat
	Cgroup  string   `json:"cgroup,omitempty"`
	// NS maps each of the eight types to a namespace id.
	NS map[NSType]string `json:"ns"`
}

// New returns an empty snapshot of the current version.
func New(source string) *Snapshot {
	return &Snapshot{Version: Version, Source: source, Host: map[NSType]string{}}
}

// Namespace returns the namespace with the given id, or nil.
func (s *Snapshot) Namespace(id string) *Namespace {
	for i := range s.Namespaces {
		if s.Namespaces[i].ID == id {
			return &s.Namespaces[i]
		}
	}
	return nil
}

// Process returns the process with the given lab-host PID, or nil.
func (s *Snapshot) Process(pid int) *Process {
	for i := range s.Processes {
		if s.Processes[i].PID == pid {
			return &s.Processes[i]
		}
	}
	return nil
}

// Sort puts namespaces in (type order, inode) order and processes in PID
// order, so that equal states marshal to equal bytes.
func (s *Snapshot) Sort() {
	rank := map[NSType]int{}
	for i, t := range Types {
		rank[t] = i
	}
	sort.SliceStable(s.Namespaces, func(i, j int) bool {
		a, b := s.Namespaces[i], s.Namespaces[j]
		if a.Type != b.Type {
			return rank[a.Type] < rank[b.Type]
		}
		return a.Inode < b.Inode
	})
	sort.SliceStable(s.Processes, func(i, j int) bool { return s.Processes[i].PID < s.Processes[j].PID })
	for i := range s.Namespaces {
		s.Namespaces[i].Pinned = SortPins(s.Namespaces[i].Pinned)
	}
}

// SortPins orders pins by kind (mounts, descriptors, for_children links),
// then by where, so that equal states marshal to equal bytes, and drops
// repeats: a mount stacked on the same place in the same mount namespace
// (ip netns add binds /run/netns on itself first, so its mounts come in
// pairs) is one pin.
func SortPins(pins []Pin) []Pin {
	rank := map[string]int{PinMount: 0, PinFD: 1, PinForChildren: 2}
	sort.SliceStable(pins, func(i, j int) bool {
		a, b := pins[i], pins[j]
		if a.How != b.How {
			return rank[a.How] < rank[b.How]
		}
		if a.PID != b.PID {
			return a.PID < b.PID
		}
		if a.Where != b.Where {
			return a.Where < b.Where
		}
		return a.MountNS < b.MountNS
	})
	out := pins[:0]
	for i, p := range pins {
		if i == 0 || p != pins[i-1] {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Validate checks what a consumer relies on: a known version, ids that
// parse and match their type and inode, processes naming namespaces that
// exist. It is for snapshots that come from outside (files, the network).
func (s *Snapshot) Validate() error {
	if s.Version != Version {
		return fmt.Errorf("snapshot version %d: this build reads version %d", s.Version, Version)
	}
	seen := map[string]bool{}
	for _, ns := range s.Namespaces {
		t, ino, err := ParseNSID(ns.ID)
		if err != nil {
			return err
		}
		if t != ns.Type || ino != ns.Inode {
			return fmt.Errorf("namespace %s: type %q inode %d do not match its id", ns.ID, ns.Type, ns.Inode)
		}
		if seen[ns.ID] {
			return fmt.Errorf("namespace %s listed twice", ns.ID)
		}
		seen[ns.ID] = true
	}
	pids := map[int]bool{}
	for _, p := range s.Processes {
		if pids[p.PID] {
			return fmt.Errorf("process %d listed twice", p.PID)
		}
		pids[p.PID] = true
		if len(p.NSpid) == 0 || p.NSpid[0] != p.PID {
			return fmt.Errorf("process %d: nspid %v must start with its pid", p.PID, p.NSpid)
		}
		for t, id := range p.NS {
			if !seen[id] {
				return fmt.Errorf("process %d: %s namespace %s is not in the snapshot", p.PID, t, id)
			}
		}
	}
	return nil
}
