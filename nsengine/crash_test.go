//go:build linux

package nsengine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary a throwaway server for TestServerCrash;
// its value is the state folder.
const helperEnv = "NSLAB_TEST_CRASHING_SERVER"

// isolated is an engine configuration of its own: a state folder, cgroup
// folder and ID pool no other engine on the machine uses, so that
// concurrent labs of other tests (or other nslab processes) cannot take
// the slot the test looks at.
func isolated(stateDir string) Config {
	return Config{StateDir: stateDir, IDPoolBase: DefaultIDPoolBase + DefaultMaxLabs*idRangeSize, MaxLabs: 4}
}

// TestCrashingServerHelper is not a test: run by TestServerCrash in a
// child process, it spawns a lab, says its init's PID and slot, and waits
// to be killed.
func TestCrashingServerHelper(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		return
	}
	e, err := New(isolated(dir))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	l, err := e.Spawn(context.Background())
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	if _, err := l.Start(context.Background(), ProcSpec{Argv: []string{"sleep", "100"}}); err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println(l.InitPID(), l.slot.slot)
	time.Sleep(time.Minute)
	os.Exit(1)
}

// A server killed with SIGKILL takes its labs with it (their init gets
// its parent-death signal), and the next engine removes what is left.
func TestServerCrash(t *testing.T) {
	dir := t.TempDir()
	newTestEngine(t, isolated(dir)).Close() // needs root and live labs
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashingServerHelper$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	var initPID, slot int
	if _, err := fmt.Sscan(line, &initPID, &slot); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said %q", line)
	}
	cmd.Process.Kill()
	cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for !gone(initPID) {
		if time.Now().After(deadline) {
			t.Fatalf("lab init %d outlived its server by 10 s", initPID)
		}
		time.Sleep(5 * time.Millisecond)
	}
	e := newTestEngine(t, isolated(dir))
	for _, d := range e.cgrp.lab(slot).dirs {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("crashed server's cgroup %s not cleaned up", d)
		}
	}
	if _, err := os.Stat(e.ids.lockPath(slot)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("crashed server's slot lock %d not cleaned up", slot)
	}
}

// gone reports whether pid has exited (a zombie counts as gone).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return err != nil || strings.Contains(string(b), ") Z ")
}
