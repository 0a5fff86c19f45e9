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
}

// stateMinGap is the shortest time between two reads of a lab's state
// that follows its events. The first event after a quiet spell is read at
// once; the events of a burst (a command's fork, exec and exit) are read
// together once the gap has passed. So a lab that forks in a loop makes
// the server read it at most 1/stateMinGap times a second, however fast it
// forks, and less when reading it takes long (see session.state).
const stateMinGap = 20 * time.Millisecond

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
	var due time.Time // the earliest next reading
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
		if !sleepUntil(stop, due) {
			return
		}
		// What changed until now is in this reading.
		select {
		case <-changes:
		default:
		}
		asked := time.Now()
		due = asked.Add(stateMinGap)
		pending = false
		in, err := ss.state(stop, 0)
		switch {
		case err == errStopped:
			return
		case err != nil && !failing:
			ss.log.Warn("snapshot", "err", err)
			failing = true
		case err == nil:
			failing = false
			ss.pushState(in)
			if in.began.Before(asked) {
				// An older reading answered: one under way, or the
				// newest of a lab whose readings are rationed
				// (session.state). Read again when a fresh one may be.
				due = in.began.Add(max(stateMinGap, readShare*in.took))
				pending = true
			}
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
