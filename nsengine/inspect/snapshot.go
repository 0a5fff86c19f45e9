//go:build linux

package inspect

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/nslab/nslab/nsstate"
	"golang.org/x/sys/unix"
)

// Options says which lab to inspect.
type Options struct {
	// InitPID is the real-machine PID of the lab's init; the lab host's
	// namespaces are the init's.
	InitPID int
	// PIDs are the real-machine PIDs of the lab's processes if known (from
	// its cgroup). nil means: scan Procfs and keep the processes whose PID
	// namespace is the init's or lies below it.
	PIDs []int
	// Procfs is where procfs is mounted; "/proc" when empty. It must show
	// the real machine's PID namespace.
	Procfs string
	// Budget bounds what the snapshot reads and holds; zero fields take
	// DefaultBudget's. A lab over it gets a snapshot that says what was
	// cut (nsstate.Snapshot.Truncated).
	Budget Budget
}

// Snapshot reads the lab's state from the real machine and returns it as
// the lab host sees it, sorted. Processes that end while it reads are left
// out; only the end of the init is an error.
func Snapshot(opts Options) (*nsstate.Snapshot, error) {
	if opts.InitPID <= 0 {
		return nil, fmt.Errorf("inspect lab: init pid %d is not a process id", opts.InitPID)
	}
	sc := &scan{procfs: opts.Procfs, sp: newSpend(opts.Budget)}
	sc.r.sp = sc.sp
	if sc.procfs == "" {
		sc.procfs = "/proc"
	}
	snap, err := sc.run(opts)
	if err != nil {
		return nil, fmt.Errorf("inspect lab with init %d: %w", opts.InitPID, err)
	}
	return snap, nil
}

// proc is one lab process as read from procfs, before translation.
type proc struct {
	real    int // real-machine PID
	st      procStatus
	ns      [8]uint64 // inodes, in nsstate.Types order
	cmdline []string
	cgroup  string // the chosen line's path, as the real machine sees it
}

func (p *proc) labPID(level int) int { return p.st.NSpid[level] }

// scan is the state of one Snapshot call.
type scan struct {
	procfs string
	sp     *spend
	r      fileReader
	nlBuf  []byte // netlink dumps' receive buffer
	link   [128]byte
	tree   nsTree
	level  int // the lab host's PID namespace level: index into NSpid
	init   int
	// cgroupHier and cgroupRoot are the init's chosen /proc/PID/cgroup line:
	// the lab host's cgroup namespace is taken to be rooted there.
	cgroupHier string
	cgroupRoot string
	procs      []*proc
	byReal     map[int]*proc
	// realUID and realGID are user namespaces' maps as the real machine
	// reads them: inside IDs of the namespace, outside IDs of the machine.
	realUID, realGID map[uint64]nsstate.IDMap
	// nsfsDev is the device of nsfs, learnt when a descriptor needs it.
	nsfsDev uint64
	// nsfsTypes holds the type of each nsfs inode nsfsAt has asked, so
	// that a lab's thousands of descriptors of one namespace cost one
	// open and one ioctl, not one each (BenchmarkSnapshotPinnedFDs).
	nsfsTypes map[uint64]nsstate.NSType
	// pinsKept counts the pins kept so far for each namespace (keepPin).
	pinsKept map[nsKey]int
	// dirent is the buffer /proc/PID/fd is listed into, for every process.
	dirent []byte
}

func (sc *scan) path(pid int, name string) string {
	return sc.procfs + "/" + strconv.Itoa(pid) + "/" + name
}

func (sc *scan) run(opts Options) (*nsstate.Snapshot, error) {
	sc.init = opts.InitPID
	sc.tree = nsTree{nodes: map[nsKey]*nsNode{}, host: map[nsstate.NSType]uint64{}}
	if err := sc.readInit(); err != nil {
		return nil, err
	}
	pids := opts.PIDs
	if pids == nil {
		var err error
		if pids, err = sc.allPIDs(); err != nil {
			return nil, err
		}
	}
	sc.byReal = make(map[int]*proc, len(pids))
	for _, pid := range append([]int{sc.init}, pids...) {
		if sc.byReal[pid] != nil {
			continue
		}
		if pid != sc.init && !sc.processFits() {
			break
		}
		p, err := sc.readProc(pid)
		if pid != sc.init && (errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM)) {
			// A process in the middle of execve or exit may refuse
			// reads for a moment; it shows in the next snapshot.
			continue
		}
		if gone(err) {
			if pid == sc.init {
				return nil, fmt.Errorf("the lab's init ended: %w", err)
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("process %d: %w", pid, err)
		}
		if p == nil {
			continue
		}
		// The init always: the lab host's namespaces are its.
		if !sc.sp.fits(processJSON(p), "processes") && pid != sc.init {
			break
		}
		sc.sp.procs++
		sc.byReal[pid] = p
		sc.procs = append(sc.procs, p)
	}
	if sc.byReal[sc.init] == nil {
		return nil, fmt.Errorf("the lab's init %d is not in its own PID namespace", sc.init)
	}
	sort.Slice(sc.procs, func(i, j int) bool { return sc.procs[i].labPID(sc.level) < sc.procs[j].labPID(sc.level) })

	keys, err := sc.namespaces()
	if err != nil {
		return nil, err
	}
	snap := nsstate.New("live")
	for _, t := range nsstate.Types {
		snap.Host[t] = nsKey{t, sc.tree.host[t]}.id()
	}
	byKey := map[nsKey]*nsstate.Namespace{}
	snap.Namespaces = make([]nsstate.Namespace, 0, len(keys))
	for _, k := range keys {
		snap.Namespaces = append(snap.Namespaces, sc.describe(k))
	}
	for i := range snap.Namespaces {
		n := &snap.Namespaces[i]
		byKey[nsKey{n.Type, n.Inode}] = n
	}
	if err := sc.details(keys, byKey); err != nil {
		return nil, err
	}
	if err := sc.pinned(snap, byKey); err != nil {
		return nil, err
	}
	snap.Processes = make([]nsstate.Process, 0, len(sc.procs))
	for _, p := range sc.procs {
		snap.Processes = append(snap.Processes, sc.translate(p))
	}
	snap.Sort()
	snap.Truncated = sc.sp.truncation()
	return snap, nil
}

// processFits reports whether another process may be read, noting why
// not when it may not.
func (sc *scan) processFits() bool {
	if sc.sp.procs >= sc.sp.b.Processes {
		sc.sp.note(fmt.Sprintf("processes: at most %d", sc.sp.b.Processes))
		return false
	}
	return sc.sp.readLeft("processes")
}

// readInit learns the lab host's PID level, namespaces and cgroup root
// from its init.
func (sc *scan) readInit() error {
	b, err := sc.r.read(sc.path(sc.init, "status"))
	if err != nil {
		return fmt.Errorf("the lab's init: %w", err)
	}
	st, err := parseStatus(b)
	if err != nil {
		return fmt.Errorf("the lab's init: %w", err)
	}
	sc.level = len(st.NSpid) - 1
	for _, t := range nsstate.Types {
		ino, err := readNSLink(unix.AT_FDCWD, sc.path(sc.init, "ns/"+string(t)), sc.link[:])
		if err != nil {
			return fmt.Errorf("the lab's init: %w", err)
		}
		sc.tree.host[t] = ino
	}
	b, err = sc.r.read(sc.path(sc.init, "cgroup"))
	if err != nil {
		return fmt.Errorf("the lab's init: %w", err)
	}
	lines, err := parseCgroup(b)
	if err != nil {
		return fmt.Errorf("the lab's init: %w", err)
	}
	if l, ok := pickCgroup(lines); ok {
		sc.cgroupHier, sc.cgroupRoot = l.Hierarchy, l.Path
	}
	return nil
}

// allPIDs lists the processes of the real machine.
func (sc *scan) allPIDs() ([]int, error) {
	ents, err := os.ReadDir(sc.procfs)
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	pids := make([]int, 0, len(ents))
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil && n > 0 {
			pids = append(pids, n)
		}
	}
	return pids, nil
}

// readProc reads one process. It returns nil, nil for a process outside
// the lab, and an error for which gone holds when the process ended.
func (sc *scan) readProc(pid int) (*proc, error) {
	// Every read goes through one fd of /proc/PID: it is cheaper than
	// resolving the path each time, and should the process end and its
	// PID be reused meanwhile, reads fail (ESRCH) instead of describing
	// the newcomer.
	dir, err := unix.Open(sc.path(pid, ""), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", sc.path(pid, ""), err)
	}
	defer unix.Close(dir)
	p := &proc{real: pid}
	// The PID namespace first: it alone decides whether the process
	// belongs to the lab, and a readlink is the cheapest read.
	pidIdx := typeIndex[nsstate.NSPID]
	ino, err := readNSLink(dir, nsPath[pidIdx], sc.link[:])
	if pid != sc.init && (errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM)) {
		// A process the server may not inspect (ptrace access mode
		// rules) is none of the lab's: the server made every lab process.
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.ns[pidIdx] = ino
	k := nsKey{nsstate.NSPID, ino}
	if n := sc.tree.nodes[k]; n == nil || !n.parented {
		fd, err := unix.Openat(dir, nsPath[pidIdx], unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, fmt.Errorf("open ns/pid: %w", err)
		}
		err = sc.tree.walkParents(k, fd)
		unix.Close(fd)
		if err != nil {
			return nil, err
		}
	}
	if !sc.tree.inLab(k) {
		return nil, nil
	}
	b, _, err := sc.r.readShot(dir, "status", maxProcFile)
	if err != nil {
		return nil, err
	}
	if p.st, err = parseStatus(b); err != nil {
		return nil, err
	}
	if slices.Contains(p.st.NSpid, 0) {
		// A process being reaped has left its PID namespaces.
		return nil, errEnded
	}
	if len(p.st.NSpid) <= sc.level {
		return nil, nil
	}
	for i := range nsstate.Types {
		if i == pidIdx {
			continue
		}
		// A zombie has no namespaces but pid and user left: ENOENT, and
		// it is left out like a process that ended.
		if p.ns[i], err = readNSLink(dir, nsPath[i], sc.link[:]); err != nil {
			return nil, err
		}
	}
	if b, _, err = sc.r.readShot(dir, "cmdline", maxCmdline); err != nil {
		return nil, err
	}
	p.cmdline = sc.sp.clipCmdline(splitCmdline(b))
	if b, _, err = sc.r.readShot(dir, "cgroup", maxProcFile); err != nil {
		return nil, err
	}
	lines, err := parseCgroup(b)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		if l.Hierarchy == sc.cgroupHier {
			p.cgroup = sc.sp.clip(relativeCgroup(l.Path, sc.cgroupRoot))
		}
	}
	return p, nil
}

// nsPath holds "ns/TYPE" in nsstate.Types order.
var nsPath = func() []string {
	out := make([]string, len(nsstate.Types))
	for i, t := range nsstate.Types {
		out[i] = "ns/" + string(t)
	}
	return out
}()

var typeIndex = func() map[nsstate.NSType]int {
	m := map[nsstate.NSType]int{}
	for i, t := range nsstate.Types {
		m[t] = i
	}
	return m
}()

// splitCmdline splits /proc/PID/cmdline at its NULs.
func splitCmdline(b []byte) []string {
	b = bytes.TrimSuffix(b, []byte{0})
	if len(b) == 0 {
		return []string{}
	}
	return strings.Split(string(b), "\x00")
}

// translate turns a proc into the lab host's view.
func (sc *scan) translate(p *proc) nsstate.Process {
	out := nsstate.Process{
		PID:     p.labPID(sc.level),
		NSpid:   append([]int(nil), p.st.NSpid[sc.level:]...),
		Comm:    p.st.Name,
		Cmdline: p.cmdline,
		State:   p.st.State,
		Cgroup:  p.cgroup,
		NS:      make(map[nsstate.NSType]string, len(nsstate.Types)),
	}
	if p.real != sc.init {
		out.PPID = sc.labPPID(p.st.PPid)
	}
	hostUser := sc.tree.host[nsstate.NSUser]
	own := p.ns[typeIndex[nsstate.NSUser]]
	out.UID = downOrOverflow(sc.realUID[hostUser], p.st.UID)
	out.GID = downOrOverflow(sc.realGID[hostUser], p.st.GID)
	out.NSUID = downOrOverflow(sc.realUID[own], p.st.UID)
	out.NSGID = downOrOverflow(sc.realGID[own], p.st.GID)
	for i, t := range nsstate.Types {
		out.NS[t] = nsKey{t, p.ns[i]}.id()
	}
	return out
}

// labPPID translates a real-machine parent PID into the lab host's view:
// 0 when the parent is outside the lab host's PID namespace, as getppid(2)
// answers there.
func (sc *scan) labPPID(real int) int {
	if real == 0 {
		return 0
	}
	if p := sc.byReal[real]; p != nil {
		return p.labPID(sc.level)
	}
	b, err := sc.r.read(sc.path(real, "status"))
	if err != nil {
		return 0
	}
	st, err := parseStatus(b)
	if err != nil || len(st.NSpid) <= sc.level {
		return 0
	}
	return st.NSpid[sc.level]
}
