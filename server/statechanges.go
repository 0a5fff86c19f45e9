package server

import (
	"time"
)

// A live lab says when its state may have changed (the engine's process
// events and mount watch, nsengine/procevents.go and mountwatch.go), so
// that its watchers get a new state within a few milliseconds of the
// change and an idle lab is never read. Where the engine has no events
// (not root in the machine's initial user namespace, or the connector
// refused), the lab is read on a timer as before (snapshotLoop).

// changeSource is a lab that says when its state may have changed.
type changeSource interface {
	// Changes receives a value when the state may have changed; nil when
	// the lab has no events and must be read on a timer.
	Changes() <-chan struct{}
	// EventsCover is false while some changes of the lab have no event
	// (more mount namespaces than the engine watches): the lab is then
	// also read every stateIdle.
	EventsCover() bool
	// Follow says that the caller reads the state on changes, until
	// stop: the engine then watches what needs a descriptor per lab.
	Follow() (stop func())
}

// stateMinGap and stateBurst ration the readings of a lab that follow its
// events: stateBurst readings may follow each other at once (a command's
// fork, exec and exit each show as they happen), and beyond that one per
// stateMinGap, the events of the meantime read together. So a lab that
// forks in a loop makes the server read it at most 1/stateMinGap times a
// second, however fast it forks, and less when reading it takes long
// (see session.state).
const (
	stateMinGap = 20 * time.Millisecond
	stateBurst  = 4
)

// readBudget is a token bucket of readings: stateBurst at most, one more
// each stateMinGap.
type readBudget struct {
	tokens float64
	at     time.Time // when tokens was counted
}

// next takes a reading from the budget and returns when it may be made.
func (b *readBudget) next(now time.Time) time.Time {
	if b.at.IsZero() {
		b.tokens = stateBurst
	} else {
		b.tokens = min(stateBurst, b.tokens+float64(now.Sub(b.at))/float64(stateMinGap))
	}
	b.at = now
	b.tokens--
	if b.tokens >= 0 {
		return now
	}
	return now.Add(time.Duration(-b.tokens * float64(stateMinGap)))
}

// changesOf returns the lab's change source, nil when it has none.
func changesOf(l Lab) changeSource {
	cs, ok := l.(changeSource)
	if !ok || cs.Changes() == nil {
		return nil
	}
	return cs
}

// followChanges reads the lab's state when it changed and hands each
// snapshot to the watchers, until stop closes. It reads once at the
// start, for the new watcher.
func (ss *session) followChanges(stop chan struct{}, cs changeSource) {
	changes := cs.Changes()
	defer cs.Follow()()
	var budget readBudget
	var retry time.Time // when a rationed reading may be fresh
	failing := false
	for pending := true; ; {
		if !pending {
			var fallback *time.Timer
			var tick <-chan time.Time
			if !cs.EventsCover() {
				fallback = time.NewTimer(stateIdle)
				tick = fallback.C
			}
			select {
			case <-stop:
			case <-changes:
			case <-tick:
			}
			if fallback != nil {
				fallback.Stop()
			}
		}
		due := budget.next(time.Now())
		if retry.After(due) {
			due = retry
		}
		if !sleepUntil(stop, due) {
			return
		}
		// What changed until now is in this reading.
		select {
		case <-changes:
		default:
		}
		asked := time.Now()
		pending = false
		in, stopped := ss.readAndPush(stop, 0, &failing)
		if stopped {
			return
		}
		if in != nil && in.began.Before(asked) {
			// An older reading answered: one under way, or the newest
			// of a lab whose readings are rationed (session.state).
			// Read again when a fresh one may be.
			retry = in.began.Add(readShare * in.took)
			pending = true
		}
	}
}

// sleepUntil waits until t and reports true, or false if stop closes
// first.
func sleepUntil(stop chan struct{}, t time.Time) bool {
	select {
	case <-stop:
		return false
	default:
	}
	d := time.Until(t)
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-stop:
		return false
	case <-timer.C:
		return true
	}
}
