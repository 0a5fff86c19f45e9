//go:build linux

package nsengine

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A lab's root may call mount(2) as often as it likes, and every call with
// an option its file system does not know prints a line to the real
// machine's kernel log, unrated: the old mount API has no other place to
// put the message (the new one, fsopen and fsconfig, puts it in the
// caller's file system context). A shell loop printed 200 lines a second,
// pushing the machine's own messages out of its log.
//
// So the calls that may make a file system parse options and print go
// by a budget per lab: mount(2) but for bind mounts, moves and
// propagation changes (MS_BIND, MS_MOVE, MS_SHARED, MS_PRIVATE, MS_SLAVE,
// MS_UNBINDABLE, which parse no options), and fsconfig's commands that
// create or reconfigure a superblock, where a file system prints what it
// finds wrong. The lab's seccomp filter (seccompFilter) hands each such
// call to the engine as a user notification; the engine lets it run as
// it is (SECCOMP_USER_NOTIF_FLAG_CONTINUE) as soon as the lab's budget
// has a token. The decision reads nothing of the call's arguments in the
// lab's memory, so no thread of the lab can change them between a check
// and the call (the race seccomp_unotify(2) warns of): each call costs a
// token whatever it asks. A call past the budget waits, it does not fail,
// so a lesson's mounts all succeed, at worst more slowly.

// mountBudgetBurst and mountBudgetRate are the lab's budget: a burst for
// a lesson step's several mounts (unshare --mount-proc makes one; a
// container set up by hand a handful), then one a second. They bound the
// lines one lab can add to the kernel log to mountBudgetBurst plus one a
// second.
const (
	mountBudgetBurst = 32
	mountBudgetRate  = 1 // per second
)

// mountUnbudgetedFlags are mount(2) flags whose calls parse no options.
const mountUnbudgetedFlags = unix.MS_BIND | unix.MS_MOVE | unix.MS_SHARED | unix.MS_PRIVATE | unix.MS_SLAVE | unix.MS_UNBINDABLE

// fsconfigCmdCreate is FSCONFIG_CMD_CREATE; the commands from it on
// (RECONFIGURE, CREATE_EXCL) fill or change a superblock.
const fsconfigCmdCreate = 6

// Offsets into struct seccomp_data of the arguments the filter reads, the
// low 32 bits on a little-endian machine: mount's flags (args[3]; every
// flag of the old API is in the low half) and fsconfig's command (args[1],
// an unsigned int to the kernel).
const (
	mountFlagsOffset  = 16 + 8*3
	fsconfigCmdOffset = 16 + 8*1
)

// seccompNotif and seccompNotifResp are struct seccomp_notif and struct
// seccomp_notif_resp of <linux/seccomp.h>.
type seccompNotif struct {
	id    uint64
	pid   uint32
	flags uint32
	data  [64]byte // struct seccomp_data, not read
}

type seccompNotifResp struct {
	id    uint64
	val   int64
	error int32
	flags uint32
}

// mountBudget answers one lab's budgeted calls. It runs in the engine, on
// one goroutine per lab that sleeps in the runtime's poller between
// calls; it owns the listener and ends when the listener is closed (the
// lab's teardown) or has no lab process left.
type mountBudget struct {
	listener *os.File
	done     <-chan struct{}
	log      *slog.Logger
	lab      string
	tokens   float64
	last     time.Time
}

// newMountBudget takes over the listener init sent (and closes f). The
// poller takes a descriptor only if it is non-blocking when its File is
// made, so the budget gets a non-blocking copy of its own.
func newMountBudget(f *os.File, l *Lab) (*mountBudget, error) {
	defer f.Close()
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("mount budget: %w", err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("mount budget: %w", err)
	}
	nb := os.NewFile(uintptr(fd), "seccomp listener")
	return &mountBudget{listener: nb, done: l.done, log: l.eng.log, lab: l.id, tokens: mountBudgetBurst, last: time.Now()}, nil
}

// run answers calls until the listener is closed or the lab has ended.
func (b *mountBudget) run() {
	defer b.listener.Close()
	rc, err := b.listener.SyscallConn()
	if err != nil {
		return
	}
	for {
		var req seccompNotif
		var got bool
		var stop error
		err := rc.Read(func(fd uintptr) bool {
			// RECV blocks even on a non-blocking listener: ask first.
			p := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			if n, err := unix.Poll(p, 0); err != nil || n == 0 {
				return err != nil && err != unix.EINTR && setErr(&stop, err)
			}
			if p[0].Revents&unix.POLLIN == 0 {
				// POLLHUP: no process of the lab is left.
				return setErr(&stop, errLabGone)
			}
			req = seccompNotif{}
			_, _, e := unix.Syscall(unix.SYS_IOCTL, fd, unix.SECCOMP_IOCTL_NOTIF_RECV, uintptr(unsafe.Pointer(&req)))
			switch e {
			case 0:
				got = true
			case unix.ENOENT, unix.EINTR:
				// The caller was gone before we took its call.
			default:
				setErr(&stop, e)
			}
			return true
		})
		if err != nil || stop != nil {
			if stop != nil && stop != errLabGone {
				// Closing the listener makes the lab's budgeted calls
				// fail with ENOSYS rather than wait for ever.
				b.log.Warn("mount budget stopped: the lab's mounts that parse options now fail", "lab", b.lab, "err", stop)
			}
			return
		}
		if !got {
			continue
		}
		if !b.take() {
			return
		}
		resp := seccompNotifResp{id: req.id, flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}
		rc.Control(func(fd uintptr) {
			// ENOENT: the caller was killed while it waited.
			unix.Syscall(unix.SYS_IOCTL, fd, unix.SECCOMP_IOCTL_NOTIF_SEND, uintptr(unsafe.Pointer(&resp)))
		})
	}
}

var errLabGone = errors.New("no lab process left")

func setErr(dst *error, err error) bool {
	*dst = err
	return true
}

// take waits for a token; false if the lab ended meanwhile.
func (b *mountBudget) take() bool {
	for {
		now := time.Now()
		b.tokens = min(mountBudgetBurst, b.tokens+now.Sub(b.last).Seconds()*mountBudgetRate)
		b.last = now
		if b.tokens >= 1 {
			b.tokens--
			return true
		}
		wait := time.Duration((1 - b.tokens) / mountBudgetRate * float64(time.Second))
		select {
		case <-b.done:
			return false
		case <-time.After(wait):
		}
	}
}
