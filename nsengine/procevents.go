//go:build linux

package nsengine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Process events: the kernel's process connector (NETLINK_CONNECTOR,
// CN_IDX_PROC) tells a listener of every fork, exec, exit, ID, session
// and name change on the machine. The engine holds one connector socket
// and routes each event to the lab whose process it concerns, so that a
// lab's views follow its processes within milliseconds instead of a
// timer's period, and an idle lab costs nothing.
//
// Routing is by thread group: the engine knows, for each lab, the real
// machine's PIDs of its processes (its anchor, init and everything they
// start). A fork event of a known parent makes the child known; one of an
// unknown parent forgets the child's PID, so a PID the kernel reuses for
// another lab's or the machine's process never routes to the lab that had
// it. Nothing of an event reaches a lab but "something of yours changed":
// the lab's own snapshot is what it sees, so the connector, which sees the
// whole machine, leaks neither data nor timing of other labs.
//
// Listening needs root in the initial user and PID namespaces (the kernel
// ignores a listener elsewhere). Where it is missing, or the connector
// sends nothing (a kernel without it), labs have no events and their
// watchers read their state on a timer (Lab.Changes returns nil).

// Connector constants from linux/connector.h and linux/cn_proc.h.
const (
	cnIdxProc = 1
	cnValProc = 1

	procCnMcastListen = 1

	procEventFork = 0x00000001
	procEventExec = 0x00000002
	procEventUID  = 0x00000004
	procEventGID  = 0x00000040
	procEventSID  = 0x00000080
	procEventComm = 0x00000200
	procEventExit = 0x80000000

	// cnMsgLen is struct cn_msg without its payload; procEventHeader is
	// struct proc_event's what, cpu and timestamp_ns.
	cnMsgLen        = 20
	procEventHeader = 16
)

// procEventsRcvBuf bounds the events the kernel queues for the engine:
// about a thousand. More than that unread (a burst of forks on a loaded
// machine) and the kernel drops events and says ENOBUFS; the engine then
// re-reads every lab's processes from its cgroup and tells every lab
// that it changed (resync).
const procEventsRcvBuf = 1 << 20

// maxRecentExits bounds the exited processes remembered for an exec
// that follows (see procEvents.exited).
const maxRecentExits = 1024

// procEventsProbeTimeout bounds the wait for the connector's answer to
// the engine's own probe event.
const procEventsProbeTimeout = 2 * time.Second

// procEvents is the engine's connector socket and the map from the real
// machine's process IDs to labs.
type procEvents struct {
	f   *os.File
	log *slog.Logger

	mu    sync.Mutex
	owner map[uint32]*Lab // thread-group ID → lab
	// exited remembers the labs of thread-group leaders that exited,
	// newest last in exitOrder: when a thread other than the leader
	// execs, the kernel reports the leader's exit and then an exec under
	// the leader's ID (de_thread), and the process lives on.
	exited    map[uint32]*Lab
	exitOrder []uint32
	labs      map[*Lab]struct{}

	// probeTID is the thread whose comm event proves the connector works,
	// 0 once it has.
	probeTID atomic.Int32
	probed   chan struct{}

	// Counts for tests and benchmarks.
	events    atomic.Uint64 // events read
	routed    atomic.Uint64 // events that concerned a lab
	overflows atomic.Uint64 // ENOBUFS: events lost, every lab resynced
}

// errNoProcEvents says why a machine gives no process events.
var errNoProcEvents = errors.New("no process events")

// startProcEvents opens the connector, subscribes, and proves that events
// arrive by causing one (a comm event of its own thread). It returns an
// error saying why when events are unavailable.
func startProcEvents(log *slog.Logger) (*procEvents, error) {
	if why := procEventsUnavailable(); why != "" {
		return nil, fmt.Errorf("%w: %s", errNoProcEvents, why)
	}
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_CONNECTOR)
	if err != nil {
		return nil, fmt.Errorf("%w: connector socket: %v", errNoProcEvents, err)
	}
	fail := func(what string, err error) (*procEvents, error) {
		unix.Close(fd)
		return nil, fmt.Errorf("%w: connector %s: %v", errNoProcEvents, what, err)
	}
	// Bounded: root may raise it past net.core.rmem_max, and no further.
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, procEventsRcvBuf); err != nil {
		return fail("receive buffer", err)
	}
	if err := attachProcEventFilter(fd); err != nil {
		return fail("filter", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: cnIdxProc}); err != nil {
		return fail("bind", err)
	}
	if err := unix.Sendto(fd, listenMessage(), 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return fail("listen", err)
	}
	pe := &procEvents{
		f: os.NewFile(uintptr(fd), "proc-connector"), log: log,
		owner: map[uint32]*Lab{}, exited: map[uint32]*Lab{}, labs: map[*Lab]struct{}{},
		probed: make(chan struct{}),
	}
	go pe.run()
	if err := pe.probe(); err != nil {
		pe.close()
		return nil, fmt.Errorf("%w: %v", errNoProcEvents, err)
	}
	return pe, nil
}

// procEventsUnavailable says why this process cannot listen to the
// connector, "" when it may.
func procEventsUnavailable() string {
	if os.Geteuid() != 0 {
		return "the server is not root"
	}
	// The initial user namespace maps every ID to itself.
	b, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return fmt.Sprintf("read uid_map: %v", err)
	}
	if f := strings.Fields(string(b)); len(f) != 3 || f[0] != "0" || f[1] != "0" || f[2] != "4294967295" {
		return "the server is not in the machine's initial user namespace"
	}
	return ""
}

// attachProcEventFilter makes the kernel drop, before they are queued,
// the events no lab's state depends on: threads that start or end (a
// compiler or any Go program makes many), ptrace and coredump events. The
// connector sends every event of the machine to every listener, and on a
// busy machine most are threads; each one queued would cost the server a
// wakeup and a read.
func attachProcEventFilter(fd int) error {
	// Classic BPF loads words big-endian; the connector writes them in
	// the machine's order, so constants are compared as they load.
	be := func(v uint32) uint32 {
		var b [4]byte
		binary.NativeEndian.PutUint32(b[:], v)
		return binary.BigEndian.Uint32(b[:])
	}
	// Offsets in the datagram: the netlink header, struct cn_msg, then
	// struct proc_event (what, cpu, timestamp, then the event's data).
	const what = unix.NLMSG_HDRLEN + cnMsgLen
	const data = what + procEventHeader
	ld := func(off uint32) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: off}
	}
	jeq := func(v uint32, jt, jf uint8) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, K: be(v), Jt: jt, Jf: jf}
	}
	tax := unix.SockFilter{Code: unix.BPF_MISC | unix.BPF_TAX}
	jeqX := func(jt, jf uint8) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_X, Jt: jt, Jf: jf}
	}
	accept := unix.SockFilter{Code: unix.BPF_RET | unix.BPF_K, K: 0xffffffff}
	drop := unix.SockFilter{Code: unix.BPF_RET | unix.BPF_K, K: 0}
	// A jump's offsets count from the next instruction.
	prog := []unix.SockFilter{
		/* 0 */ ld(what),
		/* 1 */ jeq(procEventFork, 8, 0), // to 10
		/* 2 */ jeq(procEventExit, 11, 0), // to 14
		/* 3 */ jeq(procEventExec, 5, 0),
		/* 4 */ jeq(procEventUID, 4, 0),
		/* 5 */ jeq(procEventGID, 3, 0),
		/* 6 */ jeq(procEventSID, 2, 0),
		/* 7 */ jeq(procEventComm, 1, 0),
		/* 8 */ drop,
		/* 9 */ accept,
		// fork: a process, not a thread, when child_pid == child_tgid.
		/* 10 */ ld(data + 8),
		/* 11 */ tax,
		/* 12 */ ld(data + 12),
		/* 13 */ jeqX(4, 5), // accept (18), else drop (19)
		// exit: a process when process_pid == process_tgid.
		/* 14 */ ld(data),
		/* 15 */ tax,
		/* 16 */ ld(data + 4),
		/* 17 */ jeqX(0, 1),
		/* 18 */ accept,
		/* 19 */ drop,
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	return unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog)
}

// listenMessage is the netlink message that subscribes to process events.
func listenMessage() []byte {
	b := make([]byte, unix.NLMSG_HDRLEN+cnMsgLen+4)
	ne := binary.NativeEndian
	ne.PutUint32(b[0:], uint32(len(b)))
	ne.PutUint16(b[4:], unix.NLMSG_DONE)
	ne.PutUint32(b[12:], uint32(os.Getpid()))
	c := b[unix.NLMSG_HDRLEN:]
	ne.PutUint32(c[0:], cnIdxProc)
	ne.PutUint32(c[4:], cnValProc)
	ne.PutUint16(c[16:], 4)
	ne.PutUint32(c[cnMsgLen:], procCnMcastListen)
	return b
}

// probe renames its own thread to its own name, which the connector
// reports as a comm event: the kernel accepts a subscription it then
// ignores (outside the initial namespaces, or with the connector
// compiled out), so only an event proves that events come.
func (pe *procEvents) probe() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// The name as the kernel keeps it: at most 15 bytes and a NUL.
	var name [16]byte
	if err := unix.Prctl(unix.PR_GET_NAME, uintptr(unsafe.Pointer(&name[0])), 0, 0, 0); err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	pe.probeTID.Store(int32(unix.Gettid()))
	for try := 0; try < 4; try++ {
		if err := unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(&name[0])), 0, 0, 0); err != nil {
			return fmt.Errorf("probe: %w", err)
		}
		select {
		case <-pe.probed:
			return nil
		case <-time.After(procEventsProbeTimeout / 4):
		}
	}
	return errors.New("the process connector sent no event (refused, or not in this kernel)")
}

// run reads events until the socket closes.
func (pe *procEvents) run() {
	rc, err := pe.f.SyscallConn()
	if err != nil {
		pe.log.Error("process events", "err", err)
		return
	}
	buf := make([]byte, 64<<10)
	for {
		var n int
		var rerr error
		err := rc.Read(func(fd uintptr) bool {
			n, _, rerr = unix.Recvfrom(int(fd), buf, 0)
			return rerr != unix.EAGAIN
		})
		switch {
		case err != nil:
			return // closed
		case rerr == unix.ENOBUFS:
			pe.overflows.Add(1)
			pe.resync()
			continue
		case rerr != nil:
			pe.log.Error("process events", "err", rerr)
			return
		}
		pe.handle(buf[:n])
	}
}

// handle routes the events of one datagram.
func (pe *procEvents) handle(b []byte) {
	msgs, err := syscall.ParseNetlinkMessage(b)
	if err != nil {
		return
	}
	for _, m := range msgs {
		if m.Header.Type != unix.NLMSG_DONE || len(m.Data) < cnMsgLen+procEventHeader {
			continue
		}
		ne := binary.NativeEndian
		if ne.Uint32(m.Data[0:]) != cnIdxProc || ne.Uint32(m.Data[4:]) != cnValProc {
			continue
		}
		ev := m.Data[cnMsgLen:]
		pe.events.Add(1)
		pe.route(ne.Uint32(ev[0:]), ev[procEventHeader:])
	}
}

// route hands one event to the lab it concerns, if any. d is the event's
// data, whose layout depends on what.
func (pe *procEvents) route(what uint32, d []byte) {
	ne := binary.NativeEndian
	u32 := func(i int) uint32 {
		if len(d) < 4*i+4 {
			return 0
		}
		return ne.Uint32(d[4*i:])
	}
	var l *Lab
	pe.mu.Lock()
	switch what {
	case procEventFork:
		parentTgid, child, childTgid := u32(1), u32(2), u32(3)
		if child != childTgid {
			break // a new thread: no new process
		}
		// The child's PID is now this process's, whoever had it before.
		delete(pe.exited, child)
		if l = pe.owner[parentTgid]; l != nil {
			pe.owner[child] = l
		} else {
			delete(pe.owner, child)
		}
	case procEventExec:
		tgid := u32(1)
		if l = pe.owner[tgid]; l == nil {
			if l = pe.exited[tgid]; l != nil {
				pe.owner[tgid] = l
				delete(pe.exited, tgid)
			}
		}
	case procEventUID, procEventGID, procEventSID:
		l = pe.owner[u32(1)]
	case procEventComm:
		pid, tgid := u32(0), u32(1)
		if int32(pid) == pe.probeTID.Load() {
			pe.probeTID.Store(0)
			close(pe.probed)
		}
		l = pe.owner[tgid]
	case procEventExit:
		pid, tgid := u32(0), u32(1)
		if pid != tgid {
			break // a thread: the process lives on
		}
		if l = pe.owner[tgid]; l != nil {
			delete(pe.owner, tgid)
			pe.rememberExit(tgid, l)
		}
	}
	pe.mu.Unlock()
	if l != nil {
		pe.routed.Add(1)
		l.changed()
	}
}

// rememberExit keeps tgid's lab for an exec that may follow, forgetting
// the oldest beyond maxRecentExits. Called with pe.mu held.
func (pe *procEvents) rememberExit(tgid uint32, l *Lab) {
	pe.exited[tgid] = l
	pe.exitOrder = append(pe.exitOrder, tgid)
	for len(pe.exitOrder) > maxRecentExits {
		old := pe.exitOrder[0]
		pe.exitOrder = pe.exitOrder[1:]
		if _, again := pe.exited[old]; again && !contains(pe.exitOrder, old) {
			delete(pe.exited, old)
		}
	}
}

func contains(s []uint32, v uint32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// add starts routing the events of pids (the lab's anchor and init) to l.
// Whatever they start from then on is l's too.
func (pe *procEvents) add(l *Lab, pids ...int) {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	pe.labs[l] = struct{}{}
	for _, p := range pids {
		pe.owner[uint32(p)] = l
	}
}

// remove forgets l and its processes.
func (pe *procEvents) remove(l *Lab) {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	delete(pe.labs, l)
	for p, o := range pe.owner {
		if o == l {
			delete(pe.owner, p)
		}
	}
	for p, o := range pe.exited {
		if o == l {
			delete(pe.exited, p)
		}
	}
}

// resync rebuilds the map after lost events: every lab's processes are
// those of its cgroup (and its anchor), read while no event is routed, so
// that events queued meanwhile apply on top of what was read. Every lab
// is told it changed, since what it lost is unknown.
func (pe *procEvents) resync() {
	pe.mu.Lock()
	labs := make([]*Lab, 0, len(pe.labs))
	for l := range pe.labs {
		labs = append(labs, l)
	}
	clear(pe.owner)
	clear(pe.exited)
	pe.exitOrder = pe.exitOrder[:0]
	for _, l := range labs {
		pe.owner[uint32(l.cmd.Process.Pid)] = l
		pids, err := l.cg.pids()
		if err != nil {
			continue // the lab is ending
		}
		for _, p := range pids {
			pe.owner[uint32(p)] = l
		}
	}
	pe.mu.Unlock()
	pe.log.Warn("process events lost (the kernel's queue overflowed): every lab re-read", "labs", len(labs))
	for _, l := range labs {
		l.changed()
	}
}

func (pe *procEvents) close() { pe.f.Close() }

// changed tells the lab's watcher that its state may have changed. It
// never blocks: one pending notice stands for any number of changes.
func (l *Lab) changed() {
	select {
	case l.changes <- struct{}{}:
	default:
	}
}

// Changes returns a channel that receives a value when the lab's state
// may have changed: one of its processes forked, exec'd, exited or
// changed its IDs, session or name, or one of its watched mount
// namespaces changed. A value stands for every change since the last was
// received; one reader should receive them. It returns nil when the
// engine has no process events (see ProcEvents): the lab's state must
// then be read on a timer.
func (l *Lab) Changes() <-chan struct{} {
	if l.eng.events == nil {
		return nil
	}
	return l.changes
}

// EventsCover reports whether Changes reports every change it can: false
// without process events, and while the lab has more mount namespaces
// than the engine watches (maxWatchedMountNS), whose mounts by
// long-running processes only a timer sees.
func (l *Lab) EventsCover() bool {
	return l.eng.events != nil && l.eng.mounts.covered(l)
}

// Follow tells the engine that someone reads the lab's state when
// Changes says so, until stop is called: only then does the engine watch
// the lab's mount namespaces (each watch is a descriptor the server
// holds). Process events need nothing per lab.
func (l *Lab) Follow() (stop func()) {
	if l.eng.mounts == nil {
		return func() {}
	}
	l.eng.mounts.follow(l, true)
	var once sync.Once
	return func() { once.Do(func() { l.eng.mounts.follow(l, false) }) }
}

// ProcEvents reports whether the engine's labs have process events, and
// if not, why.
func (e *Engine) ProcEvents() (bool, string) {
	return e.events != nil, e.noEvents
}

// watchLab starts routing events of the lab's anchor and init, and what
// they start, to l.
func (e *Engine) watchLab(l *Lab) {
	if e.events == nil {
		return
	}
	e.mounts.add(l)
	e.events.add(l, l.cmd.Process.Pid, l.initPID)
}

// unwatchLab stops routing events to l.
func (e *Engine) unwatchLab(l *Lab) {
	if e.events == nil {
		return
	}
	e.events.remove(l)
	e.mounts.remove(l)
}

// startEvents starts the engine's process events and mount watch, or
// says why labs go without.
func (e *Engine) startEvents() {
	if e.cfg.NoProcEvents {
		e.noEvents = "turned off (Config.NoProcEvents)"
		return
	}
	pe, err := startProcEvents(e.log)
	if err != nil {
		e.noEvents = err.Error()
		e.log.Warn("labs' state is read on a timer", "why", err)
		return
	}
	mw, err := newMountWatch()
	if err != nil {
		pe.close()
		e.noEvents = err.Error()
		e.log.Warn("labs' state is read on a timer", "why", err)
		return
	}
	e.events, e.mounts = pe, mw
}

// stopEvents closes what startEvents opened.
func (e *Engine) stopEvents() {
	if e.events == nil {
		return
	}
	e.events.close()
	e.mounts.close()
}
