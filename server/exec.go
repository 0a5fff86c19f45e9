package server

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// execResult answers POST /api/labs/{id}/exec. Exit is the shell's exit
// status, 128+N when a signal N ended it, -1 when unknown.
type execResult struct {
	Stdout          string `json:"stdout"`
	Stderr          string `json:"stderr"`
	Exit            int    `json:"exit"`
	StdoutTruncated bool   `json:"stdout_truncated"`
	StderrTruncated bool   `json:"stderr_truncated"`
	TimedOut        bool   `json:"timed_out"`
}

// checkCmd says what is wrong with an exec's command, or "".
func checkCmd(cmd string) string {
	switch {
	case strings.TrimSpace(cmd) == "":
		return `"cmd" is empty`
	case len(cmd) > maxCmd:
		return `"cmd" is ` + strconv.Itoa(len(cmd)) + " bytes long, the most is " + strconv.Itoa(maxCmd)
	case strings.IndexByte(cmd, 0) >= 0:
		return `"cmd" contains a NUL byte`
	}
	return ""
}

// runExec runs `sh -c cmd` in the session's lab host and collects its
// output, each stream up to execOutputCap. It returns when the shell has
// ended and its output has been read, or execDrain after the shell ended:
// a background child (`sleep 100 &`) keeps the pipes open and must not
// hold the request. The shell and its process group are killed at
// timeout, or when the client goes away (ctx).
func runExec(ctx context.Context, ss *session, cmd string, timeout time.Duration) (*execResult, error) {
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("exec: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("exec: %w", err)
	}
	startCtx, cancel := context.WithTimeout(ss.ctx, startTimeout)
	proc, err := ss.lab.Start(startCtx, ProcSpec{Argv: []string{"/bin/sh", "-c", cmd}, Stdout: outW, Stderr: errW})
	// The lab's process holds its own copies; ours would keep the pipes
	// open forever.
	cancel()
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, fmt.Errorf("exec: %w", err)
	}
	var stdout, stderr cappedBuffer
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); stdout.readFrom(outR) }()
	go func() { defer wg.Done(); stderr.readFrom(errR) }()

	res := &execResult{}
	waited := make(chan struct{})
	go func() {
		status, err := proc.Wait()
		if err != nil {
			ss.log.Debug("exec wait", "err", err)
			status = -1
		}
		res.Exit = status
		close(waited)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-waited:
	case <-timer.C:
		res.TimedOut = true
		killExec(ss, proc)
		<-waited
	case <-ctx.Done():
		killExec(ss, proc)
		<-waited
	}
	deadline := time.Now().Add(execDrain)
	outR.SetReadDeadline(deadline)
	errR.SetReadDeadline(deadline)
	wg.Wait()
	outR.Close()
	errR.Close()
	res.Stdout, res.StdoutTruncated = stdout.String(), stdout.truncated
	res.Stderr, res.StderrTruncated = stderr.String(), stderr.truncated
	return res, nil
}

// killExec kills a running exec: its shell and what the shell runs, the
// whole process group (`yes > /dev/null; echo never` would leave yes
// running if only the shell were killed). A background child that left
// the group (setsid) stays, as it would after an exec that ended in time.
func killExec(ss *session, proc Proc) {
	if err := proc.SignalGroup(syscall.SIGKILL); err != nil {
		// The shell was reaped meanwhile: it ended in time after all,
		// and its background children stay.
		ss.log.Debug("exec kill", "err", err)
	}
}

// cappedBuffer keeps the first execOutputCap bytes read and discards the
// rest, reading on so that the writer is never blocked by a full pipe.
type cappedBuffer struct {
	buf       []byte
	truncated bool
}

func (b *cappedBuffer) readFrom(r io.Reader) {
	chunk := make([]byte, 32<<10)
	for {
		n, err := r.Read(chunk)
		keep := min(n, execOutputCap-len(b.buf))
		b.buf = append(b.buf, chunk[:keep]...)
		if keep < n {
			b.truncated = true
		}
		if err != nil {
			// EOF, or the drain deadline passed, or the pipe failed:
			// what was read is the answer in each case.
			return
		}
	}
}

func (b *cappedBuffer) String() string { return string(b.buf) }
