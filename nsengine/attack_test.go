//go:build linux

package nsengine

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/internal/testenv"
)

// runAttack runs an attack script in the lab with the attack helper as h
// (see attackhelper_test.go) and returns its output, stdout and stderr
// together.
func runAttack(t testing.TB, l *Lab, script string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer bin.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"/bin/bash", "-c", attackShell + script}, Stdin: bin, Stdout: w, Stderr: w})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(r)
	if _, err := p.Wait(); err != nil {
		t.Fatalf("wait for the attack: %v", err)
	}
	t.Logf("attack:\n%s\noutput:\n%s", script, out)
	return strings.TrimSpace(string(out))
}

// Each TestAttack… tries one escape from inside a lab and fails loudly if
// it works; then afterAttack checks that the neighbour lab and the real
// machine are fine. docs/security.md lists them beside the hardening step
// each one proves.

// realHostname is the real machine's hostname before any attack ran.
var realHostname, _ = os.Hostname()

// attackLabs makes an engine with two labs: the attacker and its
// neighbour, which must not notice.
func attackLabs(t *testing.T, cfg Config) (e *Engine, attacker, neighbour *Lab) {
	t.Helper()
	e = newTestEngine(t, cfg)
	return e, spawn(t, e), spawn(t, e)
}

// afterAttack checks what every attack must leave as it was: the
// neighbour answers, the real machine's hostname is its own, and a new lab
// can still be made and used.
func afterAttack(t *testing.T, e *Engine, neighbour *Lab) {
	t.Helper()
	if out, _ := run(t, neighbour, "echo ok; hostname"); out != "ok\n"+labHostname {
		t.Errorf("ATTACK REACHED THE NEIGHBOUR: it answers %q", out)
	}
	if h, _ := os.Hostname(); h != realHostname {
		t.Errorf("ATTACK REACHED THE MACHINE: hostname %q, was %q", h, realHostname)
	}
	fresh := spawn(t, e)
	if out, _ := run(t, fresh, "echo ok"); out != "ok" {
		t.Errorf("ATTACK REACHED THE MACHINE: a new lab answers %q", out)
	}
	fresh.Close()
}

// wantErrno fails unless every line of out is the errno want: the helper
// prints one errno per attempt.
func wantErrno(t *testing.T, attempt, out string, want unix.Errno) {
	t.Helper()
	lines := strings.Split(out, "\n")
	for _, l := range lines {
		if l != strconv.Itoa(int(want)) {
			t.Errorf("ATTACK %s: got %q, want errno %d (%v) for every attempt", attempt, out, int(want), want)
			return
		}
	}
}

// fileSum is the SHA-256 of a real machine's file, to see it unchanged.
func fileSum(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Escape tried: a fork bomb taking the machine (and the other labs) down.
func TestAttackForkBomb(t *testing.T) {
	const max = 64
	e, bombed, other := attackLabs(t, Config{Limits: Limits{Pids: max}})
	if _, err := bombed.Start(context.Background(), ProcSpec{Argv: []string{"bash", "-c", ":(){ :|:& };:"}}); err != nil {
		t.Fatal(err)
	}
	pidsDir := bombed.cg.dirs[0]
	deadline := time.Now().Add(30 * time.Second)
	for !pidsLimitHit(t, pidsDir) {
		if time.Now().After(deadline) {
			t.Fatal("the fork bomb never reached pids.max")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// init's own threads come on top of the lab's share (initthreads.go).
	cur, _ := os.ReadFile(filepath.Join(pidsDir, "pids.current"))
	initTasks, err := threadCount(bombed.InitPID())
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(string(cur))); n-initTasks > max {
		t.Errorf("ATTACK WORKED: the lab has %d tasks besides init's %d, above its limit of %d", n-initTasks, initTasks, max)
	}
	select {
	case <-bombed.Done():
		t.Fatal("ATTACK WORKED: the fork bomb ended the lab's init")
	default:
	}
	afterAttack(t, e, other)
	if err := bombed.Close(); err != nil {
		t.Errorf("close the bombed lab: %v", err)
	}
}

// Escape tried: a memory hog taking the machine's memory. The lab loses
// the process that did it, not its init, and other labs do not notice.
// Files cannot fill it: the lab's tmpfs is at most half its memory.
func TestAttackMemoryHog(t *testing.T) {
	testenv.RequireCommand(t, "awk", "mawk")
	e, l, other := attackLabs(t, Config{Limits: Limits{MemoryBytes: 32 << 20}})
	if out, _ := run(t, l, "dd if=/dev/zero of=/tmp/big bs=1M count=100 2>/dev/null || echo full"); out != "full" {
		t.Errorf("ATTACK WORKED: wrote 100 MB of files into a lab with 32 MiB of memory: %q", out)
	}
	// A string that doubles forever: only the memory limit stops it.
	if _, status := run(t, l, "exec awk 'BEGIN { s = \"x\"; while (1) s = s s }'"); status != 137 {
		t.Errorf("memory hog ended with status %d, want 137 (OOM kill)", status)
	}
	select {
	case <-l.Done():
		t.Fatal("ATTACK WORKED: filling its memory ended the lab")
	default:
	}
	if out, _ := run(t, l, "echo alive; cat /proc/self/oom_score_adj"); out != "alive\n1000" {
		t.Errorf("lab after its memory filled: %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: a CPU hog making the neighbour lab unresponsive. The
// neighbour's command latency is measured with the hog stopped and running,
// interleaved so that the machine's other load weighs on both alike, and
// compared as a ratio.
func TestAttackCPUHog(t *testing.T) {
	e, hog, other := attackLabs(t, Config{})
	for range 4 { // more runnable loops than the machine has cores
		if _, err := hog.Start(context.Background(), ProcSpec{Argv: []string{"sh", "-c", "while :; do :; done"}}); err != nil {
			t.Fatal(err)
		}
	}
	pids, err := hog.PIDs()
	if err != nil {
		t.Fatal(err)
	}
	hogs := slices.DeleteFunc(pids, func(p int) bool { return p == hog.InitPID() })
	signal := func(sig syscall.Signal) {
		for _, p := range hogs {
			syscall.Kill(p, sig)
		}
	}
	defer signal(syscall.SIGCONT)
	// A command with a few milliseconds of work of its own, well within
	// one period of the neighbour's own CPU quota (which a longer one
	// would hit, whatever the hog does).
	latency := func() time.Duration {
		start := time.Now()
		run(t, other, "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done")
		return time.Since(start)
	}
	var quiet, loaded []time.Duration
	for range 15 {
		signal(syscall.SIGSTOP)
		time.Sleep(20 * time.Millisecond)
		quiet = append(quiet, latency())
		signal(syscall.SIGCONT)
		time.Sleep(20 * time.Millisecond)
		loaded = append(loaded, latency())
	}
	slices.Sort(quiet)
	slices.Sort(loaded)
	ratio := float64(loaded[len(loaded)/2]) / float64(quiet[len(quiet)/2])
	t.Logf("neighbour's median command latency: %v quiet, %v beside the CPU hog: ratio %.2f", quiet[len(quiet)/2], loaded[len(loaded)/2], ratio)
	// The hog may use half a core (of two here), and the kernel shares
	// CPU fairly between the labs' cgroups: the neighbour's commands
	// take 2 to 4 times as long here, mostly waiting for a core at each
	// wakeup (docs/security.md). A starved neighbour would wait for
	// whole scheduling periods.
	if ratio > 8 {
		t.Errorf("ATTACK WORKED: the CPU hog slows the neighbour %.1f times", ratio)
	}
	afterAttack(t, e, other)
}

// Escape tried: fill the lab's writable files to fill the machine's disk
// or memory.
func TestAttackFillTmpfs(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	var before unix.Statfs_t
	unix.Statfs("/", &before)
	out := runAttack(t, l, `for d in /tmp /root /run /var/tmp /dev/shm /home; do dd if=/dev/zero of=$d/fill bs=1M count=200 2>/dev/null; done
df -B1 --output=size / | tail -1; du -scb /tmp/fill /root/fill /run/fill /var/tmp/fill /dev/shm/fill /home/fill | tail -1 | cut -f1`)
	f := strings.Fields(out)
	if len(f) != 2 {
		t.Fatalf("df and du said %q", out)
	}
	size, _ := strconv.ParseInt(f[0], 10, 64)
	used, _ := strconv.ParseInt(f[1], 10, 64)
	if size != DefaultLimits().TmpfsBytes || used > size {
		t.Errorf("ATTACK WORKED: the lab wrote %d bytes into a file system of %d (limit %d)", used, size, DefaultLimits().TmpfsBytes)
	}
	if out, _ := run(t, l, "rm /tmp/fill && echo ok"); out != "ok" {
		t.Errorf("the lab after filling its files: %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: write the real machine's files under the read-only binds
// (/etc/passwd, /usr/bin/…), create, chmod, chown or remove them.
func TestAttackWriteHostFiles(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	// The lab's /etc/passwd and /etc/shadow are its own (writableEtc); the
	// machine's files beside them in the lab's /etc are not.
	files := []string{"/etc/passwd", "/etc/shadow", "/etc/login.defs", "/etc/bash.bashrc", "/usr/bin/ls", "/bin/sh"}
	sums := map[string]string{}
	for _, f := range files {
		sums[f] = fileSum(t, f)
	}
	out := runAttack(t, l, `for f in /etc/login.defs /etc/bash.bashrc /usr/bin/ls /bin/sh; do h write $f x; done
exec 2>/dev/null
echo 'evil::0:0::/:/bin/sh' >> /etc/login.defs && echo APPENDED
touch /usr/bin/evil /usr/lib/evil && echo CREATED
chmod 777 /etc/bash.bashrc && echo CHMOD
chown 0 /usr/bin/ls && echo CHOWN
rm -f /usr/bin/ls; test -e /usr/bin/ls || echo REMOVED
ln /etc/login.defs /tmp/defs && echo LINKED`)
	// EACCES or EROFS: the kernel checks the file's owner before the
	// mount's read-only flag.
	if lines := strings.Split(out, "\n"); len(lines) != 4 || slices.ContainsFunc(lines, func(s string) bool { return s != "13" && s != "30" }) {
		t.Errorf("ATTACK WORKED: writing the machine's files (want EACCES or EROFS for each, nothing else): %q", out)
	}
	for _, f := range files {
		if fileSum(t, f) != sums[f] {
			t.Errorf("ATTACK WORKED: %s changed", f)
		}
	}
	for _, f := range []string{"/etc/evil", "/usr/bin/evil", "/usr/lib/evil"} {
		if _, err := os.Lstat(f); err == nil {
			t.Errorf("ATTACK WORKED: %s exists", f)
		}
	}
	afterAttack(t, e, other)
}

// remountAttack is the writing that follows a remount: whatever the
// remount did, the machine's files stay unwritable. The lab's /usr and
// /bin are overlays without a writable layer, whose superblock no remount
// makes writable; the lab's /etc is writable, but the machine's files in
// it belong to the real root, which is none of the lab's IDs, and writes
// would go to the lab's own layer anyway.
const remountAttack = `
exec 2>/dev/null
echo x >> /etc/login.defs && echo WROTE login.defs
for d in /usr /usr/bin /bin /usr/lib; do touch $d/evil && echo CREATED $d; done
chmod 777 /etc/bash.bashrc && echo CHMOD
echo done`

// checkRemountAttack fails if a file of the machine, or of the lab's
// read-only system folders, changed.
func checkRemountAttack(t *testing.T, out string, before string) {
	t.Helper()
	if !strings.HasSuffix(out, "done") || strings.Contains(out, "WROTE") || strings.Contains(out, "CREATED") || strings.Contains(out, "CHMOD") {
		t.Errorf("ATTACK WORKED: wrote the machine's files after a remount: %q", out)
	}
	if fileSum(t, "/etc/login.defs") != before {
		t.Error("ATTACK WORKED: /etc/login.defs changed")
	}
	for _, f := range []string{"/etc/evil", "/usr/bin/evil", "/usr/evil", "/usr/lib/evil"} {
		if _, err := os.Lstat(f); err == nil {
			t.Errorf("ATTACK WORKED: %s exists", f)
		}
	}
}

// Escape tried: remount the system folders read-write (mount -o
// remount,rw, with and without bind) and write through them. The lab's
// /usr is an overlay (overlaySystemFolder) whose superblock is read-only:
// a remount may clear the lab's own mount's flag, never that. Beneath it,
// the engine's binds come locked from the server's mount namespace
// (prepareLockedBinds), and the lab has no path to them at all.
func TestAttackRemountBindReadWrite(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	before := fileSum(t, "/etc/login.defs")
	out := runAttack(t, l, "for d in /etc /usr /usr/bin /bin; do mount -o remount,rw $d 2>/dev/null && echo REMOUNTED-SUPERBLOCK $d; mount -o remount,rw,bind $d 2>/dev/null; done"+remountAttack)
	for _, d := range []string{"/usr", "/usr/bin", "/bin"} {
		if strings.Contains(out, "REMOUNTED-SUPERBLOCK "+d+"\n") {
			t.Errorf("ATTACK WORKED: the lab made its view of %s writable: %q", d, out)
		}
	}
	checkRemountAttack(t, out, before)
	afterAttack(t, e, other)
}

// Escape tried: the same remount from a new mount namespace, and from a
// new user namespace, whose root has every capability there.
func TestAttackRemountInNewNamespace(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	before := fileSum(t, "/etc/login.defs")
	out := runAttack(t, l, `unshare -m sh -c 'mount -o remount,rw /usr 2>/dev/null && echo REMOUNTED; mount -o remount,rw,bind /usr 2>/dev/null; `+strings.ReplaceAll(remountAttack, "'", "")+`'
unshare -Urm sh -c 'mount -o remount,rw /usr 2>/dev/null && echo NESTED-REMOUNT; mount -o remount,rw,bind /usr 2>/dev/null; touch /usr/bin/evil 2>/dev/null && echo NESTED-CREATED'`)
	if strings.Contains(out, "REMOUNT") || strings.Contains(out, "NESTED-CREATED") {
		t.Errorf("ATTACK WORKED: the system folders made writable from a new namespace: %q", out)
	}
	checkRemountAttack(t, out, before)
	afterAttack(t, e, other)
}

// Escape tried: clear read-only with the new mount API (mount_setattr)
// and write, and mount a new instance of the machine's file system with
// fsopen and fsmount. mount_setattr may clear the lab's own mount's flag
// on its overlay; the overlay's superblock stays read-only.
func TestAttackNewMountAPI(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	before := fileSum(t, "/etc/login.defs")
	out := runAttack(t, l, `h mount-setattr-rw /etc; h mount-setattr-rw /usr
h fsmount ext4 /dev/vda; h fsmount ext4 /proc/1/root/dev/vda; h fsmount ext4 /tmp`+remountAttack)
	lines := strings.Split(out, "\n")
	if len(lines) < 5 {
		t.Fatalf("attack output %q", out)
	}
	for _, l := range lines[2:5] {
		if strings.HasPrefix(l, "create 0") {
			t.Errorf("ATTACK WORKED: fsmount made a file system: %q", out)
		}
	}
	checkRemountAttack(t, strings.Join(lines[5:], "\n"), before)
	afterAttack(t, e, other)
}

// Escape tried: mount the machine's block device (its whole disk) in the
// lab, by path or by a device node made for it.
func TestAttackMountHostBlockDevice(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, `exec 2>/dev/null
ls /dev | tr '\n' ' '; echo
for d in /dev/vda /dev/sda /dev/nvme0n1 /dev/mapper/root; do mount $d /mnt && echo MOUNTED $d; done
mknod /tmp/vda b 254 0 && echo MKNOD
mount /tmp/vda /mnt && echo MOUNTED-NODE
mount -t ext4 /proc/1/root/dev/vda /mnt && echo MOUNTED-PROC
echo done`)
	if out != "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero \ndone" {
		t.Errorf("ATTACK WORKED (or /dev has more than it should): %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: make a device node (the machine's memory, a disk),
// directly and from a nested user namespace.
func TestAttackMknod(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, `exec 2>/dev/null
mknod /tmp/mem c 1 1 && echo MADE-MEM
mknod /dev/shm/kmsg c 1 11 && echo MADE-KMSG
unshare -Ur sh -c 'mknod /tmp/mem2 c 1 1' && echo NESTED
unshare -Urm sh -c 'mount -t tmpfs x /mnt && mknod /mnt/mem c 1 1 && head -c 1 /mnt/mem >/dev/null' && echo NESTED-READ
echo done`)
	if out != "done" {
		t.Errorf("ATTACK WORKED: %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: read the machine's memory through /proc/kcore (and
// /dev/mem, /dev/kmem, /dev/port, which the lab's /dev does not have).
func TestAttackReadKcore(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, `exec 2>/dev/null
head -c 16 /proc/kcore | wc -c
for f in /dev/mem /dev/kmem /dev/port; do head -c 1 $f >/dev/null && echo READ $f; done
echo done`)
	if out != "0\ndone" {
		t.Errorf("ATTACK WORKED: %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: write /proc/sysrq-trigger (the machine's magic SysRq keys:
// reboot, crash, kill all). The command tried is h (print help), harmless
// should it pass.
func TestAttackSysrqTrigger(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	want := unix.EACCES
	if _, err := os.Stat("/proc/sysrq-trigger"); errors.Is(err, os.ErrNotExist) {
		want = unix.ENOENT // a kernel without SysRq: the lab's /proc has none either
	}
	wantErrno(t, "write /proc/sysrq-trigger", runAttack(t, l, "h write /proc/sysrq-trigger h"), want)
	afterAttack(t, e, other)
}

// Escape tried: change the real machine's kernel settings in
// /proc/sys/kernel (and its clock).
func TestAttackHostKernelSettings(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	files := []string{"kernel/core_pattern", "kernel/modprobe", "kernel/sysrq", "kernel/randomize_va_space", "kernel/panic", "kernel/printk", "vm/overcommit_memory", "fs/file-max", "user/max_user_namespaces"}
	before := map[string]string{}
	for _, f := range files {
		b, _ := os.ReadFile("/proc/sys/" + f)
		before[f] = string(b)
	}
	var script strings.Builder
	for _, f := range files {
		// The value the machine has: a write that passes changes nothing.
		fmt.Fprintf(&script, "h write /proc/sys/%s %q\n", f, strings.TrimSpace(before[f]))
	}
	script.WriteString("date -s 2000-01-01 >/dev/null 2>&1 && echo CLOCK\n")
	out := runAttack(t, l, script.String())
	for i, errno := range strings.Split(out, "\n") {
		if errno == "0" || strings.Contains(errno, "CLOCK") {
			name := "the clock"
			if i < len(files) {
				name = files[i]
			}
			t.Errorf("ATTACK WORKED: the lab wrote %s (%q)", name, out)
		}
	}
	for _, f := range files {
		if b, _ := os.ReadFile("/proc/sys/" + f); string(b) != before[f] {
			t.Errorf("ATTACK WORKED: /proc/sys/%s changed to %q", f, b)
		}
	}
	afterAttack(t, e, other)
}

// Escape tried: write the machine's /sys. The lab's /sys is a sysfs of
// its own network namespace (labSys); it mounts another (the kernel
// allows sysfs in a lab with its own network namespace) and writes a
// machine-wide setting through both, with the value it already has.
func TestAttackWriteSys(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	const setting = "/sys/kernel/mm/transparent_hugepage/enabled"
	out := runAttack(t, l, `exec 2>/dev/null
v=$(cat /sys/kernel/mm/transparent_hugepage/enabled | sed 's/.*\[\(.*\)\].*/\1/')
echo $v > /sys/kernel/mm/transparent_hugepage/enabled && echo WROTE-SYS
mount -t sysfs sysfs /mnt || { echo no-sysfs; exit; }
v=$(cat /mnt/kernel/mm/transparent_hugepage/enabled | sed 's/.*\[\(.*\)\].*/\1/')
echo $v > /mnt/kernel/mm/transparent_hugepage/enabled && echo WROTE
echo 1 > /mnt/kernel/uevent_seqnum && echo WROTE-SEQ
echo done`)
	if out != "done" && out != "no-sysfs" {
		t.Errorf("ATTACK WORKED: %q", out)
	}
	if _, err := os.Stat(setting); err != nil {
		t.Logf("this machine has no %s: the attack wrote nothing either way", setting)
	}
	afterAttack(t, e, other)
}

// hostSleep starts a process of the real machine for an attack to aim at.
func hostSleep(t *testing.T) *exec.Cmd {
	t.Helper()
	c := exec.Command("sleep", "100")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	return c
}

// hostAlive fails unless the real machine's process still runs.
func hostAlive(t *testing.T, c *exec.Cmd) {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(c.Process.Pid) + "/stat")
	if err != nil || strings.Contains(string(b), ") Z ") || strings.Contains(string(b), ") T ") {
		t.Errorf("ATTACK WORKED: the machine's process %d was killed or stopped (%s)", c.Process.Pid, b)
	}
}

// Escape tried: see the machine's processes: /proc lists the lab's only,
// and a PID of the machine is not there.
func TestAttackSeeHostProcesses(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	c := hostSleep(t)
	// No pipeline: a forked pipeline stage may show up before its exec.
	out, _ := run(t, l, "ps -eo comm= > /tmp/ps; sort /tmp/ps | tr '\\n' ' '; ls /proc > /tmp/ls; grep -c '^[0-9]' /tmp/ls; cat /proc/"+strconv.Itoa(c.Process.Pid)+"/cmdline 2>/dev/null")
	if out != "init ps sh 3" {
		t.Errorf("ATTACK WORKED: the lab sees %q, want its own init, sh and ps only (and 3 PIDs: init, sh, ls)", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: kill -9 and stop the machine's processes by their PID
// numbers (the server's, a sleep's, PID 1 of the machine).
func TestAttackKillHostProcess(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	c := hostSleep(t)
	run(t, l, fmt.Sprintf("for p in %d %d; do kill -9 $p; kill -STOP $p; done 2>/dev/null; kill -9 -1 2>/dev/null; true", c.Process.Pid, os.Getpid()))
	hostAlive(t, c)
	afterAttack(t, e, other)
}

// Escape tried: ptrace a machine's process by its PID number (to run code
// as the server or as root).
func TestAttackPtraceHostProcess(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	c := hostSleep(t)
	out := runAttack(t, l, fmt.Sprintf("h ptrace %d; h ptrace %d", c.Process.Pid, os.Getpid()))
	for _, errno := range strings.Split(out, "\n") {
		if errno == "0" {
			t.Errorf("ATTACK WORKED: the lab attached to a machine's process: %q", out)
		}
	}
	hostAlive(t, c)
	afterAttack(t, e, other)
}

// Escape tried: change the real machine's hostname, directly and from a
// nested UTS namespace.
func TestAttackChangeRealHostname(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out, _ := run(t, l, "hostname evil; unshare -u hostname evil2; echo evil3 2>/dev/null > /proc/sys/kernel/hostname; hostname")
	if out != "evil" && out != "evil3" {
		t.Errorf("the lab's own hostname is %q, want evil or evil3", out)
	}
	afterAttack(t, e, other) // checks the real hostname and the neighbour's
}

// Escape tried: load a kernel module (init_module, finit_module of a
// module file of the machine; modprobe, insmod) or remove one.
func TestAttackLoadModule(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, fmt.Sprintf(`h syscall %d 0 0 0; h syscall %d 0 0 0; h syscall %d 0 0
exec 2>/dev/null; m=$(find /lib/modules -name '*.ko*' | head -1)
if [ -n "$m" ]; then modprobe -a dummy && echo MODPROBE; insmod $m && echo INSMOD; fi`,
		unix.SYS_INIT_MODULE, unix.SYS_FINIT_MODULE, unix.SYS_DELETE_MODULE))
	wantErrno(t, "load a module", out, unix.ENOSYS)
	afterAttack(t, e, other)
}

// Escape tried: reboot the machine (or, in the lab's PID namespace, end
// the lab by "rebooting" it) with reboot(2).
func TestAttackReboot(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, fmt.Sprintf("h syscall %d 0x%x 0x%x 0x%x 0; h syscall %d 0x%x 0x%x 0x%x 0",
		unix.SYS_REBOOT, unix.LINUX_REBOOT_MAGIC1, unix.LINUX_REBOOT_MAGIC2, unix.LINUX_REBOOT_CMD_RESTART,
		unix.SYS_REBOOT, unix.LINUX_REBOOT_MAGIC1, unix.LINUX_REBOOT_MAGIC2, unix.LINUX_REBOOT_CMD_POWER_OFF))
	wantErrno(t, "reboot", out, unix.ENOSYS)
	if out, _ := run(t, l, "echo alive"); out != "alive" {
		t.Errorf("the lab after reboot(2): %q", out)
	}
	afterAttack(t, e, other)
}

// trySyscall is an attack on one denied system call: it must fail with
// ENOSYS, the errno documented for them all.
func trySyscall(t *testing.T, calls ...uintptr) {
	t.Helper()
	e, l, other := attackLabs(t, Config{})
	var script strings.Builder
	for _, nr := range calls {
		fmt.Fprintf(&script, "h syscall %d 0 0 0 0 0 0\n", nr)
	}
	wantErrno(t, fmt.Sprintf("system calls %v", calls), runAttack(t, l, script.String()), unix.ENOSYS)
	afterAttack(t, e, other)
}

// Escape tried: the kernel keyrings, which no namespace separates.
func TestAttackKeyring(t *testing.T) {
	trySyscall(t, unix.SYS_KEYCTL, unix.SYS_ADD_KEY, unix.SYS_REQUEST_KEY)
}

// Escape tried: load a BPF program (kernel code from the lab).
func TestAttackBPF(t *testing.T) { trySyscall(t, unix.SYS_BPF) }

// Escape tried: perf_event_open, the profiling interface with a long list
// of kernel bugs.
func TestAttackPerfEventOpen(t *testing.T) { trySyscall(t, unix.SYS_PERF_EVENT_OPEN) }

// Escape tried: userfaultfd, which makes kernel races winnable.
func TestAttackUserfaultfd(t *testing.T) { trySyscall(t, unix.SYS_USERFAULTFD) }

// Escape tried: io_uring, a second system call interface.
func TestAttackIoUring(t *testing.T) {
	trySyscall(t, unix.SYS_IO_URING_SETUP, unix.SYS_IO_URING_ENTER, unix.SYS_IO_URING_REGISTER)
}

// Escape tried: take the machine's whole Linux AIO pool (fs.aio-max-nr),
// which no namespace or cgroup divides, so that the real machine's root
// gets EAGAIN from io_setup.
func TestAttackExhaustAIO(t *testing.T) {
	trySyscall(t, unix.SYS_IO_SETUP, unix.SYS_IO_SUBMIT, unix.SYS_IO_GETEVENTS, unix.SYS_IO_PGETEVENTS)
}

// Escape tried: take every PTY of the pool that all devpts instances but
// the real machine's share, first through the lab's own /dev/ptmx, then
// through a devpts instance the lab mounts for itself, so that another lab
// cannot open a terminal.
func TestAttackExhaustPTYs(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	if out := runAttack(t, l, "h ptys /dev/ptmx 1000"); out != strconv.Itoa(labPTYMax) {
		t.Errorf("ATTACK: the lab opened %s PTYs through its own devpts, want the cap of %d", out, labPTYMax)
	}
	// Its own devpts instance, without a cap: it holds what it gets while
	// the neighbour opens a terminal.
	const want = 3500 // more than the default pool of 4096 less its reserve of 1024
	hold := "unshare -m sh -c 'mkdir -p /tmp/pts && mount -t devpts -o newinstance,ptmxmode=0666 none /tmp/pts && " +
		attackHelperEnv + "=1 exec /proc/self/fd/0 ptys /tmp/pts/ptmx " + strconv.Itoa(want) + " 30'"
	n, p := holdInLab(t, l, hold)
	t.Logf("the lab holds %d PTYs in a devpts of its own", n)
	proc, pty, err := other.StartPTY(context.Background(), ProcSpec{Argv: []string{"sh", "-c", "tty"}}, 24, 80)
	if err != nil {
		t.Fatalf("ATTACK WORKED: the neighbour cannot open a terminal: %v", err)
	}
	out, _ := io.ReadAll(pty)
	pty.Close()
	proc.Wait()
	if !strings.HasPrefix(string(out), "/dev/pts/") {
		t.Errorf("ATTACK WORKED: the neighbour's terminal says %q", out)
	}
	p.Signal(syscall.SIGKILL)
	p.Wait()
	afterAttack(t, e, other)
}

// Escape tried: load a new kernel to boot into.
func TestAttackKexec(t *testing.T) { trySyscall(t, unix.SYS_KEXEC_LOAD, unix.SYS_KEXEC_FILE_LOAD) }

// Escape tried: open a file of the machine by its handle, past the lab's
// root (the "shocker" escape).
func TestAttackOpenByHandleAt(t *testing.T) {
	trySyscall(t, unix.SYS_OPEN_BY_HANDLE_AT, unix.SYS_NAME_TO_HANDLE_AT)
}

// Escape tried: process accounting to a file of the lab's choosing.
func TestAttackAcct(t *testing.T) { trySyscall(t, unix.SYS_ACCT) }

// Escape tried: swap to a lab file (and off the machine's swap).
func TestAttackSwapon(t *testing.T) { trySyscall(t, unix.SYS_SWAPON, unix.SYS_SWAPOFF) }

// Escape tried: the x32 system call table on amd64, whose numbers a
// filter by native numbers would let by.
// Other architectures have no x32 table; there the native call is tried.
func TestAttackX32ABI(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		trySyscall(t, unix.SYS_KEYCTL)
		return
	}
	trySyscall(t, x32SyscallBit+unix.SYS_KEYCTL, x32SyscallBit+unix.SYS_GETPID)
}

// Escape tried: type commands into another terminal of the lab (the shell
// a visitor sees) with TIOCSTI, with and without upper bits in the ioctl
// request (the kernel reads its low 32 bits), and through TIOCLINUX.
func TestAttackInjectIntoOtherTerminal(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	p, master, err := l.StartPTY(context.Background(), ProcSpec{Argv: []string{"sh"}}, 24, 80)
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	go io.Copy(io.Discard, master)
	out := runAttack(t, l, `h inject /dev/pts/0 'touch /tmp/pwned'
h ioctl-char /dev/pts/0 0x5412 x; h ioctl-char /dev/pts/0 0xffffffff00005412 x; h ioctl-char /dev/pts/0 0x100005412 x
h ioctl-char /dev/pts/0 0x541c x; h ioctl-char /dev/pts/0 0xffffffff0000541c x`)
	wantErrno(t, "TIOCSTI or TIOCLINUX into the visitor's terminal", out, unix.EPERM)
	// Had a byte gone through, the shell would run it: give it a moment.
	master.Write([]byte("echo done > /tmp/done\n"))
	deadline := time.Now().Add(10 * time.Second)
	for {
		if out, _ := run(t, l, "cat /tmp/done 2>/dev/null; ls /tmp/pwned 2>/dev/null"); out != "" {
			if out != "done" {
				t.Errorf("ATTACK WORKED: %q", out)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the lab's shell never ran the visitor's own command")
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.Signal(syscall.SIGKILL)
	afterAttack(t, e, other)
}

// Escape tried: reach the server's terminal (the one it was started on,
// if any): lab processes have no controlling terminal but their own, and
// TIOCSTI on the descriptors the server passed fails too.
func TestAttackInjectIntoServerTerminal(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, "h open /dev/tty rw; h ioctl-char 1 0x5412 x; h ioctl-char 1 0xffffffff00005412 x")
	if want := fmt.Sprintf("%d\n%d\n%d", unix.ENXIO, unix.EPERM, unix.EPERM); out != want {
		t.Errorf("ATTACK: got %q, want /dev/tty to be ENXIO and TIOCSTI EPERM", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: gain privilege through a setuid binary: the machine's su
// and passwd, and a setuid-root copy made in the lab. no_new_privs and
// nosuid mounts keep every process at the IDs it had, all in the lab's
// range.
func TestAttackSetuidBinary(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out, _ := run(t, l, `exec 2>/dev/null </dev/null
grep NoNewPrivs /proc/self/status | tr -d '\t '
cp /usr/bin/id /tmp/id && chown 0:0 /tmp/id && chmod 4755 /tmp/id
as() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
as /tmp/id -u
as su -c 'id -u' root || echo su-refused
as passwd -d root >/dev/null || echo passwd-refused
as sh -c 'echo x >> /etc/shadow' || echo shadow-refused`)
	if out != "NoNewPrivs:1\n1000\nsu-refused\npasswd-refused\nshadow-refused" {
		t.Errorf("ATTACK WORKED (or the tools changed): %q", out)
	}
	startSleep(t, l)
	pids, _ := l.PIDs()
	lo, hi := uint64(l.IDBase()), uint64(l.IDBase())+idRangeSize
	for _, pid := range pids {
		for _, id := range hostIDs(t, pid) {
			if id < lo || id >= hi {
				t.Errorf("ATTACK WORKED: PID %d runs as host ID %d, outside the lab's [%d, %d)", pid, id, lo, hi)
			}
		}
	}
	afterAttack(t, e, other)
}

// Escape tried: overwrite the binary the server runs (as root) through
// /proc/PID/exe (CVE-2019-5736): of the lab's init, which is that binary;
// of the attack helper itself, also that binary; of a process that
// entered init's namespaces with nsenter.
func TestAttackOverwriteBinaryThroughProcExe(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, exe)
	out := runAttack(t, l, `h open /proc/1/exe w; h open /proc/1/exe rw; h open /proc/self/exe w; h open /proc/self/fd/0 w
nsenter -t 1 -a sleep 30 </dev/null >/dev/null 2>&1 & p=$!; sleep 0.2; h open /proc/$p/exe w
exec 2>/dev/null; cp /bin/true /proc/1/exe && echo COPIED; echo x >> /proc/1/exe && echo APPENDED; true`)
	for _, errno := range strings.Split(out, "\n") {
		// EROFS: the nsenter'd sleep is the lab's read-only /usr's.
		if errno != strconv.Itoa(int(unix.EACCES)) && errno != strconv.Itoa(int(unix.ETXTBSY)) && errno != strconv.Itoa(int(unix.EROFS)) {
			t.Errorf("ATTACK: opening the server's binary for writing gave %q (all: %q), want EACCES, ETXTBSY or EROFS", errno, out)
		}
	}
	if fileSum(t, exe) != before {
		t.Fatal("ATTACK WORKED: the server's binary changed")
	}
	afterAttack(t, e, other)
}

// Escape tried: use a descriptor of whatever started the server, which a
// lab's init or process would inherit, through /proc/1/fd and
// /proc/self/fd.
func TestAttackLeakedServerDescriptor(t *testing.T) {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil { // no O_CLOEXEC, as an inherited fd
		t.Fatal(err)
	}
	defer syscall.Close(p[0])
	defer syscall.Close(p[1])
	e, l, other := attackLabs(t, Config{})
	// init's stderr is the engine's pipe that logs it (initstderr.go).
	var st unix.Stat_t
	if err := unix.Fstat(int(l.stderr.r.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	initStderr := fmt.Sprintf("2 pipe:[%d]", st.Ino)
	// An fd whose link cannot be read was closed between the listing and
	// the readlink: init holds the descriptors of a process it starts
	// (this shell's stdio, received from the engine) until the fork is
	// done, and the shell may list them in that moment. Only what init
	// still holds counts.
	out, _ := run(t, l, `for f in /proc/1/fd/*; do l=$(readlink $f) && echo "${f##*/} $l"; done`)
	for _, fd := range strings.Split(out, "\n") {
		_, target, _ := strings.Cut(fd, " ")
		switch {
		case fd == initStderr, target == "/dev/null", target == "/dev/pts", strings.HasPrefix(target, "socket:"), strings.HasPrefix(target, "anon_inode:"):
		default:
			t.Errorf("ATTACK WORKED: lab init holds %s (all: %s)", fd, out)
		}
	}
	// A lab process holds its stdio, and the folder ls reads: nothing else.
	out, _ = run(t, l, "ls /proc/self/fd | tr '\\n' ' '")
	if out != "0 1 2 3" {
		t.Errorf("ATTACK WORKED: a lab process holds descriptors %q, want 0 1 2 (and ls's 3)", out)
	}
	afterAttack(t, e, other)
}

// listen opens a TCP listener of the real machine and returns its address
// and a check that it was never connected to.
func listen(t *testing.T, network, addr string) (string, func()) {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String(), func() {
		t.Helper()
		ln.(interface{ SetDeadline(time.Time) error }).SetDeadline(time.Now().Add(50 * time.Millisecond))
		if c, err := ln.Accept(); err == nil {
			c.Close()
			t.Errorf("ATTACK WORKED: the lab connected to %s %s", network, ln.Addr())
		}
	}
}

// Escape tried: connect to the server's port (a listener on the real
// machine's 127.0.0.1 and ::1, and on each of the machine's other
// addresses, and an abstract Unix socket): the lab's network namespace
// has a loopback of its own and nothing else.
func TestAttackConnectServerPort(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	var script strings.Builder
	var checks []func()
	targets := []string{"127.0.0.1:0", "[::1]:0"}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if ok && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() {
			targets = append(targets, net.JoinHostPort(ipn.IP.String(), "0"))
		}
	}
	for _, target := range targets {
		addr, check := listen(t, "tcp", target)
		checks = append(checks, check)
		fmt.Fprintf(&script, "h connect tcp %s\n", addr)
	}
	abstract := "@nslab-attack-" + strconv.Itoa(os.Getpid())
	_, check := listen(t, "unix", abstract)
	checks = append(checks, check)
	fmt.Fprintf(&script, "h connect unix %s\n", abstract)
	out := runAttack(t, l, script.String())
	if strings.Contains(out, "connected") || strings.Count(out, "refused:") != len(targets)+1 {
		t.Errorf("ATTACK: connecting to the machine's listeners %v: %q", targets, out)
	}
	for _, c := range checks {
		c()
	}
	afterAttack(t, e, other)
}

// Escape tried: connect to any address outside (the internet, the
// machine's gateway): there is no route.
func TestAttackConnectOutside(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, "for a in 1.1.1.1:80 8.8.8.8:53 10.0.0.1:22 192.0.2.1:80 [2606:4700::1111]:80 [fe80::1%lo]:80; do h connect tcp $a; done")
	if strings.Contains(out, "connected") || strings.Count(out, "refused:") != 6 {
		t.Errorf("ATTACK WORKED: %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: a nested user namespace whose map reaches host IDs
// outside the lab's range (the real root's, another lab's). The kernel
// allows only IDs the lab's own namespace maps: 0 to 65535.
func TestAttackNestedUserNamespaceOutsideRange(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, `unshare -U sleep 30 & p=$!
while [ "$(readlink /proc/$p/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do sleep 0.05; done
h write /proc/$p/uid_map '0 65536 1'; h write /proc/$p/uid_map '0 0 65537'; h write /proc/$p/uid_map '0 4294967294 1'
h write /proc/$p/gid_map '0 65536 1'; h write /proc/$p/gid_map '0 65535 2'
h write /proc/$p/uid_map '0 1000 1'; kill $p`)
	want := strings.Repeat(strconv.Itoa(int(unix.EPERM))+"\n", 5) + "0" // the last map is the lab's own: allowed
	if out != want {
		t.Errorf("ATTACK: writing maps beyond the lab's IDs gave %q, want EPERM each (and the lab's own ID allowed)", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: plant symlinks, FIFOs and mounts where the lab's own
// setup looks later: the working folder of a new process, /dev/null
// (a FIFO would block init's open), /dev/ptmx and /dev/pts (a terminal of
// the lab's choosing, or one of the machine's). The engine and init
// follow no path the lab controls after setup.
func TestAttackSymlinksIntoSetup(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	run(t, l, `exec 2>/dev/null
ln -s /proc/1/root/.. /tmp/up; ln -s ../../../../.. /root/dotdot
rm -f /dev/null && mkfifo /dev/null
rm -f /dev/ptmx && ln -s /proc/1/root/etc/passwd /dev/ptmx
umount -l /dev/pts; mount -t tmpfs evil /dev/pts && ln -s /etc/passwd /dev/pts/ptmx && ln -s /etc/passwd /dev/pts/0
true`)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, dir := range []string{"/tmp/up", "/root/dotdot", "/proc/1/cwd/.."} {
		r, w, _ := os.Pipe()
		p, err := l.Start(ctx, ProcSpec{Argv: []string{"sh", "-c", "pwd -P; ls"}, Dir: dir, Stdout: w})
		w.Close()
		if err != nil {
			t.Fatalf("start in %s: %v", dir, err)
		}
		out, _ := io.ReadAll(r)
		r.Close()
		p.Wait()
		if got := strings.Fields(string(out)); len(got) == 0 || got[0] != "/" || !slices.Contains(got, "root") || slices.Contains(got, "srv") {
			t.Errorf("ATTACK: a process started in %s sees %q, want the lab's root", dir, out)
		}
	}
	// /dev/null is a FIFO now: a start without stdio must not block.
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"true"}})
	if err != nil {
		t.Fatalf("ATTACK WORKED: a start without stdio: %v", err)
	}
	p.Wait()
	// A terminal still comes from the lab's own devpts, and is one.
	p, master, err := l.StartPTY(ctx, ProcSpec{Argv: []string{"sh", "-c", "stty size; ls /dev/pts"}}, 33, 99)
	if err != nil {
		t.Fatalf("ATTACK WORKED: StartPTY after the lab replaced /dev/pts: %v", err)
	}
	b, _ := io.ReadAll(master)
	master.Close()
	p.Wait()
	if got := strings.ReplaceAll(strings.TrimSpace(string(b)), "\r", ""); got != "33 99\n0  ptmx" {
		t.Errorf("ATTACK: the terminal after the lab replaced /dev/pts says %q, want 33 99 and the attacker's files", got)
	}
	if fileSum(t, "/etc/passwd") == "" {
		t.Fatal("no /etc/passwd")
	}
	afterAttack(t, e, other)
}

// Escape tried: kill or stop another lab's processes by their real
// machine PIDs, and everything with kill -1.
func TestAttackSignalOtherLab(t *testing.T) {
	e, l, victim := attackLabs(t, Config{})
	startSleep(t, victim)
	pids, err := victim.PIDs()
	if err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	for _, p := range pids {
		fmt.Fprintf(&script, "kill -9 %d; kill -STOP %d; ", p, p)
	}
	run(t, l, "exec 2>/dev/null; "+script.String()+"kill -9 -1; true")
	after, _ := victim.PIDs()
	if !slices.Equal(pids, after) {
		t.Errorf("ATTACK WORKED: the other lab's processes went from %v to %v", pids, after)
	}
	afterAttack(t, e, victim)
}

// Escape tried: reach another lab's System V IPC objects (a message queue
// it made) by listing or by guessing the ID.
func TestAttackOtherLabIPC(t *testing.T) {
	e, l, victim := attackLabs(t, Config{})
	id, _ := run(t, victim, "ipcmk -Q | grep -o '[0-9]*$'")
	if id == "" {
		t.Fatal("the victim lab made no queue")
	}
	out := runAttack(t, l, fmt.Sprintf("ipcs -q | grep -c 0x; h syscall %d %s %d 0", unix.SYS_MSGCTL, id, unix.IPC_RMID))
	if want := fmt.Sprintf("0\n%d", unix.EINVAL); out != want {
		t.Errorf("ATTACK: the attacker's view of the other lab's queue %s: %q, want %q", id, out, want)
	}
	if out, _ := run(t, victim, "ipcs -q | grep -c 0x"); out != "1" {
		t.Errorf("ATTACK WORKED: the other lab's queue is gone: %q", out)
	}
	afterAttack(t, e, victim)
}

// Escape tried: read or write another lab's files through
// /proc/PID/root, by its real machine PIDs and by every PID the
// attacker can see.
func TestAttackOtherLabFiles(t *testing.T) {
	e, l, victim := attackLabs(t, Config{})
	run(t, victim, "echo secret > /tmp/secret")
	out, _ := run(t, l, fmt.Sprintf("exec 2>/dev/null; cat /proc/*/root/tmp/secret /proc/%d/root/tmp/secret; echo x > /proc/%d/root/tmp/secret; echo done", victim.InitPID(), victim.InitPID()))
	if out != "done" {
		t.Errorf("ATTACK WORKED: %q", out)
	}
	if out, _ := run(t, victim, "cat /tmp/secret"); out != "secret" {
		t.Errorf("ATTACK WORKED: the other lab's file says %q", out)
	}
	// Had the attacker a path, the file is not its IDs' to read.
	var st unix.Stat_t
	if err := unix.Stat(fmt.Sprintf("/proc/%d/root/tmp/secret", victim.InitPID()), &st); err != nil {
		t.Fatal(err)
	}
	if st.Uid != victim.IDBase() || st.Uid == l.IDBase() {
		t.Errorf("the other lab's file belongs to host user %d (victim base %d, attacker base %d)", st.Uid, victim.IDBase(), l.IDBase())
	}
	afterAttack(t, e, victim)
}

// Escape tried: find and write another lab's cgroup (to lower its limits
// or freeze it) through cgroup file systems mounted in the lab.
func TestAttackOtherLabCgroup(t *testing.T) {
	e, l, victim := attackLabs(t, Config{})
	pidsMax := filepath.Join(victim.cg.dirs[0], "pids.max")
	before, err := os.ReadFile(pidsMax)
	if err != nil {
		t.Fatal(err)
	}
	out := runAttack(t, l, `exec 2>/dev/null
mount -t cgroup2 none /mnt && { find /mnt -name cgroup.procs | wc -l; for f in $(find /mnt -name pids.max); do echo 1 > $f && echo WROTE $f; done; umount /mnt; }
mount -t cgroup -o pids none /mnt && { find /mnt -mindepth 1 -type d | wc -l; for f in $(find /mnt -name pids.max); do echo 1 > $f && echo WROTE $f; done; umount /mnt; }
echo done`)
	if strings.Contains(out, "WROTE") || !strings.HasSuffix(out, "done") {
		t.Errorf("ATTACK WORKED: %q", out)
	}
	// The lab sees its own cgroup only: no folder below its root.
	for _, f := range strings.Fields(strings.TrimSuffix(out, "done")) {
		if f != "0" && f != "1" {
			t.Errorf("ATTACK: the lab sees %s cgroups in a hierarchy (all: %q)", f, out)
		}
	}
	if after, _ := os.ReadFile(pidsMax); string(after) != string(before) {
		t.Errorf("ATTACK WORKED: the other lab's pids.max went from %q to %q", before, after)
	}
	afterAttack(t, e, victim)
}

// Escape tried: raise the lab's own limits through a cgroup file system
// mounted inside the lab (allowed: the lab owns its cgroup namespace).
func TestAttackRaiseOwnCgroupLimits(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	script := `
mount -t cgroup2 none /mnt 2>/dev/null && { (echo max > /mnt/pids.max) 2>/dev/null && echo RAISED; umount /mnt; }
mount -t cgroup -o pids none /mnt 2>/dev/null && { (echo max > /mnt/pids.max) 2>/dev/null && echo RAISED; umount /mnt; }
mount -t cgroup -o memory none /mnt 2>/dev/null && { (echo -1 > /mnt/memory.limit_in_bytes) 2>/dev/null && echo RAISED; umount /mnt; }
echo done`
	if out, _ := run(t, l, script); out != "done" {
		t.Errorf("ATTACK WORKED: the lab raised its limits: %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: end the lab (and whatever the engine does with it) by
// killing or stopping its init from inside.
func TestAttackKillLabInit(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	run(t, l, "for s in TERM INT HUP QUIT USR1 USR2 ALRM TSTP TTIN TTOU STOP KILL; do kill -$s 1; done; sleep 0.1")
	select {
	case <-l.Done():
		t.Fatal("ATTACK WORKED: signals from inside ended the lab")
	default:
	}
	if out, _ := run(t, l, "echo alive"); out != "alive" {
		t.Errorf("ATTACK WORKED: lab answers %q after signals to its init", out)
	}
	// The lab's processes get default dispositions, not init's.
	if out, _ := run(t, l, "exec 2>/dev/null; sleep 100 & kill -TERM $!; wait $!; echo $?"); out != "143" {
		t.Errorf("SIGTERM to a lab process: %q, want 143", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: exhaust the machine's user namespaces (and so stop the
// server from making labs) by holding many nested ones, and raise the
// lab's limit first.
func TestAttackExhaustNamespaces(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	limit := labNamespaceLimits["max_user_namespaces"]
	out := runAttack(t, l, fmt.Sprintf(`h write /proc/sys/user/max_user_namespaces 100000; h write /proc/sys/user/max_mnt_namespaces 100000
for i in $(seq %d); do unshare -U sleep 30 </dev/null >/dev/null 2>&1 & done
while pgrep -x unshare >/dev/null; do sleep 0.1; done # each has made its namespace and become sleep, or failed
ls -l /proc/*/ns/user 2>/dev/null | grep -o 'user:\[[0-9]*\]' | sort -u | wc -l`, limit+20))
	lines := strings.Split(out, "\n")
	if len(lines) != 3 || lines[0] != strconv.Itoa(int(unix.EACCES)) || lines[1] != strconv.Itoa(int(unix.EACCES)) {
		t.Errorf("ATTACK WORKED: the lab raised its namespace limits: %q", out)
	}
	if n, _ := strconv.Atoi(lines[len(lines)-1]); n > limit+1 || n < limit/2 {
		t.Errorf("ATTACK: the lab holds %d user namespaces (its own included), want at most %d", n, limit+1)
	}
	if err := exec.Command("unshare", "-U", "true").Run(); err != nil {
		t.Errorf("ATTACK WORKED: the machine cannot make a user namespace: %v", err)
	}
	if out, _ := run(t, other, "unshare -U echo ok"); out != "ok" {
		t.Errorf("ATTACK WORKED: the neighbour cannot make a user namespace: %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: exhaust inotify instances, which the kernel counts per
// user of each user namespace up the chain to the real machine's: with
// the lab's namespace owned by the server's root, 128 in a lab would leave
// none for the machine's root (systemd, the server). Owned by the lab's
// own ID, the lab shares the machine's per-user limit with no one, however
// many of its users it uses.
func TestAttackExhaustInotify(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	total := 0
	for _, uid := range []string{"0", "1000"} {
		hold := attackHelperEnv + "=1 exec setpriv --reuid " + uid + " /proc/self/fd/0 inotify 300 30"
		held, _ := holdInLab(t, l, hold)
		t.Logf("lab user %s holds %d inotify instances", uid, held)
		total += held
	}
	out := runAttack(t, l, attackHelperEnv+"=1 setpriv --reuid 2000 /proc/self/fd/0 inotify 300; h inotify 300")
	for _, n := range strings.Fields(out) {
		n, _ := strconv.Atoi(n)
		if n > labNamespaceLimits["max_inotify_instances"] {
			t.Errorf("ATTACK: a process of the lab opened %d inotify instances (all: %q)", n, out)
		}
		total += n
	}
	// All the lab's users together are one user of the real machine.
	b, _ := os.ReadFile("/proc/sys/fs/inotify/max_user_instances")
	if max, err := strconv.Atoi(strings.TrimSpace(string(b))); err != nil || total > max {
		t.Errorf("ATTACK: the lab holds %d inotify instances in all, more than the machine's %d per user (%v)", total, max, err)
	}
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC)
	if err != nil {
		t.Errorf("ATTACK WORKED: the machine's root cannot open an inotify instance: %v", err)
	} else {
		unix.Close(fd)
	}
	if out := runAttack(t, other, "h inotify 10"); out != "10" {
		t.Errorf("ATTACK WORKED: the neighbour opens %s of 10 inotify instances", out)
	}
	afterAttack(t, e, other)
}

// holdInLab starts script in l with the attack helper as its stdin; the
// script runs the helper in a holding mode, which prints how many objects
// it holds once it holds them and then keeps them. holdInLab returns that
// count and the process, which the test's end kills.
func holdInLab(t *testing.T, l *Lab, script string) (int, *Proc) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sh", "-c", script}, Stdin: openSelf(t), Stdout: w})
	w.Close()
	if err != nil {
		r.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Signal(syscall.SIGKILL) })
	line, _ := bufio.NewReader(r).ReadString('\n')
	r.Close()
	n, _ := strconv.Atoi(strings.TrimSpace(line))
	return n, p
}

// openSelf opens the test binary, to pass as the attack helper.
func openSelf(t *testing.T) *os.File {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// capMask reads a Cap… line of /proc/self/status as printed in the lab.
func capMask(t *testing.T, out, field string) uint64 {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			m, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("no %s in %q", field, out)
	return 0
}

// Escape tried: use a capability the lab does without (load modules, raw
// I/O, make devices, raise the lab's limits…) as the lab's root. (A
// nested user namespace starts with every capability again, the kernel's
// rule, but they reach only what that namespace owns: TestAttackMknod
// and TestAttackExhaustNamespaces try it from there.)
func TestAttackDroppedCapabilities(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out, _ := run(t, l, "grep Cap /proc/self/status; su -c 'grep Cap /proc/self/status' root | sed s/Cap/Su/")
	for _, field := range []string{"CapBnd", "CapEff", "CapPrm", "SuBnd", "SuEff"} {
		m := capMask(t, out, field)
		for _, c := range droppedCapabilities {
			if m&(1<<c.capability) != 0 {
				t.Errorf("ATTACK WORKED: %s has capability %d (%s)", field, c.capability, c.why)
			}
		}
		if m&(1<<unix.CAP_SYS_ADMIN) == 0 {
			t.Errorf("%s lacks CAP_SYS_ADMIN, which lessons need", field)
		}
	}
	afterAttack(t, e, other)
}

// Escape tried: raise the lab's resource limits (open files, core dumps)
// past what init set.
func TestAttackRaiseRlimits(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out, _ := run(t, l, "exec 2>/dev/null; ulimit -Hn 1000000 && echo RAISED-NOFILE; ulimit -c unlimited && echo RAISED-CORE; ulimit -c; ulimit -Hn")
	if out != "0\n4096" {
		t.Errorf("ATTACK WORKED: %q", out)
	}
	afterAttack(t, e, other)
}

// Escape tried: start a process with a working folder outside the lab
// (a path that climbs out, or through init's /proc links).
func TestAttackWorkingFolderOutsideLab(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	ctx := context.Background()
	for _, dir := range []string{"/..", "/../../..", "/proc/1/root/..", "/proc/1/cwd/..", "/proc/self/root/.."} {
		r, w, _ := os.Pipe()
		p, err := l.Start(ctx, ProcSpec{Argv: []string{"sh", "-c", "ls -a | tr '\\n' ' '; readlink /proc/1/root /proc/1/cwd"}, Dir: dir, Stdout: w})
		w.Close()
		if err != nil {
			t.Fatalf("start in %s: %v", dir, err)
		}
		out, _ := io.ReadAll(r)
		r.Close()
		p.Wait()
		const want = ". .. bin dev etc home lib lib64 mnt opt proc root run sbin sys tmp usr var /\n/"
		if strings.TrimSpace(string(out)) != want {
			t.Errorf("ATTACK: started in %s, a process sees %q, want the lab's root", dir, out)
		}
	}
	afterAttack(t, e, other)
}

// Escape tried: the cgroup v1 release_agent (CVE-2022-0492): mount a v1
// hierarchy (or a new named one) in the lab, set release_agent to a
// program of the lab's and let the real machine's kernel run it as root
// when a cgroup empties.
func TestAttackCgroupReleaseAgent(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	agents, _ := filepath.Glob("/sys/fs/cgroup/*/release_agent")
	before := map[string]string{}
	for _, a := range agents {
		b, _ := os.ReadFile(a)
		before[a] = string(b)
	}
	out, _ := run(t, l, `exec 2>/dev/null
mount -t cgroup -o none,name=evil x /mnt && { echo NEW-HIERARCHY; umount /mnt; }
for c in memory pids cpu,cpuacct devices freezer rdma; do
	mount -t cgroup -o $c x /mnt || continue
	echo /tmp/agent > /mnt/release_agent && echo AGENT-$c
	mkdir /mnt/x && echo 1 > /mnt/x/notify_on_release && echo NOTIFY-$c
	umount /mnt
done
echo done`)
	if out != "done" {
		t.Errorf("ATTACK WORKED: %q", out)
	}
	for _, a := range agents {
		if b, _ := os.ReadFile(a); string(b) != before[a] {
			t.Errorf("ATTACK WORKED: %s is %q", a, b)
		}
	}
	afterAttack(t, e, other)
}
