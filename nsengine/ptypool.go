//go:build linux

package nsengine

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// The machine has one pool of PTYs for all its devpts instances. The
// kernel counts every PTY open anywhere and refuses a new one when the
// count reaches kernel.pty.max, except that an instance made outside the
// machine's initial mount namespace is refused already at kernel.pty.max
// less kernel.pty.reserve (fs/devpts/inode.c, devpts_new_index). The
// reserve so keeps PTYs for the machine's own devpts and for every lab's,
// which the engine makes from the initial mount namespace (labdevpts.go);
// devpts instances that labs mount themselves (`unshare -m`, then
// `mount -t devpts -o newinstance`), as any container of the machine
// does, share the rest. Each PTY costs the machine about 30 KiB of kernel
// memory, of which a lab's memory cgroup is charged about 3.5 KiB: before
// the engine sized the pool, one lab held 32,000 PTYs in devpts instances
// of its own, 966 MiB of the machine's memory for 112 MiB of its limit.

// labMadeDevptsPTYs is what all devpts instances made outside the
// machine's initial mount namespace may hold together, the labs' own
// mounts included: kernel.pty.max less kernel.pty.reserve. It is the
// kernel's default kernel.pty.max, so the machine's containers keep at
// least the share a default kernel gives them, and it bounds what labs
// can take that way to about 120 MiB of the machine's memory. A lesson
// that mounts a devpts of its own needs a handful.
const labMadeDevptsPTYs = 4096

// machineOwnPTYs is what the reserve keeps for the machine's own
// terminals (its first devpts, ssh and consoles): the kernel's default
// kernel.pty.reserve.
const machineOwnPTYs = 1024

// ptyPoolLimit is the kernel's highest kernel.pty.max and
// kernel.pty.reserve (NR_UNIX98_PTY_MAX).
const ptyPoolLimit = 1 << 20

const (
	ptyMaxPath     = "/proc/sys/kernel/pty/max"
	ptyReservePath = "/proc/sys/kernel/pty/reserve"
)

// Fixed inode numbers of the initial namespaces (uapi linux/nsfs.h).
const (
	initPIDNamespaceInode = 0xEFFFFFFC
	// initMountNamespaceInode (MNT_NS_INIT_INO) is fixed by recent
	// kernels only; older ones number every mount namespace from
	// 0xF0000000 up, so no other one ever has it.
	initMountNamespaceInode = 0xEFFFFFF8
)

// ptyPool is a reading of the machine's PTY pool.
type ptyPool struct{ max, reserve int }

// sizedPTYPool is the pool the engine wants, given the machine's pool now
// and how many labs may live at once: a reserve for every lab's devpts and
// the machine's own terminals (never less than the reserve already set),
// and on top of it labMadeDevptsPTYs for instances made elsewhere. Engines
// that run at once agree: each reserve only grows, and the top follows it.
func sizedPTYPool(cur ptyPool, maxLabs int) ptyPool {
	need := min(labsReservedPTYs(maxLabs), ptyPoolLimit-labMadeDevptsPTYs)
	reserve := max(cur.reserve, need)
	return ptyPool{max: min(reserve+labMadeDevptsPTYs, ptyPoolLimit), reserve: reserve}
}

// labsReservedPTYs is the reserve that keeps labPTYMax PTYs for each of
// maxLabs labs and the machine's own.
func labsReservedPTYs(maxLabs int) int { return maxLabs*labPTYMax + machineOwnPTYs }

// sizePTYPool sizes the machine's PTY pool for the engine's labs (see
// sizedPTYPool). It stops a lab from holding tens of thousands of PTYs,
// and the machine's memory they cost, in devpts instances of its own, and
// from leaving other labs or the machine without a terminal. It runs once
// per engine; several engines on one machine take turns under a lock on
// the reserve's sysctl file. The reserve does its part only for devpts
// instances made from the machine's initial mount namespace: elsewhere the
// engine keeps the pool as large as the kernel allows (raisePTYPool).
func sizePTYPool(log *slog.Logger, maxLabs int) error {
	initial, why := inInitialMountNamespace()
	if !initial {
		raisePTYPool(log, why)
		return nil
	}
	f, err := os.Open(ptyReservePath)
	if err != nil {
		return fmt.Errorf("size the machine's PTY pool: %w", err)
	}
	defer f.Close()
	// flock works on sysctl files, and every engine of the machine,
	// whatever its state folder, sees the same one.
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		return fmt.Errorf("size the machine's PTY pool: lock %s: %w", ptyReservePath, err)
	}
	cur, err := readPTYPool()
	if err != nil {
		return fmt.Errorf("size the machine's PTY pool: %w", err)
	}
	want := sizedPTYPool(cur, maxLabs)
	if want == cur {
		return nil
	}
	// The reserve first: a bigger reserve under the old maximum shrinks
	// what devpts instances of the labs' making may take, never grows it.
	for _, s := range []struct {
		path     string
		was, now int
	}{{ptyReservePath, cur.reserve, want.reserve}, {ptyMaxPath, cur.max, want.max}} {
		if s.was == s.now {
			continue
		}
		if err := os.WriteFile(s.path, []byte(strconv.Itoa(s.now)), 0); err != nil {
			return fmt.Errorf("size the machine's PTY pool: write %d to %s: %w", s.now, s.path, err)
		}
	}
	log.Info("sized the machine's PTY pool: every lab's terminals come from the reserve; devpts instances labs mount themselves share the rest",
		"kernel.pty.reserve", want.reserve, "was_reserve", cur.reserve,
		"kernel.pty.max", want.max, "was_max", cur.max, "lab_made_devpts_ptys", want.max-want.reserve)
	if want.reserve < labsReservedPTYs(maxLabs) {
		log.Warn("the kernel's PTY pool is too small to reserve every lab's terminals: labs past the reserve share what devpts instances labs mount themselves may take",
			"max_labs", maxLabs, "ptys_per_lab", labPTYMax, "kernel.pty.reserve", want.reserve)
	}
	return nil
}

// readPTYPool reads the machine's kernel.pty.max and kernel.pty.reserve.
func readPTYPool() (ptyPool, error) {
	var p ptyPool
	for _, s := range []struct {
		path string
		to   *int
	}{{ptyMaxPath, &p.max}, {ptyReservePath, &p.reserve}} {
		b, err := os.ReadFile(s.path)
		if err != nil {
			return p, err
		}
		if *s.to, err = strconv.Atoi(strings.TrimSpace(string(b))); err != nil {
			return p, fmt.Errorf("%s: %w", s.path, err)
		}
	}
	return p, nil
}

// inInitialMountNamespace reports whether this process runs in the
// machine's initial mount namespace, where the devpts instances it makes
// may draw on the PTY reserve; if not, or if it cannot tell, it says why.
func inInitialMountNamespace() (bool, string) {
	var mnt, pid, one unix.Stat_t
	if err := unix.Stat("/proc/self/ns/mnt", &mnt); err != nil {
		return false, "cannot read the engine's mount namespace: " + err.Error()
	}
	if mnt.Ino == initMountNamespaceInode {
		return true, ""
	}
	// Before the fixed number, compare with the machine's init: PID 1 of
	// the initial PID namespace, never that of a PID namespace the engine
	// runs in.
	if err := unix.Stat("/proc/self/ns/pid", &pid); err != nil {
		return false, "cannot read the engine's PID namespace: " + err.Error()
	}
	if pid.Ino != initPIDNamespaceInode {
		return false, "the engine runs in a PID namespace of its own, so in a container"
	}
	if err := unix.Stat("/proc/1/ns/mnt", &one); err != nil {
		return false, "cannot read the machine's initial mount namespace: " + err.Error()
	}
	if one.Dev != mnt.Dev || one.Ino != mnt.Ino {
		return false, "the engine runs in a mount namespace of its own"
	}
	return true, ""
}

// raisePTYPool raises kernel.pty.max to the kernel's highest, for an
// engine outside the machine's initial mount namespace: there the labs'
// devpts instances cannot draw on the reserve, so they share one pool
// with those that labs mount themselves, and the larger that pool, the
// more PTYs one lab must hold (and pay for in its memory cgroup and open
// files) to leave the others without a terminal.
func raisePTYPool(log *slog.Logger, why string) {
	log.Warn("labs' terminals cannot be kept apart from the PTYs of devpts instances that labs mount themselves: "+
		"one lab may hold PTYs up to its memory limit and open-file limits (about 30 KiB of the machine's memory each, 3.5 KiB charged to the lab) "+
		"and leave other labs without a terminal; run the server in the machine's initial mount namespace to bound them",
		"reason", why)
	cur, err := readPTYPool()
	if err != nil {
		log.Warn("cannot read the machine's PTY pool", "err", err)
		return
	}
	if cur.max >= ptyPoolLimit {
		return
	}
	if err := os.WriteFile(ptyMaxPath, []byte(strconv.Itoa(ptyPoolLimit)), 0); err != nil {
		log.Warn("cannot raise the machine's PTY pool; one lab may exhaust other labs' terminals", "kernel.pty.max", cur.max, "err", err)
		return
	}
	log.Info("raised the machine's PTY pool so that one lab must hold more to exhaust it", "kernel.pty.max", ptyPoolLimit, "was", cur.max)
}
