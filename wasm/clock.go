package main

import (
	"context"
	"time"
)

// The simulated lab pushes its state when it changes, with no tick: the
// page's input changes it while the handler runs, and the handler pushes
// what changed before it returns (refresh). What changes by itself
// changes when simulated time reaches something: a sleeping process
// wakes, a lesson's check falls due, a long computation goes on. The
// clock sleeps until the first of those, and nothing runs while none is
// pending, so an idle simulated lab costs nothing.

// pumpPause is how long a computation that did not settle within one
// input (Terminal's settleSteps) waits before it goes on, so that the
// page stays responsive while it runs.
const pumpPause = 5 * time.Millisecond

// catchUp moves the lab's clock to now, running what wakes meanwhile.
// Called with s.mu held, before input, so that a command starts at the
// right time however long the lab was idle.
func (s *session) catchUp(now time.Time) {
	if d := now.Sub(s.last); d > 0 {
		s.lab.Advance(d)
	}
	s.last = now
}

// wakeClock tells the clock that what is due may have changed.
func (s *session) wakeClock() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// nextDue returns how long until something is due, and false when
// nothing is. Called with s.mu held.
func (s *session) nextDue(now time.Time) (time.Duration, bool) {
	if s.lab.Pump(1) {
		return pumpPause, true
	}
	wait, ok := time.Duration(0), false
	if d, sleeping := s.lab.NextTimer(); sleeping {
		// The lab's clock stands at s.last.
		wait, ok = max(0, d-now.Sub(s.last)), true
	}
	if s.lesson != nil && !s.lesson.progress.Finished() {
		if at, due := s.lesson.sched.Next(); due && (!ok || at.Sub(now) < wait) {
			wait, ok = max(0, at.Sub(now)), true
		}
	}
	return wait, ok
}

// clock lets simulated time pass in real time, so `sleep 2` takes two
// seconds on the page, and pushes what changed when it wakes.
func (s *session) clock(ctx context.Context) {
	for {
		s.mu.Lock()
		wait, ok := s.nextDue(time.Now())
		s.mu.Unlock()
		var due <-chan time.Time
		var t *time.Timer
		if ok {
			t = time.NewTimer(wait)
			due = t.C
		}
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		case now := <-due:
			s.mu.Lock()
			s.catchUp(now)
			s.refresh()
			s.lessonDue(now)
			s.mu.Unlock()
			s.flush()
		}
		if t != nil {
			t.Stop()
		}
	}
}
