package sim

import (
	"io"
	"time"
)

// RunBounded is RunArgv for a command that must not run long, such as a
// lesson's check: the simulated clock jumps over its sleeps only up to
// limit, and a command still running then (sleeping past it, blocked for
// good, or computing without end) is killed with its process group and
// reported as timed out (status 137). No snapshot can see the command:
// the lab is busy with it from start to end.
func (l *Lab) RunBounded(argv []string, stdin io.Reader, stdout, stderr io.Writer, limit time.Duration) (status int, timedOut bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.k
	t, st := l.startCommand(argv, stdin, stdout, stderr)
	if t == nil {
		return st, false
	}
	deadline := k.now + int64(limit)
	start := k.steps
	exited := func() bool { return t.exited }
	for !t.exited {
		k.schedule(exited, false, maxRunSteps-(k.steps-start))
		if t.exited {
			break
		}
		next := k.nextTimer()
		if k.steps-start >= maxRunSteps || next == 0 || next > deadline {
			timedOut = true
			break
		}
		k.advanceToNextTimer()
	}
	if timedOut {
		for _, o := range k.tasks {
			if o.started && !o.exited && o.pgid == t.pgid {
				o.sendSignal(SIGKILL)
			}
		}
		k.schedule(exited, false, 0)
	}
	return l.finishCommand(t), timedOut
}
