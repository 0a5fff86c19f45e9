//go:build linux

package nsengine

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nslab/nslab/nsstate"
)

// watchNames is the attack helper's inotify-watch: it watches dirs for
// every event, prints "watching" once the watches are set, then prints
// each file name it sees an event for (once) until it sees stop, or 20
// seconds pass.
func watchNames(stop string, dirs []string) (string, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC)
	if err != nil {
		return "", fmt.Errorf("inotify: %w", err)
	}
	defer unix.Close(fd)
	for _, d := range dirs {
		if _, err := unix.InotifyAddWatch(fd, d, unix.IN_ALL_EVENTS); err != nil {
			return "", fmt.Errorf("watch %s: %w", d, err)
		}
	}
	fmt.Println("watching")
	seen := map[string]bool{}
	deadline := time.Now().Add(20 * time.Second)
	buf := make([]byte, 64<<10)
	for time.Now().Before(deadline) {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		if n, err := unix.Poll(pfd, 200); err != nil || n == 0 {
			continue
		}
		n, err := unix.Read(fd, buf)
		if err != nil {
			return "", fmt.Errorf("read inotify: %w", err)
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := strings.TrimRight(string(buf[off+unix.SizeofInotifyEvent:off+unix.SizeofInotifyEvent+int(ev.Len)]), "\x00")
			off += unix.SizeofInotifyEvent + int(ev.Len)
			if name != "" && !seen[name] {
				seen[name] = true
				fmt.Println(name)
			}
			if name == stop {
				return "stop", nil
			}
		}
	}
	return "timeout", nil
}

// Escape tried: spy on other labs and on the real machine through shared
// inodes. A lab watches /usr/bin and /etc with inotify while its neighbour
// runs commands and reads files there, and while the real machine's root
// does; then the lab itself does, which its watch must see (so that the
// test can fail). Each lab's system folders are overlays of its own
// (overlaySystemFolder, writableEtc), so a watch sees its own lab only.
func TestAttackInotifySpyOtherLabs(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	watch := attackHelperEnv + "=1 exec /proc/self/fd/0 inotify-watch nl /usr/bin /etc"
	p, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sh", "-c", watch}, Stdin: openSelf(t), Stdout: w, Stderr: w})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Signal(syscall.SIGKILL) })
	lines := bufio.NewScanner(r)
	if !lines.Scan() || lines.Text() != "watching" {
		t.Fatalf("the watcher says %q", lines.Text())
	}
	// The neighbour lab: runs tac, reads debian_version.
	run(t, other, "/usr/bin/tac </dev/null; cat /etc/debian_version /etc/passwd >/dev/null")
	// The real machine's root: runs expand, reads issue.
	if err := exec.Command("/usr/bin/expand", "--version").Run(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.ReadFile("/etc/issue"); err != nil {
		t.Fatal(err)
	}
	// The lab itself, last: reads issue.net, runs nl (the watcher's stop).
	run(t, l, "cat /etc/issue.net >/dev/null; /usr/bin/nl </dev/null")
	var seen []string
	for lines.Scan() {
		seen = append(seen, lines.Text())
	}
	t.Logf("the lab's watch saw %q", seen)
	if !slices.Contains(seen, "issue.net") || !slices.Contains(seen, "stop") {
		t.Fatalf("the lab's watch did not see the lab's own reads (issue.net, nl): %q", seen)
	}
	for _, name := range []string{"tac", "debian_version", "passwd"} {
		if slices.Contains(seen, name) {
			t.Errorf("ATTACK WORKED: a lab's inotify watch saw its neighbour use %s", name)
		}
	}
	for _, name := range []string{"expand", "issue"} {
		if slices.Contains(seen, name) {
			t.Errorf("ATTACK WORKED: a lab's inotify watch saw the real machine use %s", name)
		}
	}
	afterAttack(t, e, other)
}

// Escape tried: learn about the real machine from the lab's files: its
// hostname (/etc/hostname, /etc/hosts), machine id, resolver, users. The
// lab's /etc starts from nsstate's curated files (writableEtc). What the
// kernel shows every container (/proc/cmdline, boot_id) is listed in
// docs/security.md; this test checks that those are what remains.
func TestAttackRealMachineInfo(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, `cat /etc/hostname /etc/hosts /etc/machine-id /etc/resolv.conf /etc/passwd /etc/group /etc/subuid /etc/subgid 2>&1
cat /var/lib/dbus/machine-id 2>&1`)
	var leaks []string
	if realHostname != "" && realHostname != labHostname && strings.Contains(out, realHostname) {
		leaks = append(leaks, "hostname "+realHostname)
	}
	for _, f := range []string{"/etc/machine-id", "/var/lib/dbus/machine-id"} {
		if b, err := os.ReadFile(f); err == nil && len(strings.TrimSpace(string(b))) > 0 && strings.Contains(out, strings.TrimSpace(string(b))) {
			leaks = append(leaks, f)
		}
	}
	if b, err := os.ReadFile("/etc/resolv.conf"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "nameserver" && strings.Contains(out, f[1]) {
				leaks = append(leaks, "resolver "+f[1])
			}
		}
	}
	// Every user of the real machine that the lab host does not have too.
	curated := nsstate.LabEtcFiles()[0].Content
	if b, err := os.ReadFile("/etc/passwd"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			name, _, _ := strings.Cut(line, ":")
			if name != "" && !strings.Contains(curated, "\n"+name+":") && !strings.HasPrefix(curated, name+":") && strings.Contains(out, "\n"+name+":") {
				leaks = append(leaks, "user "+name)
			}
		}
	}
	if len(leaks) > 0 {
		t.Errorf("ATTACK WORKED: the lab reads the real machine's %s", strings.Join(leaks, ", "))
	}
	if !strings.Contains(out, "student:x:1000:1000:") || !strings.Contains(out, "127.0.1.1\t"+labHostname) {
		t.Errorf("the lab's /etc is not the lab host's: %q", out)
	}
	// What remains, as docs/security.md says: what the kernel shows every
	// container. Should one of them become hidden, the docs must change.
	remains := runAttack(t, l, `for f in /proc/cmdline /proc/sys/kernel/random/boot_id; do read -r x <$f && test -n "$x" && echo $f; done`)
	if remains != "/proc/cmdline\n/proc/sys/kernel/random/boot_id" {
		t.Errorf("what the kernel shows every container changed (%q): update docs/security.md", remains)
	}
	afterAttack(t, e, other)
}

// The lab host's student: uid and gid 1000, home /home/student; su from
// root works; student may ping (labPingGroups); as student, unshare --user --map-root-user is root inside
// while the lab host sees uid 1000.
func TestLabStudent(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	out, status := run(t, l, `id student; stat -c '%u:%g %a' /home/student
su - student -c 'id -u; pwd; echo $HOME'
su student -c 'ping -c1 -W2 127.0.0.1 >/dev/null && echo ping'
su - student -c 'unshare --user --map-root-user sh -c "id -u; cat /proc/self/uid_map; sleep 5" & sleep 0.5; ps -o uid= -C sleep; wait'`)
	want := "uid=1000(student) gid=1000(student) groups=1000(student)"
	if status != 0 || !strings.HasPrefix(out, want) {
		t.Fatalf("student in the lab host (status %d): %q, want it to start %q", status, out, want)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 9 {
		t.Fatalf("output %q", out)
	}
	for i, want := range []string{"1000:1000 750", "1000", nsstate.StudentHome, nsstate.StudentHome, "ping", "0"} {
		if got := strings.TrimSpace(lines[i+1]); got != want {
			t.Errorf("line %d: %q, want %q (all: %q)", i+2, got, want, out)
		}
	}
	if f := strings.Fields(lines[7]); len(f) != 3 || f[0] != "0" || f[1] != "1000" || f[2] != "1" {
		t.Errorf("student's user namespace maps %q, want 0 1000 1", lines[7])
	}
	if got := strings.TrimSpace(lines[8]); got != "1000" {
		t.Errorf("the lab host sees student's root as uid %q, want 1000", got)
	}
}

// ip netns add and exec work in a lab: exec mounts a sysfs of the other
// network namespace on /sys, which the kernel allows in a user namespace
// only while another sysfs stays visible (labSys).
func TestLabNetns(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	out, status := run(t, l, `ip netns add x && ip netns exec x ip -o link && ip netns exec x ls /sys/class/net && ip netns del x && ls /sys/class/net`)
	if status != 0 || !strings.Contains(out, "1: lo:") || !strings.HasSuffix(out, "lo\nlo") {
		t.Errorf("ip netns in a lab (status %d): %q", status, out)
	}
}

// The lab host has what tutorials assume of a machine: /var with
// /var/run leading to /run, /opt, a writable /etc (useradd works), and
// system folders owned by root (idmapped, see idmapview.go).
func TestLabHostFolders(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	out, status := run(t, l, `readlink /var/run; test -d /opt && echo opt
touch /var/lib/x /var/log/x && echo var writable
useradd -m alice && id -u alice && test -d /home/alice && echo home
stat -c %u:%g /usr /usr/bin/ls /bin/sh | sort -u`)
	if status != 0 || out != "/run\nopt\nvar writable\n1001\nhome\n0:0" {
		t.Errorf("the lab host's folders (status %d): %q", status, out)
	}
	if b, _ := os.ReadFile("/etc/passwd"); strings.Contains(string(b), "alice:") {
		t.Errorf("useradd in a lab changed the real machine's /etc/passwd")
	}
}

// Escape tried: read the machine's root cgroup through a cgroup2 mount of
// the lab's own: its processes (shown as PID 0 from the lab), its pressure
// and CPU figures. The lab's cgroup namespace is rooted at the lab's own
// cgroup in every hierarchy, the unified one of a v1/v2 hybrid included
// (addUnifiedHierarchy), so the mount shows the lab's processes only.
func TestAttackCgroup2MachineStats(t *testing.T) {
	e, l, other := attackLabs(t, Config{})
	out := runAttack(t, l, `mount -t cgroup2 none /mnt || exit
echo procs $(wc -l </mnt/cgroup.procs) outside $(grep -c '^0$' /mnt/cgroup.procs)
umount /mnt`)
	var procs, outside int
	if _, err := fmt.Sscanf(out, "procs %d outside %d", &procs, &outside); err != nil {
		t.Fatalf("attack output %q: %v", out, err)
	}
	if outside > 0 || procs == 0 {
		t.Errorf("ATTACK WORKED: the lab's cgroup2 mount shows %d processes outside the lab (of %d)", outside, procs)
	}
	afterAttack(t, e, other)
}
