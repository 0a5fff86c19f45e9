package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/nsstate"
	"github.com/nslab/nslab/protocol"
	"github.com/nslab/nslab/web"
)

// lessonRun is the lesson of a live lab: the learner's progress, held
// here so that it survives a reload of the page, and the checks that tick
// steps off. It runs as one goroutine per lab (run), so one check at a
// time, and ends with the lab.
//
// A check is the current step's verify script, run with bash as lab root
// in the lab host through the engine's StartCheck, which keeps it out of
// the learner's reach (the learner cannot trace it, see docs/lessons.md);
// lesson.Scheduler decides when, from changes of the lab's state (the
// snapshot differs) and of its terminals (input or output). Check and
// background processes, and what they start, are left out of the lab's
// snapshots (hideLessonProcs), so the views never show them.
type lessonRun struct {
	ss      *session
	l       *lesson.Lesson
	r       *lesson.Rendered
	timeout time.Duration // of a check: lesson.CheckTimeout, shorter in tests

	mu        sync.Mutex
	progress  *lesson.Progress
	fgPending [][]byte // foreground scripts not typed yet: terminal 0 is not open
	opened    int      // steps whose scripts have started

	// hideMu is held for writing while a lesson process starts and its
	// PID is recorded, and for reading while the lab's state is read and
	// filtered: so no snapshot can hold a lesson process that the filter
	// does not know yet.
	hideMu sync.RWMutex
	hidden map[int]struct{} // lesson processes running (lab host PIDs)
}

// checkPoll is how often the runner looks for changes of the lab; a check
// itself waits for the Scheduler's debounce.
const checkPoll = 100 * time.Millisecond

func newLessonRun(ss *session, l *lesson.Lesson, timeout time.Duration) *lessonRun {
	if timeout <= 0 {
		timeout = lesson.CheckTimeout
	}
	return &lessonRun{ss: ss, l: l, r: l.Render(), timeout: timeout,
		progress: lesson.NewProgress(len(l.Steps)), hidden: map[int]struct{}{}}
}

// run opens the intro and the first step and runs the current step's
// check whenever the lab changed, until the lab ends.
func (lr *lessonRun) run() {
	ss := lr.ss
	if lr.l.Intro != nil {
		lr.openPart(lr.l.Intro, "intro")
	}
	lr.openCurrent()
	var sched lesson.Scheduler
	sched.Changed(time.Now())
	var lastActive time.Time
	var lastSnap *nsstate.Snapshot
	tick := time.NewTicker(checkPoll)
	defer tick.Stop()
	for {
		select {
		case <-ss.ctx.Done():
			return
		case <-tick.C:
		}
		now := time.Now()
		if a := ss.lastActive(); a.After(lastActive) {
			lastActive = a
			sched.Changed(now)
		}
		if snap := ss.cachedSnapshot(); snap != nil && snap != lastSnap {
			if lastSnap == nil || !nsstate.Equal(lastSnap, snap) {
				sched.Changed(now)
			}
			lastSnap = snap
		}
		lr.mu.Lock()
		step, finished := lr.progress.Current(), lr.progress.Finished()
		lr.mu.Unlock()
		if finished || !sched.Due(now) {
			continue
		}
		sched.Started()
		passed := lr.check(step)
		sched.Finished(time.Now())
		if passed {
			lr.tick(step)
			// The next step's check runs soon, without waiting for
			// the learner: the lab may be there already.
			sched.Changed(time.Now())
		}
	}
}

// tick marks step (0-based) done, tells every page and opens the next.
func (lr *lessonRun) tick(step int) {
	lr.mu.Lock()
	lr.progress.Tick(step)
	msg := protocol.Progress{Type: "progress", Lesson: lr.l.Name, Step: step + 1,
		Done: lr.progress.DoneSteps(), Current: lr.progress.Current() + 1}
	finished := lr.progress.Finished()
	lr.mu.Unlock()
	lr.ss.log.Info("lesson step ticked", "lesson", lr.l.Name, "step", step+1)
	lr.ss.broadcast(msg)
	if finished {
		if lr.l.Finish != nil {
			lr.openPart(lr.l.Finish, "finish")
		}
		return
	}
	lr.openCurrent()
}

// openCurrent starts the current step's scripts, once per step.
func (lr *lessonRun) openCurrent() {
	lr.mu.Lock()
	cur := lr.progress.Current()
	if cur >= len(lr.l.Steps) || cur < lr.opened {
		lr.mu.Unlock()
		return
	}
	lr.opened = cur + 1
	lr.mu.Unlock()
	lr.openPart(lr.l.Steps[cur], fmt.Sprintf("step %d", cur+1))
}

// openPart starts a part's background script, unseen, and types its
// foreground script into the learner's first terminal (when it opens, if
// it is not open yet).
func (lr *lessonRun) openPart(p *lesson.Part, what string) {
	if !p.Background.IsZero() {
		if err := lr.background(p.Background); err != nil {
			lr.ss.log.Warn("lesson background script", "lesson", lr.l.Name, "part", what, "file", p.Background.File, "err", err)
		}
	}
	if !p.Foreground.IsZero() {
		var typed bytes.Buffer
		for _, line := range strings.Split(strings.TrimRight(p.Foreground.Body, "\n"), "\n") {
			if strings.HasPrefix(line, "#!") {
				continue
			}
			typed.WriteString(line + "\r")
		}
		lr.mu.Lock()
		lr.fgPending = append(lr.fgPending, typed.Bytes())
		lr.mu.Unlock()
		if t := lr.ss.runningTerminal(0); t != nil {
			lr.typeForeground(t)
		}
	}
}

// typeForeground types the foreground scripts waiting into t.
func (lr *lessonRun) typeForeground(t *terminal) {
	lr.mu.Lock()
	pending := lr.fgPending
	lr.fgPending = nil
	lr.mu.Unlock()
	for _, p := range pending {
		if err := t.typeIn(p); err != nil {
			lr.ss.log.Warn("lesson foreground script", "lesson", lr.l.Name, "err", err)
		}
	}
}

// start starts a lesson process with bash, as lab root in the lab host,
// recording its PID so that snapshots leave it and its children out. A
// check starts through StartCheck, out of the learner's reach.
func (lr *lessonRun) start(script string, out *os.File, check bool) (Proc, error) {
	ctx, cancel := context.WithTimeout(lr.ss.ctx, startTimeout)
	defer cancel()
	lr.hideMu.Lock()
	defer lr.hideMu.Unlock()
	spec := ProcSpec{Argv: []string{"/bin/bash", "-c", script}, Stdout: out, Stderr: out}
	start := lr.ss.lab.Start
	if check {
		start = lr.ss.lab.StartCheck
	}
	proc, err := start(ctx, spec)
	if err != nil {
		return nil, err
	}
	lr.hidden[proc.PID()] = struct{}{}
	return proc, nil
}

// forget stops hiding a lesson process that has ended.
func (lr *lessonRun) forget(proc Proc) {
	lr.hideMu.Lock()
	delete(lr.hidden, proc.PID())
	lr.hideMu.Unlock()
}

// background runs a part's background script; it runs as long as it
// likes (the lab's end ends it), unseen.
func (lr *lessonRun) background(s lesson.Script) error {
	proc, err := lr.start(s.Body, nil, false)
	if err != nil {
		return err
	}
	go func() {
		if st, err := proc.Wait(); err == nil && st != 0 {
			lr.ss.log.Info("lesson background script ended", "lesson", lr.l.Name, "file", s.File, "status", st)
		}
		lr.forget(proc)
	}()
	return nil
}

// check runs step's verify script and reports whether it passed. A step
// without one passes at once. A check that runs past the timeout is
// killed with what it started and does not pass; output past
// lesson.CheckOutputLimit is dropped. Both are logged for the lesson's
// author; the learner only sees the step not tick.
func (lr *lessonRun) check(step int) bool {
	p := lr.l.Steps[step]
	if p.Verify.IsZero() {
		return true
	}
	log := lr.ss.log.With("lesson", lr.l.Name, "step", step+1, "file", p.Verify.File)
	r, w, err := os.Pipe()
	if err != nil {
		log.Warn("lesson check", "err", err)
		return false
	}
	proc, err := lr.start(p.Verify.Body, w, true)
	w.Close()
	if err != nil {
		r.Close()
		if lr.ss.ctx.Err() == nil {
			log.Warn("lesson check: start", "err", err)
		}
		return false
	}
	out := &checkOutput{limit: lesson.CheckOutputLimit}
	read := make(chan struct{})
	go func() {
		io.Copy(out, r)
		close(read)
	}()
	waited := make(chan int, 1)
	go func() {
		st, err := proc.Wait()
		if err != nil {
			st = -1
		}
		waited <- st
	}()
	var status int
	timedOut := false
	timer := time.NewTimer(lr.timeout)
	select {
	case status = <-waited:
	case <-timer.C:
		timedOut = true
		proc.SignalGroup(syscall.SIGKILL)
		status = <-waited
	}
	timer.Stop()
	// What the check left running in its group ends with it: a check's
	// processes must not linger in the views. (ESRCH: none left.)
	proc.SignalGroup(syscall.SIGKILL)
	r.SetReadDeadline(time.Now().Add(execDrain))
	<-read
	r.Close()
	lr.forget(proc)
	switch {
	case timedOut:
		log.Warn("lesson check cut off: it ran longer than the check timeout; fix the verify script", "timeout", lr.timeout, "output", out.String())
	case out.dropped > 0:
		log.Warn("lesson check output over the limit; the rest was dropped", "limit", out.limit, "dropped", out.dropped, "status", status)
	default:
		log.Debug("lesson check", "status", status)
	}
	return status == 0 && !timedOut
}

// checkOutput keeps a check's first limit bytes and counts the rest.
type checkOutput struct {
	buf     bytes.Buffer
	limit   int
	dropped int
}

func (o *checkOutput) Write(p []byte) (int, error) {
	keep := min(len(p), o.limit-o.buf.Len())
	o.buf.Write(p[:keep])
	o.dropped += len(p) - keep
	return len(p), nil
}

func (o *checkOutput) String() string { return o.buf.String() }

// panel is the lesson message a page gets when it connects: the panel
// rendered with the progress so far.
func (lr *lessonRun) panel(ctx context.Context) (protocol.Lesson, error) {
	lr.mu.Lock()
	view := web.NewLessonView(lr.r, lr.progress)
	msg := protocol.Lesson{Type: "lesson", Name: lr.l.Name, Steps: len(lr.l.Steps),
		Done: lr.progress.DoneSteps(), Current: lr.progress.Current() + 1}
	lr.mu.Unlock()
	var b bytes.Buffer
	if err := web.LessonPanel(view).Render(ctx, &b); err != nil {
		return msg, fmt.Errorf("render lesson panel: %w", err)
	}
	msg.HTML = b.String()
	return msg, nil
}

// hideLessonProcs reads the lab's state with read and leaves out the
// lesson's processes and their descendants, and the namespaces only they
// are in. The state is read under hideMu, so a lesson process starting
// meanwhile is known to the filter.
func (lr *lessonRun) hideLessonProcs(read func() (*nsstate.Snapshot, error)) (*nsstate.Snapshot, error) {
	lr.hideMu.RLock()
	defer lr.hideMu.RUnlock()
	snap, err := read()
	if err != nil || len(lr.hidden) == 0 {
		return snap, err
	}
	return hideProcs(snap, lr.hidden), nil
}

// hideProcs returns snap without the processes roots and their
// descendants (by PPID), and without namespaces that only those were in.
func hideProcs(snap *nsstate.Snapshot, roots map[int]struct{}) *nsstate.Snapshot {
	children := map[int][]int{}
	for _, p := range snap.Processes {
		children[p.PPID] = append(children[p.PPID], p.PID)
	}
	gone := map[int]bool{}
	var walk func(pid int)
	walk = func(pid int) {
		if gone[pid] {
			return
		}
		gone[pid] = true
		for _, c := range children[pid] {
			walk(c)
		}
	}
	for pid := range roots {
		walk(pid)
	}
	out := *snap
	out.Processes = nil
	kept, hiddenIn := map[string]bool{}, map[string]bool{}
	for _, p := range snap.Processes {
		if gone[p.PID] {
			for _, id := range p.NS {
				hiddenIn[id] = true
			}
			continue
		}
		for _, id := range p.NS {
			kept[id] = true
		}
		out.Processes = append(out.Processes, p)
	}
	for _, id := range snap.Host {
		kept[id] = true
	}
	out.Namespaces = nil
	for _, ns := range snap.Namespaces {
		if hiddenIn[ns.ID] && !kept[ns.ID] {
			continue
		}
		out.Namespaces = append(out.Namespaces, ns)
	}
	return &out
}
