//go:build linux

package nsengine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// ErrLabEnded is returned for work on a lab that has ended.
var ErrLabEnded = errors.New("lab has ended")

// labCloneFlags are the namespaces every lab host has of its own.
const labCloneFlags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWPID | syscall.CLONE_NEWNS |
	syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWNET |
	syscall.CLONE_NEWCGROUP | syscall.CLONE_NEWTIME

// maxBadMessages is how many bad control messages end a lab: unreadable
// ones, and readable ones that answer nothing the engine asked (an
// unknown op, a reply to no request, the exit of no process it started).
// The engine's init sends none; a lab's root that took init's socket
// (ptrace, pidfd_getfd) could otherwise make the server read and decode
// 64 KiB messages as fast as it can write them, a core of the server's
// CPU for half a core of the lab's.
const maxBadMessages = 8

// readyTimeout bounds how long init may take to set up a lab when the
// caller's context has no deadline.
const readyTimeout = 30 * time.Second

// Lab is one live lab host. Its methods are safe for concurrent use.
type Lab struct {
	eng    *Engine
	id     string
	slot   *slotLock
	idBase uint32
	cg     *labCgroup
	cmd    *exec.Cmd // the lab's anchor (see labanchor.go), init's parent
	ctl    *net.UnixConn
	stderr *initStderr
	// initPID is the real machine's PID of the lab's init.
	initPID int

	// anchorCtl is the engine's end of the anchor's socket for check
	// requests (see labcheck.go), one at a time under anchorMu.
	anchorMu   sync.Mutex
	anchorCtl  *net.UnixConn
	anchorRcv  *receiver
	anchorNext uint64

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan startReply
	procs   map[int]*Proc
	ended   bool
	initFD  int // pidfd of init, -1 until known and after the end
	budget  *mountBudget

	done        chan struct{}
	closeOnce   sync.Once
	teardownErr error
	forgotten   bool // guarded by eng.mu

	changes chan struct{} // see Changes
}

// startReply is init's answer to a start request.
type startReply struct {
	m     message
	files []*os.File
	proc  *Proc
}

// spawn makes a lab: slot, init in namespaces, cgroup, go, ready. The
// cgroup is made while init's runtime starts up; init does nothing of the
// lab's before go.
func (e *Engine) spawn(ctx context.Context) (_ *Lab, err error) {
	slot, err := e.ids.acquire()
	if err != nil {
		return nil, err
	}
	cg := e.cgrp.lab(slot.slot)
	ctl, initEnd, err := socketPair()
	if err != nil {
		slot.release()
		return nil, err
	}
	anchorCtl, anchorEnd, err := socketPair()
	if err != nil {
		ctl.Close()
		initEnd.Close()
		slot.release()
		return nil, err
	}
	stderr, stderrW, err := newInitStderr()
	if err != nil {
		ctl.Close()
		initEnd.Close()
		anchorCtl.Close()
		anchorEnd.Close()
		slot.release()
		return nil, err
	}
	base := e.ids.idBase(slot.slot)
	idMap := []syscall.SysProcIDMap{{ContainerID: 0, HostID: int(base), Size: idRangeSize}}
	cmd := &exec.Cmd{
		// Through the engine's open fd of its own binary: the lab's root
		// may not search the folders on the binary's path.
		Path: "/proc/self/fd/" + strconv.Itoa(exeFD),
		// The anchor makes the lab's outer user namespace and starts init
		// in the lab's own namespaces.
		Args: []string{anchorArg0},
		// init's own environment; the lab's processes get DefaultEnv.
		// One P keeps init's threads (which count against pids.max) few.
		Env:        []string{initEnv + "=" + initProtocol, "GOMAXPROCS=1", "GODEBUG=containermaxprocs=0,updatemaxprocs=0"},
		ExtraFiles: []*os.File{initEnd, e.exe, anchorEnd},
		Stderr:     stderrW,
		SysProcAttr: &syscall.SysProcAttr{
			Cloneflags:  syscall.CLONE_NEWUSER,
			UidMappings: idMap,
			// The lab's IDs, and the group lesson checks run as.
			GidMappings:                outerGidMap(base),
			GidMappingsEnableSetgroups: true,
			Pdeathsig:                  syscall.SIGKILL,
			// Become the lab's root: without it init keeps the server's
			// IDs, which the lab's user namespace does not map. The empty
			// group list drops the server's supplementary groups.
			Credential: &syscall.Credential{Uid: 0, Gid: 0},
		},
	}
	var startErr error
	onSpawnerThread(func() { startErr = startOwnedByLab(base, cmd.Start, e.log) })
	initEnd.Close()
	anchorEnd.Close()
	stderrW.Close()
	if startErr != nil {
		ctl.Close()
		anchorCtl.Close()
		stderr.r.Close()
		slot.release()
		return nil, fmt.Errorf("start init: %w", startErr)
	}
	l := &Lab{
		eng: e, id: "lab" + strconv.Itoa(slot.slot) + "-" + randomHex(4), slot: slot, idBase: base,
		cg: cg, cmd: cmd, ctl: ctl, stderr: stderr, anchorCtl: anchorCtl, anchorRcv: newReceiver(anchorCtl),
		pending: map[uint64]chan startReply{}, procs: map[int]*Proc{}, done: make(chan struct{}), initFD: -1,
		changes: make(chan struct{}, 1),
	}
	go stderr.collect(e.log, l.id)
	go l.waitInit()
	defer func() {
		if err != nil {
			l.Close()
		}
	}()
	if err := cg.create(e.cfg.Limits); err != nil {
		return nil, err
	}
	if l.initPID, err = awaitAnchor(ctx, ctl); err != nil {
		return nil, err
	}
	fd, err := openInit(cmd.Process.Pid, l.initPID)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.initFD = fd
	l.mu.Unlock()
	// The anchor stays in the server's cgroups: it is the engine's, no
	// process of the lab sees it, and in the lab's cgroups it would show
	// in a cgroup2 mount of the lab as a process from outside (PID 0) and
	// take tasks of the lab's share. It dies with the server like init.
	if err := cg.add(l.initPID); err != nil {
		return nil, err
	}
	e.watchLab(l)
	if err := cg.reserveInitTasks(e.cfg.Limits.Pids, initTasksDuringSetup); err != nil {
		return nil, err
	}
	// The lab's root is built from the engine's locked binds (a RootFS's
	// entries or the host's system folders), never from the originals.
	setup := &labSetup{RootFS: e.binds.dir, TmpfsBytes: e.cfg.Limits.TmpfsBytes, Hostname: labHostname}
	devpts, err := newLabDevpts(base)
	if err != nil {
		return nil, err
	}
	err = send(ctl, message{Op: opGo, Setup: setup}, int(devpts.Fd()))
	devpts.Close() // init has its own; the mount goes when both are closed or it is attached
	if err != nil {
		return nil, fmt.Errorf("go: %w", err)
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(readyTimeout)
	}
	ctl.SetReadDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { ctl.SetReadDeadline(time.Now()) })
	rcv := newReceiver(ctl)
	m, files, err := rcv.receive()
	for n := 0; err == nil && m.Op == opIdmap; n++ {
		if n >= maxIdmapRequests {
			closeFiles(files)
			files, err = nil, errors.New("idmap: too many requests")
			break
		}
		err = e.serveIdmap(ctl, l.initPID, m, files)
		closeFiles(files)
		if err == nil {
			m, files, err = rcv.receive()
		} else {
			files = nil
		}
	}
	var budget *mountBudget
	if m.Op == opReady && err == nil && len(files) == 1 {
		budget, err = newMountBudget(files[0], l)
		files = nil
		l.mu.Lock()
		if l.ended && budget != nil { // teardown has run: it closed no listener
			budget.listener.Close()
			budget = nil
		}
		l.budget = budget
		l.mu.Unlock()
	}
	closeFiles(files)
	if !stop() {
		// The deadline may be set after any reset below: give up.
		return nil, fmt.Errorf("wait for init: %w", ctx.Err())
	}
	if err != nil {
		return nil, fmt.Errorf("wait for init: %w%s", err, stderr.said(time.Second))
	}
	if m.Op == opError {
		return nil, errors.New(m.Err)
	}
	if m.Op != opReady {
		return nil, fmt.Errorf("init said %q instead of ready", m.Op)
	}
	// The lab's processes get Limits.Pids tasks; init's, all made by now,
	// come on top (see initthreads.go).
	n, err := threadCount(l.initPID)
	if err == nil {
		err = cg.reserveInitTasks(e.cfg.Limits.Pids, n)
	}
	if err != nil {
		return nil, fmt.Errorf("reserve init's tasks: %w", err)
	}
	if budget == nil {
		return nil, errors.New("init sent no seccomp listener for the mount budget")
	}
	go budget.run()
	ctl.SetReadDeadline(time.Time{})
	go l.read()
	return l, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// waitInit waits for init to end, whatever ends it, and tears down.
func (l *Lab) waitInit() {
	l.cmd.Wait()
	l.teardown()
}

// read dispatches init's replies until the control socket closes. A lab
// whose control socket fails (or whose init sends an empty packet, which
// reads as the end) cannot be driven any more: it is ended.
func (l *Lab) read() {
	defer func() {
		if l.cmd != nil {
			l.kill()
		}
	}()
	r := newReceiver(l.ctl)
	bad := 0
	// badMessage counts one bad message and reports whether the lab must
	// end for it: the engine's init sends none, so someone in the lab is
	// playing init. A few are logged, then the lab ends.
	badMessage := func(err error) bool {
		bad++
		l.eng.log.Warn("bad message from lab init", "lab", l.id, "err", err)
		if bad >= maxBadMessages {
			l.eng.log.Warn("ending the lab: its init's control socket keeps sending bad messages", "lab", l.id, "bad_messages", bad, "last", err)
			return true
		}
		return false
	}
	for {
		m, files, err := r.receive()
		if errors.Is(err, errBadMessage) {
			if badMessage(err) {
				return
			}
			continue
		}
		if err != nil {
			return
		}
		if unmatched := l.dispatch(m, files); unmatched != nil && badMessage(unmatched) {
			return
		}
	}
}

// dispatch hands one message from init to whoever waits for it, and
// returns an error (errBadMessage) when nobody does.
func (l *Lab) dispatch(m message, files []*os.File) error {
	switch m.Op {
	case opStarted, opError:
		l.mu.Lock()
		ch := l.pending[m.ID]
		delete(l.pending, m.ID)
		var p *Proc
		if ch != nil && m.Op == opStarted {
			// Known before the next message, which may be its exit.
			p = &Proc{lab: l, pid: m.PID, done: make(chan struct{})}
			l.procs[m.PID] = p
		}
		l.mu.Unlock()
		if ch == nil {
			closeFiles(files)
			return fmt.Errorf("%w: %s for request %d, which is not waiting", errBadMessage, m.Op, m.ID)
		}
		ch <- startReply{m: m, files: files, proc: p}
	case opExit:
		closeFiles(files)
		l.mu.Lock()
		p := l.procs[m.PID]
		delete(l.procs, m.PID)
		l.mu.Unlock()
		if p == nil {
			return fmt.Errorf("%w: exit of process %d, which the engine did not start or has seen end", errBadMessage, m.PID)
		}
		p.finish(m.Status, nil)
	default:
		closeFiles(files)
		return fmt.Errorf("%w: unknown op %.40q", errBadMessage, m.Op)
	}
	return nil
}

// teardown runs once init has ended: the kernel has killed the rest of the
// lab's PID namespace with it. What is left to do is the engine's.
func (l *Lab) teardown() {
	l.ctl.Close()
	l.anchorCtl.Close()
	l.mu.Lock()
	l.ended = true
	if l.initFD >= 0 {
		unix.Close(l.initFD)
		l.initFD = -1
	}
	if l.budget != nil {
		l.budget.listener.Close()
	}
	procs := l.procs
	l.procs = map[int]*Proc{}
	l.mu.Unlock()
	for _, p := range procs {
		p.finish(-1, ErrLabEnded)
	}
	err := l.cg.destroy()
	if err != nil {
		l.eng.log.Error("lab teardown", "lab", l.id, "err", err)
	}
	l.eng.unwatchLab(l)
	l.slot.release()
	l.teardownErr = err
	l.eng.forget(l)
	l.eng.log.Info("lab ended", "lab", l.id)
	close(l.done)
}

// ID names the lab; it is unique among the engine's labs.
func (l *Lab) ID() string { return l.id }

// InitPID is the real machine's PID of the lab's init.
func (l *Lab) InitPID() int { return l.initPID }

// IDBase is the first of the lab's 65536 host user and group IDs: the lab's
// ID n is the real machine's IDBase()+n.
func (l *Lab) IDBase() uint32 { return l.idBase }

// PIDs lists the real machine's PIDs of all the lab's processes, init
// included, from the lab's cgroup.
func (l *Lab) PIDs() ([]int, error) {
	select {
	case <-l.done:
		return nil, ErrLabEnded
	default:
	}
	pids, err := l.cg.pids()
	// The anchor shares the lab's cgroups (its memory and tasks count
	// against the lab's limits) but is no process of the lab.
	return slices.DeleteFunc(pids, func(p int) bool { return p == l.cmd.Process.Pid }), err
}

// Done is closed when the lab has ended (its init died, or Close) and
// everything it used is released.
func (l *Lab) Done() <-chan struct{} { return l.done }

// Close ends the lab: it kills init, and with it every process of the lab,
// then removes its cgroups and frees its ID range. It may be called more
// than once and from any goroutine; each call waits for the end.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() {
		l.kill()
	})
	<-l.done
	return l.teardownErr
}
