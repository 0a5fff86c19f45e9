package sim

// This file is the simulated CPU. Every task runs in a goroutine of its
// own, but only one of them runs at a time: the one the scheduler has
// resumed. A task gives the CPU back when it blocks (sleep, wait, a pipe)
// or exits, so a run is deterministic: the same commands give the same
// PIDs, the same interleaving and the same output every time.

// killedPanic unwinds a task's goroutine when a fatal signal arrives while
// it is blocked or at a preemption point.
type killedPanic struct{ sig int }

// exitPanic unwinds a task's goroutine for exit(2) called deep inside a
// program (the shell's exit builtin, a fatal shell error).
type exitPanic struct{ status int }

// startTask makes t runnable with body as its program. The goroutine waits
// for its first turn before it touches anything.
func (k *Kernel) startTask(t *Task, body func(t *Task) int) {
	t.resume = make(chan struct{})
	t.started = true
	go func() {
		<-t.resume
		status := t.runBody(body)
		k.exitTask(t, status)
		k.yield <- struct{}{}
	}()
}

// runBody runs a program and turns the panics that stand for exit(2) and
// fatal signals into a wait status.
func (t *Task) runBody(body func(t *Task) int) (status int) {
	defer func() {
		if r := recover(); r != nil {
			switch p := r.(type) {
			case killedPanic:
				status = p.sig
			case exitPanic:
				status = (p.status & 0xff) << 8
			default:
				panic(r)
			}
		}
	}()
	return (body(t) & 0xff) << 8
}

// runnable reports whether the scheduler may resume t.
func (t *Task) runnable() bool {
	if !t.started || t.exited || t.stopped && t.pendingFatal() == 0 {
		return false
	}
	if t.pendingFatal() != 0 && !t.exiting {
		return true
	}
	return t.waitCond == nil || t.waitCond()
}

// block gives the CPU away until cond holds. A fatal signal that arrives
// meanwhile ends the task.
func (t *Task) block(cond func() bool, wakeAt int64) {
	for {
		if sig := t.pendingFatal(); sig != 0 && !t.exiting {
			panic(killedPanic{sig: sig})
		}
		if cond() {
			return
		}
		t.waitCond, t.wakeAt = cond, wakeAt
		t.k.yield <- struct{}{}
		<-t.resume
		t.waitCond, t.wakeAt = nil, 0
	}
}

// preempt is a preemption point: programs call it between steps so that a
// loop that never blocks still lets signals in and lets the driver of the
// lab return.
func (t *Task) preempt() {
	k := t.k
	k.steps++
	t.checkSignals()
	if k.steps%preemptEvery == 0 {
		t.waitCond = nil
		k.yield <- struct{}{}
		<-t.resume
		t.checkSignals()
	}
}

// checkSignals acts on pending signals at a preemption point: a fatal one
// ends the task; a caught one runs the program's handler (onSignal).
func (t *Task) checkSignals() {
	if sig := t.pendingFatal(); sig != 0 && !t.exiting {
		panic(killedPanic{sig: sig})
	}
	if t.onSignal == nil {
		return
	}
	for i, sig := range t.pending {
		if t.handled[sig] {
			t.pending = append(t.pending[:i], t.pending[i+1:]...)
			t.onSignal(sig)
			return
		}
	}
}

// preemptEvery is how many steps a task runs before it lets others run.
const preemptEvery = 64

// schedule runs tasks until done reports true, nothing can run any more,
// or budget steps have passed (budget 0: no limit). When every task waits
// and advance is set, the clock jumps to the next timer. It reports
// whether done holds.
func (k *Kernel) schedule(done func() bool, advance bool, budget int) bool {
	start := k.steps
	for !done() {
		if budget > 0 && k.steps-start >= budget {
			return false
		}
		t := k.nextRunnable()
		if t == nil {
			if advance && k.advanceToNextTimer() {
				continue
			}
			return done()
		}
		k.current = t
		t.resume <- struct{}{}
		<-k.yield
		k.current = nil
		k.steps++
	}
	return true
}

// nextRunnable picks the next runnable task round-robin, in order of
// creation, after the one that ran last.
func (k *Kernel) nextRunnable() *Task {
	n := len(k.tasks)
	if n == 0 {
		return nil
	}
	for i := 0; i < n; i++ {
		idx := (k.rr + 1 + i) % n
		t := k.tasks[idx]
		if t.runnable() {
			k.rr = idx
			return t
		}
	}
	return nil
}

// nextTimer returns the earliest time a sleeping task wakes, 0 if none.
func (k *Kernel) nextTimer() int64 {
	var next int64
	for _, t := range k.tasks {
		if t.started && !t.exited && t.wakeAt > 0 && (next == 0 || t.wakeAt < next) {
			next = t.wakeAt
		}
	}
	return next
}

// advanceToNextTimer moves the simulated clock to the next timer and
// reports whether there was one.
func (k *Kernel) advanceToNextTimer() bool {
	next := k.nextTimer()
	if next == 0 {
		return false
	}
	if next > k.now {
		k.now = next
	}
	return true
}

// yieldCPU lets every other runnable task take a turn before t goes on,
// as a signalled process on a real machine dies while its sender carries
// on.
func (t *Task) yieldCPU() {
	if t.k.current != t {
		return
	}
	t.waitCond = nil
	t.k.yield <- struct{}{}
	<-t.resume
	t.preemptSignals()
}
