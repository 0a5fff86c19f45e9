//go:build linux

package inspect

import (
	"fmt"
	"runtime"

	"github.com/nslab/nslab/nsstate"
	"golang.org/x/sys/unix"
)

// Some state is shown by the kernel only to a process inside the namespace:
// uname(2) answers for the caller's UTS namespace, /proc/sysvipc/* for the
// opener's IPC namespace, and a netlink socket talks to the network
// namespace its creator was in. setns(2) into these three types is allowed
// for one thread of a multithreaded process, so the inspector does that
// work on a locked thread of its own.

// enterJob is work to run while the thread is in one namespace.
type enterJob struct {
	key nsKey
	// members are real-machine PIDs of processes in the namespace; the
	// first one still alive lends its /proc/PID/ns link to setns.
	members []int
	// open, when set, opens the namespace for a job whose namespace has
	// no member (one only a pin holds); the caller closes the fd.
	open func() (int, error)
	do   func() error
}

var cloneFlag = map[nsstate.NSType]int{
	nsstate.NSUTS: unix.CLONE_NEWUTS,
	nsstate.NSIPC: unix.CLONE_NEWIPC,
	nsstate.NSNet: unix.CLONE_NEWNET,
}

// runInside runs the jobs, each inside its namespace, on one locked OS
// thread, and returns the thread to its own namespaces afterwards. Should
// that fail, the thread is never unlocked, so the Go runtime ends it with
// the goroutine instead of reusing a thread that sits in a lab's
// namespaces.
func runInside(procfs string, jobs []enterJob) error {
	if len(jobs) == 0 {
		return nil
	}
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		restored, err := inside(procfs, jobs)
		if restored {
			runtime.UnlockOSThread()
		}
		done <- err
	}()
	return <-done
}

// inside does the work of runInside on the locked thread. restored is
// false when the thread could not return to a namespace it left.
func inside(procfs string, jobs []enterJob) (restored bool, err error) {
	orig := map[nsstate.NSType]int{}
	defer func() {
		for _, fd := range orig {
			unix.Close(fd)
		}
	}()
	for _, j := range jobs {
		t := j.key.t
		if _, ok := cloneFlag[t]; !ok {
			return true, fmt.Errorf("enter %s: not a type a thread can enter", j.key.id())
		}
		if _, ok := orig[t]; ok {
			continue
		}
		p := procfs + "/thread-self/ns/" + string(t)
		fd, err := unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return true, fmt.Errorf("open %s: %w", p, err)
		}
		orig[t] = fd
	}
	left := map[nsstate.NSType]bool{}
	defer func() {
		for t := range left {
			if e := unix.Setns(orig[t], cloneFlag[t]); e != nil {
				restored = false
				if err == nil {
					err = fmt.Errorf("return to the server's %s namespace: %w", t, e)
				}
			}
		}
	}()
	for _, j := range jobs {
		entered, e := enter(procfs, j)
		if e != nil {
			return true, e
		}
		if !entered {
			continue // every member is gone, and the namespace with them
		}
		left[j.key.t] = true
		if e := j.do(); e != nil {
			return true, fmt.Errorf("inside %s: %w", j.key.id(), e)
		}
	}
	return true, nil
}

// enter moves the calling thread into the job's namespace through the ns
// link of its first living member. entered is false when all are gone.
func enter(procfs string, j enterJob) (entered bool, err error) {
	for _, pid := range j.members {
		fd, err := openNS(procfs, pid, j.key.t)
		if gone(err) {
			continue
		}
		if err != nil {
			return false, err
		}
		ino, err := fdInode(fd)
		if err == nil && ino != j.key.ino {
			unix.Close(fd) // the PID was reused by a process elsewhere
			continue
		}
		if err == nil {
			err = unix.Setns(fd, cloneFlag[j.key.t])
		}
		unix.Close(fd)
		if err != nil {
			return false, fmt.Errorf("setns %s: %w", j.key.id(), err)
		}
		return true, nil
	}
	if j.open != nil {
		fd, err := j.open()
		if err != nil {
			return false, nil // the pin went away, and the namespace with it
		}
		err = unix.Setns(fd, cloneFlag[j.key.t])
		unix.Close(fd)
		if err != nil {
			return false, fmt.Errorf("setns %s: %w", j.key.id(), err)
		}
		return true, nil
	}
	return false, nil
}
