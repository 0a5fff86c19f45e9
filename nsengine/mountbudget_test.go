//go:build linux

package nsengine

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The filter hands the calls that may print to the kernel log to the mount
// budget and lets the others run; mount's flags and fsconfig's command
// are compared as the kernel reads them, the low 32 bits.
func TestSeccompMountBudgetFilter(t *testing.T) {
	prog, err := seccompFilter()
	if err != nil {
		t.Fatal(err)
	}
	arch := nativeAuditArch[runtime.GOARCH]
	const budget, allow = unix.SECCOMP_RET_USER_NOTIF, unix.SECCOMP_RET_ALLOW
	for _, c := range []struct {
		name string
		nr   uintptr
		arg  int // which argument
		val  uint64
		want uint32
	}{
		{"mount -t tmpfs", unix.SYS_MOUNT, 3, 0, budget},
		{"mount -t proc, nosuid", unix.SYS_MOUNT, 3, unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC, budget},
		{"mount -o remount", unix.SYS_MOUNT, 3, unix.MS_REMOUNT, budget},
		{"mount with upper bits", unix.SYS_MOUNT, 3, 0xffffffff_00000000, budget},
		{"mount --bind", unix.SYS_MOUNT, 3, unix.MS_BIND, allow},
		{"mount --rbind", unix.SYS_MOUNT, 3, unix.MS_BIND | unix.MS_REC, allow},
		{"mount -o remount,bind,ro", unix.SYS_MOUNT, 3, unix.MS_REMOUNT | unix.MS_BIND | unix.MS_RDONLY, allow},
		{"mount --move", unix.SYS_MOUNT, 3, unix.MS_MOVE, allow},
		{"mount --make-rprivate", unix.SYS_MOUNT, 3, unix.MS_PRIVATE | unix.MS_REC, allow},
		{"mount --make-shared", unix.SYS_MOUNT, 3, unix.MS_SHARED, allow},
		{"mount --make-slave", unix.SYS_MOUNT, 3, unix.MS_SLAVE, allow},
		{"mount --make-unbindable", unix.SYS_MOUNT, 3, unix.MS_UNBINDABLE, allow},
		{"fsconfig set string", unix.SYS_FSCONFIG, 1, 1, allow},
		{"fsconfig create", unix.SYS_FSCONFIG, 1, fsconfigCmdCreate, budget},
		{"fsconfig reconfigure", unix.SYS_FSCONFIG, 1, fsconfigCmdCreate + 1, budget},
		{"fsconfig create exclusive", unix.SYS_FSCONFIG, 1, fsconfigCmdCreate + 2, budget},
		{"fsconfig create, upper bits", unix.SYS_FSCONFIG, 1, 1<<40 | fsconfigCmdCreate, budget},
		{"umount", unix.SYS_UMOUNT2, 1, 0, allow},
		{"fsmount", unix.SYS_FSMOUNT, 1, 0, allow},
	} {
		var args [6]uint64
		args[c.arg] = c.val
		if got := runFilterArgs(t, prog, arch, uint32(c.nr), args); got != c.want {
			t.Errorf("%s: %#x, want %#x", c.name, got, c.want)
		}
	}
}

// kernelLogLines counts the records of the kernel log that hold tag.
func kernelLogLines(t *testing.T, tag string) int {
	t.Helper()
	fd, err := unix.Open("/dev/kmsg", unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	buf := make([]byte, 8192)
	n := 0
	for {
		m, err := unix.Read(fd, buf)
		if err == unix.EPIPE { // a record was overwritten while we read
			continue
		}
		if err != nil {
			break
		}
		if strings.Contains(string(buf[:m]), tag) {
			n++
		}
	}
	return n
}

// Escape tried: flood the real machine's kernel log with the line each
// mount with an unknown option prints, from a shell loop, pushing the
// machine's own messages out. The loop runs for a few seconds; the lab
// may add no more than its mount budget (a burst, then one a second).
func TestAttackKernelLogFlood(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	tag := "nslabflood" + randomHex(4)
	const seconds = 3
	start := time.Now()
	out := runAttack(t, l, fmt.Sprintf(`timeout %d sh -c 'i=0; while :; do i=$((i+1)); mount -t tmpfs -o %s$i x /mnt 2>/dev/null; done'; echo $?`, seconds, tag))
	elapsed := time.Since(start)
	lines := kernelLogLines(t, tag)
	max := mountBudgetBurst + int(elapsed.Seconds()+1)*mountBudgetRate
	t.Logf("the lab added %d lines to the kernel log in %v (budget %d)", lines, elapsed.Round(time.Millisecond), max)
	if lines > max {
		t.Errorf("ATTACK WORKED: the lab added %d lines to the machine's kernel log in %v, more than its budget of %d", lines, elapsed.Round(time.Millisecond), max)
	}
	if out != "124" {
		t.Errorf("the flood loop ended with %q, want timeout's 124", out)
	}
	// The neighbour's budget is its own, and what lessons mount works.
	if out, _ := run(t, other, "for i in 1 2 3 4 5; do mount -t tmpfs x /mnt && umount /mnt || echo FAIL; done; mount --bind /etc /mnt && umount /mnt || echo FAIL; unshare -Urpf --mount-proc ps -o pid= -p 1"); strings.TrimSpace(out) != "1" {
		t.Errorf("the neighbour's mounts: %q", out)
	}
	// The flooding lab's calls wait for its budget; they do not fail.
	if out, _ := run(t, l, "mount -t tmpfs x /mnt && umount /mnt && echo ok"); out != "ok" {
		t.Errorf("a mount after the flood: %q", out)
	}
	afterAttack(t, e, other)
}

// The budget ends with its lab and leaves no descriptor in the engine.
func TestMountBudgetEndsWithLab(t *testing.T) {
	e := newTestEngine(t, Config{})
	before := openFDs(t)
	l := spawn(t, e)
	if out, _ := run(t, l, "mount -t tmpfs x /mnt && echo ok"); out != "ok" {
		t.Fatalf("mount in the lab: %q", out)
	}
	l.Close()
	deadline := time.Now().Add(10 * time.Second)
	for openFDs(t) > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := openFDs(t); n > before {
		t.Errorf("the engine holds %d descriptors after the lab ended, %d before", n, before)
	}
}

func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents) - 1 // ReadDir's own descriptor
}

// Escape tried: take the seccomp listener from init (the lab's root may
// ptrace init and copy its descriptors with pidfd_getfd) or from any lab
// process, and answer the lab's own budgeted calls, or hold them up
// forever.
func TestAttackTakeSeccompListener(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out, _ := run(t, l, "for p in /proc/[0-9]*; do ls -l $p/fd/ 2>/dev/null; done | grep -c seccomp")
	if out != "0" {
		t.Errorf("ATTACK WORKED: %s descriptors of a seccomp listener are open in the lab", out)
	}
	afterAttack(t, e, other)
}
