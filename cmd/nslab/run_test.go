//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/nslab/nslab/internal/testenv"
	"github.com/nslab/nslab/nsengine"
	"github.com/nslab/nslab/nsstate"
)

var build struct {
	once sync.Once
	path string
	err  error
}

// nslabBinary builds the nslab command once for all tests.
func nslabBinary(t *testing.T) string {
	t.Helper()
	testenv.RequireRoot(t)
	if err := nsengine.Probe(); err != nil {
		testenv.Missing(t, "live labs", err.Error())
	}
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "nslab-test-")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "nslab")
		out, err := exec.Command("go", "build", "-o", build.path, ".").CombinedOutput()
		if err != nil {
			build.err = errors.New(string(out))
		}
	})
	if build.err != nil {
		t.Fatalf("go build: %v", build.err)
	}
	return build.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if build.path != "" {
		os.RemoveAll(filepath.Dir(build.path))
	}
	os.Exit(code)
}

// nslabRun runs `nslab run ARGS…` and returns its stdout and exit status.
func nslabRun(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(nslabBinary(t), append([]string{"run"}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out)), cmd.ProcessState.ExitCode()
}

func TestRunPassesOutputAndStatus(t *testing.T) {
	cases := []struct {
		argv   []string
		out    string
		status int
	}{
		{[]string{"sh", "-c", "hostname; id -u; pwd"}, "lab\n0\n/root", 0},
		{[]string{"sh", "-c", "exit 7"}, "", 7},
		{[]string{"sh", "-c", "kill -TERM $$"}, "", 143},
		{[]string{"no-such-command"}, "", 127},
	}
	for _, c := range cases {
		out, status := nslabRun(t, append([]string{"--"}, c.argv...)...)
		if out != c.out || status != c.status {
			t.Errorf("%q: got %q, status %d; want %q, status %d", c.argv, out, status, c.out, c.status)
		}
	}
}

// A command that takes every task of the lab's pids limit (256 by
// default) keeps the lab's init, which reports the command's status: it
// once lost it, and nslab said "lab has ended" and exited 1.
func TestRunStatusAtPidsLimit(t *testing.T) {
	_, status := nslabRun(t, "--", "sh", "-c", "for i in $(seq 250); do sleep 5 & done; exit 3")
	if status != 3 {
		t.Errorf("status %d, want 3", status)
	}
}

func TestRunPassesStdin(t *testing.T) {
	cmd := exec.Command(nslabBinary(t), "run", "--", "tr", "a-z", "A-Z")
	cmd.Stdin = strings.NewReader("hello lab\n")
	out, err := cmd.Output()
	if err != nil || string(out) != "HELLO LAB\n" {
		t.Errorf("got %q, %v", out, err)
	}
}

func TestRunState(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.json")
	_, status := nslabRun(t, "--state", file, "--", "sh", "-c", "unshare -pf --mount-proc sleep 30 & sleep 0.3")
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var s nsstate.Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("state is not a snapshot: %v\n%s", err, b)
	}
	// The background sleep still ran, as PID 1 of a nested PID namespace.
	found := false
	for _, p := range s.Processes {
		if p.Comm == "sleep" && len(p.NSpid) == 2 && p.NSpid[1] == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("no sleep as PID 1 of a nested PID namespace in\n%s", b)
	}
}

func TestRunEndsOnSIGINT(t *testing.T) {
	cmd := exec.Command(nslabBinary(t), "run", "--", "sh", "-c", "echo started; exec sleep 100")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "started\n" {
		cmd.Process.Kill()
		t.Fatalf("got %q", line)
	}
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	if got := cmd.ProcessState.ExitCode(); got != 130 {
		t.Errorf("status %d after SIGINT, want 130", got)
	}
}

func TestRunBadFlags(t *testing.T) {
	for _, args := range [][]string{{}, {"--memory", "lots", "--", "true"}, {"--pids", "1", "--", "true"}, {"--rootfs", "/no/such/dir", "--", "true"}} {
		if _, status := nslabRun(t, args...); status == 0 {
			t.Errorf("nslab run %q: status 0, want an error", args)
		}
	}
}
