//go:build linux

package nsengine

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A setup step that fails stops the lab: Spawn's error names the step
// (here the lab's root, whose source folder is gone), and the half-made
// lab leaves no cgroup and no process behind.
func TestSetupStepFailureStopsLab(t *testing.T) {
	e := newTestEngine(t, isolated(t.TempDir())) // its own cgroup folder
	good := e.binds.dir
	e.binds.dir = filepath.Join(t.TempDir(), "gone")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l, err := e.Spawn(ctx)
	e.binds.dir = good
	if err == nil {
		l.Close()
		t.Fatal("a lab spawned without its root")
	}
	t.Logf("Spawn: %v", err)
	if !strings.Contains(err.Error(), "set up lab: root: rootfs") {
		t.Errorf("Spawn's error does not name the step: %v", err)
	}
	if n := e.Count(); n != 0 {
		t.Errorf("engine counts %d labs", n)
	}
	for _, p := range e.cgrp.parents {
		if left, _ := filepath.Glob(filepath.Join(p, "lab-*")); len(left) > 0 {
			t.Errorf("cgroups left behind: %v", left)
		}
	}
	if out, _ := run(t, spawn(t, e), "echo ok"); out != "ok" {
		t.Errorf("the next lab says %q", out)
	}
}

// init's stderr is logged line by line and kept up to initStderrMax
// bytes; whoever writes more (the lab's root can) is read to the end and
// dropped, never blocked on.
func TestInitStderrBounded(t *testing.T) {
	s, w, err := newInitStderr()
	if err != nil {
		t.Fatal(err)
	}
	go s.collect(slog.New(slog.NewTextHandler(io.Discard, nil)), "lab-test")
	if _, err := w.WriteString("lab init: control socket: bad\n"); err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 100) + "\n"
	for range 1000 { // 100 KB, more than a pipe holds
		if _, err := w.WriteString(line); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	said := s.said(10 * time.Second)
	if !strings.HasPrefix(said, " (init said: lab init: control socket: bad; xxx") {
		t.Errorf("said %.80q…", said)
	}
	if len(said) > initStderrMax+100 {
		t.Errorf("kept %d bytes, at most %d", len(said), initStderrMax)
	}
	select {
	case <-s.done:
	default:
		t.Error("the reader has not reached the end")
	}
	if _, err := s.r.Stat(); err == nil || !strings.Contains(err.Error(), os.ErrClosed.Error()) {
		t.Errorf("the read end is still open: %v", err)
	}
}
