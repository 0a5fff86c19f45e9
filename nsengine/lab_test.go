//go:build linux

package nsengine

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nslab/nslab/internal/testenv"
)

// newTestEngine makes an engine for one test and closes it at the end.
func newTestEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	testenv.RequireRoot(t)
	if err := Probe(); err != nil {
		testenv.Missing(t, "live labs", err.Error())
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("close engine: %v", err)
		}
	})
	return e
}

func spawn(t testing.TB, e *Engine) *Lab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l, err := e.Spawn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// run runs a shell script in the lab host and returns its output
// (stdout and stderr together) and exit status.
func run(t testing.TB, l *Lab, script string) (string, int) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := l.Start(ctx, ProcSpec{Argv: []string{"/bin/sh", "-c", script}, Stdout: w, Stderr: w})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(r)
	status, err := p.Wait()
	if err != nil {
		t.Fatalf("wait for %q: %v", script, err)
	}
	return strings.TrimSpace(string(out)), status
}

// The lab host must keep what lessons need: each case is a script run in
// a fresh lab host and the output it must give.
func TestLessonCommands(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	cases := []struct {
		name, script, want string
	}{
		{"hostname and root", "hostname; id -u; id -g; cat /etc/hostname", "lab\n0\n0\nlab"},
		{"starts in /root with the default env", `pwd; echo "$HOME $USER $PATH $TERM $LANG $SHELL"`,
			"/root\n/root root /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin xterm-256color C.UTF-8 /bin/bash"},
		{"sudo unshare from tutorials", "sudo unshare --pid --mount-proc --fork --pid sh -c 'whoami; echo $$; ps aux > /tmp/ps; tail -n +2 /tmp/ps | wc -l'",
			"root\n1\n2"}, // sh and ps
		{"sudo drops its options", "sudo -E -u root -- id -u; sudo -n true && echo ok", "0\nok"},
		{"user namespace", "unshare --user --map-root-user id -u", "0"},
		{"nested user, pid and mount namespaces", "unshare -Urpf --mount-proc sh -c 'echo $$; ls /proc > /tmp/ls; grep -c \"^[0-9]\" /tmp/ls'", "1\n2"}, // sh, ls
		{"nested hostname stays nested", "unshare -u sh -c 'hostname other; hostname'; hostname", "other\nlab"},
		{"nested mount stays nested", "unshare -m sh -c 'mount -t tmpfs none /mnt && grep -c \" /mnt \" /proc/self/mountinfo'; grep -c \" /mnt \" /proc/self/mountinfo; :",
			"1\n0"},
		{"sysv ipc", "ipcmk -Q >/dev/null && ipcs -q | grep -c 0x", "1"},
		{"loopback is up", "ip -o link show lo | grep -c 'UP'", "1"},
		{"no other interface", "ip -o link | wc -l", "1"},
		{"root is shared, as on systemd hosts", "findmnt -no PROPAGATION /", "shared"},
		{"system folders are read-only", "touch /usr/x 2>/dev/null || echo refused", "refused"},
		{"writable places", "touch /tmp/x /root/x /home/x /run/x /var/tmp/x /dev/shm/x && echo ok", "ok"},
		{"only system folders from the host", "ls / | tr '\\n' ' '", "bin dev etc home lib lib64 mnt opt proc root run sbin sys tmp usr var"},
		{"no_new_privs", "grep NoNewPrivs /proc/self/status | tr -d '\\t '", "NoNewPrivs:1"},
		{"cgroup namespace rooted at the lab", "cat /proc/self/cgroup | cut -d: -f3 | sort -u", "/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, status := run(t, l, c.script)
			if status != 0 || out != c.want {
				t.Errorf("%s\ngot (status %d):\n%s\nwant:\n%s", c.script, status, out, c.want)
			}
		})
	}
}

func TestExitStatus(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	for script, want := range map[string]int{"exit 3": 3, "true": 0, "kill -TERM $$": 143, "kill -KILL $$": 137} {
		if _, status := run(t, l, script); status != want {
			t.Errorf("%q: status %d, want %d", script, status, want)
		}
	}
}

func TestStartErrors(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	ctx := context.Background()
	for name, spec := range map[string]ProcSpec{
		"empty command":   {},
		"unknown command": {Argv: []string{"no-such-command"}},
		"missing folder":  {Argv: []string{"true"}, Dir: "/no/such/folder"},
		"too long":        {Argv: []string{"echo", strings.Repeat("x", maxMessage)}},
	} {
		if p, err := l.Start(ctx, spec); err == nil {
			t.Errorf("%s: started PID %d, want an error", name, p.PID())
		}
	}
	// The lab is still fine.
	if out, _ := run(t, l, "echo ok"); out != "ok" {
		t.Errorf("after bad starts: %q", out)
	}
}

func TestSignal(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	p, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sleep", "100"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if status, err := p.Wait(); status != 128+int(syscall.SIGTERM) || err != nil {
		t.Errorf("status %d, %v; want 143", status, err)
	}
	if err := p.Signal(syscall.SIGTERM); err == nil {
		t.Error("signal to an ended process: no error")
	}
}

// SignalGroup reaches what the process runs in its group, not only the
// process; a process that left the group stays.
func TestSignalGroup(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	p, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sh", "-c", "setsid sleep 201 & sleep 202; echo never"}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if out, _ := run(t, l, "pgrep -x sleep | wc -l"); strings.TrimSpace(out) == "2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the two sleeps did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.SignalGroup(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if status, err := p.Wait(); status != 128+int(syscall.SIGKILL) || err != nil {
		t.Errorf("status %d, %v; want 137", status, err)
	}
	for {
		out, _ := run(t, l, "pgrep -x -a sleep")
		if strings.Contains(out, "201") && !strings.Contains(out, "202") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after SignalGroup the lab runs %q, want sleep 201 (own session) and not sleep 202 (the group's)", out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.SignalGroup(syscall.SIGKILL); err == nil {
		t.Error("signal to an ended process's group: no error")
	}
}

func TestStartPTY(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	p, master, err := l.StartPTY(context.Background(), ProcSpec{Argv: []string{"sh", "-c", "tty; stty size; ps -o tty= -p $$"}}, 30, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	var out bytes.Buffer
	io.Copy(&out, master) // ends with EIO once the PTY's last user has gone
	if status, err := p.Wait(); status != 0 || err != nil {
		t.Errorf("status %d, %v", status, err)
	}
	got := strings.ReplaceAll(strings.TrimSpace(out.String()), "\r", "")
	if want := "/dev/pts/0\n30 100\npts/0"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestProcEndsWithLab(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	p, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sleep", "100"}})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := p.Wait(); !errors.Is(err, ErrLabEnded) {
		t.Errorf("wait after close: %v, want ErrLabEnded", err)
	}
	if _, err := l.Start(context.Background(), ProcSpec{Argv: []string{"true"}}); !errors.Is(err, ErrLabEnded) {
		t.Errorf("start after close: %v, want ErrLabEnded", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}

func TestRootFS(t *testing.T) {
	// The host's whole root as a RootFS: the lab sees folders the default
	// root leaves out, read-only, and still gets its own /proc, /dev, /tmp.
	e := newTestEngine(t, Config{RootFS: "/"})
	l := spawn(t, e)
	script := "test -d /srv && test ! -e /sys/kernel && touch /srv/x 2>/dev/null || echo ro; touch /tmp/x && ls /proc > /tmp/ls && grep -c '^[0-9]' /tmp/ls"
	if out, _ := run(t, l, script); out != "ro\n3" { // init, sh, ls
		t.Errorf("got %q", out)
	}
}

func TestEngineCount(t *testing.T) {
	e := newTestEngine(t, Config{})
	a, b := spawn(t, e), spawn(t, e)
	if n := e.Count(); n != 2 {
		t.Errorf("count %d, want 2", n)
	}
	a.Close()
	if n := e.Count(); n != 1 {
		t.Errorf("count after one close %d, want 1", n)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-b.Done():
	default:
		t.Error("engine closed, lab still alive")
	}
	if _, err := e.Spawn(context.Background()); err == nil {
		t.Error("spawn after close: no error")
	}
}

func TestSpawnCanceled(t *testing.T) {
	e := newTestEngine(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if l, err := e.Spawn(ctx); err == nil {
		l.Close()
		t.Fatal("spawn with a canceled context: no error")
	}
	if n := e.Count(); n != 0 {
		t.Errorf("count %d after a canceled spawn", n)
	}
	// The slot is free again: the next lab gets it.
	l := spawn(t, e)
	if out, _ := run(t, l, "echo ok"); out != "ok" {
		t.Errorf("lab after a canceled spawn says %q", out)
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	spawner.once.Do(func() {}) // started by earlier tests or not at all: fixed either way
	before := runtime.NumGoroutine()
	e := newTestEngine(t, Config{Warm: 1})
	l := spawn(t, e)
	p, master, err := l.StartPTY(context.Background(), ProcSpec{Argv: []string{"sleep", "100"}}, 24, 80)
	if err != nil {
		t.Fatal(err)
	}
	master.Close()
	run(t, l, "true")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	p.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before, %d after close:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSnapshot(t *testing.T) {
	e := newTestEngine(t, Config{})
	l := spawn(t, e)
	run(t, l, "unshare -pf --mount-proc sleep 30 >/dev/null 2>&1 & sleep 0.3")
	child, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sleep", "30"}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := l.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range s.Processes {
		if p.Comm == "sleep" && len(p.NSpid) == 2 && p.NSpid[1] == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("no sleep as PID 1 of a nested PID namespace in %+v", s.Processes)
	}
	// init and the lab host's processes share all eight namespaces: the
	// cgroup namespace init made after joining its cgroups included.
	if len(s.Host) != 8 {
		t.Errorf("lab host namespaces: %v", s.Host)
	}
	p := s.Process(child.PID())
	if p == nil {
		t.Fatalf("no PID %d in the snapshot", child.PID())
	}
	for typ, id := range s.Host {
		if p.NS[typ] != id {
			t.Errorf("a process of the lab host is in %s, its init in %s", p.NS[typ], id)
		}
	}
}
