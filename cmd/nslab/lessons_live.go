//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/nsengine"
)

// liveSolveLab is a live lab host of its own engine: the terminal is a
// login shell on the lab's PTY, as the server's first terminal is; each
// check is a process of its own in the lab host.
type liveSolveLab struct {
	eng    *nsengine.Engine
	lab    *nsengine.Lab
	shell  *nsengine.Proc
	pty    *os.File
	out    termOutput
	reader sync.WaitGroup
	// checkTimeout bounds a check (lesson.CheckTimeout).
	checkTimeout time.Duration
}

func newLiveSolveLab() (*liveSolveLab, error) {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, err := nsengine.New(nsengine.Config{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("live lab: %w (nslab lessons solve --sim needs no namespaces)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lab, err := eng.Spawn(ctx)
	if err != nil {
		eng.Close()
		return nil, fmt.Errorf("live lab: %w", err)
	}
	shell, pty, err := lab.StartPTY(ctx, nsengine.ProcSpec{Argv: []string{"/bin/bash", "-l"}}, 24, 120)
	if err != nil {
		lab.Close()
		eng.Close()
		return nil, fmt.Errorf("live lab: terminal: %w", err)
	}
	l := &liveSolveLab{eng: eng, lab: lab, shell: shell, pty: pty, checkTimeout: lesson.CheckTimeout}
	l.reader.Add(1)
	go func() {
		defer l.reader.Done()
		buf := make([]byte, 4096)
		for {
			n, err := pty.Read(buf)
			if n > 0 {
				l.out.write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	return l, nil
}

func (l *liveSolveLab) Type(s string) error {
	_, err := l.pty.Write([]byte(s))
	return err
}

func (l *liveSolveLab) WaitFor(want string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if l.out.find(want) {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return l.out.find(want)
}

func (l *liveSolveLab) Output() string { return l.out.String() }

func (l *liveSolveLab) Check(script string) (int, string, bool, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return 0, "", false, fmt.Errorf("check: %w", err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), l.checkTimeout)
	defer cancel()
	proc, err := l.lab.StartCheck(ctx, nsengine.ProcSpec{Argv: []string{"bash", "-c", script}, Stdout: w, Stderr: w})
	w.Close()
	if err != nil {
		return 0, "", false, fmt.Errorf("check: %w", err)
	}
	out := &limitedBuffer{n: lesson.CheckOutputLimit}
	copied := make(chan struct{})
	go func() {
		io.Copy(out, r)
		close(copied)
	}()
	done := make(chan struct{})
	var status int
	var werr error
	go func() {
		status, werr = proc.Wait()
		close(done)
	}()
	timedOut := false
	select {
	case <-done:
	case <-ctx.Done():
		// The check and whatever it started end together.
		timedOut = true
		proc.SignalGroup(syscall.SIGKILL)
		<-done
	}
	// A child the check left behind may hold the pipe open: stop reading.
	select {
	case <-copied:
	case <-time.After(100 * time.Millisecond):
		r.Close()
		<-copied
	}
	if werr != nil && !errors.Is(werr, nsengine.ErrLabEnded) {
		return status, out.String(), timedOut, fmt.Errorf("check: %w", werr)
	}
	return status, out.String(), timedOut, werr
}

func (l *liveSolveLab) Background(script string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := l.lab.Start(ctx, nsengine.ProcSpec{Argv: []string{"bash", "-c", script}})
	if err != nil {
		return fmt.Errorf("background: %w", err)
	}
	go p.Wait()
	return nil
}

func (l *liveSolveLab) Pause(d time.Duration) { time.Sleep(d) }

// Quiet waits for 150ms without output: long enough for a shell to start
// and print its prompt, short enough for a lesson to take seconds.
func (l *liveSolveLab) Quiet(d time.Duration) {
	deadline := time.Now().Add(d)
	time.Sleep(50 * time.Millisecond)
	for l.out.since() < 150*time.Millisecond && time.Now().Before(deadline) {
		time.Sleep(25 * time.Millisecond)
	}
}

func (l *liveSolveLab) Close() error {
	err := l.lab.Close()
	l.pty.Close()
	l.reader.Wait()
	if e := l.eng.Close(); err == nil {
		err = e
	}
	return err
}
