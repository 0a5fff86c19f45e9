//go:build linux

package nsengine

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/internal/testenv"
)

func TestSizedPTYPool(t *testing.T) {
	const top = ptyPoolLimit - labMadeDevptsPTYs
	for _, c := range []struct {
		name    string
		cur     ptyPool
		maxLabs int
		want    ptyPool
	}{
		{"kernel defaults", ptyPool{4096, 1024}, 1024, ptyPool{66560 + labMadeDevptsPTYs, 66560}},
		{"raised by an older engine", ptyPool{ptyPoolLimit, 1024}, 1024, ptyPool{66560 + labMadeDevptsPTYs, 66560}},
		{"few labs", ptyPool{4096, 1024}, 4, ptyPool{1280 + labMadeDevptsPTYs, 1280}},
		// A second engine with fewer labs keeps the first one's reserve.
		{"another engine's reserve", ptyPool{66560 + labMadeDevptsPTYs, 66560}, 4, ptyPool{66560 + labMadeDevptsPTYs, 66560}},
		{"an admin's reserve", ptyPool{300000, 200000}, 1024, ptyPool{200000 + labMadeDevptsPTYs, 200000}},
		{"more labs than the kernel has PTYs", ptyPool{4096, 1024}, 60000, ptyPool{ptyPoolLimit, top}},
		{"an admin's reserve past the top", ptyPool{ptyPoolLimit, ptyPoolLimit - 10}, 1024, ptyPool{ptyPoolLimit, ptyPoolLimit - 10}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := sizedPTYPool(c.cur, c.maxLabs)
			if got != c.want {
				t.Errorf("sizedPTYPool(%+v, %d) = %+v, want %+v", c.cur, c.maxLabs, got, c.want)
			}
			if again := sizedPTYPool(got, c.maxLabs); again != got {
				t.Errorf("sizing twice changes the pool: %+v, then %+v", got, again)
			}
			if got.reserve < c.cur.reserve {
				t.Errorf("the reserve went down from %d to %d", c.cur.reserve, got.reserve)
			}
		})
	}
}

// ptyHelper runs the attack helper's operations for these tests; ok is
// false for an operation it does not know.
func ptyHelper(op string, args []string) (out string, ok bool, err error) {
	switch op {
	case "remount": // PATH KEY=VALUE: the errnos of a remount with the option, by mount(2) and by fspick and fsconfig
		err1 := unix.Mount("", args[0], "", unix.MS_REMOUNT, args[1])
		fd, err2 := unix.Fspick(unix.AT_FDCWD, args[0], unix.FSPICK_CLOEXEC)
		err3 := err2
		if err2 == nil {
			k, v, _ := strings.Cut(args[1], "=")
			if err3 = unix.FsconfigSetString(fd, k, v); err3 == nil {
				err3 = unix.FsconfigReconfigure(fd)
			}
			unix.Close(fd)
		}
		return fmt.Sprintf("mount %s fspick %s reconfigure %s", errnoOf(err1), errnoOf(err2), errnoOf(err3)), true, nil
	}
	return "", false, nil
}

// machineMemory is what /proc/meminfo says of the memory PTYs take: what
// is left for programs, and the kernel's slab and vmalloc memory, in
// bytes.
type machineMemory struct{ available, kernel int64 }

func readMachineMemory(t *testing.T) machineMemory {
	t.Helper()
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		t.Fatal(err)
	}
	var m machineMemory
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "MemAvailable:":
			m.available = kb << 10
		case "Slab:", "VmallocUsed:":
			m.kernel += kb << 10
		}
	}
	return m
}

// labMemoryUsage is what the lab's memory cgroup is charged, in bytes.
func labMemoryUsage(t *testing.T, l *Lab) int64 {
	t.Helper()
	for _, d := range l.cg.dirs {
		for _, f := range []string{"memory.current", "memory.usage_in_bytes"} {
			if b, err := os.ReadFile(filepath.Join(d, f)); err == nil {
				n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
		}
	}
	t.Fatalf("no memory usage in the lab's cgroups %v", l.cg.dirs)
	return 0
}

// labMadeHolders is how many processes of the attacking lab open PTYs in
// its devpts, each as many as its open-file limit lets it: together
// they ask for far more than labMadeDevptsPTYs.
const labMadeHolders, ptysPerHolder = 3, 4000

// terminalSays starts `tty` on a new terminal of l and returns what it
// printed, or the error of the start.
func terminalSays(t *testing.T, l *Lab) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, master, err := l.StartPTY(ctx, ProcSpec{Argv: []string{"tty"}}, 24, 80)
	if err != nil {
		return "", err
	}
	out, _ := io.ReadAll(master)
	master.Close()
	p.Wait()
	return strings.TrimSpace(string(out)), nil
}

// Escape tried: open tens of thousands of PTYs, which cost the machine
// about ten times the memory the lab's cgroup is charged, in a devpts
// instance the lab mounts for itself, where labPTYMax does not hold; and
// so take every PTY of the machine's pool, leaving other labs without a
// terminal. Several processes each hold what their open-file limit lets
// them.
func TestAttackPTYPoolFromOwnDevpts(t *testing.T) {
	if initial, why := inInitialMountNamespace(); !initial {
		testenv.Missing(t, "the machine's initial mount namespace, where the PTY reserve can be used", why)
	}
	e, l, other := attackLabs(t, Config{})
	// An engine of an older nslab on the machine raises the pool when it
	// starts: the attack is tried again, on the pool this engine sizes,
	// until one try keeps that pool from its start to its end. Where
	// older engines start every second (their test suites), none does,
	// and the test says so.
	var (
		pool                   ptyPool
		memBefore, memHeld     machineMemory
		usageBefore, usageHeld int64
		held                   int
		stop                   func()
		inUse                  []byte
	)
	for try := 1; ; try++ {
		if err := sizePTYPool(e.log, e.cfg.MaxLabs); err != nil {
			t.Fatal(err)
		}
		var err error
		if pool, err = readPTYPool(); err != nil {
			t.Fatal(err)
		}
		memBefore, usageBefore = readMachineMemory(t), labMemoryUsage(t, l)
		held, stop = holdPTYsInOwnDevpts(t, l)
		memHeld, usageHeld = readMachineMemory(t), labMemoryUsage(t, l)
		inUse, _ = os.ReadFile("/proc/sys/kernel/pty/nr")
		now, err := readPTYPool()
		if err == nil && now == pool {
			break
		}
		stop()
		if try == 3 {
			t.Fatalf("another program changed the machine's PTY pool during each of %d tries (last %+v, then %+v, %v): the counts mean nothing", try, pool, now, err)
		}
		t.Logf("another program changed the machine's PTY pool during try %d (%+v, then %+v, %v): trying again", try, pool, now, err)
	}
	t.Logf("the lab holds %d PTYs in a devpts of its own (machine's pool %+v, %s in use): the machine's memory available fell %d MiB, its slab and vmalloc grew %d MiB; the lab's memory cgroup grew %d MiB",
		held, pool, strings.TrimSpace(string(inUse)), (memBefore.available-memHeld.available)>>20, (memHeld.kernel-memBefore.kernel)>>20, (usageHeld-usageBefore)>>20)
	if held > labMadeDevptsPTYs {
		t.Errorf("ATTACK WORKED: the lab holds %d PTYs in devpts instances of its own, more than the %d that all such instances of the machine may hold",
			held, labMadeDevptsPTYs)
	}
	if held == 0 {
		t.Errorf("the lab could not open a PTY in a devpts of its own (a lesson may need a few)")
	}
	// Meanwhile every lab's own terminals come from the reserve: the
	// attacker's, the neighbour's and a new lab's.
	if out := runAttack(t, l, "h ptys /dev/ptmx 8"); out != "8" {
		t.Errorf("ATTACK WORKED: the attacker's own /dev/ptmx gives %s of 8 PTYs", out)
	}
	for name, lab := range map[string]*Lab{"the neighbour": other, "a new lab": spawn(t, e)} {
		out, err := terminalSays(t, lab)
		if err != nil || out != "/dev/pts/0" {
			t.Errorf("ATTACK WORKED: %s cannot open a terminal: tty says %q (%v)", name, out, err)
		}
	}
	// Soon: the held PTYs would keep other programs of the machine from
	// devpts instances of their own.
	stop()
	afterAttack(t, e, other)
}

// holdPTYsInOwnDevpts has labMadeHolders processes of l open PTYs in a
// devpts that l mounts in a mount namespace of its own, and hold them
// until stop or the test's end; it returns how many they hold.
func holdPTYsInOwnDevpts(t *testing.T, l *Lab) (held int, stop func()) {
	t.Helper()
	// Asynchronous commands get /dev/null as stdin: fd 3 keeps the
	// helper for them.
	script := fmt.Sprintf(`exec 3<&0; unshare -m sh -c 'mkdir -p /tmp/pts && mount -t devpts -o newinstance,ptmxmode=0666 devpts /tmp/pts &&
for i in $(seq %d); do %s=1 /proc/self/fd/0 ptys /tmp/pts/ptmx %d 120 <&3 & done; wait'`, labMadeHolders, attackHelperEnv, ptysPerHolder)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sh", "-c", script}, Stdin: openSelf(t), Stdout: w, Stderr: w})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The holders are in the script's process group.
	t.Cleanup(func() {
		p.SignalGroup(syscall.SIGKILL)
		p.Wait()
	})
	// Each holder prints its count once it holds its PTYs.
	r.SetReadDeadline(time.Now().Add(60 * time.Second))
	in := bufio.NewScanner(r)
	for i := 0; i < labMadeHolders; i++ {
		if !in.Scan() {
			t.Fatalf("the lab's PTY holders said %d of %d counts: %v", i, labMadeHolders, in.Err())
		}
		n, err := strconv.Atoi(strings.TrimSpace(in.Text()))
		if err != nil {
			t.Fatalf("a PTY holder said %q", in.Text())
		}
		held += n
	}
	return held, func() {
		p.SignalGroup(syscall.SIGKILL)
		p.Wait()
	}
}

// Escape tried: remount the lab's /dev/pts without its cap of labPTYMax
// PTYs (max=), by mount(2) and by the new mount API, then open more.
func TestAttackRemountLabDevpts(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, `h remount /dev/pts max=1000000
grep -c ' /dev/pts .*,max=`+strconv.Itoa(labPTYMax)+`$' /proc/self/mountinfo
h ptys /dev/ptmx 1000`)
	want := fmt.Sprintf("mount %[1]d fspick 0 reconfigure %[1]d\n1\n%d", unix.EPERM, labPTYMax)
	if out != want {
		t.Errorf("ATTACK WORKED: remounting the lab's /dev/pts without its cap gave %q, want %q (EPERM, the cap still in mountinfo, %d PTYs at most)", out, want, labPTYMax)
	}
	afterAttack(t, e, other)
}

// A lab's own terminals work as on a host: a process on a PTY of the
// engine knows its terminal, and script opens /dev/ptmx for another;
// /dev/pts and its nodes belong to the lab's root and tty group.
func TestLabTerminals(t *testing.T) {
	testenv.RequireCommand(t, "script", "bsdutils")
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, master, err := l.StartPTY(ctx, ProcSpec{Argv: []string{"sh", "-c", `tty; script -qc tty /dev/null
stat -c '%n %U %G %a' /dev/pts /dev/pts/ptmx /dev/pts/0; readlink /dev/ptmx
grep ' /dev/pts ' /proc/self/mountinfo | cut -d' ' -f4-6,8-`}}, 24, 80)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(master)
	master.Close()
	p.Wait()
	got := strings.ReplaceAll(strings.TrimSpace(string(b)), "\r", "")
	want := fmt.Sprintf(`/dev/pts/0
/dev/pts/1
/dev/pts root root 755
/dev/pts/ptmx root root 666
/dev/pts/0 root tty 620
pts/ptmx
/ /dev/pts rw,nosuid,noexec,relatime - devpts devpts rw,gid=%d,mode=620,ptmxmode=666,max=%d`, l.IDBase()+labTTYGroup, labPTYMax)
	if got != want {
		t.Errorf("the lab's terminals say\n%s\nwant\n%s", got, want)
	}
}
