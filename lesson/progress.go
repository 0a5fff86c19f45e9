package lesson

import (
	"strconv"
	"strings"
	"time"
)

// This file is the learner's side of a lesson as pure logic, shared by the
// server (live labs) and the simulator's page: which steps are done, and
// when to run the current step's check. Whoever owns the lab runs the
// check and reports back; nothing here waits or starts anything.

// Check bounds: a verify script that runs longer is ended and counts as
// not passed; output beyond the limit is dropped. Both are reported to
// the lesson's author (the server's log, `nslab lessons solve`), never to
// the learner.
const (
	CheckTimeout     = 10 * time.Second
	CheckOutputLimit = 16 << 10
)

// Progress is which steps of a lesson a learner has done.
type Progress struct {
	done []bool
}

// NewProgress starts a lesson of n steps with none done.
func NewProgress(n int) *Progress { return &Progress{done: make([]bool, n)} }

// Steps returns the number of steps.
func (p *Progress) Steps() int { return len(p.done) }

// Done reports whether step i (0-based) is done.
func (p *Progress) Done(i int) bool { return i >= 0 && i < len(p.done) && p.done[i] }

// Current returns the first step not done (0-based), or Steps() when the
// lesson is finished. Its check is the one to run: steps tick in order,
// as on the course platforms authors know, so a later step's check never
// runs against a lab that has not gone through the earlier ones.
func (p *Progress) Current() int {
	for i, d := range p.done {
		if !d {
			return i
		}
	}
	return len(p.done)
}

// Finished reports whether every step is done.
func (p *Progress) Finished() bool { return p.Current() == len(p.done) }

// Tick marks step i done.
func (p *Progress) Tick(i int) {
	if i >= 0 && i < len(p.done) {
		p.done[i] = true
	}
}

// String is the progress as a page stores it to survive a reload: the
// 1-based numbers of the steps done, comma separated ("1,2").
func (p *Progress) String() string {
	var s []string
	for i, d := range p.done {
		if d {
			s = append(s, strconv.Itoa(i+1))
		}
	}
	return strings.Join(s, ",")
}

// ParseProgress reads String's form for a lesson of n steps. Numbers out
// of range or malformed are dropped: stored progress is the learner's
// browser's, not to be trusted to be well formed.
func ParseProgress(s string, n int) *Progress {
	p := NewProgress(n)
	for _, f := range strings.Split(s, ",") {
		if i, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			p.Tick(i - 1)
		}
	}
	return p
}

// Scheduler says when to run the current step's check: after the lab's
// state changes, once it has been quiet for Debounce (a burst of changes,
// as a command starting processes makes, costs one check), and at the
// latest MaxDelay after the first change of a burst that does not end. One
// check runs at a time; a change while one runs makes another follow.
// Times are passed in, so the server's clock and the simulator's are both
// fine and tests need no sleeps. The zero value uses DefaultDebounce and
// DefaultMaxDelay.
type Scheduler struct {
	Debounce time.Duration
	MaxDelay time.Duration

	dirty      bool
	first      time.Time // first change since the last check started
	last       time.Time // latest change
	running    bool
	rerunAfter bool
}

// Defaults of a Scheduler's zero value.
const (
	DefaultDebounce = 300 * time.Millisecond
	DefaultMaxDelay = 2 * time.Second
)

func (s *Scheduler) debounce() time.Duration {
	if s.Debounce > 0 {
		return s.Debounce
	}
	return DefaultDebounce
}

func (s *Scheduler) maxDelay() time.Duration {
	if s.MaxDelay > 0 {
		return s.MaxDelay
	}
	return DefaultMaxDelay
}

// Changed records that the lab's state changed at now (a new snapshot
// differs, or a step opened).
func (s *Scheduler) Changed(now time.Time) {
	if s.running {
		s.rerunAfter = true
		return
	}
	if !s.dirty {
		s.dirty, s.first = true, now
	}
	s.last = now
}

// Next returns when the next check is due, and false when none is.
func (s *Scheduler) Next() (time.Time, bool) {
	if !s.dirty || s.running {
		return time.Time{}, false
	}
	at := s.last.Add(s.debounce())
	if limit := s.first.Add(s.maxDelay()); limit.Before(at) {
		at = limit
	}
	return at, true
}

// Due reports whether a check should start at now.
func (s *Scheduler) Due(now time.Time) bool {
	at, ok := s.Next()
	return ok && !now.Before(at)
}

// Started records that a check started.
func (s *Scheduler) Started() {
	s.running, s.dirty, s.rerunAfter = true, false, false
}

// Finished records that the running check ended at now; if the state
// changed meanwhile, another is due after the debounce.
func (s *Scheduler) Finished(now time.Time) {
	s.running = false
	if s.rerunAfter {
		s.rerunAfter = false
		s.dirty, s.first, s.last = true, now, now
	}
}

// DoneSteps returns the 1-based numbers of the steps done, in order, as
// the page's messages carry them.
func (p *Progress) DoneSteps() []int {
	s := []int{}
	for i, d := range p.done {
		if d {
			s = append(s, i+1)
		}
	}
	return s
}
