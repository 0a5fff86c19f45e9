//go:build linux

package nsengine

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/nslab/nslab/nsstate"
	"golang.org/x/sys/unix"
)

// Mount changes: the kernel wakes a poller of /proc/PID/mountinfo with
// POLLPRI whenever a mount or unmount changes that mount namespace
// (proc(5)). The engine polls one such file per mount namespace of each
// lab, all in one epoll set, and tells the lab it changed. A mount made
// by a command that then exits is also seen by its exit event; this
// catches mounts that long-running processes make, and unmounts the
// kernel does by itself (a lazy unmount's end).
//
// A lab may make many mount namespaces (up to its namespace limit), so at
// most maxWatchedMountNS of each lab are watched; beyond, the lab's state
// is also read on a timer (Lab.EventsCover is false). The set follows
// each snapshot: namespaces the snapshot no longer shows are let go, new
// ones are watched through a member found among the lab's processes.
// A watched mountinfo holds its mount namespace until the next snapshot,
// which the event that ended the namespace's last process brings.

// maxWatchedMountNS is how many of one lab's mount namespaces are
// watched.
const maxWatchedMountNS = 16

// mountWatch is the engine's epoll set of mountinfo files.
type mountWatch struct {
	epfd int
	wake int // an eventfd: written to end run
	done chan struct{}

	mu   sync.Mutex
	byFD map[int32]*Lab
	labs map[*Lab]*labMounts
}

// labMounts is one lab's watched mount namespaces.
type labMounts struct {
	reconcile sync.Mutex // one reconcile of the lab at a time
	// Guarded by mountWatch.mu:
	fds       map[uint64]int32 // mount namespace inode → watched mountinfo
	seen      map[uint64]bool  // the namespaces of the last reconcile
	over      bool             // more mount namespaces than maxWatchedMountNS
	followers int              // Lab.Follow calls not stopped: watches only while > 0
}

func newMountWatch() (*mountWatch, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("mount watch: %w", err)
	}
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("mount watch: %w", err)
	}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wake, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wake)}); err != nil {
		unix.Close(epfd)
		unix.Close(wake)
		return nil, fmt.Errorf("mount watch: %w", err)
	}
	mw := &mountWatch{epfd: epfd, wake: wake, done: make(chan struct{}),
		byFD: map[int32]*Lab{}, labs: map[*Lab]*labMounts{}}
	go mw.run()
	return mw, nil
}

// run waits for mount events until close. One thread blocks in
// epoll_wait; nothing runs while no lab mounts anything.
func (mw *mountWatch) run() {
	defer close(mw.done)
	evs := make([]unix.EpollEvent, 64)
	for {
		n, err := unix.EpollWait(mw.epfd, evs, -1)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return
		}
		for _, ev := range evs[:n] {
			if ev.Fd == int32(mw.wake) {
				return
			}
			mw.mu.Lock()
			l := mw.byFD[ev.Fd]
			mw.mu.Unlock()
			if l != nil {
				l.changed()
			}
		}
	}
}

// add makes room for l's watches.
func (mw *mountWatch) add(l *Lab) {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	mw.labs[l] = &labMounts{fds: map[uint64]int32{}}
}

// remove lets go of every watch of l.
func (mw *mountWatch) remove(l *Lab) {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	lm := mw.labs[l]
	if lm == nil {
		return
	}
	delete(mw.labs, l)
	for ino, fd := range lm.fds {
		mw.unwatch(lm, ino, fd)
	}
}

// unwatch closes one watch. Called with mw.mu held.
func (mw *mountWatch) unwatch(lm *labMounts, ino uint64, fd int32) {
	unix.EpollCtl(mw.epfd, unix.EPOLL_CTL_DEL, int(fd), nil)
	unix.Close(int(fd))
	delete(mw.byFD, fd)
	delete(lm.fds, ino)
}

// follow counts one more follower of l's changes (on) or one less; the
// last to go lets go of l's watches, so that a lab nobody follows holds
// no descriptor of the server's.
func (mw *mountWatch) follow(l *Lab, on bool) {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	lm := mw.labs[l]
	if lm == nil {
		return
	}
	if on {
		lm.followers++
		return
	}
	lm.followers--
	if lm.followers == 0 {
		for ino, fd := range lm.fds {
			mw.unwatch(lm, ino, fd)
		}
		lm.seen, lm.over = nil, false
	}
}

// covered reports whether all of l's mount namespaces are watched.
func (mw *mountWatch) covered(l *Lab) bool {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	lm := mw.labs[l]
	return lm != nil && !lm.over
}

// reconcile makes l's watches follow snap, read from the lab's processes
// pids (the real machine's PIDs): it lets go of mount namespaces snap no
// longer has and watches new ones, up to maxWatchedMountNS.
func (mw *mountWatch) reconcile(l *Lab, snap *nsstate.Snapshot, pids []int) {
	mw.mu.Lock()
	lm := mw.labs[l]
	mw.mu.Unlock()
	if lm == nil {
		return
	}
	lm.reconcile.Lock()
	defer lm.reconcile.Unlock()
	want := map[uint64]bool{}
	for _, ns := range snap.Namespaces {
		if ns.Type == nsstate.NSMnt {
			want[ns.Inode] = true
		}
	}
	mw.mu.Lock()
	if lm.followers == 0 {
		mw.mu.Unlock()
		return
	}
	for ino, fd := range lm.fds {
		if !want[ino] {
			mw.unwatch(lm, ino, fd)
		}
	}
	lm.over = len(want) > maxWatchedMountNS
	same := len(want) == len(lm.seen)
	for ino := range want {
		same = same && lm.seen[ino]
	}
	lm.seen = want
	room := maxWatchedMountNS - len(lm.fds)
	missing := map[uint64]bool{}
	for ino := range want {
		if _, ok := lm.fds[ino]; !ok {
			missing[ino] = true
		}
	}
	mw.mu.Unlock()
	// A namespace no process is in (one pinned by a bind mount) has no
	// mountinfo to watch: look for members only when the set changed, so
	// that such a namespace costs no scan per snapshot.
	if same || len(missing) == 0 || room <= 0 {
		return
	}
	for _, pid := range pids {
		if len(missing) == 0 || room <= 0 {
			break
		}
		ino, fd, ok := openMountinfo(pid, missing)
		if !ok {
			continue
		}
		delete(missing, ino)
		mw.mu.Lock()
		if mw.labs[l] != lm || lm.followers == 0 { // removed or unfollowed meanwhile
			mw.mu.Unlock()
			unix.Close(fd)
			return
		}
		if err := unix.EpollCtl(mw.epfd, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLPRI, Fd: int32(fd)}); err != nil {
			unix.Close(fd)
		} else {
			lm.fds[ino] = int32(fd)
			mw.byFD[int32(fd)] = l
			room--
		}
		mw.mu.Unlock()
	}
}

// openMountinfo opens the mountinfo of the real machine's process pid
// when its mount namespace is one of want. It goes through a descriptor
// of the process's /proc folder, which refers to that process and no
// other: if it exited and its PID was reused meanwhile (by another lab's
// process), the reads fail instead of watching the other lab. It checks
// the namespace again once the file is open, since the process may have
// changed namespaces in between.
func openMountinfo(pid int, want map[uint64]bool) (uint64, int, bool) {
	dir, err := unix.Open("/proc/"+strconv.Itoa(pid), unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, -1, false
	}
	defer unix.Close(dir)
	mntIno := func() uint64 {
		var st unix.Stat_t
		if unix.Fstatat(dir, "ns/mnt", &st, 0) != nil {
			return 0
		}
		return st.Ino
	}
	ino := mntIno()
	if !want[ino] {
		return 0, -1, false
	}
	fd, err := unix.Openat(dir, "mountinfo", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, -1, false
	}
	if mntIno() != ino {
		unix.Close(fd)
		return 0, -1, false
	}
	return ino, fd, true
}

// close ends run and lets go of every watch.
func (mw *mountWatch) close() {
	unix.Write(mw.wake, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	<-mw.done
	mw.mu.Lock()
	for l, lm := range mw.labs {
		for ino, fd := range lm.fds {
			mw.unwatch(lm, ino, fd)
		}
		delete(mw.labs, l)
	}
	mw.mu.Unlock()
	unix.Close(mw.epfd)
	unix.Close(mw.wake)
}
